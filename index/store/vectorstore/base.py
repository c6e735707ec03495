"""The vector store interface: inner-product search over chunk ids, with the Retriever's filters."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, Sequence

import numpy as np

if TYPE_CHECKING:
    from index.types import Document, Filters


@dataclass(frozen=True)
class Payload:
    """What a backend that filters by itself (Milvus) keeps next to each vector: the Filters' fields."""

    doc_id: str
    day: int = -1  # the document's date as an ordinal, -1 when unknown
    source: str = ""  # casefolded

    @classmethod
    def of(cls, doc: "Document") -> "Payload":
        return cls(doc.id, doc.date.toordinal() if doc.date else -1, (doc.source or "").casefold())


class VectorStore(Protocol):
    """L2-normalised vectors keyed by chunk id; scores are inner products (cosine).

    A store opened for a build is writable; one opened for reading is shared by threads and never changes.
    """

    backend: str  # "faiss" | "milvus"

    @property
    def size(self) -> int: ...

    @property
    def dim(self) -> int: ...

    def add(self, ids: Sequence[int], vectors: np.ndarray, payloads: Sequence[Payload] | None = None) -> None:
        """Add one vector per id; `payloads` (one per id) are needed by backends that filter themselves."""

    def remove(self, ids: Sequence[int]) -> None: ...

    def search(self, query: np.ndarray, k: int, allowed: np.ndarray | None = None,
               filters: "Filters | None" = None) -> tuple[np.ndarray, np.ndarray]:
        """Top-k (ids, scores), best first, among the chunks that pass.

        `allowed` is the Retriever's bool mask by chunk id and `filters` the Filters it was computed from;
        each backend uses the one it can apply inside its search (both say the same thing).
        """

    def reconstruct(self, chunk_id: int) -> np.ndarray: ...

    def reconstruct_many(self, chunk_ids: Sequence[int]) -> np.ndarray:
        """The stored vectors of `chunk_ids`, one row each, in order."""

    def save(self, folder: Path) -> dict:
        """Make the build durable next to the version in `folder`; returns the manifest entries."""

    def close(self) -> None: ...
