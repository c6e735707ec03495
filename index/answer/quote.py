"""Quote selection: the sentence of a passage that answers the question, scored against the question's terms."""

from __future__ import annotations

import calendar
import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache
from datetime import date
from typing import Iterator

from index.answer import cyrillic
from index.limits import QUESTION_SPAN
from index.text.places import places_in, venues_in
from index.text.words import WITH_FIGURES, words


_QUANTITY = (r"percentage|percent|share|proportion|age|number|amount|price|figure|sum|total|cost|rate|wage|salary|fee|"
             r"fine|score|temperature|speed|distance|height|weight|size|value|budget")
_NUMBER_Q = re.compile(r"\bhow (?:many|much|long|old|far|big|large|tall|high|often)\b|\b(?:what|which) year\b|"
                       rf"\b(?:what|which) (?:[\w-]+ ){{0,2}}?(?:{_QUANTITY})s?\b|"
                       r"\b(?:approximately|roughly|about) how\b|"
                       # "What did the walkout cost Kestrel?", "What was the stand expected to cost?", "… worth?":
                       # the sum is what is asked (not "what did she say about the cost")
                       r"\bwhat (?:did|does|do|will|would|was|is|were|has|had|could|might)\b[^?]{0,80}?"
                       r"(?<!\bthe )(?<!\ba )(?<!\bits )(?<!\btheir )(?<!\bhis )(?<!\bher )(?<!\bthat )(?<!\bthis )"
                       r"\b(?:cost|worth)\b(?! of\b)|"
                       # "What was the initial estimate …?", "What was the final tally …?", "the cheapest …"
                       r"\bwhat(?:'s|’s| is| was| were| are)(?: [\w'’-]+){0,4}? (?:estimate|tally|toll)\b|"
                       r"\bwhat(?:'s|’s| is| was| were| are) the (?:cheapest|dearest|most expensive|lowest price)\b",
                       re.IGNORECASE)
_NAME_Q = re.compile(r"\b(?:which|who|whom|whose)\b|\bwhat (?:country|state|city|company|team|band|show|group|"
                     r"organi[sz]ation|agency|party|airline|island|nation|brand|university|region|continent)\b",
                     re.IGNORECASE)
_DATE_Q = re.compile(r"^\s*when\b|\bwhen (?:will|did|does|do|is|was|are|were|can|could|should|would|has|have)\b|"
                     r"\bhow soon\b|\b(?:what|which) (?:day|date|month|time of year)\b|"
                     r"\bwhat (?:was|is|were|will be) the (?:(?:last|first|final|closing|opening) )?(?:day|date)\b|"
                     r"\bwhat (?:was|is|were|will be) the deadline\b",
                     re.IGNORECASE)
_MONTHS = "|".join(m for m in (*calendar.month_name[1:], *calendar.month_abbr[1:]))
_DATE = re.compile(rf"\b(?:(?:{_MONTHS})\b\.?(?:\s+\d{{1,2}}\b)?|(?:{'|'.join(calendar.day_name)})\b|"
                   r"(?:1[89]|20)\d\d\b|"
                   r"\d{1,2}/\d{1,2}(?:/\d{2,4})?\b|today\b|tomorrow\b|yesterday\b|tonight\b|"
                   r"(?:next|last|this|early|late|mid-?)\s*(?:week|month|year|spring|summer|fall|autumn|winter)\b)")
_PLACE_Q = re.compile(r"^\s*where\b|[,.?]\s*where\b|"
                      r"\b(?:which|what) (?:[\w-]+ ){0,2}?(?:country|countries|state|states|city|"
                      r"cities|continent|nation|island|province|capital|town|county)\b", re.IGNORECASE)
_NUMBERISH = re.compile(r"\d|\b(?:hundred|thousand|million|billion|trillion|dozens?|percent|half|quarter|"
                        r"two|three|four|five|"
                        r"six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|sixty|seventy|"
                        r"eighty|ninety|double|twice|triple)\b", re.IGNORECASE)
