"""Milvus store through pymilvus: milvus-lite (a local file) or a Milvus server/cluster (MILVUS_URI).

Each index version has its own collection, `<MILVUS_COLLECTION>_<version id>`, named in the manifest; an
incremental build copies the previous collection (vectors, no re-embedding) and changes the copy, so readers
of the current version never see a half-built one. Filters are scalar fields filtered inside Milvus with
the Retriever's semantics: `day` (date ordinal, -1 unknown), `source` (casefolded) and `doc` (document id).
"""

from __future__ import annotations

import logging
import os
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Sequence

import numpy as np

from index.errors import IndexDamaged, NewsdeskError
from index.store.vectorstore.base import Payload

if TYPE_CHECKING:
    from index.types import Filters, Manifest
    from index.settings import EngineSettings

INSERT_BATCH = 2000
_CLIENTS: dict[str, object] = {}  # one client per URI and process: milvus-lite serves a file to one owner


def _uri(settings: "EngineSettings") -> str:
    return settings.milvus_uri or str(Path(settings.data_dir) / "milvus.db")


def _milvus_client_class():
    """pymilvus' MilvusClient. pymilvus reads the MILVUS_URI environment variable when first imported and
    refuses a local file path there, which is what milvus-lite takes: hide such a value while importing."""
    local = os.environ.get("MILVUS_URI", "")
    if local and "://" not in local and "pymilvus" not in sys.modules:
        del os.environ["MILVUS_URI"]
        try:
            from pymilvus import MilvusClient
        finally:
            os.environ["MILVUS_URI"] = local
    from pymilvus import MilvusClient
    return MilvusClient


def client(settings: "EngineSettings"):
    """The process's pymilvus client for MILVUS_URI (a local path starts milvus-lite)."""
    uri = _uri(settings)
    if uri not in _CLIENTS:
        try:
            MilvusClient = _milvus_client_class()
        except ImportError as exc:
            raise NewsdeskError("VECTOR_BACKEND=milvus needs pymilvus (and milvus-lite for a local file): "
                                "pip install 'newsdesk[milvus]'") from exc
        if "://" not in uri:
            Path(uri).expanduser().parent.mkdir(parents=True, exist_ok=True)
            _quiet_lite()
        try:
            _CLIENTS[uri] = MilvusClient(uri)
        except Exception as exc:
            raise NewsdeskError(f"cannot reach Milvus at {uri}: {str(exc).splitlines()[0][:200]}") from exc
    return _CLIENTS[uri]


def _quiet_lite() -> None:
    """milvus-lite lacks a timestamp call that pymilvus' query iterator tries first and then does without: its
    in-process gRPC server logs a traceback and pymilvus a warning on every scan. Neither is a fault."""
    logging.getLogger("grpc._server").setLevel(logging.CRITICAL)
    logging.getLogger("pymilvus.client.iterator.query_iterator").setLevel(logging.ERROR)


def collection_name(settings: "EngineSettings", version_id: str) -> str:
    prefix = re.sub(r"\W", "_", settings.milvus_collection or "newsdesk")
    return prefix + "_" + re.sub(r"\W", "_", version_id)


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def filter_expression(f: "Filters | None") -> str:
    """The Retriever's Filters as a Milvus boolean expression over the scalar fields ('' = no filter)."""
    if f is None:
        return ""
    parts = []
    if f.since:
        parts.append(f"day >= {f.since.toordinal()}")
    if f.until:
        parts.append(f"(day >= 0 and day <= {f.until.toordinal()})")
    if f.source:
        parts.append(f"source == {_quote(f.source.casefold())}")
    if f.exclude_docs:
        parts.append(f"doc not in [{', '.join(_quote(d) for d in sorted(f.exclude_docs))}]")
    if f.only_docs:
        parts.append(f"doc in [{', '.join(_quote(d) for d in sorted(f.only_docs))}]")
    return " and ".join(parts)


def _create_collection(c, name: str, dim: int) -> None:
    from pymilvus import DataType

    if c.has_collection(name):
        c.drop_collection(name)
    schema = c.create_schema(auto_id=False, enable_dynamic_field=False)
    schema.add_field("id", DataType.INT64, is_primary=True)
    schema.add_field("vector", DataType.FLOAT_VECTOR, dim=dim)
    schema.add_field("day", DataType.INT32)
    schema.add_field("source", DataType.VARCHAR, max_length=1024)
    schema.add_field("doc", DataType.VARCHAR, max_length=4096)
    index = c.prepare_index_params()
    index.add_index(field_name="vector", index_type="FLAT", metric_type="IP")  # exact, like FAISS flat
    c.create_collection(name, schema=schema, index_params=index)


