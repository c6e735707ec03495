"""BM25 over chunk texts (Snowball-stemmed, English stop words), keyed by chunk id.

Ukrainian and Russian words are indexed by their dictionary forms (index.text.morph) and their stop words left out.

bm25s builds and saves the index (a term × passage matrix of precomputed BM25 scores, CSC arrays). Queries
read those arrays memory-mapped and add up the posting lists of the question's terms here, so that asking
imports neither bm25s nor the scipy it pulls in (half a second of every cold `newsdesk ask`).
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable

import numpy as np

if TYPE_CHECKING:
    from index.text.morph import CyrillicTerms

from index.store.kept import Kept
from index.text.morph import QUESTION_LEMMAS

TOKEN = re.compile(r"(?u)\b\w\w+\b")  # bm25s' default token pattern
STOPWORDS_FILE = "stopwords.json"


def _stemmer():
    import Stemmer

    return Stemmer.Stemmer("english")


def _bm25s_stopwords() -> tuple[str, ...]:
    from bm25s.stopwords import STOPWORDS_EN

    return tuple(STOPWORDS_EN)


def index_stopwords() -> tuple[str, ...]:
    """The stop words a new index leaves out: bm25s' English ones, Ukrainian and Russian ones (index.text.morph)."""
    from index.text.morph import stopwords

    return _bm25s_stopwords() + tuple(sorted(stopwords() - set(_bm25s_stopwords())))


# Words that frame a question rather than name what it is about (on top of bm25s' English stop words).
QUESTION_WORDS = frozenset(
    "what which who whom whose when where why how whats did does do done doing was were has have had been being "
    "can could would should may might must shall say says said tell told know known about any some many much "
    "there here its it's this that these those week weeks month year recently recent latest new news".split()
)


KEPT_TEXTS = 65536  # texts (passage sentences, headlines) whose terms `Terms.kept` keeps (~0.3 KB each)


class Terms:
    """Tokenises like the index does (bm25s.tokenize): lower-case, \\w\\w+ words, stop words out, Snowball-stemmed."""

    def __init__(self, stopwords: Iterable[str] | None = None) -> None:
        self.stopwords = frozenset(index_stopwords() if stopwords is None else stopwords)
        self._stemmer = _stemmer()
        self._question_stems = {self._stemmer.stemWord(w) for w in QUESTION_WORDS} | QUESTION_LEMMAS
        self._cyrillic: CyrillicTerms | None = None  # loaded on the first Cyrillic word
        self._kept: Kept[str, list[str]] = Kept(KEPT_TEXTS)  # text → its terms (`kept`)

    def __call__(self, texts: list[str]) -> list[list[str]]:
        from index.text.words import CYRILLIC

        words = [[w for w in TOKEN.findall(t.lower()) if w not in self.stopwords] for t in texts]
        unique = list({w: None for ws in words for w in ws})
        latin = [w for w in unique if not CYRILLIC.search(w)]
        terms: dict[str, tuple[str, ...]] = {w: (s,) for w, s in zip(latin, self._stemmer.stemWords(latin))}
        if len(latin) < len(unique):
            if self._cyrillic is None:
                from index.text.morph import cyrillic_terms

                self._cyrillic = cyrillic_terms()
            terms.update((w, self._cyrillic.terms(w)) for w in unique if w not in terms)
        return [[t for w in ws for t in terms[w]] for ws in words]

    def kept(self, texts: list[str]) -> list[list[str]]:
        """The same as calling, each text's terms kept (at most KEPT_TEXTS, the least recently used let go): a
        version's passages are tokenised again by every question that retrieves them. Thread-safe; the lists are
        shared, not to be changed."""
        found = self._kept.many(list(dict.fromkeys(texts)), lambda missing: dict(zip(missing, self(missing))))
        return [found[t] for t in texts]

    def question(self, text: str) -> list[str]:
        """The content terms of a question, in order, without duplicates or question framing."""
        return [t for t in dict.fromkeys(self([text])[0]) if t not in self._question_stems]


