"""Quote selection: the sentence of a passage that answers the question, scored against the question's terms."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

from .chunk import split_sentences
from .lexical import LexicalIndex
from .places import places_in
from .types import Hit, Ranking


@dataclass(frozen=True)
class Pick:
    start: int
    end: int
    coverage: float  # idf-weighted share of the question's terms the sentence contains
    score: float


def question_terms(lexical: LexicalIndex, question: str) -> dict[str, float]:
    """Stemmed content terms of the question with their idf weights."""
    return {t: lexical.idf(t) for t in lexical.terms.question(question)}


def asked_terms(lexical: LexicalIndex, question: str, terms: dict[str, float], context_share: float) -> dict[str, float]:
    """`terms` reweighted for choosing the answering sentence: when the question sets a scene first ("Aaron
    Judge hit a record 62nd home run this week. Who holds the record with 73?"), the terms only the scene
    uses count `context_share` of their weight; the asked sentence carries the answer's own words."""
    clauses = [question[a:b] for a, b in split_sentences(question, 0, len(question))]  # not at "U.S." or "8.5"
    if context_share == 1.0 or len(clauses) < 2:
        return terms
    asked = next((c for c in reversed(clauses) if c.rstrip().endswith("?")), clauses[-1])
    own = set(lexical.terms.question(asked))
    return {t: w if t in own else w * context_share for t, w in terms.items()}


_QUANTITY = (r"percentage|percent|share|proportion|age|number|amount|price|figure|sum|total|cost|rate|wage|salary|fee|"
             r"fine|score|temperature|speed|distance|height|weight|size|value|budget")
_NUMBER_Q = re.compile(r"\bhow (?:many|much|long|old|far|big|large|tall|high|often)\b|\b(?:what|which) year\b|"
                       rf"\b(?:what|which) (?:[\w-]+ ){{0,2}}?(?:{_QUANTITY})s?\b|\b(?:approximately|roughly|about) how\b",
                       re.IGNORECASE)
_NAME_Q = re.compile(r"\b(?:which|who|whom|whose)\b|\bwhat (?:country|state|city|company|team|band|show|group|"
                     r"organi[sz]ation|agency|party|airline|island|nation|brand|university|region|continent)\b",
                     re.IGNORECASE)
_DATE_Q = re.compile(r"^\s*when\b|\bwhen (?:will|did|does|do|is|was|are|were|can|could|should|would|has|have)\b|\bhow soon\b|\b(?:what|which) (?:day|date|month|time of year)\b",
                     re.IGNORECASE)
_MONTHS = "|".join(m for m in (*calendar.month_name[1:], *calendar.month_abbr[1:]))
_DATE = re.compile(rf"\b(?:(?:{_MONTHS})\b\.?(?:\s+\d{{1,2}}\b)?|(?:{'|'.join(calendar.day_name)})\b|(?:1[89]|20)\d\d\b|"
                   r"\d{1,2}/\d{1,2}(?:/\d{2,4})?\b|today\b|tomorrow\b|yesterday\b|tonight\b|"
                   r"(?:next|last|this|early|late|mid-?)\s*(?:week|month|year|spring|summer|fall|autumn|winter)\b)")
_PLACE_Q = re.compile(r"^\s*where\b|[,.?]\s*where\b|\b(?:which|what) (?:[\w-]+ ){0,2}?(?:country|countries|state|states|city|"
                      r"cities|continent|nation|island|province|capital|town|county)\b", re.IGNORECASE)
_NUMBERISH = re.compile(r"\d|\b(?:hundred|thousand|million|billion|trillion|dozens?|percent|half|quarter)\b", re.IGNORECASE)
_NUMBER_TOKEN = re.compile(r"[\w$%.,-]*(?:" + _NUMBERISH.pattern + r")[\w$%.,-]*", re.IGNORECASE)
_NAME = re.compile(r"(?<=[\s“\"‘'(])[A-Z][\w’'&.-]*")
_NOT_NAMES = frozenset(w.casefold() for w in (*calendar.day_name, *calendar.month_name[1:], "I", "Mr", "Mrs", "Ms", "Dr"))


@dataclass(frozen=True)
class AnswerType:
    """What kind of answer a question asks for: a number ("how many"), a date ("when"), a place ("where",
    "which country"), a name ("which", "who"), or none of them."""

    number: bool
    name: bool
    question_words: frozenset[str]
    place: bool = False
    date: bool = False

    @classmethod
    def of(cls, question: str) -> "AnswerType":
        number = bool(_NUMBER_Q.search(question))
        when = not number and bool(_DATE_Q.search(question))
        place = not number and not when and bool(_PLACE_Q.search(question))
        return cls(number, not (number or when or place) and bool(_NAME_Q.search(question)),
                   frozenset(w.casefold() for w in re.findall(r"[\w’'&.-]+", question)), place, when)

    def offered_by(self, sentence: str) -> bool:
        """Whether `sentence` holds something of that kind that the question does not already say."""
        if self.date:
            return any(not set(m.group(0).casefold().rstrip(".").split()) <= self.question_words
                       for m in _DATE.finditer(sentence))
        if self.number:
            return any(m.group(0).casefold() not in self.question_words
                       for m in _NUMBER_TOKEN.finditer(sentence))
        if self.place:
            return any(not set(p.casefold().split()) <= self.question_words for p in places_in(sentence))
        if self.name:
            return any(w not in self.question_words and w not in _NOT_NAMES
                       for w in (m.group(0).casefold().strip(".") for m in _NAME.finditer(sentence)))
        return False


def recency(day: str | None, as_of: date, half_life: float) -> float:
    """1.0 for a passage dated `as_of`, halving every `half_life` days before it; 0.0 when undated."""
    if not day:
        return 0.0
    age = (as_of - date.fromisoformat(day)).days
    return 0.5 ** (max(age, 0) / half_life)


def best_sentences(hits: list[Hit], terms: dict[str, float], lexical: LexicalIndex,
                   ranking: Ranking = Ranking(), expects: AnswerType | None = None,
                   as_of: date | None = None, weights: dict[str, float] | None = None) -> list[Pick]:
    """For each hit, the sentence with the most question-term weight (ties go to the earlier sentence).

    A sentence's score mixes its passage's similarity to the question with its own term coverage (and,
    by `ranking.fused_weight`, its passage's fused retrieval score), plus its whole document's similarity
    and a recency prior relative to `as_of` (today when None); `ranking.answer_weight` is added when it
    offers the kind of answer the question `expects` (a number, a name). `weights` (default `terms`) are the
    terms' weights for that score (see `asked_terms`); a Pick's `coverage` is always by `terms`.
    """
    total = sum(terms.values()) or 1.0
    weights = weights or terms
    weight_total = sum(weights.values()) or 1.0
    coverage_share, fused_share, answer_bonus = ranking.coverage_weight, ranking.fused_weight, ranking.answer_weight
    top = max((h.score for h in hits), default=0.0) or 1.0
    as_of = as_of or date.today()
    spans = [list(h.sentences) or [(h.start, h.end)] for h in hits]
    texts = [h.text[s - h.start:e - h.start] for h, sp in zip(hits, spans) for s, e in sp]
    tokens = iter(lexical.terms(texts))  # one tokenizer call for all candidate sentences
    sentences = iter(texts)
    picks = []
    for hit, sp in zip(hits, spans):
        prior = ranking.document_weight * hit.document
        if ranking.recency_weight:
            prior += ranking.recency_weight * recency(hit.date, as_of, ranking.recency_half_life)
        best: Pick | None = None
        for s, e in sp:
            present, sentence = set(next(tokens)), next(sentences)
            coverage = sum(w for t, w in terms.items() if t in present) / total
            weighted = sum(w for t, w in weights.items() if t in present) / weight_total
            too_short = len(sentence.split()) < 5
            score = (hit.dense * (1 - coverage_share) + weighted * coverage_share + fused_share * hit.score / top
                     + prior - (0.1 if too_short else 0.0))
            if answer_bonus and expects and expects.offered_by(sentence):
                score += answer_bonus
            if best is None or score > best.score:
                best = Pick(s, e, coverage, score)
        picks.append(best)
    return picks


_FOCUS = re.compile(r"^\s*(?:\w+\s+){0,3}?(?:which|what)\s+((?:[\w’'-]+\s+){0,3}[\w’'-]+)", re.IGNORECASE)
_PAST = set("left won took made became went came got gave held led met ran saw sent set told wrote hit put cut lost "
             "paid built began broke brought bought chose drove fell fled flew found grew kept knew rose sold spent "
             "stood struck threw sank shot beat bore drew hid hung lay quit rang sought slid spoke stole swam "
             "taught tore wore".split())
_STOP_FOCUS = {"is", "was", "are", "were", "did", "does", "do", "has", "have", "will", "would", "can", "could", "the", "a"}


def focus_words(question: str) -> list[str]:
    """The words naming what a which/what question asks for ("which wildly popular show" → wildly popular show)."""
    m = _FOCUS.match(question)
    if not m:
        return []
    words = []
    for w in m.group(1).split():
        verb = w.lower() in _PAST or (w.lower().endswith("ed") and words)
        if w[:1].isupper() and not words:  # a name before the noun qualifies it ("which Russian warships")
            continue
        if w.lower() in _STOP_FOCUS or verb or w[:1].isupper():  # the verb or a name ends the phrase
            break
        words.append(w.lower())
    return words


# A sentence that goes on to name what the one before said generically ("… withdrew warships. In particular, the
# frigate …").
_ELABORATES = re.compile(r"\W*(?:in particular|specifically|namely|among them|these include|they (?:are|were|include))\b",
                         re.IGNORECASE)


def widen(doc_text: str, spans: list[tuple[int, int]], pick: tuple[int, int], focus: list[str]) -> tuple[int, int]:
    """Add the neighbouring sentence when the picked one names the answer only generically.

    "Netflix announced that the wildly popular show is green lit" answers "which show" only with the
    sentence before it ("“Squid Game” is officially coming back."): a definite "the … show" looks back,
    an indefinite "a new character" looks ahead, and so does any mention the next sentence elaborates
    ("In particular, …"). `spans` are the document's sentences in order.
    """
    if not focus:
        return pick
    sentence = doc_text[pick[0]:pick[1]].lower()
    noun = re.escape(focus[-1].rstrip("s"))
    m = re.search(rf"\b(the|this|that|its|their|his|her|a|an|another)\b(?:\s+[\w’'-]+){{0,4}}?\s+{noun}s?\b", sentence)
    if not m or re.match(r"\s*[\"“‘'(]?[A-Z]", doc_text[pick[0] + m.end():pick[1]]):
        return pick  # no generic mention, or the name follows it ("the cargo ship "Engineer Trubin"")
    i = spans.index(pick) if pick in spans else -1
    if i < 0:
        return pick
    ahead = m.group(1) in ("a", "an", "another") or (
        i + 1 < len(spans) and _ELABORATES.match(doc_text[spans[i + 1][0]:spans[i + 1][1]]))
    j = i + 1 if ahead else i - 1
    if not 0 <= j < len(spans):
        return pick
    return (min(spans[i][0], spans[j][0]), max(spans[i][1], spans[j][1]))


_DATELINE = re.compile(r"(?:[\w.,'’()-]+\s+){1,6}?[—–]\s+(?=[\"“‘]?[A-Z])")


def after_dateline(lede: str) -> int:
    """Where the lede's text starts after a dateline ("New York CNN Business — Prices at the pump…" → 26): the
    quote shows the report, its source and date are shown beside it."""
    m = _DATELINE.match(lede)
    return m.end() if m else 0