_TOKEN_RUN = re.compile(r"[\w$%.,-]+")  # a number token is a whole run of these that holds something numberish
_MONEY_Q = re.compile(r"\bhow much money\b|\b(?:cheapest|dearest|expensive|price|prices|priced|cost|costs|costing|fee|"
                      r"fees|fine|fines|fined|budget|"
                      r"salary|wage|wages|bill|fund|funding|spend|spent|pay|pays|paid|paying|worth|invest|invested|"
                      r"investment|raised|charge|charged|owe|owed|compensation|settlement|revenue|profit|profits|"
                      r"earnings|income|loss|losses|debt|grant|bonus|fare|fares|rent|donated|donation)\b",
                      re.IGNORECASE)
_COUNT_Q = re.compile(r"\bhow (?:many|much|long|old|far|big|large|tall|high|often)\b", re.IGNORECASE)
# A sum's digits are bounded (32): unbounded, each digit after a "." or "," tried its own scan to the end of the run
# ("1.1.1.…": quadratic).
_MONEY = re.compile(r"[$€£¥]\s?\d[\d.,]*(?:\s?(?:million|billion|trillion|bn|m|k)\b)?|"
                    r"\b\d[\d.,]{0,32}\s?(?:million |billion |"
                    r"trillion )?(?:dollars?|euros?|pounds?|yuan|yen|rubles?|roubles?|hryvnias?|francs?|kronor|krona|"
                    r"zloty|lira|rupees?|cents?|pence|usd|eur|gbp)\b", re.IGNORECASE)
_DAY_OR_YEAR = re.compile(rf"\b(?:{_MONTHS})\.?\s+\d{{1,2}}\b|\b\d{{1,2}}\s+(?:{_MONTHS})\b|\b(?:1[89]|20)\d\d\b")
_YEAR_Q = re.compile(r"\b(?:what|which) year\b|\bwhen (?:was|were|did)\b.{0,%d}\b(?:built|founded|established|opened|"
                     r"born|created|formed|launched|started|introduced|completed|constructed|set up|go up|put up)\b"
                     % QUESTION_SPAN, re.IGNORECASE)  # within a question: `.*` rescanned the text from each "when was"
_YEAR = re.compile(r"\b(?:1[5-9]|20)\d\d\b")
_REASON_Q = re.compile(r"^\s*why\b|[,.?]\s*why\b|\bhow come\b|\bwhat (?:did|does|do) .{1,60}? blame\b|"
                       r"\bwhat brought\b|\bwhat (?:was |is |were |are )?(?:the )?(?:reason|cause|"
                       r"explanation|motive|grounds)\b|"
                       r"\bwhat (?:made|caused|led|prompted|drove|pushed|forced|triggered)\b|"
                       r"\bfor what reason\b", re.IGNORECASE)
_REASON = re.compile(r"\b(?:because|due to|down to|owing to|thanks to|as a result|result of|resulted|reason|"
                     r"reasons|caused|"
                     r"cause|blamed|blames|citing|cited|led to|leading to|driven by|so that|in order to|after|amid|"
                     r"prompted|account for|accounts for|attributed|needed to|to cover|could not|would have|wants? to|"
                     r"for (?:its|their|his|her) )\b", re.IGNORECASE)
# "How many sirens …", and "how much weight / wheat / damage …" (a quantity of it: "a 20-ton weight limit")
_COUNTED = re.compile(r"\bhow (?:many|much(?! (?:more|less|longer|did|do|does|is|was|were|are|will|would|can|could|has|"
                      r"have|had|of)\b)) ((?:[\w-]+ ){0,2}?[\w-]+?)(?:s|es)?\b"
                      r"(?= (?:did|do|does|were|was|are|is|have|has|had|"
                      r"will|would|could|can|should|must|might|got|get)\b|\?|$)", re.IGNORECASE)
_PERSON_Q = re.compile(r"^\s*who\b|[,.?]\s*who\b|\bwho (?:is|was|were|are|did|does|will|has|had|would|could)\b|"
                       r"\b(?:which|what) (?:[\w'’-]+ ){0,2}?(?:councillor|councilor|council member|member|official|"
                       r"minister|player|players|manager|coach|captain|striker|goalkeeper|executive|chief|director|"
                       r"officer|spokesman|spokeswoman|spokesperson|lawmaker|senator|mayor|judge|doctor|nurse|"
                       r"scientist|researcher|candidate|person|man|woman|owner|founder|teacher|head|leader|"
                       r"chairman|chairwoman|president|engineer|resident|worker)\b", re.IGNORECASE)
