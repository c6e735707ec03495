"""Soft alignment of the asked relation: does a sentence say, in other words, what the question asks?

A paraphrased question asks a relation the answering sentence states in its own words ("How much did Calloway cost
the Rovers?" over "for a fee of £1.2 million"). The asked words that no candidate sentence or headline holds (by
stem) are the relation asked in other words, or never stated; each candidate sentence is scored by the share of
them it aligns with: a word of the sentence whose vector, under the engine's own encoder, is at `THRESHOLD` cosine
or closer ("cost" → "fee" 0.70). Each word is encoded alone, so its vector never depends on what else was encoded
with it (int8 activations are quantised per batch), and kept per encoder (`WordVectors`). Studied in
scripts/study_align.py; the figures are in docs/quality.md.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Iterable, Sequence

import numpy as np

from index.encode.embed import Encoder
from index.store.kept import Kept
from index.store.lexical import QUESTION_WORDS, _stemmer, index_stopwords
from index.text.words import words

THRESHOLD = 0.5  # the word cosine from which two words count as saying the same (studied from 0.45 to 0.55)
WORDS_KEPT = 50_000  # word vectors kept per encoder (~1.5 KB each)


@lru_cache(maxsize=65536)
def _stem(word: str) -> str:
    return _stemmer().stemWord(word)


@lru_cache(maxsize=1)
def _stopwords() -> frozenset[str]:
    return frozenset(index_stopwords()) | QUESTION_WORDS


def content_words(text: str) -> list[str]:
    """`text`'s words lower-cased, each once, without stop words, figures, possessive endings or words of one or
    two letters."""
    stop = _stopwords()
    out = []
    for w in words(text):
        w = w.casefold().replace("’", "'").removesuffix("'s").strip("'-")
        if len(w) > 2 and w not in stop and not any(c.isdigit() for c in w):
            out.append(w)
    return list(dict.fromkeys(out))


def asked_words(asked_clause: str, names: Iterable[str]) -> list[str]:
    """The content words of a question's asked clause that are not part of the names it asks about."""
    named = {w.casefold() for n in names for w in words(n)}
    return [w for w in content_words(asked_clause) if w not in named]


def absent(asked: Sequence[str], texts: Iterable[str]) -> list[str]:
    """The asked words whose stem none of `texts` holds."""
    held = {_stem(w) for t in texts for w in content_words(t)}
    return [w for w in asked if _stem(w) not in held]


class WordVectors:
    """Single words' vectors under one encoder, each encoded alone and kept (at most `limit`)."""

    def __init__(self, encoder: Encoder, limit: int = WORDS_KEPT) -> None:
        self.encoder = encoder
        self._kept: Kept[str, np.ndarray] = Kept(limit)

    def __call__(self, ws: Sequence[str]) -> np.ndarray:
        """One row per word of `ws`."""
        if not ws:
            return np.zeros((0, 1), dtype=np.float32)
        found = self._kept.many(list(dict.fromkeys(ws)),
                                lambda missing: {w: self.encoder.encode([w])[0] for w in missing})
        return np.vstack([found[w] for w in ws])


def aligned_share(missing: Sequence[str], sentences: Sequence[str], vectors: WordVectors,
                  threshold: float = THRESHOLD) -> list[float]:
    """For each sentence, the share of the `missing` asked words a word of it aligns with (cosine ≥ `threshold`);
    0 for every sentence when no asked word is missing (nothing to tell the sentences apart by, and no lift over
    the sentences of the passages not measured)."""
    if not missing:
        return [0.0] * len(sentences)
    per_sentence = [content_words(s) for s in sentences]
    vocabulary = list(dict.fromkeys(w for ws in per_sentence for w in ws))
    if not vocabulary:
        return [0.0] * len(sentences)
    row = {w: i for i, w in enumerate(vocabulary)}
    close = (vectors(list(missing)) @ vectors(vocabulary).T) >= threshold  # missing word × vocabulary word
    out = []
    for ws in per_sentence:
        cols = [row[w] for w in ws]
        out.append(float(close[:, cols].any(axis=1).mean()) if cols else 0.0)
    return out
