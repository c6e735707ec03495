"""Digest schedules: a time of day in a timezone on some weekdays, and which slot is due (pure; no discord).

A slot is one scheduled instant (UTC). After downtime only the latest missed slot is due — one digest,
not one per missed slot — and a slot at or before the last one posted is never due again.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from datetime import date, datetime, time, timedelta, timezone
from typing import Sequence
from zoneinfo import ZoneInfo, available_timezones

from index.errors import NewsdeskError

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
EVERY_DAY = frozenset(range(7))
_WORKDAYS, _WEEKEND = frozenset(range(5)), frozenset({5, 6})
_NAMED = {"daily": EVERY_DAY, "everyday": EVERY_DAY, "all": EVERY_DAY, "weekdays": _WORKDAYS, "weekday": _WORKDAYS,
          "weekends": _WEEKEND, "weekend": _WEEKEND,
          # as a Ukrainian or Russian desk writes them
          "щодня": EVERY_DAY, "щоденно": EVERY_DAY, "будні": _WORKDAYS, "вихідні": _WEEKEND,
          "ежедневно": EVERY_DAY, "каждыйдень": EVERY_DAY, "будни": _WORKDAYS, "выходные": _WEEKEND}
_DAY = {name: i for i, day in enumerate(("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"))
        for name in (day, day[:3])} | {"tues": 1, "thur": 3, "thurs": 3} | {
    # Ukrainian and Russian: the day and its two-letter abbreviation
    name: i for days in (("понеділок пн", "вівторок вт", "середа ср", "четвер чт", "п'ятниця пт", "субота сб",
                          "неділя нд"),
                         ("понедельник пн", "вторник вт", "среда ср", "четверг чт", "пятница пт", "суббота сб",
                          "воскресенье вс"))
    for i, both in enumerate(days) for name in both.split()}
_TIME = re.compile(r"^\s*([01]?\d|2[0-3]):([0-5]\d)\s*$")
_RANGE = re.compile(r"\s*[-\u2010-\u2015]\s*")  # "mon - fri", "Mon–Fri" (an en dash: what phones type for "--")
_LIST = re.compile(r"(?:[\s,&/+]|\b(?:and|і|та|и)\b)+")  # "mon,wed,fri", "Sat & Sun", "Mon, Wed and Fri", "пн і ср"


class ScheduleError(NewsdeskError):
    """A time, timezone or weekday list that can't be scheduled; the message says what is expected, `kind` which
    it was ("time", "timezone", "weekdays", "no weekdays") and `value` as written (bot/words.py says it again)."""

    def __init__(self, message: str, kind: str, value: str = "") -> None:
        super().__init__(message)
        self.kind, self.value = kind, value


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


def parse_time(text: str) -> time:
    m = _TIME.match(text or "")
    if not m:
        raise ScheduleError(f"{text!r} is not a time: use 24-hour HH:MM, e.g. 09:00 or 17:30", "time", text or "")
    return time(int(m.group(1)), int(m.group(2)))


def parse_timezone(name: str) -> ZoneInfo:
    """The zone named `name` in any letter case ("europe/kyiv"), its key spelled as the tz database does."""
    name = (name or "").strip()
    if name.upper() == "UTC":
        return ZoneInfo("UTC")
    key = _zone_keys().get(name.casefold()) if "/" in name else None
    if key is None:  # nor paths ("../../etc/passwd") or the leap-second "right/" copies, which run 27 s off
        raise ScheduleError(f"{name!r} is not a timezone: use Area/City, e.g. Europe/Paris or "
                            "America/New_York", "timezone", name)
    return ZoneInfo(key)


@cache
def _zone_keys() -> dict[str, str]:
    """Every zone the tz database has, by its case-folded name (read once: it walks the zoneinfo folders)."""
    return {key.casefold(): key for key in available_timezones()}


def timezone_names() -> list[str]:
    return sorted(n for n in _zone_keys().values() if "/" in n and not n.startswith(("Etc/", "SystemV/")))


def parse_weekdays(text: str | None) -> frozenset[int]:
    """"mon-fri", "mon,wed,fri", "mon wed fri", "sat-sun", "fri-mon" (wraps), "daily", "weekdays", "weekends", and
    the same in Ukrainian or Russian ("пн-пт", "будні", "щодня"); 0 = Monday."""
    raw = _RANGE.sub("-", (text or "daily").strip().casefold().replace("’", "'").replace("ʼ", "'"))
    if (named := raw.replace(" ", "")) in _NAMED:
        return _NAMED[named]
    days: set[int] = set()
    for part in filter(None, _LIST.split(raw)):
        ends = part.split("-")
        idx = [_DAY[e] for e in ends if e in _DAY]
        if len(idx) != len(ends) or len(idx) not in (1, 2):
            raise ScheduleError(f"{text!r} is not a list of weekdays: use e.g. mon-fri, mon,wed,fri or daily",
                                "weekdays", str(text))
        first, last = idx[0], idx[-1]
        days.update((first + i) % 7 for i in range((last - first) % 7 + 1))
    if not days:
        raise ScheduleError("no weekdays given: use e.g. mon-fri or daily", "no weekdays")
    return frozenset(days)


def format_weekdays(days: frozenset[int], names: Sequence[str] = WEEKDAYS, daily: str = "daily") -> str:
    """"mon-fri", "mon,wed,fri", "daily": in `names` (Monday first) and `daily` when given (a desk's own words)."""
    if days == EVERY_DAY:
        return daily
    runs, ordered = [], sorted(days)
    start = prev = ordered[0]
    for d in ordered[1:] + [None]:
        if d is not None and d == prev + 1:
            prev = d
            continue
        runs.append(names[start] if start == prev else f"{names[start]}-{names[prev]}")
        if d is not None:
            start = prev = d
    return ",".join(runs)


@dataclass(frozen=True)
class Schedule:
    """At `at` local time in `tz` on `weekdays` (0 = Monday)."""

    at: time
    tz: str
    weekdays: frozenset[int] = EVERY_DAY

    @classmethod
    def parse(cls, at: str, tz: str, weekdays: str | None = None) -> "Schedule":
        return cls(parse_time(at), parse_timezone(tz).key, parse_weekdays(weekdays))

    def describe(self, names: Sequence[str] = WEEKDAYS, daily: str = "daily") -> str:
        """"09:00 Europe/Kyiv (mon-fri)", the weekdays in `names` and `daily` (format_weekdays)."""
        return f"{self.at:%H:%M} {self.tz} ({format_weekdays(self.weekdays, names, daily)})"

    def _slot_on(self, day: date) -> datetime | None:
        if day.weekday() not in self.weekdays:
            return None
        # A time skipped by a DST change runs at the same offset as before it (fold=0): once, an hour later.
        return datetime.combine(day, self.at, tzinfo=ZoneInfo(self.tz)).astimezone(timezone.utc)

    def latest_slot(self, now: datetime) -> datetime | None:
        """The last slot at or before `now` (within the past 8 days)."""
        local = now.astimezone(ZoneInfo(self.tz)).date()
        for back in range(9):
            slot = self._slot_on(local - timedelta(days=back))
            if slot is not None and slot <= now:
                return slot
        return None

    def next_slot(self, now: datetime) -> datetime:
        """The first slot after `now`."""
        local = now.astimezone(ZoneInfo(self.tz)).date()
        for ahead in range(9):
            slot = self._slot_on(local + timedelta(days=ahead))
            if slot is not None and slot > now:
                return slot
        raise AssertionError("a schedule has at least one weekday")

    def previous_slot(self, slot: datetime) -> datetime | None:
        """The slot before `slot`."""
        return self.latest_slot(slot - timedelta(seconds=1))


def due_slot(schedule: Schedule, now: datetime, *, last_slot: datetime | None, since: datetime) -> datetime | None:
    """The slot to post now, if any: the latest slot at or before `now` that is after both the last slot
    posted and `since` (when the subscription was made). Missed slots before it are never posted."""
    slot = schedule.latest_slot(now)
    if slot is None or slot <= since or (last_slot is not None and slot <= last_slot):
        return None
    return slot


TICK_SECONDS = 30.0  # how often the bot looks for due digests; tests shorten it
