"""BM25 over chunk texts (bm25s, Snowball-stemmed, English stop words), keyed by chunk id."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np


def _stemmer():
    import Stemmer

    return Stemmer.Stemmer("english")


# Words that frame a question rather than name what it is about (on top of bm25s' English stop words).
QUESTION_WORDS = frozenset(
    "what which who whom whose when where why how whats did does do done doing was were has have had been being "
    "can could would should may might must shall say says said tell told know known about any some many much "
    "there here its it's this that these those week weeks month year recently recent latest new news".split()
)


class Terms:
    """Tokenises like the index does: lower-case, stop words out, Snowball-stemmed."""

    def __init__(self) -> None:
        self._stemmer = _stemmer()
        self._question_stems = {self._stemmer.stemWord(w) for w in QUESTION_WORDS}

    def __call__(self, texts: list[str]) -> list[list[str]]:
        import bm25s

        return bm25s.tokenize(texts, stopwords="en", stemmer=self._stemmer, return_ids=False, show_progress=False)

    def question(self, text: str) -> list[str]:
        """The content terms of a question, in order, without duplicates or question framing."""
        return [t for t in dict.fromkeys(self([text])[0]) if t not in self._question_stems]


class LexicalIndex:
    def __init__(self, retriever, ids: np.ndarray) -> None:
        self._bm25 = retriever
        self.ids = ids  # position → chunk id
        self.terms = Terms()
        vocab = retriever.vocab_dict
        df = np.diff(retriever.scores["indptr"])
        n = max(int(retriever.scores["num_docs"]), 1)
        self._idf = {tok: math.log(1 + (n - df[i] + 0.5) / (df[i] + 0.5)) for tok, i in vocab.items() if i < len(df)}
        self._max_idf = math.log(1 + (n + 0.5) / 0.5)

    @classmethod
    def build(cls, ids: list[int], texts: list[str]) -> "LexicalIndex":
        import bm25s

        retriever = bm25s.BM25()
        # an empty corpus (every file skipped) still gets an index: one placeholder text no chunk id points at
        tokens = bm25s.tokenize(texts or ["empty"], stopwords="en", stemmer=_stemmer(), show_progress=False)
        retriever.index(tokens, show_progress=False)
        return cls(retriever, np.asarray(ids, dtype=np.int64))

    def save(self, folder: Path) -> None:
        self._bm25.save(str(folder), show_progress=False)
        np.save(folder / "chunk_ids.npy", self.ids)

    @classmethod
    def load(cls, folder: Path) -> "LexicalIndex":
        import bm25s

        retriever = bm25s.BM25.load(str(folder), mmap=True, show_progress=False, verbosity=0)  # shared, lazily paged
        return cls(retriever, np.load(folder / "chunk_ids.npy"))

    def idf_table(self) -> dict[str, float]:
        """Every term of the corpus with its idf (what INDEX_STORE=milvus publishes for readers)."""
        return dict(self._idf)

    @property
    def max_idf(self) -> float:
        """The idf of a term the corpus never saw."""
        return self._max_idf

    def known(self, term: str) -> bool:
        """Whether any passage of the corpus contains `term`."""
        return term in self._idf

    def idf(self, term: str) -> float:
        """Inverse document frequency; terms the corpus never saw count as rare."""
        return self._idf.get(term, self._max_idf)

    def search(self, query: str, k: int, allowed: np.ndarray | None = None,
               filters=None) -> tuple[np.ndarray, np.ndarray]:
        """Top-k (chunk ids, BM25 scores); `allowed` is a bool mask indexed by chunk id (`filters`, what it
        was computed from, is for indexes that filter by themselves, as the vector stores' search)."""
        terms = [t for t in self.terms.question(query) if t in self._idf]
        if not terms or len(self.ids) == 0:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        mask = None
        if allowed is not None:
            mask = allowed[self.ids].astype(np.float32)
        k = min(k, len(self.ids))
        docs, scores = self._bm25.retrieve([terms], k=k, show_progress=False, weight_mask=mask, n_threads=0)
        docs, scores = docs[0], scores[0]
        keep = scores > 0
        return self.ids[docs[keep]], scores[keep]
