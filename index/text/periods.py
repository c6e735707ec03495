"""A business period's shorthand written out as reports write it: "Q3 2023" → "third quarter of 2023", "FY24" →
"fiscal 2024", "H1" → "first half".

A question asks "Why did Norvale cut its forecast after Q3 2023?"; the trading update says "in the third quarter".
Read as written, "Q3" is a name the corpus never mentions, and the question is refused. Only the shorthand is
rewritten: a quarter or half followed by a year, or after a word that sets a period ("in Q3", "for the H1"); a model
("Audi Q3") or a strain ("H1N1") is left alone. "FY" with a year is a fiscal year in any context."""

from __future__ import annotations

import re

_ORDINALS = {"1": "first", "2": "second", "3": "third", "4": "fourth"}
_YEAR = r"(?:(?:19|20)\d\d|'?\d\d)\b"  # 2023, 1999, '23, 23
_PREPOSITIONS = ("in", "for", "during", "after", "before", "since", "until", "by", "of", "from", "through")
_SETS = "(?:%s)" % "|".join(_PREPOSITIONS + ("the", "last", "this", "next", "a", "its", "their", "each", "every"))
_PERIOD = re.compile(
    rf"\b(?:(?P<lead>{_SETS}) )?(?:[Qq](?P<qn>[1-4])|(?P<qn2>[1-4])[Qq]|(?P<h>[Hh])(?P<hn>[12]))"
    rf"(?:[ -](?P<year>{_YEAR})|(?P<short>'?\d\d)\b)?(?![\w-])")
_NAMED_BEFORE = re.compile(r"\b[A-Z][\w-]* $")  # a capitalised word just before: "Audi Q3"
_FISCAL = re.compile(rf"\bFY ?(?P<year>{_YEAR})", re.IGNORECASE)


def _year(text: str) -> str:
    digits = text.lstrip("'")
    return digits if len(digits) == 4 else f"20{digits}"


def _period(m: re.Match) -> str:
    year, lead = m.group("year") or m.group("short"), m.group("lead")
    named = _NAMED_BEFORE.search(m.string, max(0, m.start() - 40), m.start())  # (a window: linear in the text)
    if not lead and (not year or named):
        return m.group(0)  # "What is Q3?", "Audi Q3", "the Audi Q3 2024": not a period
    n = m.group("qn") or m.group("qn2") or m.group("hn")
    name = f"{_ORDINALS[n]} {'half' if m.group('h') else 'quarter'}"
    lead = f"{lead} the " if lead in _PREPOSITIONS else f"{lead} " if lead else ""
    return f"{lead}{name} of {_year(year)}" if year else f"{lead}{name}"


def spelled_out(text: str) -> str:
    """`text` with its quarters, halves and fiscal years written out (linear in its length)."""
    if not re.search(r"[QqHh][1-4]|[1-4][Qq]|FY", text, re.IGNORECASE):
        return text
    text = _FISCAL.sub(lambda m: f"fiscal {_year(m.group('year'))}", text)
    return _PERIOD.sub(_period, text)