# Two capitalised words in a row, neither naming a place, a body or a role: a person ("Frank Dusek").
_PERSON = re.compile(r"(?<![\w’'])(?=([A-Z][a-z’'-]+)\s+([A-Z][a-z’'-]+)\b)")
_NOT_PERSON = frozenset(
    "street road avenue lane square bridge river lake bay sea port harbour harbor county city town council university "
    "college school hospital department ministry agency office authority board court park stadium center centre "
    "church station airport company group association union party club fleet navy army league cup bank fund "
    "institute museum library hall market road north south east west new united national state federal regional "
    "construction energy power group holdings partners systems services media news press times post daily "
    "councillor councilor member minister mayor governor president senator chief director manager coach captain "
    "officer judge doctor professor general secretary chairman chairwoman spokesman spokeswoman head "
    "the a an in on at of and for but when after".split())
_NAME = re.compile(r"(?<=[\s“\"‘'(])[A-Z][\w’'&.-]*")
_NOT_NAMES = frozenset(w.casefold() for w in (*calendar.day_name, *calendar.month_name[1:], "I", "Mr", "Mrs", "Ms",
                                              "Dr"))

# "What share of nurses backed…", "what percentage of adults…": a percentage ("How much a share…" asks a price)
_PERCENT_Q = re.compile(r"\b(?:what|which) (?:[\w-]+ ){0,2}?(?:share|percentage|proportion|percent)\b(?! price\b)",
                        re.IGNORECASE)
_PERCENT = re.compile(r"\d[\d.,]*\s?(?:%|percent\b|per cent\b)", re.IGNORECASE)
# "How long was he banned?", "for how long…": a time (or a length) — a number before its unit ("eight years", "a
# 72-hour strike"), "for a year", or an end ("until June 2027"); not "how long ago" (a date)
_HOW_LONG_Q = re.compile(r"\bhow long\b(?! ago\b)", re.IGNORECASE)
_UNITS = (r"(?:seconds?|minutes?|hours?|days?|nights?|weeks?|fortnights?|months?|years?|decades?|seasons?|"
          r"kilomet(?:re|er)s?|km|miles?|met(?:re|er)s?|feet|foot|ft|yards?|inch(?:es)?)")
_UNIT_AFTER = re.compile(rf"(?:[\s-]+\w+)?[\s-]+{_UNITS}\b", re.IGNORECASE)  # "eight years", "five more years"
_UNIT_IN = re.compile(rf"-{_UNITS}$", re.IGNORECASE)  # "72-hour", "five-year"
_TIME_SAID = re.compile(rf"\b(?:until|till|through) (?:the end of |early |mid-|late )?"
                        rf"(?:(?:{_MONTHS})\b|(?:19|20)\d\d\b)|\bfor (?:a|an|another|half an?) (?:[\w-]+ )?{_UNITS}\b",
                        re.IGNORECASE)
# A sum of one kind, said in the sentence that gives it: "How much was the landlord fined?" (a fine: "has been fined
# £18,000", not a recall's cost), "How much is the manager paid?" (pay: a salary, "£40,000 a year", not a transfer fee)
_SUM_KINDS = (
    ("fine", re.compile(r"\b(?:fined|fine|fines|penalty|penalties|penalised|penalized)\b", re.IGNORECASE),
     re.compile(r"\b(?:fined?|fines|penalt(?:y|ies)|penalis\w*|penaliz\w*|ordered to pay)\b", re.IGNORECASE)),
    ("pay", re.compile(r"\bhow much (?:is|are|does|do) \S.{0,60}? (?:paid|earn|earns)\b|"
                       r"\b(?:salary|salaries|wage|wages)\b(?! (?:increase|rise|rises|increases|deal|offer)\b)",
                       re.IGNORECASE),
     re.compile(r"\b(?:salary|salaries|wages?|earn\w*|pay packet|pay package|remuneration|a year|per year|annual|"
                r"annually|an hour|per hour|a week|per week|a month|per month)\b", re.IGNORECASE)),
)
_SUM_SAID = {kind: said for kind, _, said in _SUM_KINDS}
_SUM_ASKED = tuple((kind, asked) for kind, asked, _ in _SUM_KINDS)