class LexicalIndex:
    """Read side: the saved BM25 arrays (memory-mapped), the vocabulary and the chunk id of each column."""

    def __init__(self, data: np.ndarray, indices: np.ndarray, indptr: np.ndarray, vocab: dict[str, int],
                 num_docs: int, ids: np.ndarray, stopwords: Iterable[str] | None = None, *, k1: float = 1.5,
                 b: float = 0.75) -> None:
        # plain views of the memory-mapped arrays: the same pages, without np.memmap's Python-level indexing (each
        # term's offsets read through it cost ~5 µs, 100 terms an answer)
        self._data, self._indices, self._indptr = (np.asarray(a).view(np.ndarray) for a in (data, indices, indptr))
        self.vocab, self.num_docs = vocab, max(int(num_docs), 1)
        self.ids = ids  # position → chunk id
        self.terms = Terms(stopwords)
        self.k1, self.b = k1, b  # bm25s' parameters the scores were computed with
        self._max_idf = math.log(1 + (self.num_docs + 0.5) / 0.5)

    @staticmethod
    def warm() -> None:
        """Import the index builder's library (bm25s, scipy: ~0.2 s), e.g. on a thread while ingest embeds."""
        import bm25s  # noqa: F401

    @classmethod
    def build(cls, ids: list[int], texts: list[str]) -> "_Built":
        import bm25s

        from index.text.words import CYRILLIC

        retriever = bm25s.BM25()
        # an empty corpus (every file skipped) still gets an index: one placeholder text no chunk id points at
        if any(CYRILLIC.search(t.lower()) for t in texts):  # Ukrainian or Russian: their words by dictionary form
            tokens = [words or [""] for words in Terms()(texts)]
        else:  # English: bm25s' own tokeniser, as every index before
            tokens = bm25s.tokenize(texts or ["empty"], stopwords="en", stemmer=_stemmer(), show_progress=False)
        retriever.index(tokens, show_progress=False)
        return _Built(retriever, np.asarray(ids, dtype=np.int64))

    @classmethod
    def load(cls, folder: Path) -> "LexicalIndex":
        params = json.loads((folder / "params.index.json").read_text())
        if params.get("method", "lucene") not in ("lucene", "robertson", "atire"):
            raise ValueError(f"{folder}: BM25 variant {params['method']!r} scores absent terms; not supported")
        data, indices, indptr = (np.load(folder / f"{name}.csc.index.npy", mmap_mode="r")
                                 for name in ("data", "indices", "indptr"))
        vocab = json.loads((folder / "vocab.index.json").read_text())
        stop = folder / STOPWORDS_FILE
        stopwords = json.loads(stop.read_text()) if stop.is_file() else None  # older indexes: bm25s' list
        return cls(data, indices, indptr, vocab, params["num_docs"], np.load(folder / "chunk_ids.npy"), stopwords,
                   k1=float(params.get("k1", 1.5)), b=float(params.get("b", 0.75)))

    def problem(self, *, thorough: bool = False) -> str | None:
        """What is wrong inside the saved arrays (a term × passage matrix in CSC form), or None: their sizes agree
        (quick, reads nothing); every offset and passage position is in range (thorough, reads them all)."""
        data, indices, indptr = self._data, self._indices, self._indptr
        if indptr.ndim != 1 or not 1 <= len(indptr) <= len(self.vocab) + 1:  # bm25s' "" term has none
            return f"{len(indptr) - 1} posting lists for {len(self.vocab)} terms"
        if int(indptr[0]) != 0 or int(indptr[-1]) != len(data) or len(data) != len(indices):
            return (f"the posting lists end at {int(indptr[-1])}, the scores hold {len(data)}, "
                    f"the passages {len(indices)}")
        if self.num_docs < len(self.ids):
            return f"scores for {self.num_docs} passages, ids for {len(self.ids)}"
        if thorough:
            if np.any(np.diff(indptr) < 0):
                return "the posting lists overlap"
            if len(indices) and not (int(indices.min()) >= 0 and int(indices.max()) < self.num_docs):
                return f"a posting names a passage beyond the {self.num_docs} indexed"
            if not np.all(np.isfinite(data)):
                return "a score is not a number"
        return None

    def df(self, term: str) -> int:
        """How many passages contain `term`."""
        i = self.vocab.get(term)
        return 0 if i is None or i + 1 >= len(self._indptr) else int(self._indptr[i + 1] - self._indptr[i])

    def frequencies(self) -> np.ndarray:
        """Every term's document frequency, by its position in `vocab`."""
        return np.diff(np.asarray(self._indptr))

    def known(self, term: str) -> bool:
        """Whether any passage of the corpus contains `term`."""
        return self.df(term) > 0

    def idf_table(self) -> dict[str, float]:
        """Every term of the corpus with its idf (what INDEX_STORE=milvus publishes for readers)."""
        return {t: self.idf(t) for t in self.vocab if self.df(t)}

    @property
    def max_idf(self) -> float:
        """The idf of a term the corpus never saw."""
        return self._max_idf

    def idf(self, term: str) -> float:
        """Inverse document frequency; terms the corpus never saw count as rare."""
        df = self.df(term)
        return math.log(1 + (self.num_docs - df + 0.5) / (df + 0.5)) if df else self._max_idf

    def scores(self, terms: list[str]) -> np.ndarray:
        """BM25 score of every passage (by position) for `terms`: their posting lists added up, as bm25s does."""
        scores = np.zeros(self.num_docs, dtype=self._data.dtype)
        for t in terms:
            i = self.vocab.get(t)
            if i is None or i + 1 >= len(self._indptr):
                continue
            start, end = int(self._indptr[i]), int(self._indptr[i + 1])
            scores[self._indices[start:end]] += self._data[start:end]  # one entry per passage and term
        return scores

    def search(self, query: str, k: int, allowed: np.ndarray | None = None,
               filters=None) -> tuple[np.ndarray, np.ndarray]:
        """Top-k (chunk ids, BM25 scores), best first (ties: the earlier passage); `allowed` masks by chunk id
        (`filters`, what it was computed from, is for indexes that filter by themselves, as Milvus does)."""
        terms = [t for t in self.terms.question(query) if t in self.vocab]
        if not terms or len(self.ids) == 0:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        scores = self.scores(terms)
        if allowed is not None:
            scores *= allowed[self.ids]
        top = top_k(scores, k)
        return self.ids[top], scores[top]