class MilvusStore:
    """One collection: id (chunk id, primary key), vector (FLAT index, inner product), day, source, doc."""

    backend = "milvus"

    def __init__(self, settings: "EngineSettings", name: str, dim: int) -> None:
        self._client = client(settings)
        self._settings = settings
        self.name = name
        self._dim = dim
        self._size: int | None = None
        self._source: MilvusStore | None = None  # the collection to copy before the first change

    # --- lifecycle ---------------------------------------------------------------------------
    @classmethod
    def create(cls, settings: "EngineSettings", dim: int, version_id: str) -> "MilvusStore":
        store = cls(settings, collection_name(settings, version_id), dim)
        _create_collection(store._client, store.name, dim)
        store._size = 0
        return store

    @classmethod
    def copy(cls, settings: "EngineSettings", manifest: "Manifest", version_id: str) -> "MilvusStore":
        """A new collection holding everything the previous version's collection holds.

        The copy is made on the first change (or save), so an ingest that finds nothing changed copies nothing.
        """
        src = cls.open(settings, manifest)
        out = cls(settings, collection_name(settings, version_id), src.dim)
        out._source = src
        return out

    def _materialize(self) -> None:
        src, self._source = self._source, None
        if src is None:
            return
        _create_collection(self._client, self.name, src.dim)
        it = src._client.query_iterator(src.name, batch_size=INSERT_BATCH, filter="",
                                        output_fields=["id", "vector", "day", "source", "doc"])
        try:
            while batch := it.next():
                self._client.insert(self.name, [{k: r[k] for k in ("id", "vector", "day", "source", "doc")}
                                                for r in batch])
        finally:
            it.close()
        self._size = None

    @classmethod
    def open(cls, settings: "EngineSettings", manifest: "Manifest") -> "MilvusStore":
        name = manifest.milvus_collection
        c = client(settings)
        if not name or not c.has_collection(name):
            raise IndexDamaged(f"the index's Milvus collection {name!r} is missing at {_uri(settings)}: "
                                "run `newsdesk ingest` again to rebuild it")
        c.load_collection(name)
        return cls(settings, name, int(manifest.dimension))

    def save(self, folder: Path) -> dict:
        self._materialize()
        self._client.flush(self.name)
        self._client.load_collection(self.name)
        return {"vector_backend": "milvus", "milvus_collection": self.name}

    def drop(self) -> None:
        self._source = None
        if self._client.has_collection(self.name):
            self._client.drop_collection(self.name)

    def close(self) -> None:
        pass

    # --- properties --------------------------------------------------------------------------
    @property
    def size(self) -> int:
        if self._source is not None:
            return self._source.size
        if self._size is None:
            rows = self._client.query(self.name, filter="", output_fields=["count(*)"])
            self._size = int(rows[0]["count(*)"])
        return self._size

    @property
    def dim(self) -> int:
        return self._dim

    # --- changes -----------------------------------------------------------------------------
    def add(self, ids: Sequence[int], vectors: np.ndarray, payloads: Sequence[Payload] | None = None) -> None:
        if not len(ids):
            return
        if payloads is None or len(payloads) != len(ids):
            raise ValueError("MilvusStore.add needs one Payload per id (its filters are stored with the vector)")
        self._materialize()
        vecs = np.asarray(vectors, dtype=np.float32)
        rows = [{"id": int(i), "vector": v.tolist(), "day": int(p.day), "source": p.source, "doc": p.doc_id}
                for i, v, p in zip(ids, vecs, payloads)]
        for start in range(0, len(rows), INSERT_BATCH):
            self._client.insert(self.name, rows[start:start + INSERT_BATCH])
        self._size = None

    def remove(self, ids: Sequence[int]) -> None:
        if len(ids):
            self._materialize()
            self._client.delete(self.name, ids=[int(i) for i in ids])
            self._size = None

    # --- reading -----------------------------------------------------------------------------
    def search(self, query: np.ndarray, k: int, allowed: np.ndarray | None = None,
               filters: "Filters | None" = None) -> tuple[np.ndarray, np.ndarray]:
        """Top-k (ids, scores) among the chunks that pass `filters` (applied inside Milvus; `allowed` unused)."""
        if k <= 0:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        if self._source is not None:
            return self._source.search(query, k, allowed, filters)
        res = self._client.search(self.name, data=[np.asarray(query, dtype=np.float32).reshape(-1).tolist()],
                                  limit=int(k), filter=filter_expression(filters), output_fields=[],
                                  search_params={"metric_type": "IP"})
        hits = res[0] if res else []
        return (np.array([h["id"] for h in hits], dtype=np.int64),
                np.array([h["distance"] for h in hits], dtype=np.float32))

    def reconstruct(self, chunk_id: int) -> np.ndarray:
        if self._source is not None:
            return self._source.reconstruct(chunk_id)
        rows = self._client.get(self.name, ids=[int(chunk_id)], output_fields=["vector"])
        if not rows:
            raise KeyError(chunk_id)
        return np.asarray(rows[0]["vector"], dtype=np.float32)

    def reconstruct_many(self, chunk_ids: Sequence[int]) -> np.ndarray:
        if self._source is not None:
            return self._source.reconstruct_many(chunk_ids)
        ids = [int(c) for c in chunk_ids]
        got = self._client.get(self.name, ids=ids, output_fields=["vector"]) if ids else []
        rows = {r["id"]: r["vector"] for r in got}
        if len(rows) < len(set(ids)):
            raise KeyError(next(c for c in ids if c not in rows))
        return np.asarray([rows[c] for c in ids], dtype=np.float32).reshape(len(ids), self.dim)


def sweep_collections(settings: "EngineSettings", live_versions: set[str]) -> None:
    """Drop this index's collections whose version folder is gone (pruned or never published)."""
    c = client(settings)
    # only this store's names, "<prefix>_<version id>": INDEX_STORE=milvus keeps "<prefix>_passages_<version>",
    # "<prefix>_versions", … under the same prefix, and readers may still be on them
    own = re.compile(re.escape(collection_name(settings, "")) + r"\d{8}T\d{6,12}Z")
    keep = {collection_name(settings, v) for v in live_versions}
    for name in c.list_collections():
        if own.fullmatch(name) and name not in keep:
            c.drop_collection(name)
