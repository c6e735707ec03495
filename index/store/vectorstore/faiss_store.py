"""FAISS store: exact (flat) search while that is fast enough, IVF with 8-bit scalar quantisation beyond.

The type follows the corpus size (`FAISS_INDEX=auto`, switching above `FAISS_APPROX_THRESHOLD` chunks) or
is forced by `FAISS_INDEX=flat|ivf-sq8`. Readers open the file memory-mapped and read-only where FAISS
allows it, so a large index is ready at once and several processes share its pages.
"""

from __future__ import annotations

import math
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Iterator, Sequence

import numpy as np

from index.errors import NewsdeskError
from index.store.vectorstore.base import Payload

if TYPE_CHECKING:
    from index.types import Filters
    from index.settings import EngineSettings

TYPES = ("flat", "ivf-sq8")


def choose_type(setting: str, size: int, threshold: int) -> str:
    """The index type for `size` chunks: the setting when it names one, else flat up to `threshold`."""
    if setting in TYPES:
        return setting
    if setting != "auto":
        raise NewsdeskError(f"FAISS_INDEX={setting!r} is not one of: auto, {', '.join(TYPES)}")
    return "flat" if size <= threshold else "ivf-sq8"


@contextmanager
def one_thread(faiss) -> Iterator[None]:
    """FAISS's OpenMP held to the calling thread while one query is searched. A query is searched by one thread
    anyway (FAISS splits a search by query); the team of threads it starts only spins and syncs: 8 ms of CPU
    for a 5-passage index, 2x the time at 200k flat passages (docs/load.md). Concurrent questions use the
    cores from the engine's own threads. (OpenMP's thread count is per calling thread: set and put back here.)"""
    before = faiss.omp_get_max_threads()
    faiss.omp_set_num_threads(1)
    try:
        yield
    finally:
        faiss.omp_set_num_threads(before)


def nlist_for(size: int) -> int:
    """Inverted lists for `size` vectors: the power of two nearest 2·√size (512 at 100k, 2048 at 1M)."""
    return max(16, 2 ** round(math.log2(max(2.0 * math.sqrt(max(size, 1)), 1.0))))


