"""Time words in a question ("this week", "yesterday", "on December 8", "in November") as date bounds."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

# month name or abbreviation (lower case) → its number; MONTH, a regex group matching one (also disagree.py)
MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_name) if m}
MONTHS.update({m.lower(): i for i, m in enumerate(calendar.month_abbr) if m})
_WEEKDAYS = [d.lower() for d in calendar.day_name]  # monday first, like date.weekday()
MONTH = "(" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"


@dataclass(frozen=True)
class TimeWindow:
    """Dates a question points at; `vague` windows ("recently") are a preference, not a bound."""

    since: date
    until: date
    phrase: str
    vague: bool = False


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _shift(d: date, days: int) -> date:
    """`d` moved by `days`, held within the calendar (year 1 to 9999) instead of overflowing."""
    try:
        return d + timedelta(days=days)
    except OverflowError:
        return date.max if days > 0 else date.min


def _date(year: int, month: int, day: int) -> date | None:
    """The date, or None when there is no such day (Feb 30, year 0 or 10000)."""
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _latest(as_of: date, month: int, day: int | None = None) -> date | None:
    """The most recent date with this month (and day) on or before `as_of`; None before year 1."""
    for year in range(as_of.year, max(0, as_of.year - 8), -1):  # Feb 29 recurs within 8 years
        d = _date(year, month, day or 1)
        if d and d <= as_of:
            return d
    return None


def resolve(question: str, as_of: date) -> TimeWindow | None:
    """The window the question's time words name, relative to `as_of`; None when it names none."""
    q = question.lower()

    def window(since: date, until: date, phrase: str, vague: bool = False) -> TimeWindow:
        return TimeWindow(since, min(until, as_of), phrase, vague)

    if m := re.search(rf"\b(?:on |since )?{MONTH} (\d{{1,2}})(?:st|nd|rd|th)?(?:,? (\d{{4}}))?\b", q):
        month, day = MONTHS[m.group(1)], int(m.group(2))
        d = _date(int(m.group(3)), month, day) if m.group(3) else _latest(as_of, month, day)
        if d:  # reports of a day's events come that day or in the days after
            return window(d, _shift(d, 7), m.group(0).strip())
    if m := re.search(rf"\b(?:in|during|since|this|last) {MONTH}(?: (\d{{4}}))?\b", q):
        month = MONTHS[m.group(1)]
        start = _date(int(m.group(2)), month, 1) if m.group(2) else _latest(as_of, month, 1)
        if start:
            return window(start, _shift(_month_end(start.year, start.month), 7), m.group(0))
    if m := re.search(r"\bin (19|20)(\d\d)\b", q):
        year = int(m.group(1) + m.group(2))
        return window(date(year, 1, 1), date(year, 12, 31), m.group(0))
    if m := re.search(rf"\b(?:(last|past) )?({'|'.join(_WEEKDAYS)})\b", q):
        d = _shift(as_of, -((as_of.weekday() - _WEEKDAYS.index(m.group(2))) % 7))
        if m.group(1) and d == as_of:  # "last Thursday", asked on a Thursday
            d = _shift(d, -7)
        return window(_shift(d, -1), _shift(d, 7), m.group(0))  # a day early: time zones
    if m := re.search(r"\b(\d{1,2}|a|one|two|three) (day|week|month)s? ago\b", q):
        n = {"a": 1, "one": 1, "two": 2, "three": 3}.get(m.group(1)) or int(m.group(1))
        days = n * {"day": 1, "week": 7, "month": 30}[m.group(2)]
        slack = max(1, days // 4)
        return window(_shift(as_of, -(days + slack)), _shift(as_of, -(days - slack)), m.group(0))
    fixed = [
        (r"\btoday\b|\bthis morning\b|\btonight\b", 0, 0),
        (r"\byesterday\b|\blast night\b", 1, 0),
        (r"\bthis week(end)?\b|\bpast week\b|\bthe week\b", 7, 0),
        (r"\blast week(end)?\b|\bpast (two|2) weeks\b", 14, 0),
        (r"\bthis month\b|\bpast month\b", 31, 0),
        (r"\blast month\b", 62, 0),
        (r"\bthis year\b|\bpast year\b", 366, 0),
    ]
    for pattern, back, _ in fixed:
        if m := re.search(pattern, q):
            return window(_shift(as_of, -back), as_of, m.group(0))
    if m := re.search(r"\b(recent(ly)?|lately|latest|newest|newly|just|now|currently|nowadays|these days|"
                      r"at the moment|at present|so far|to date)\b", q):
        return window(_shift(as_of, -31), as_of, m.group(0), vague=True)
    return None
