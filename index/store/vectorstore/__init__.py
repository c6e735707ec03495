"""Vector stores behind one interface: FAISS (embedded, the default) and Milvus (milvus-lite or a cluster).

The index version's manifest names the backend that holds its vectors; `open_version` follows it, and
`VECTOR_BACKEND` picks the backend of the next build.
"""

from __future__ import annotations

from pathlib import Path

from index.errors import NewsdeskError
from index.settings import EngineSettings
from index.store.vectorstore.base import Payload, VectorStore
from index.types import Manifest

__all__ = ["Payload", "VectorStore", "BACKENDS", "backend_of", "new_store", "open_for_build", "open_version",
           "discard", "sweep"]

BACKENDS = ("faiss", "milvus")


def _check(name: str) -> str:
    if name not in BACKENDS:
        raise NewsdeskError(f"VECTOR_BACKEND={name!r} is not one of: {', '.join(BACKENDS)}")
    return name


def backend_of(manifest: Manifest) -> str:
    """The backend a version's vectors live in (versions built before there was a choice: FAISS)."""
    return manifest.vector_backend


def new_store(settings: EngineSettings, dim: int, version_id: str) -> VectorStore:
    """An empty store for the version being built."""
    if _check(settings.vector_backend) == "milvus":
        from index.store.vectorstore.milvus_store import MilvusStore

        return MilvusStore.create(settings, dim, version_id)
    from index.store.vectorstore.faiss_store import FaissStore

    return FaissStore.new(dim, settings=settings)


def open_for_build(settings: EngineSettings, prev: Path, manifest: Manifest, version_id: str) -> VectorStore:
    """A writable copy of the previous version's vectors, for an incremental build."""
    if backend_of(manifest) == "milvus":
        from index.store.vectorstore.milvus_store import MilvusStore

        return MilvusStore.copy(settings, manifest, version_id)
    from index.store.vectorstore.faiss_store import FaissStore

    return FaissStore.load(prev / FaissStore.FILE, settings=settings)


def open_version(settings: EngineSettings, folder: Path, manifest: Manifest) -> VectorStore:
    """The read-only store of a published version (FAISS: memory-mapped where the index type allows)."""
    if backend_of(manifest) == "milvus":
        from index.store.vectorstore.milvus_store import MilvusStore

        return MilvusStore.open(settings, manifest)
    from index.store.vectorstore.faiss_store import FaissStore

    return FaissStore.load(folder / FaissStore.FILE, settings=settings, readonly=True)


def discard(settings: EngineSettings, store: VectorStore | None) -> None:
    """Drop what a failed build left outside its folder (a Milvus collection)."""
    if store is not None and store.backend == "milvus":
        store.drop()  # type: ignore[attr-defined]


def sweep(settings: EngineSettings, index_dir: Path) -> None:
    """After a publish: drop the Milvus collections of versions that no longer exist."""
    if settings.vector_backend != "milvus":
        return
    from index.store.vectorstore.milvus_store import sweep_collections

    versions = Path(index_dir) / "versions"
    sweep_collections(settings, {p.name for p in versions.iterdir() if not p.name.startswith(".")})
