"""Quote selection: the sentence of a passage that answers the question, scored against the question's terms."""

from __future__ import annotations

from dataclasses import dataclass

from .lexical import LexicalIndex
from .types import Hit


@dataclass(frozen=True)
class Pick:
    start: int
    end: int
    coverage: float  # idf-weighted share of the question's terms the sentence contains
    score: float


def question_terms(lexical: LexicalIndex, question: str) -> dict[str, float]:
    """Stemmed content terms of the question with their idf weights."""
    return {t: lexical.idf(t) for t in lexical.terms.question(question)}


def best_sentence(hit: Hit, text: str, terms: dict[str, float], lexical: LexicalIndex, *, offset: int = 0) -> Pick:
    """The sentence of `hit` with the most question-term weight; ties go to the earlier sentence.

    `text` holds the hit's sentences, starting at document offset `offset`.
    """
    total = sum(terms.values()) or 1.0
    spans = list(hit.sentences) or [(hit.start, hit.end)]
    tokens = lexical.terms([text[s - offset:e - offset] for s, e in spans])
    best: Pick | None = None
    for (s, e), toks in zip(spans, tokens):
        present = set(toks)
        coverage = sum(w for t, w in terms.items() if t in present) / total
        too_short = len(text[s - offset:e - offset].split()) < 5
        score = hit.dense * 0.6 + coverage * 0.4 - (0.1 if too_short else 0.0)
        if best is None or score > best.score:
            best = Pick(s, e, coverage, score)
    assert best is not None
    return best
