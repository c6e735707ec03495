"""Time words in a question ("this week", "yesterday", "on December 8", "in November") as date bounds, in English,
Ukrainian ("цього тижня", "8 грудня", "в понеділок") and Russian ("на прошлой неделе", "8 декабря")."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

from index.text.words import CYRILLIC

# month name or abbreviation (lower case) → its number; MONTH, a regex group matching one (also disagree.py)
MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_name) if m}
MONTHS.update({m.lower(): i for i, m in enumerate(calendar.month_abbr) if m})
_WEEKDAYS = [d.lower() for d in calendar.day_name]  # monday first, like date.weekday()
# A weekday naming a kind of thing, not a day: "Sunday hours", "Sunday service", "the Sunday Times".
_NOT_A_DAY = (r"(?!\s+(?:hours?|service|services|school|schools|trading|opening|openings|closures?|closing|shifts?|"
              r"editions?|papers?|newspaper|times|markets?|league|mass|sermon|roast|brunch|schedules?|timetable|"
              r"collections?|deliver(?:y|ies)|pickups?|comics|magazine|supplement|specials?|best)\b)")
# A named day is no weekday of last week: "Black Friday", "Cyber Monday", "Easter Sunday".
_NAMED_DAY = "".join(f"(?<!{w} )" for w in "black good cyber super ash easter palm bloody".split())
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


def _day_window(window, as_of: date, month: int, day: int, year: str | None, phrase: str) -> TimeWindow | None:
    """"On December 8" (the latest one up to `as_of` without a year): reports of a day's events come that day or
    in the week after. A day the month lacks is read as the month."""
    d = _date(int(year), month, day) if year else _latest(as_of, month, day)
    if d is None:  # a day its month does not have ("February 30, 2024"): the month it names, in its year
        return _month_window(window, as_of, month, year, phrase)
    return window(d, _shift(d, 7), phrase)


def _month_window(window, as_of: date, month: int, year: str | None, phrase: str) -> TimeWindow | None:
    """"In March" (the latest one up to `as_of` without a year), and the week after it."""
    start = _date(int(year), month, 1) if year else _latest(as_of, month, 1)
    return window(start, _shift(_month_end(start.year, start.month), 7), phrase) if start else None


# Month names as Ukrainian and Russian write them after a day ("8 грудня", "8 декабря") and after "in" ("у грудні",
# "в декабре"), each list January first.
_GENITIVE = ("січня лютого березня квітня травня червня липня серпня вересня жовтня листопада грудня".split(),
             "января февраля марта апреля мая июня июля августа сентября октября ноября декабря".split())
_LOCATIVE = ("січні лютому березні квітні травні червні липні серпні вересні жовтні листопаді грудні".split(),
             "январе феврале марте апреле мае июне июле августе сентябре октябре ноябре декабре".split())
_MONTH_OF = {w: i + 1 for names in _GENITIVE + _LOCATIVE for i, w in enumerate(names)}
_DAY_MONTH = "|".join(w for names in _GENITIVE for w in names)
_IN_MONTH = "|".join(w for names in _LOCATIVE for w in names)
# Weekdays after "in"/"on" (accusative), Monday first: "в понеділок", "у п'ятницю", "во вторник", "в пятницу"
_WEEKDAY_OF = {w: i for names in ("понеділок вівторок середу четвер п'ятницю суботу неділю".split(),
                                  "понедельник вторник среду четверг пятницу субботу воскресенье".split())
               for i, w in enumerate(names)}
_LAST = r"(?:минулого|минулої|минулий|минулу|прошлый|прошлую|прошлое|прошлого|прошлой)"
_UNITS = {"день": 1, "дні": 1, "днів": 1, "дня": 1, "дней": 1, "тиждень": 7, "тижні": 7, "тижнів": 7, "неделю": 7,
          "недели": 7, "недель": 7, "місяць": 30, "місяці": 30, "місяців": 30, "месяц": 30, "месяца": 30,
          "месяцев": 30}
_NUMBERS = {"один": 1, "одну": 1, "два": 2, "дві": 2, "две": 2, "три": 3}
_FIXED_UK_RU = [
    (r"\b(?:сьогодні|сьогодні вранці|сегодня|сегодня утром)\b", 0),
    (r"\b(?:вчора|учора|вчера|минулої ночі|прошлой ночью)\b", 1),
    (r"\b(?:(?:на )?цьому тижні|цього тижня|за тиждень|(?:на )?этой неделе|за неделю)\b", 7),
    (r"\b(?:(?:на )?минулому тижні|минулого тижня|(?:на )?прошлой неделе)\b", 14),
    (r"\b(?:цього місяця|в цьому місяці|у цьому місяці|за місяць|в этом месяце|за месяц)\b", 31),
    (r"\b(?:минулого місяця|в минулому місяці|у минулому місяці|в прошлом месяце)\b", 62),
    (r"\b(?:цього року|в цьому році|у цьому році|в этом году|за рік|за год)\b", 366),
]
_VAGUE_UK_RU = (r"\b(?:нещодавно|останнім часом|останні|останній|останнє|зараз|нині|наразі|недавно|последн\w*|"
                r"сейчас|ныне)\b")


def _resolve_uk_ru(q: str, as_of: date, window) -> TimeWindow | None:
    """The window a Ukrainian or Russian question's time words name (as `resolve` reads English ones)."""
    if (m := re.search(rf"\b(\d{{1,2}}) ({_DAY_MONTH})(?: (\d{{4}}))?", q)) and (
            found := _day_window(window, as_of, _MONTH_OF[m.group(2)], int(m.group(1)), m.group(3), m.group(0))):
        return found
    if (m := re.search(rf"\b(?:в|у|во) ({_IN_MONTH})(?: (\d{{4}}))?", q)) and (
            found := _month_window(window, as_of, _MONTH_OF[m.group(1)], m.group(2), m.group(0))):
        return found
    if m := re.search(r"\b(?:в|у) (19|20)(\d\d) (?:році|р\.|году|г\.)", q):
        year = int(m.group(1) + m.group(2))
        return window(date(year, 1, 1), date(year, 12, 31), m.group(0))
    if m := re.search(rf"\b(?:(?:в|у|во) )?({_LAST} )?({'|'.join(_WEEKDAY_OF)})\b", q.replace("’", "'")):
        d = _shift(as_of, -((as_of.weekday() - _WEEKDAY_OF[m.group(2)]) % 7))
        if m.group(1) and d == as_of:
            d = _shift(d, -7)
        return window(_shift(d, -1), _shift(d, 7), m.group(0))
    if m := re.search(rf"\b(?:(\d{{1,2}}|{'|'.join(_NUMBERS)}) )?({'|'.join(_UNITS)}) (?:тому|назад)\b", q):
        n = _NUMBERS.get(m.group(1) or "", 0) or int(m.group(1) or 1)
        days = n * _UNITS[m.group(2)]
        slack = max(1, days // 4)
        return window(_shift(as_of, -(days + slack)), _shift(as_of, -(days - slack)), m.group(0))
    for pattern, back in _FIXED_UK_RU:
        if m := re.search(pattern, q):
            return window(_shift(as_of, -back), as_of, m.group(0))
    if m := re.search(_VAGUE_UK_RU, q):
        return window(_shift(as_of, -31), as_of, m.group(0), vague=True)
    return None


# Part of a year ("in early 2025", "mid-2024", "the end of 2023": its months, first and last) and a season ("the summer
# of 2024", "last spring": its months in the northern hemisphere; a winter spans two years, so "winter 2024" is read
# as its year). A deadline ("by the end of 2026", "until late 2025") names no report's date: not read.
_PARTS = {"early": (1, 4), "the start of": (1, 3), "the beginning of": (1, 3), "mid": (5, 8), "the middle of": (5, 8),
          "late": (9, 12), "the end of": (10, 12)}
_SEASONS = {"spring": (3, 5), "summer": (6, 8), "autumn": (9, 11), "fall": (9, 11), "winter": (1, 12)}
_NOT_A_DEADLINE = r"(?<!\bby )(?<!\buntil )(?<!\bbefore )(?<!\bfrom )"


def _part_of_year(q: str, as_of: date, window) -> TimeWindow | None:
    """The window of a part of a year or a season the question names (see _PARTS), or None."""
    parts = "|".join(sorted(_PARTS, key=len, reverse=True))
    if m := re.search(rf"\b{_NOT_A_DEADLINE}(?:in |during )?({parts})[- ]((?:19|20)\d\d)\b", q):
        first, last = _PARTS[m.group(1)]
        return _months(window, int(m.group(2)), first, last, m.group(0))
    seasons = "|".join(_SEASONS)
    if m := re.search(rf"\b{_NOT_A_DEADLINE}(?:in |during )?(?:the )?({seasons})(?: of)? ((?:19|20)\d\d)\b", q):
        first, last = _SEASONS[m.group(1)]
        return _months(window, int(m.group(2)), first, last, m.group(0))
    if (m := re.search(rf"\b(last|this) ({seasons})\b", q)) and m.group(2) != "winter":
        first, last = _SEASONS[m.group(2)]
        year = as_of.year
        if m.group(1) == "last" and _month_end(year, last) >= as_of:  # "last summer": the latest one over
            year -= 1
        if m.group(1) == "this" and date(year, first, 1) > as_of:  # "this summer", not begun: nothing reported yet
            return None
        return _months(window, year, first, last, m.group(0)) if year > 0 else None
    return None


def _months(window, year: int, first: int, last: int, phrase: str) -> TimeWindow:
    """From the first day of month `first` of `year` to a week after the end of month `last` (as `_month_window`)."""
    return window(date(year, first, 1), _shift(_month_end(year, last), 7), phrase)


def resolve(question: str, as_of: date) -> TimeWindow | None:
    """The window the question's time words name, relative to `as_of`; None when it names none."""
    q = question.lower()

    def window(since: date, until: date, phrase: str, vague: bool = False) -> TimeWindow:
        return TimeWindow(since, min(until, as_of), phrase, vague)

    if CYRILLIC.search(q) and (found := _resolve_uk_ru(q, as_of, window)):
        return found

    if (m := re.search(rf"\b(?:on |since )?{MONTH} (\d{{1,2}})(?:st|nd|rd|th)?(?:,? (\d{{4}}))?\b", q)) and (
            found := _day_window(window, as_of, MONTHS[m.group(1)], int(m.group(2)), m.group(3), m.group(0).strip())):
        return found
    if (m := re.search(rf"\b(?:in|during|since|this|last) {MONTH}(?: (\d{{4}}))?\b", q)) and (
            found := _month_window(window, as_of, MONTHS[m.group(1)], m.group(2), m.group(0))):
        return found
    if found := _part_of_year(q, as_of, window):
        return found
    if m := re.search(r"\b(in|during|since) (19|20)(\d\d)\b", q):
        year = int(m.group(2) + m.group(3))
        return window(date(year, 1, 1), as_of if m.group(1) == "since" else date(year, 12, 31), m.group(0))
    if m := re.search(rf"\b{_NAMED_DAY}(?:(last|past) )?({'|'.join(_WEEKDAYS)})\b{_NOT_A_DAY}", q):
        d = _shift(as_of, -((as_of.weekday() - _WEEKDAYS.index(m.group(2))) % 7))
        if m.group(1) and d == as_of:  # "last Thursday", asked on a Thursday
            d = _shift(d, -7)
        return window(_shift(d, -1), _shift(d, 7), m.group(0))  # a day early: time zones
    # ("than a year ago", "compared to a week ago": a comparison, not when it was reported)
    if m := re.search(r"(?<!than )(?<!to )(?<!with )(?<!from )"
                      r"\b(\d{1,2}|a|one|two|three) (day|week|month|year)s? ago\b", q):
        n = {"a": 1, "one": 1, "two": 2, "three": 3}.get(m.group(1)) or int(m.group(1))
        days = n * {"day": 1, "week": 7, "month": 30, "year": 365}[m.group(2)]
        slack = max(1, days // 4)
        return window(_shift(as_of, -(days + slack)), _shift(as_of, -(days - slack)), m.group(0))
    if m := re.search(r"\b(?:over|at|on|during) the weekend\b", q):  # the last Saturday and Sunday
        saturday = _shift(as_of, -((as_of.weekday() - 5) % 7))
        return window(_shift(saturday, -1), _shift(saturday, 2), m.group(0))
    fixed = [  # (pattern, days back the window starts, days back it ends)
        (r"\bthe day before yesterday\b", 3, 1),
        (r"\btoday\b|\bthis morning\b|\btonight\b", 0, 0),
        (r"\byesterday\b|\blast night\b", 1, 0),
        (r"\bthis week(end)?\b|\bpast week\b|\bthe week\b", 7, 0),
        (r"\blast week(end)?\b|\bpast (two|2) weeks\b", 14, 0),
        (r"\bthis month\b|\bpast month\b", 31, 0),
        (r"\blast month\b", 62, 0),
        (r"\bthis year\b|\bpast year\b|\bthe last year\b", 366, 0),
    ]
    for pattern, back, ends in fixed:
        if m := re.search(pattern, q):
            return window(_shift(as_of, -back), _shift(as_of, -ends), m.group(0))
    if m := re.search(r"\b(recent(ly)?|lately|latest|newest|newly|just|now|current|currently|nowadays|these days|"
                      r"at the moment|at present|so far|to date)\b", q):
        return window(_shift(as_of, -31), as_of, m.group(0), vague=True)
    return None


# "originally", "the initial estimate", "when it was first shut": the first report of a thing is asked for, not its
# last (a preference among sentences answering about as well, as "latest" is the other way; no window). An original
# or initial figure, plan or notice: "its initial return was hampered" only describes a thing.
_REVISED = (r"estimate|figure|plan|forecast|cost|budget|price|contract|notice|target|deadline|date|proposal|count|"
            r"total|offer|schedule|timetable|terms|deal|agreement|recall|guidance|projection")
_EARLIEST = re.compile(rf"\b(?:originally|initially|at first|at the outset|(?:original|initial|first) (?:{_REVISED})s?"
                       r"|first (?:announced|reported|estimated|expected|planned|proposed|forecast|quoted|set|shut|"
                       r"closed|opened|built|said|told|thought|put|unveiled|published|issued|priced|budgeted|"
                       r"scheduled))\b", re.IGNORECASE)


def asks_earliest(question: str) -> bool:
    """Whether `question` asks for the first report of something ("the original recall notice", "initially")."""
    return _EARLIEST.search(question) is not None
