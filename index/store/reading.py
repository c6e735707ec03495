"""What an index version is read through: the corpus (passages and documents) and the lexical index, as the local
version (`Store`, `LexicalIndex`) and a version published to Milvus (`MilvusCorpus`, `MilvusLexical`) both serve
them to the Retriever, the answer and the digest."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

import numpy as np

if TYPE_CHECKING:
    from index.store.lexical import Terms
    from index.types import Document, DocumentRecord, Filters, StoredPassage


class Corpus(Protocol):
    """A version's passages and documents, read-only."""

    def chunk_filters(self) -> list[tuple[int, str | None, str, str]]:
        """(chunk id, date, source, document id) of every passage, by chunk id."""
        ...

    def chunks(self, ids: list[int]) -> dict[int, StoredPassage]: ...

    def document(self, doc_id: str) -> Document | None: ...

    def documents(self, *, since: str | None = None) -> list[DocumentRecord]: ...

    def documents_in(self, *, ingested_after: str | None = None, ingested_until: str | None = None,
                     dated_since: str | None = None, dated_until: str | None = None) -> list[DocumentRecord]: ...

    def chunk_ids_by_document(self, doc_ids: list[str]) -> dict[str, list[int]]: ...

    def document_languages(self) -> dict[str, str]:
        """doc id → its language as ingest detected it (index.text.language), where known."""
        ...

    def counts(self) -> tuple[int, int]:
        """(documents, passages)."""
        ...

    def close(self) -> None: ...


class LexicalReader(Protocol):
    """A version's lexical index: BM25 search, and the statistics quote selection and the decision read."""

    terms: Terms  # how a text becomes the index's terms (stems, stop words)
    ids: np.ndarray  # position → chunk id (empty on a reader whose passages are elsewhere: Milvus)

    def known(self, term: str) -> bool: ...

    def idf(self, term: str) -> float: ...

    def search(self, query: str, k: int, allowed: np.ndarray | None = None,
               filters: Filters | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Top-k (chunk ids, BM25 scores) among the passages `allowed` (a mask by chunk id) or `filters` pass."""
        ...
