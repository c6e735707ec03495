"""Do the answer's reports agree? Values stated for the same thing, compared across documents.

Each quote is read for what it counts ("30 people were killed" → 30 dead, "the death toll rose to 42" →
42 dead, "1,200 jobs" → 1200 job) and, when the question asks when, the dates it names ("on December 8"):
in the quote itself, or in the passage around it when the quote states nothing of that kind. A subject is
compared when the question is about it (its noun is in the question, or it is a casualty count, or a date
asked for by "when").

Two reports state a value for *the same thing* — and only then agree or differ — when all of these hold:

- **the values' sentences name nothing in common only if one of them names nothing**: two sentences that
  each name people, places, ships or events (capitalised words, less month and day names and title words
  such as "Hurricane") and share none of them are about different things ("the frigate Admiral Hryhorovych
  left Tartus on December 8" and "the tankers Sea Lark and Northern Star left Constanta on November 20");
- **close in time, or naming something in common**: reports published more than `MAX_DAYS_APART` days apart
  are of one story only when their sentences share a name (two Afghan earthquakes seven years apart are not);
- **one story**: their passages' vectors (the encoder the index was built with; stored, so nothing is
  encoded) are at least `ONE_STORY` alike — without vectors, their sentences or titles share a name.

Reports linked pairwise this way are grouped; a group giving different values *differs* (shown oldest first,
so the newest is last), one giving the same value *agrees*. A report that states several values for the
same thing ("rose from 30 to 42") is left out: it already tells a story. The thresholds were set on the
tuning part of `eval/differ.jsonl` and `scripts/eval_differ.py` scores the part held out (docs/quality.md).
One story's different things that share names ("42 dead in Lee County", "101 in Florida") can still be
set against each other: a known limit.
"""

from __future__ import annotations

import calendar
import re
from bisect import bisect_right
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np

from index.answer.timewords import MONTH, MONTHS
from index.text.words import singular
from index.types import Claim, Comparison, Quote

if TYPE_CHECKING:
    from index.answer.question import Question

ONE_STORY = 0.6  # passage cosine from which two reports tell one story (same-story pairs 0.66-0.94 on the tuning part)
TEXTS_KEPT = 4096  # passages whose counts and sentences are kept (a quote's passage is read by each comparison)
MAX_DAYS_APART = 60  # reports further apart than this must name something in common

_CASUALTY = {"dead": "dead", "death": "dead", "deaths": "dead", "killed": "dead", "killing": "dead", "died": "dead",
             "die": "dead",
             "fatalities": "dead", "toll": "dead", "lives": "dead", "bodies": "dead", "casualties": "dead",
             "injured": "injured", "wounded": "injured", "hurt": "injured", "injuries": "injured",
             "hospitalised": "injured", "hospitalized": "injured", "missing": "missing"}
_PEOPLE = frozenset("people persons civilians residents children adults soldiers troops workers passengers "
                    "others migrants victims miners students patients".split())
_SKIP = frozenset("more other additional further new confirmed reported some about around nearly almost over "
                  "least".split())
_UNITS = "zero one two three four five six seven eight nine".split()
_NUMBER_WORDS = {w: i for i, w in enumerate(_UNITS + "ten eleven twelve thirteen fourteen fifteen sixteen seventeen "
                                            "eighteen nineteen".split()) if i >= 2}
_NUMBER_WORDS |= {f"{tens}{f'-{unit}' if u else ''}": 10 * t + u
                  for t, tens in enumerate("twenty thirty forty fifty sixty seventy eighty ninety".split(), 2)
                  for u, unit in enumerate(_UNITS)}