# "Which firm is building the stand?", "which insurer …": an organisation, named as one — a name ending as firms' and
# clubs' names do ("Brennock Construction", "Corvina Marine Underwriters", "Kelridge Wanderers") or beside the kind
# of body it is ("the architecture firm Pemberton Stahl", "Skarholm Tankers, the operator"). Not "which age group".
_ORG_Q = re.compile(r"\b(?:which|what) (?:[\w-]+ ){0,2}?(?<!age )(?:company|companies|firm|firms|bank|banks|group|"
                    r"insurer|insurers|operator|contractor|developer|lender|supplier|builder|maker|manufacturer|carrier|"
                    r"airline|club|agency|charity|organi[sz]ation|business|broker|consultancy|retailer|chain|brand)\b",
                    re.IGNORECASE)
_ORG_ENDS = ("Ltd|Limited|Inc|plc|PLC|LLC|Group|Holdings|Construction|Associates|Partners|Bank|Systems|Company|Co|Corp|"
             "Corporation|Industries|Builders|Engineering|Contractors|Architects|Capital|Insurance|Underwriters|Tankers|"
             "Lines|Shipping|Cells|Homes|Therapeutics|Energy|Motors|Airlines|Airways|Rail|Foods|Logistics|Freight|"
             "Labs|Technologies|Pharmaceuticals|Trust|Foundation|FC|United|City|Rovers|Wanderers|Athletic|Rangers|"
             "Stars|Town|Crossings|Securities|Developments|Properties")
_KINDS = ("company|firm|bank|group|insurer|operator|contractor|developer|lender|supplier|builder|maker|manufacturer|"
          "club|agency|charity|broker")
_CAPS = r"(?:[A-Z][\w’'&.-]*\s+){0,4}[A-Z][\w’'&.-]*"
_ORG = re.compile(rf"(?<![\w’'])(?:[A-Z][\w’'&.-]*\s+){{1,4}}(?:{_ORG_ENDS})\b|"
                  rf"\b(?i:{_KINDS})\b,?\s+(?:the\s+)?{_CAPS}|"
                  rf"{_CAPS},\s+(?:a|an|the)\s+(?:[\w-]+\s+){{0,3}}?(?i:{_KINDS})\b")

_ASKS = cyrillic.Asks(_YEAR_Q, _NUMBER_Q, _DATE_Q, _PLACE_Q, _REASON_Q, _NAME_Q, _MONEY_Q, _COUNT_Q, _COUNTED,
                      _PERSON_Q, _PERCENT_Q, _HOW_LONG_Q, _ORG_Q, _SUM_ASKED)