@dataclass(frozen=True)
class BM25Parameters:
    """What scores a passage apart from its terms: bm25s' k1 and b, and the corpus's mean passage length in terms."""

    k1: float
    b: float
    avgdl: float


def bm25(question_terms: list[str], passage_terms: list[str], idf: Callable[[str], float], p: BM25Parameters) -> float:
    """A passage's BM25 score as bm25s' "lucene" variant gives it (`LexicalIndex.scores`), from its terms."""
    counts = Counter(passage_terms)
    norm = p.k1 * (1 - p.b + p.b * len(passage_terms) / p.avgdl)
    return sum(idf(t) * counts[t] / (counts[t] + norm) for t in dict.fromkeys(question_terms) if counts[t])


def top_k(scores: np.ndarray, k: int) -> np.ndarray:
    """Positions of the `k` highest positive scores, best first, ties in position order.

    Only the passages that scored are ranked: `np.argpartition` over the whole array (what bm25s calls), and
    `np.partition` too, took 5-9 ms instead of 0.1 ms at 200k passages when ~100k zeros sat under the top
    (the BM25 stage's tail).
    """
    found = np.flatnonzero(scores > 0)
    if len(found) > k > 0:
        values = scores[found]
        kth = values.dtype.type(np.partition(values, len(values) - k)[len(values) - k])
        above = found[values > kth]  # fewer than k
        found = np.concatenate([above, found[values == kth][:k - len(above)]])
    elif k <= 0:
        return found[:0]
    return found[np.lexsort((found, -scores[found]))]


class _Built:
    """Write side: a bm25s index just built, saved with the chunk ids and the stop words its tokeniser used."""

    def __init__(self, retriever, ids: np.ndarray) -> None:
        self._bm25, self.ids = retriever, ids

    def save(self, folder: Path) -> None:
        self._bm25.save(str(folder), show_progress=False)
        np.save(folder / "chunk_ids.npy", self.ids)
        (folder / STOPWORDS_FILE).write_text(json.dumps(sorted(index_stopwords())))
