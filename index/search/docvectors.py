"""Document vectors: the normalised mean of a document's chunk vectors, read back from the vector store."""

from __future__ import annotations

from typing import Sequence

import numpy as np

from index.store.vectorstore import VectorStore


def document_vectors(vectors: VectorStore, doc_ids: Sequence[str], chunk_ids: dict[str, list[int]]) -> np.ndarray:
    """One unit row per document in `doc_ids` (zeros for a document without chunks)."""
    out = np.zeros((len(doc_ids), vectors.dim), dtype=np.float32)
    wanted = [c for d in doc_ids for c in chunk_ids.get(d) or []]
    stored = vectors.reconstruct_many(wanted) if wanted else out[:0]
    at = 0
    for row, doc_id in enumerate(doc_ids):
        n = len(chunk_ids.get(doc_id) or [])
        if n:
            mean = stored[at:at + n].mean(axis=0)
            out[row] = mean / max(float(np.linalg.norm(mean)), 1e-9)
            at += n
    return out