@dataclass(frozen=True)
class AnswerType:
    """What kind of answer a question asks for: a number ("how many"), a sum of money ("how much did it cost"), a
    year, a date ("when"), a place ("where", "which country"), a cause ("why"), a name ("which", "who"), or none."""

    number: bool
    name: bool
    question_words: frozenset[str]
    place: bool = False
    date: bool = False
    money: bool = False  # a number that is a sum of money ("how much will it cost", "what price")
    count: bool = False  # "how many/much/long…": a quantity, not a year or the day of a date
    year: bool = False  # "what year", "when was it built": a year
    reason: bool = False  # "why", "what made them…": a cause
    counted: str = ""  # "how many sirens…": the thing counted (a number next to it answers best)
    person: bool = False  # "who", "which council member": a person's name
    percent: bool = False  # "what share of…": a percentage
    how_long: bool = False  # "how long…": a time or a length ("eight years", "until June 2027")
    org: bool = False  # "which firm / insurer / club …": an organisation, named as one
    sum_of: str = ""  # "fine", "pay": the kind of sum asked for ("how much was it fined"), said where it is given

    @classmethod
    def of(cls, question: str) -> "AnswerType":
        q = cyrillic.QUESTIONS if cyrillic.written_in(question) else _ASKS  # "скільки", "когда", "хто"…
        year = bool(q.year.search(question))
        number = year or bool(q.number.search(question))
        when = not number and bool(q.date.search(question))
        place = not number and not when and bool(q.place.search(question))
        reason = not (number or when or place) and bool(q.reason.search(question))
        counted = q.counted.search(question)
        return cls(number, not (number or when or place or reason) and bool(q.name.search(question)),
                   frozenset(w.casefold() for w in words(question, WITH_FIGURES)), place, when,
                   money=number and bool(q.money.search(question)),
                   count=number and bool(q.counts.search(question)), year=year, reason=reason,
                   counted=counted.group(1).split()[-1].casefold() if counted else "",
                   person=not (number or when or place or reason) and bool(q.person.search(question)),
                   percent=number and bool(q.percent.search(question)),
                   how_long=number and not year and bool(q.how_long.search(question)),
                   org=not (number or when or place or reason) and bool(q.org.search(question)),
                   sum_of=next((kind for kind, asked in q.sums if asked.search(question)), "")
                   if number and q.money.search(question) else "")

    def counts(self, sentence: str) -> bool:
        """Whether `sentence` puts a number right before the thing a "how many" question counts ("Eight new
        outdoor warning sirens" for "how many sirens")."""
        if not self.counted or len(self.counted) < 3:
            return False
        after = _counting(self.counted)
        # A number runs to the end of its token, so what follows the token decides: read once per token (trying
        # every digit of a long token as a start rescanned the token each time).
        return any(after.match(sentence, end) for end in _number_ends(sentence))

    def offered_by(self, sentence: str) -> bool:
        """Whether `sentence` holds something of that kind that the question does not already say (in a Ukrainian or
        Russian sentence, read by `index.answer.cyrillic` too)."""
        if cyrillic.CYRILLIC.search(sentence) and cyrillic.offers(self, sentence, self.question_words):
            return True
        said = self.question_words
        if self.year:
            return any(y not in said for y in _years(sentence))
        if self.reason:
            return _gives_reason(sentence)
        if self.date:
            return any(not words <= said for words in _dates(sentence))
        if self.percent:
            return any(m not in said for m in _percents(sentence))
        if self.money:
            return any(m not in said for m in _sums(sentence)) and (
                not self.sum_of or _SUM_SAID[self.sum_of].search(sentence) is not None)
        if self.how_long:
            return _how_long(sentence)
        if self.number:
            dates = _days_or_years(sentence) if self.count else []
            return any(n not in said and not _inside(at, dates) for n, at in _numbers(sentence))
        if self.place:
            return any(not words <= said for words in _places(sentence))
        if self.org:
            return any(not words <= said for words in _orgs(sentence))
        if self.person:
            return any(not any(w in _NOT_PERSON or w in said for w in pair) for pair in _persons(sentence))
        if self.name:
            return any(w not in said and w not in _NOT_NAMES for w in _names(sentence))
        return False


# What a sentence holds of each kind, read once per sentence and kept (SENTENCES_KEPT): every question retrieving
# its passage asks again, and only the question's own words (`question_words`) differ.
SENTENCES_KEPT = 4096


@lru_cache(maxsize=SENTENCES_KEPT)
def _years(sentence: str) -> tuple[str, ...]:
    return tuple(_YEAR.findall(sentence))


@lru_cache(maxsize=SENTENCES_KEPT)
def _gives_reason(sentence: str) -> bool:
    return bool(_REASON.search(sentence))


@lru_cache(maxsize=SENTENCES_KEPT)
def _dates(sentence: str) -> tuple[frozenset[str], ...]:
    return tuple(frozenset(m.group(0).casefold().rstrip(".").split()) for m in _DATE.finditer(sentence))


@lru_cache(maxsize=SENTENCES_KEPT)
def _sums(sentence: str) -> tuple[str, ...]:
    return tuple(m.group(0).casefold() for m in _MONEY.finditer(sentence))


