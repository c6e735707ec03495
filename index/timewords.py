"""Time words in a question ("this week", "yesterday", "on December 8", "in November") as date bounds."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

_MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_name) if m}
_MONTHS.update({m.lower(): i for i, m in enumerate(calendar.month_abbr) if m})
_WEEKDAYS = [d.lower() for d in calendar.day_name]  # monday first, like date.weekday()
_MONTH = "(" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"


@dataclass(frozen=True)
class TimeWindow:
    """Dates a question points at; `vague` windows ("recently") are a preference, not a bound."""

    since: date
    until: date
    phrase: str
    vague: bool = False


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _latest(as_of: date, month: int, day: int | None = None) -> date:
    """The most recent date with this month (and day) on or before `as_of`."""
    year = as_of.year
    while True:
        try:
            d = date(year, month, day or 1)
        except ValueError:  # Feb 29 in a common year
            year -= 1
            continue
        if d <= as_of:
            return d
        year -= 1


def resolve(question: str, as_of: date) -> TimeWindow | None:
    """The window the question's time words name, relative to `as_of`; None when it names none."""
    q = question.lower()

    def window(since: date, until: date, phrase: str, vague: bool = False) -> TimeWindow:
        return TimeWindow(since, min(until, as_of), phrase, vague)

    if m := re.search(rf"\b(?:on |since )?{_MONTH} (\d{{1,2}})(?:st|nd|rd|th)?(?:,? (\d{{4}}))?\b", q):
        month, day = _MONTHS[m.group(1)], int(m.group(2))
        if 1 <= day <= 31:
            try:
                d = date(int(m.group(3)), month, day) if m.group(3) else _latest(as_of, month, day)
            except ValueError:
                d = None
            if d:  # reports of a day's events come that day or in the days after
                return window(d, d + timedelta(days=7), m.group(0).strip())
    if m := re.search(rf"\b(?:in|during|since|this|last) {_MONTH}(?: (\d{{4}}))?\b", q):
        month = _MONTHS[m.group(1)]
        start = date(int(m.group(2)), month, 1) if m.group(2) else _latest(as_of, month, 1)
        return window(start, _month_end(start.year, start.month) + timedelta(days=7), m.group(0))
    if m := re.search(r"\bin (19|20)(\d\d)\b", q):
        year = int(m.group(1) + m.group(2))
        return window(date(year, 1, 1), date(year, 12, 31), m.group(0))
    if m := re.search(rf"\b(?:(last|past) )?({'|'.join(_WEEKDAYS)})\b", q):
        d = as_of - timedelta(days=(as_of.weekday() - _WEEKDAYS.index(m.group(2))) % 7)
        if m.group(1) and d == as_of:  # "last Thursday", asked on a Thursday
            d -= timedelta(days=7)
        return window(d - timedelta(days=1), d + timedelta(days=7), m.group(0))  # a day early: time zones
    if m := re.search(r"\b(\d{1,2}|a|one|two|three) (day|week|month)s? ago\b", q):
        n = {"a": 1, "one": 1, "two": 2, "three": 3}.get(m.group(1)) or int(m.group(1))
        days = n * {"day": 1, "week": 7, "month": 30}[m.group(2)]
        slack = max(1, days // 4)
        return window(as_of - timedelta(days=days + slack), as_of - timedelta(days=days - slack), m.group(0))
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
            return window(as_of - timedelta(days=back), as_of, m.group(0))
    if m := re.search(r"\b(recent(ly)?|lately|latest|newly|just)\b", q):
        return window(as_of - timedelta(days=31), as_of, m.group(0), vague=True)
    return None