def default_nprobe(nlist: int) -> int:
    """Lists searched per query: 1/16 of them (recall@10 ≥ 0.95 on real embeddings, see README "Scaling")."""
    return max(8, nlist // 16)


class FaissStore:
    """A FAISS index keyed by chunk id (flat: IndexIDMap2 over IndexFlatIP; ivf-sq8: IndexIVFScalarQuantizer)."""

    backend = "faiss"
    FILE = "vectors.faiss"

    def __init__(self, index, *, settings: "EngineSettings | None" = None) -> None:
        self._index = index
        self._setting = settings.faiss_index if settings else "auto"
        choose_type(self._setting, 0, 0)  # refuses an unknown FAISS_INDEX before any work
        self._threshold = settings.faiss_approx_threshold if settings else 50_000
        self._nprobe = settings.faiss_nprobe if settings else 0

    # --- lifecycle ---------------------------------------------------------------------------
    @classmethod
    def new(cls, dim: int, *, settings: "EngineSettings | None" = None) -> "FaissStore":
        import faiss

        return cls(faiss.IndexIDMap2(faiss.IndexFlatIP(dim)), settings=settings)

    @classmethod
    def load(cls, path: Path, *, settings: "EngineSettings | None" = None, readonly: bool = False,
             mmap: bool | None = None) -> "FaissStore":
        """Read an index; `readonly` readers memory-map it (unless FAISS_MMAP=0)."""
        import faiss

        if mmap is None:
            mmap = readonly and (settings.faiss_mmap if settings else True)
        flags = (faiss.IO_FLAG_MMAP_IFC | faiss.IO_FLAG_READ_ONLY) if mmap else 0
        return cls(faiss.read_index(str(path), flags), settings=settings)

    def save(self, folder: Path) -> dict:
        """Write the index type the corpus size calls for (converting if needed); returns manifest entries."""
        import faiss

        wanted = choose_type(self._setting, self.size, self._threshold)
        if self._setting == "auto" and self.index_type == "ivf-sq8":
            wanted = "ivf-sq8"  # never back to flat by itself: its vectors are 8-bit approximations now
        if wanted == "ivf-sq8" and self.size == 0:
            wanted = "flat"  # nothing to train on
        grown = self._ivf is not None and nlist_for(self.size) >= 4 * int(self._ivf.nlist)
        if wanted != self.index_type or (wanted == "ivf-sq8" and grown):
            self._index = _convert(self._index, wanted)
        faiss.write_index(self._index, str(Path(folder) / self.FILE))
        out: dict[str, str | int] = {"vector_backend": "faiss", "faiss_index": self.index_type}
        if self.index_type == "ivf-sq8":
            out |= {"faiss_nlist": int(self._ivf.nlist), "faiss_nprobe": self.nprobe}
        return out

    def close(self) -> None:
        pass

    # --- properties --------------------------------------------------------------------------
    @property
    def index_type(self) -> str:
        return "ivf-sq8" if self._ivf is not None else "flat"

    @property
    def faiss_index(self):
        """The FAISS index itself, for studies that sweep its search parameters (scripts/bench_scale.py)."""
        return self._index

    @property
    def _ivf(self):
        import faiss

        return self._index if isinstance(self._index, faiss.IndexIVF) else None

    @property
    def nprobe(self) -> int:
        ivf = self._ivf
        return min(int(ivf.nlist), self._nprobe or default_nprobe(int(ivf.nlist))) if ivf is not None else 0

    @property
    def size(self) -> int:
        return int(self._index.ntotal)

    @property
    def dim(self) -> int:
        return int(self._index.d)

    # --- changes -----------------------------------------------------------------------------
    def add(self, ids: Sequence[int], vectors: np.ndarray, payloads: Sequence[Payload] | None = None) -> None:
        if len(ids):
            self._index.add_with_ids(np.ascontiguousarray(vectors, dtype=np.float32), np.asarray(ids, dtype=np.int64))

    def remove(self, ids: Sequence[int]) -> None:
        if len(ids):
            self._index.remove_ids(np.asarray(ids, dtype=np.int64))

    # --- reading -----------------------------------------------------------------------------
    def search(self, query: np.ndarray, k: int, allowed: np.ndarray | None = None,
               filters: "Filters | None" = None) -> tuple[np.ndarray, np.ndarray]:
        """Top-k (ids, scores) for one query vector; `allowed` is a bool mask indexed by chunk id.

        ivf-sq8 under a filter searches proportionally more lists (all of them when few chunks pass), so a
        narrow filter still finds its k best instead of the few that happen to sit in the nearest lists.
        """
        import faiss

        k = min(k, self.size)
        if k <= 0:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        q = np.ascontiguousarray(query.reshape(1, -1), dtype=np.float32)
        ivf = self._ivf
        sel = None
        if allowed is not None:
            bits = np.packbits(allowed.astype(np.uint8), bitorder="little")
            sel = faiss.IDSelectorBitmap(len(allowed), faiss.swig_ptr(bits))
        if ivf is not None:
            nprobe = self.nprobe
            if allowed is not None:
                passing = max(int(np.count_nonzero(allowed)), 1)
                nprobe = min(int(ivf.nlist), math.ceil(nprobe * self.size / passing))
            params = (faiss.SearchParametersIVF(sel=sel, nprobe=nprobe) if sel
                      else faiss.SearchParametersIVF(nprobe=nprobe))
        else:
            params = faiss.SearchParameters(sel=sel) if sel is not None else None
        with one_thread(faiss):
            scores, ids = self._index.search(q, k, params=params)
        keep = ids[0] >= 0
        return ids[0][keep], scores[0][keep]

    def reconstruct(self, chunk_id: int) -> np.ndarray:
        """The stored vector (ivf-sq8: its 8-bit approximation)."""
        return self._index.reconstruct(int(chunk_id))

    def reconstruct_many(self, chunk_ids: Sequence[int]) -> np.ndarray:
        if not len(chunk_ids):
            return np.zeros((0, self.dim), dtype=np.float32)
        return self._index.reconstruct_batch(np.asarray(chunk_ids, dtype=np.int64))

    def vectors(self) -> tuple[np.ndarray, np.ndarray]:
        """(ids, vectors) of everything stored, in storage order."""
        return _all_vectors(self._index)


def _all_vectors(index) -> tuple[np.ndarray, np.ndarray]:
    import faiss

    if isinstance(index, faiss.IndexIVF):
        invlists = index.invlists
        ids: list[np.ndarray] = []
        for lst in range(index.nlist):
            n = invlists.list_size(lst)
            if n:
                ids.append(faiss.rev_swig_ptr(invlists.get_ids(lst), n).copy())
        ids_arr = np.concatenate(ids) if ids else np.zeros(0, dtype=np.int64)
        vecs = (np.vstack([index.reconstruct(int(i)) for i in ids_arr]) if len(ids_arr)
                else np.zeros((0, index.d), np.float32))
        return ids_arr, vecs
    ids_arr = faiss.vector_to_array(index.id_map).astype(np.int64)
    flat = faiss.downcast_index(index.index)
    vecs = faiss.rev_swig_ptr(flat.get_xb(), flat.ntotal * flat.d).reshape(flat.ntotal, flat.d).copy()
    return ids_arr, vecs


def _convert(index, wanted: str):
    """The same vectors in an index of type `wanted` (ivf-sq8 is trained on a sample of them)."""
    import faiss

    ids, vecs = _all_vectors(index)
    d = index.d
    if wanted == "flat":
        out = faiss.IndexIDMap2(faiss.IndexFlatIP(d))
    else:
        nlist = min(nlist_for(len(ids)), max(1, len(ids) // 39))  # FAISS wants >= 39 training points a list
        quantizer = faiss.IndexFlatIP(d)
        out = faiss.IndexIVFScalarQuantizer(quantizer, d, nlist, faiss.ScalarQuantizer.QT_8bit,
                                            faiss.METRIC_INNER_PRODUCT)
        out.own_fields = True
        quantizer.this.disown()
        out.cp.niter = 10  # k-means iterations: recall measured with this (README "Scaling"); 25 costs 2.5x
        rng = np.random.default_rng(0)
        sample = vecs[rng.choice(len(vecs), size=min(len(vecs), 40 * nlist), replace=False)] if len(vecs) else vecs
        out.train(np.ascontiguousarray(sample, dtype=np.float32))
        out.set_direct_map_type(faiss.DirectMap.Hashtable)  # reconstruct and remove by chunk id
    if len(ids):
        out.add_with_ids(np.ascontiguousarray(vecs, dtype=np.float32), ids)
    return out
