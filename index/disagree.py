"""Do the answer's reports agree? Counts and dates stated for the same thing, compared across documents.

Each quote is read for what it counts ("30 people were killed" → 30 dead, "the death toll rose to 42" →
42 dead, "1,200 jobs" → 1200 job) and, when the question asks when, the dates it names ("on December 8").
A thing is compared when the question is about it (its noun is in the question, or it is a casualty
count, or a date asked for by "when"): reports giving different values *differ* (shown oldest first,
so the newest is last); two or more giving the same value *agree*. A report that states several values
for the same thing ("rose from 30 to 42") is left out of that comparison: it already tells a story.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from .timewords import MONTH, MONTHS
from .types import Claim, Comparison, Quote

_CASUALTY = {"dead": "dead", "death": "dead", "deaths": "dead", "killed": "dead", "died": "dead", "die": "dead",
             "fatalities": "dead", "toll": "dead", "lives": "dead", "bodies": "dead", "casualties": "dead",
             "injured": "injured", "wounded": "injured", "hurt": "injured", "injuries": "injured",
             "hospitalised": "injured", "hospitalized": "injured", "missing": "missing"}
_PEOPLE = frozenset("people persons civilians residents children adults soldiers troops workers passengers "
                    "others migrants victims miners students patients".split())
_SKIP = frozenset("more other additional further new confirmed reported some about around nearly almost over "
                  "least".split())
_NUMBER_WORDS = {w: i for i, w in enumerate("zero one two three four five six seven eight nine ten eleven twelve "
                                            "thirteen fourteen fifteen sixteen seventeen eighteen nineteen twenty"
                                            .split()) if i >= 2}
_SCALE = {"hundred": 1e2, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
_DATE = re.compile(rf"\b{MONTH}\s+(\d{{1,2}})(?:st|nd|rd|th)?\b|\b(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{MONTH}",
                   re.IGNORECASE)
_TOKEN = re.compile(r"\$?\d+(?:,\d{3})*(?:\.\d+)?%?|[A-Za-z][\w’'-]*|[^\w\s]")
_ASKS_DATE = re.compile(r"\bwhen\b|\bwhat (?:date|day)\b|\bwhich (?:date|day)\b|\bon what day\b", re.IGNORECASE)
_ASKS_MONEY = re.compile(r"\bhow much\b|\bcost\b|\bprice\b|\bdollars?\b|\$", re.IGNORECASE)
_ASKS_PERCENT = re.compile(r"\bpercent(?:age)?\b|\brate\b|\bshare\b|%", re.IGNORECASE)


def _base(word: str) -> str:
    w = word.casefold().replace("’", "'")
    w = re.sub(r"'s$", "", w)
    return w[:-1] if len(w) > 3 and w.endswith("s") and not w.endswith("ss") else w


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
    tokens = list(_TOKEN.finditer(text))
    words = [t.group(0) for t in tokens]
    lower = [w.casefold() for w in words]
    found = []
    for i, word in enumerate(words):
        value = _number(word)
        if value is None or i + 1 < len(words) and words[i + 1] == ":" or i > 0 and words[i - 1] == ":":
            continue  # not a number, or a time of day
        if i > 0 and lower[i - 1].rstrip(".") in MONTHS or i + 1 < len(words) and lower[i + 1].rstrip(".") in MONTHS:
            continue  # a day of a date
        if re.fullmatch(r"(?:19|20)\d\d", word):
            continue  # a year
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
            near = [k for k in (*range(j + 1, min(j + 5, len(words))), *range(i - 1, max(i - 5, -1), -1))
                    if lower[k] in _CASUALTY]
            subject = _CASUALTY[lower[near[0]]] if near else _base(after)
            if near:
                first, last = min(i, near[0]), max(j, near[0])
        elif after[:1].isalpha() and not words[j][:1].isupper():
            subject = _base(after)
        else:  # "the death toll rose to 42"
            hit = next((k for k in range(i - 1, max(i - 7, -1), -1) if lower[k] in _CASUALTY), None)
            if hit is not None:
                subject, first, last = _CASUALTY[lower[hit]], hit, i
        if subject:
            found.append((subject, value, tokens[first].start(), tokens[last].end()))
    return found


def dates(text: str) -> list[tuple[str, float, int, int]]:
    """("date", month·100+day, start, end) for each day named in `text`, "on December 8" → ("date", 1208, ...)."""
    out = []
    for m in _DATE.finditer(text):
        month = MONTHS[(m.group(1) or m.group(4)).lower()]
        day = int(m.group(2) or m.group(3))
        if 1 <= day <= 31:
            out.append(("date", float(month * 100 + day), m.start(), m.end()))
    return out


def _asked(question: str) -> set[str]:
    """The subjects a question is about."""
    words = re.findall(r"[\w’'-]+", question)
    subjects = {_base(w) for w in words} | {_CASUALTY[w.casefold()] for w in words if w.casefold() in _CASUALTY}
    subjects |= {"dead", "injured", "missing"}  # casualty counts are what conflicting reports are about
    if _ASKS_DATE.search(question):
        subjects.add("date")
    if _ASKS_MONEY.search(question):
        subjects.add("dollars")
    if _ASKS_PERCENT.search(question):
        subjects.add("percent")
    return subjects


def compare(quotes: Sequence[Quote], question: str,
            passages: Mapping[int, tuple[int, str]] | None = None) -> list[Comparison]:
    """What the quoted reports (two or more documents) state differently, or alike, about the question.

    `passages` (chunk id → (start offset, text)) widens each quote to the passage it was picked from.
    Each claim's `start`/`end` point into its document's text; its attribution is the quote's until the
    caller, who holds the documents, attributes the claim itself.
    """
    if len({q.doc_id for q in quotes}) < 2:
        return []
    passages = passages or {}
    asked = _asked(question)
    stated: dict[str, dict[str, tuple[Quote, dict[float, tuple[str, int, int]]]]] = {}  # subject → doc → values
    for quote in quotes:
        offset, text = passages.get(quote.chunk_id, (quote.start, quote.text))
        if quote.text not in text:
            offset, text = quote.start, quote.text
        for subject, value, s, e in counts(text) + (dates(text) if "date" in asked else []):
            if subject in asked:
                _, values = stated.setdefault(subject, {}).setdefault(quote.doc_id, (quote, {}))
                values.setdefault(value, (text[s:e], offset + s, offset + e))
    out = []
    for subject, by_doc in stated.items():
        single = {d: (q, vals) for d, (q, vals) in by_doc.items() if len(vals) == 1}
        if len(single) < 2:
            continue
        claims = sorted(
            (Claim(*next(iter(vals.values())), doc_id=d, date=q.date, source=q.source, title=q.title,
                   attribution=q.attribution) for d, (q, vals) in single.items()),
            key=lambda c: (c.date or "9999-99-99", c.source))
        values = {next(iter(vals)) for _, vals in single.values()}
        out.append(Comparison(subject, "agree" if len(values) == 1 else "differ", tuple(claims)))
    return sorted(out, key=lambda c: (c.verdict != "differ", c.subject))
