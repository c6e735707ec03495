"""FAISS vector index keyed by chunk id, with filtered search."""

from __future__ import annotations

from pathlib import Path

import numpy as np


class VectorIndex:
    """Inner-product search over normalised vectors (cosine), ids = chunk ids."""

    def __init__(self, index) -> None:
        self._index = index

    @classmethod
    def new(cls, dim: int) -> "VectorIndex":
        import faiss

        return cls(faiss.IndexIDMap2(faiss.IndexFlatIP(dim)))

    @classmethod
    def load(cls, path: Path) -> "VectorIndex":
        import faiss

        return cls(faiss.read_index(str(path)))

    def save(self, path: Path) -> None:
        import faiss

        faiss.write_index(self._index, str(path))

    @property
    def size(self) -> int:
        return int(self._index.ntotal)

    @property
    def dim(self) -> int:
        return int(self._index.d)

    def add(self, ids: list[int], vectors: np.ndarray) -> None:
        if len(ids):
            self._index.add_with_ids(np.ascontiguousarray(vectors, dtype=np.float32), np.asarray(ids, dtype=np.int64))

    def remove(self, ids: list[int]) -> None:
        if ids:
            self._index.remove_ids(np.asarray(ids, dtype=np.int64))

    def search(self, query: np.ndarray, k: int, allowed: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Top-k (ids, scores) for one query vector; `allowed` is a bool mask indexed by chunk id."""
        import faiss

        k = min(k, self.size)
        if k <= 0:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        q = np.ascontiguousarray(query.reshape(1, -1), dtype=np.float32)
        if allowed is None:
            scores, ids = self._index.search(q, k)
        else:
            bits = np.packbits(allowed.astype(np.uint8), bitorder="little")
            sel = faiss.IDSelectorBitmap(len(allowed), faiss.swig_ptr(bits))
            scores, ids = self._index.search(q, k, params=faiss.SearchParameters(sel=sel))
        keep = ids[0] >= 0
        return ids[0][keep], scores[0][keep]

    def reconstruct(self, chunk_id: int) -> np.ndarray:
        return self._index.reconstruct(int(chunk_id))