_SCALE = {"hundred": 1e2, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
_DATE = re.compile(rf"\b{MONTH}\s+(\d{{1,2}})(?:st|nd|rd|th)?\b|\b(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{MONTH}",
                   re.IGNORECASE)
WEEKDAYS = frozenset(d.lower() for d in calendar.day_name)
_NAME = re.compile(r"\b[A-Z][\w’'-]*")
_COMMON = frozenset("hurricane storm tropical typhoon cyclone county city state province district island river "
                    "lake port sea north south east west northern southern eastern western gov governor president "
                    "minister ministry police department officials sheriff mr mrs ms dr st cnn ap reuters afp share "
                    "photos hide caption video".split())
_CLOCK, _CLOCK_BEFORE = re.compile(r":\d\d"), re.compile(r"\d:(?=\d)")
_STOPS = frozenset(".!?;")  # a sentence or clause ends: a count's words are not looked for past it
_TOKEN = re.compile(r"\$?\d+(?:,\d{3})*(?:\.\d+)?%?|[A-Za-z][\w’'-]*|[^\w\s]")
_ASKS_DATE = re.compile(r"\bwhen\b|\bwhat (?:date|day)\b|\bwhich (?:date|day)\b|\bon what day\b", re.IGNORECASE)
_ASKS_MONEY = re.compile(r"\bhow much\b|\bcost\b|\bprice\b|\bdollars?\b|\$", re.IGNORECASE)
_ASKS_PERCENT = re.compile(r"\bpercent(?:age)?\b|\brate\b|\bshare\b|%", re.IGNORECASE)


def _number(token: str) -> float | None:
    if token.casefold() in _NUMBER_WORDS:
        return float(_NUMBER_WORDS[token.casefold()])
    digits = token.lstrip("$").rstrip("%").replace(",", "")
    try:
        return float(digits)
    except ValueError:
        return None


def counts(text: str) -> list[tuple[str, float, int, int]]:
    """(subject, value, start, end) for each count in `text`: "30 people were killed" → ("dead", 30, ...)."""
    return [(subject, value, start, end) for subject, value, start, end, _ in _counts(text)]


@lru_cache(maxsize=TEXTS_KEPT)
def _counts(text: str) -> tuple[tuple[str, float, int, int, int], ...]:
    """`counts`, each with where its number itself is; kept per text (a passage is read again by every question
    that quotes it with another report)."""
    tokens = list(_TOKEN.finditer(text))
    words = [t.group(0) for t in tokens]
    lower = [w.casefold() for w in words]
    found: list[tuple[str, float, int, int, int]] = []
    for i, word in enumerate(words):
        value = _number(word)
        at = tokens[i]
        if value is None or _CLOCK.match(text, at.end()) or _CLOCK_BEFORE.match(text, max(at.start() - 2, 0)):
            continue  # not a number, or a time of day ("10:30")
        if i > 0 and lower[i - 1].rstrip(".") in MONTHS or i + 1 < len(words) and lower[i + 1].rstrip(".") in MONTHS:
            continue  # a day of a date
        if re.fullmatch(r"(?:19|20)\d\d", word):
            continue  # a year
        if i > 0 and lower[i - 1] == "magnitude" or i + 2 < len(words) and lower[i + 2] == "magnitude":
            continue  # a quake's magnitude ("a magnitude 7.0 earthquake", "a 7.4-magnitude quake")
        j = i + 1
        if j < len(words) and lower[j] in _SCALE:
            value *= _SCALE[lower[j]]
            j += 1
        while j < len(words) and lower[j] in _SKIP:
            j += 1
        subject, first, last = None, i, min(j, len(words) - 1)
        after = lower[j] if j < len(words) else ""
        if word.endswith("%") or word.startswith("$"):
            subject, last = ("percent" if word.endswith("%") else "dollars"), j - 1
        elif after in ("percent", "dollars", "usd"):
            subject = "percent" if after == "percent" else "dollars"
        elif after in _CASUALTY:
            subject = _CASUALTY[after]
        elif after in _PEOPLE:  # "30 people were killed", "killed at least 30 people"
            end = min(j + 5, len(words))
            ahead = next((k for k in range(j + 1, end) if words[k] in _STOPS), end)
            behind = next((k for k in range(i - 1, max(i - 7, -1), -1) if words[k] in _STOPS), max(i - 7, -1))
            near = [k for k in (*range(j + 1, ahead), *range(i - 1, behind, -1)) if lower[k] in _CASUALTY]
            subject = _CASUALTY[lower[near[0]]] if near else singular(after)
            if near:
                first, last = min(i, near[0]), max(j, near[0])
        elif after[:1].isalpha() and not words[j][:1].isupper() and after not in _stopwords():
            subject = singular(after)
        else:  # "the death toll rose to 42"
            back = next((k for k in range(i - 1, max(i - 11, -1), -1) if words[k] in _STOPS), max(i - 11, -1))
            hit = next((k for k in range(i - 1, back, -1) if lower[k] in _CASUALTY), None)
            if hit is not None:
                subject, first, last = _CASUALTY[lower[hit]], hit, i
        if i > 2 and (lower[i - 3], lower[i - 1]) == ("from", "to") and found and found[-1][4] == tokens[i - 2].start():
            subject = found[-1][0]  # "rose from 3 to 5": the second of one thing's two values
        if subject and after != "of":  # "two of them": a part of a count, not one
            found.append((subject, value, tokens[first].start(), tokens[last].end(), tokens[i].start()))
    return tuple(found)


def dates(text: str) -> list[tuple[str, float, int, int]]:
    """("date", month·100+day, start, end) for each day named in `text`, "on December 8" → ("date", 1208, ...)."""
    out = []
    for m in _DATE.finditer(text):
        month = MONTHS[(m.group(1) or m.group(4)).lower()]
        day = int(m.group(2) or m.group(3))
        if 1 <= day <= 31:
            out.append(("date", float(month * 100 + day), m.start(), m.end()))
    return out


def asked_subjects(question: Question) -> frozenset[str]:
    """The subjects a question is about."""
    words = question.words
    subjects = {singular(w) for w in words} | {_CASUALTY[w.casefold()] for w in words if w.casefold() in _CASUALTY}
    subjects |= {"dead", "injured", "missing"}  # casualty counts are what conflicting reports are about
    if _ASKS_DATE.search(question.text):
        subjects.add("date")
    if _ASKS_MONEY.search(question.text):
        subjects.add("dollars")
    if _ASKS_PERCENT.search(question.text):
        subjects.add("percent")
    return frozenset(subjects)


@dataclass(frozen=True)
class _Stated:
    """One value a report states for a subject, read in the sentence that states it."""

    quote: Quote
    value: float
    written: str
    start: int  # `written` in its document's text
    end: int
    words: str  # the value's own words: its sentence, up to the values before and after it there
    chunk_id: int
    opens: bool  # `words` begin their sentence (whose first word is capitalised whatever it is)


def _names(text: str, opens: bool = True) -> frozenset[str]:
    """The names `text` mentions: its capitalised words (past the first when it opens a sentence), less month
    and day names and words capitalised as titles are ("Hurricane", "County"), casefolded ("hryhorovych")."""
    out = set()
    for m in _NAME.finditer(text):
        if opens and not text[:m.start()].strip(" \"'“‘(«"):
            continue  # the sentence's first word is capitalised whatever it is
        for part in m.group(0).split("-"):
            w = re.sub(r"['’]s$", "", part).casefold()
            if len(w) > 1 and w[:1].isalpha() and w not in _stopwords() and w not in MONTHS and w not in _COMMON \
                    and w not in WEEKDAYS:
                out.add(w)
    return frozenset(out)


@lru_cache(maxsize=1)
def _stopwords() -> frozenset[str]:
    from bm25s.stopwords import STOPWORDS_EN_PLUS  # the list the lexical index and follow-ups use

    return frozenset(STOPWORDS_EN_PLUS)


def _days_apart(a: Quote, b: Quote) -> int | None:
    try:
        return abs((date.fromisoformat(a.date) - date.fromisoformat(b.date)).days) if a.date and b.date else None
    except ValueError:
        return None


def same_thing(a: _Stated, b: _Stated, vectors: Mapping[int, np.ndarray] | None = None) -> bool:
    """Whether two reports' values for one subject are about the same thing (see the module's rule)."""
    names_a, names_b = _names(a.words, a.opens), _names(b.words, b.opens)
    shared = names_a & names_b
    if names_a and names_b and not shared:
        return False  # each attaches its value to something the other never names
    gap = _days_apart(a.quote, b.quote)
    if gap is not None and gap > MAX_DAYS_APART and not shared:
        return False  # far apart in time, nothing named in common: another story of the same kind
    va, vb = (vectors or {}).get(a.chunk_id), (vectors or {}).get(b.chunk_id)
    if va is not None and vb is not None:
        return float(np.dot(va, vb)) >= ONE_STORY
    titles = _names(a.quote.title) & _names(b.quote.title)
    return bool(shared or titles)


def _stated(quote: Quote, passages: Mapping[int, tuple[int, str]], asked: frozenset[str]) -> dict[str, list[_Stated]]:
    """What `quote` states for each asked subject: read in the quote itself, or in its passage around it when
    the quote states no asked value at all (the figure is often in the sentence after the lead)."""
    offset, text = passages.get(quote.chunk_id, (quote.start, quote.text))
    if quote.text not in text:
        offset, text = quote.start, quote.text
    at = text.find(quote.text)
    spans = _sentences(text)
    out: dict[str, list[tuple[bool, _Stated]]] = {}
    values = sorted([*_counts(text)] + [(*d, d[2]) for d in (dates(text) if "date" in asked else [])],
                    key=lambda v: v[4])
    starts = [x for x, _ in spans]
    for n, (subject, value, s, e, here) in enumerate(values):
        if subject in asked:
            s0, e0 = spans[max(bisect_right(starts, here) - 1, 0)]
            # the value's own words: its sentence, up to the numbers before and after it there
            cut = max(s0, values[n - 1][4]) if n else s0
            e0 = min(e0, values[n + 1][4]) if n + 1 < len(values) and values[n + 1][4] > here else e0
            inside = at <= s < at + len(quote.text)
            out.setdefault(subject, []).append((inside, _Stated(quote, value, text[s:e], offset + s, offset + e,
                                                                text[cut:e0], quote.chunk_id, cut == s0)))
    if any(inside for found in out.values() for inside, _ in found):
        return {subject: [x for inside, x in found if inside] for subject, found in out.items()
                if any(inside for inside, _ in found)}
    return {subject: [x for _, x in found] for subject, found in out.items()}


@lru_cache(maxsize=TEXTS_KEPT)
def _sentences(text: str) -> tuple[tuple[int, int], ...]:
    from index.text.split import split_sentences

    return tuple(split_sentences(text, 0, len(text)) or [(0, len(text))])


def compare(quotes: Sequence[Quote], question: Question, passages: Mapping[int, tuple[int, str]] | None = None,
            vectors: Mapping[int, np.ndarray] | None = None) -> list[Comparison]:
    """What the quoted reports (two or more documents) state differently, or alike, about the same thing.

    `passages` (chunk id → (start offset, text)) widens each quote to the passage it was picked from;
    `vectors` (chunk id → unit vector of that passage) tells whether two reports tell one story. Each claim's
    `start`/`end` point into its document's text; its attribution is the quote's until the caller, who holds
    the documents, attributes the claim itself.
    """
    if len({q.doc_id for q in quotes}) < 2:
        return []
    asked = asked_subjects(question)
    by_subject: dict[str, dict[str, list[_Stated]]] = {}  # subject → document → what it states
    for quote in quotes:
        for subject, found in _stated(quote, passages or {}, asked).items():
            by_subject.setdefault(subject, {}).setdefault(quote.doc_id, []).extend(found)
    out = []
    for subject, by_doc in by_subject.items():
        # A report stating several values for one thing ("rose from 30 to 42") already tells a story: left out.
        single = [found[0] for found in by_doc.values() if len({x.value for x in found}) == 1]
        for group in _groups(single, vectors):
            claims = sorted((Claim(x.written, x.start, x.end, doc_id=x.quote.doc_id, date=x.quote.date,
                                   source=x.quote.source, title=x.quote.title, attribution=x.quote.attribution)
                             for x in group), key=lambda c: (c.date or "9999-99-99", c.source))
            verdict = "agree" if len({x.value for x in group}) == 1 else "differ"
            out.append(Comparison(subject, verdict, tuple(claims)))
    return sorted(out, key=lambda c: (c.verdict != "differ", c.subject))


def _groups(stated: list[_Stated], vectors: Mapping[int, np.ndarray] | None) -> list[list[_Stated]]:
    """The reports that state a value for the same thing, two or more to a group (linked pairs, joined)."""
    group = list(range(len(stated)))

    def root(i: int) -> int:
        while group[i] != i:
            i = group[i]
        return i

    for i in range(len(stated)):
        for j in range(i + 1, len(stated)):
            if root(i) != root(j) and same_thing(stated[i], stated[j], vectors):
                group[root(j)] = root(i)
    members: dict[int, list[_Stated]] = {}
    for i, x in enumerate(stated):
        members.setdefault(root(i), []).append(x)
    return [m for m in members.values() if len(m) > 1]