@lru_cache(maxsize=SENTENCES_KEPT)
def _percents(sentence: str) -> tuple[str, ...]:
    return tuple(m.group(0).casefold() for m in _PERCENT.finditer(sentence))


@lru_cache(maxsize=SENTENCES_KEPT)
def _how_long(sentence: str) -> bool:
    """Whether `sentence` gives a time or a length: a number before its unit, "for a year", "until June 2027"."""
    return bool(_TIME_SAID.search(sentence)) or any(_UNIT_AFTER.match(sentence, m.end()) or _UNIT_IN.search(m.group(0))
                                               for m in _number_tokens(sentence))


@lru_cache(maxsize=SENTENCES_KEPT)
def _numbers(sentence: str) -> tuple[tuple[str, int], ...]:
    return tuple((m.group(0).casefold(), m.start()) for m in _number_tokens(sentence))


@lru_cache(maxsize=SENTENCES_KEPT)
def _number_ends(sentence: str) -> tuple[int, ...]:
    return tuple(m.end() for m in _number_tokens(sentence))


@lru_cache(maxsize=SENTENCES_KEPT)
def _days_or_years(sentence: str) -> list[tuple[int, int]]:
    return [m.span() for m in _DAY_OR_YEAR.finditer(sentence)]


@lru_cache(maxsize=SENTENCES_KEPT)
def _places(sentence: str) -> tuple[frozenset[str], ...]:
    return tuple(frozenset(p.casefold().split()) for p in (*places_in(sentence), *venues_in(sentence)))


@lru_cache(maxsize=SENTENCES_KEPT)
def _orgs(sentence: str) -> tuple[frozenset[str], ...]:
    """The organisations `sentence` names as such, each as its capitalised words, folded."""
    return tuple(frozenset(w.casefold() for w in m.group(0).split() if w[:1].isupper())
                 for m in _ORG.finditer(sentence))


@lru_cache(maxsize=SENTENCES_KEPT)
def _persons(sentence: str) -> tuple[tuple[str, ...], ...]:
    return tuple(tuple(w.casefold() for w in m.groups()) for m in _PERSON.finditer(sentence))


@lru_cache(maxsize=SENTENCES_KEPT)
def _names(sentence: str) -> tuple[str, ...]:
    return tuple(m.group(0).casefold().strip(".") for m in _NAME.finditer(sentence))


@lru_cache(maxsize=256)
def _counting(counted: str) -> re.Pattern:
    """What follows a number that counts `counted` (its stem, up to three words after): compiled once per word, not
    per sentence."""
    stem = re.escape(counted[:max(3, len(counted) - 2)])
    return re.compile(rf"(?:\s+[\w-]+){{0,3}}?\s+{stem}\w*", re.IGNORECASE)


def _number_tokens(text: str) -> Iterator[re.Match]:
    r"""The runs of word characters, "$", "%", ".", "," and "-" that hold a digit or a number word ("$1.5", "30%",
    "twenty-two"), as `[\w$%.,-]*(?:numberish)[\w$%.,-]*` finds them, each run read once (that pattern tried its
    greedy prefix from every character of a run without one: quadratic)."""
    return (run for run in _TOKEN_RUN.finditer(text) if _NUMBERISH.search(text, run.start(), run.end()))


def _inside(pos: int, spans: list[tuple[int, int]]) -> bool:
    """Whether `pos` falls in one of `spans` (in order, not overlapping): a bisection, not a scan of them all."""
    i = bisect_right(spans, (pos, float("inf"))) - 1
    return i >= 0 and pos < spans[i][1]


def recency(day: str | None, as_of: date, half_life: float) -> float:
    """1.0 for a passage dated `as_of`, halving every `half_life` days before it; 0.0 when undated."""
    if not day:
        return 0.0
    age = (as_of - date.fromisoformat(day)).days
    return 0.5 ** (max(age, 0) / half_life)


# A sentence that goes on to name what the one before said generically ("… withdrew warships. In particular, the
# frigate …").
_ELABORATES = re.compile(r"\W*(?:in particular|specifically|namely|among them|these include|"
                         r"they (?:are|were|include))\b",
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
