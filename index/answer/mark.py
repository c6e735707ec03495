"""The answer at a glance: the words of a quote that answer its question, as character spans of the quote's text.

The date for "when", the year for "what year", the figure for "how many", the sum for "how much", the place for
"where", the name for "who" or "which company", the cause for "why", the quoted words for "what did X say". What
is marked is found by the detectors sentence choice already reads (`index.answer.quote.AnswerType`, `index.text.places`,
`index.answer.speaker`), on a quote's few sentences: regexes and word lists, no model. A word of the question is never
marked (a name the question already names is not who answers it), and nothing is marked when the quote holds
nothing of the asked kind. Renderers only apply the spans (`pieces`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from index.answer.question import Question
from index.text.places import place_spans
from index.text.words import QUOTE_WORD
from index.answer.quote import (_DATE, _DAY_OR_YEAR, _MONEY, _MONEY_Q, _NOT_NAMES, _NOT_PERSON, _REASON, _YEAR,
                                AnswerType, _number_tokens)
from index.answer.speaker import Speaker

Span = tuple[int, int]
Kind = Literal["date", "year", "money", "number", "place", "person", "name", "reason", "speech", ""]

_WORD = QUOTE_WORD  # a word as a mark is made of ("1,200", "$3.2", "Osei-Bright", "30%")
_PARTS = re.compile(r"[^\W_]+")
_URL = re.compile(r"(?:https?|ftp)://\S+|www\.\S+", re.IGNORECASE)
# What may lie between two marks of one answer to join them: "October 31, 2024", "£640 million and £660 million",
# "Monterrey, Mexico, and Greenville", "2-2".
_JOINS = re.compile(r"(?:\s*,\s*|\s+)(?:(?:and|or|to)\s+)?|\s*[-–—/]\s*")
# Words said of a figure that belong to it ("about 300 jobs", "between £640 million and £660 million").
_BEFORE_FIGURE = re.compile(r"(?:\b(?:about|around|nearly|almost|roughly|approximately|some|over|under|only|just|"
                            r"exactly|(?:more|less|fewer) than|at (?:least|most)|up to|as (?:many|much|few) as|"
                            r"an estimated|between)\s+)*[$€£¥]?\Z", re.IGNORECASE)
_AFTER_FIGURE = re.compile(r"\s+(?:a|per|each|every)\s+(?:day|week|month|year|hour|season|game|head|person)\b")
_UNIT = re.compile(r"\s+(?:per cent|percent|percentage points|points|people|persons|tonnes|tons|metres|meters|"
                   r"kilometres|kilometers|km|miles|feet|inches|degrees|°[CF]|kg|pounds|years old|"
                   r"[a-z]{2,}s(?<!ss)(?<!us)(?<!is)(?<!as))\b")
# Said of a date: "until the end of 2025", "before the end of 2028", "by 2035", "early March".
_BEFORE_DATE = re.compile(r"(?:\b(?:before|until|till|by|since|from|after)\s+)?"
                          r"(?:\bthe\s+(?:end|start|beginning|middle|close|turn)\s+of\s+|\b(?:early|late|mid)[-\s])?\Z",
                          re.IGNORECASE)
_ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
_DAY_BEFORE_MONTH = re.compile(r"\b\d{1,2}(?:st|nd|rd|th)?\s+(?:of\s+)?\Z")
# A capitalised run: names of people, places, bodies ("Frank Dusek", "Joint Corridor Centre", "Bank of England").
_CAPITALISED = re.compile(r"(?:[A-Z][\w’'&.-]*|\d+)(?:\s+(?:(?:of|de|van|von|der|al|bin|for|the|and|&)\s+)*"
                          r"(?:[A-Z][\w’'&.-]*|\d+\b))*")
_TITLES = frozenset("mr mrs ms dr sir dame prof lord lady st".split())
_SENTENCE_START = re.compile(r"(?:^|[.!?…][\"'”’)\]]*\s+)[\"“‘(]?\Z")
_LOCATIVE = re.compile(r"\b(?:at|in|on|near|outside|inside|from|to|into|off|across|along|towards?)\s+(?:the\s+)?\Z")
# Quoted words: a pair of curly or straight quotes; a quote still open at the end runs to the end of the text.
_QUOTED = re.compile(r"“([^”]*)(?:”|$)|\"([^\"]*)(?:\"|$)|‘([^’]*)(?:’(?!\w)|$)")
_SAY = re.compile(r"\b(?:said|says|told|tells|added|adds|warned|warns|noted|explained|stated|insisted|argued|"
                  r"wrote|announced|confirmed|believes|believed|thinks|thought)\b(?:\s+(?:reporters|journalists|the "
                  r"\w+|him|her|them|us))?(?:\s+that)?\s+", re.IGNORECASE)
_CLAUSE_END = re.compile(r"[;:!?—–(\"”]|\.(?=[\"'”’)\]]*(?:\s|\Z))|\s-\s|\Z|"
                         r",[\"”’]?\s+(?=(?:which|who|whom|where|when|while|but|although|though|as well as|according|"
                         r"so|he|she|they|it|we|the|a|an|[A-Z])\b)")
_SENTENCE_END = re.compile(r"[.!?](?=[\"'”’)\]]*(?:\s|\Z))|\Z")
# Reported words before ", the company said": from the sentence's start to that comma.
_SAID_AFTER = re.compile(r",\s+(?:(?:[\w’'-]+\s+){1,6}?(?:said|says|added|told|warned|explained|noted|insisted)|"
                         r"according to)\b")
# A question whose type the answer type leaves open, read for marking only ("what did the bridge cost in the end",
# "before the final, when had they last won", "what was the final tally").
_WHEN = re.compile(r"(?:^|[,.?]\s*)when\b|\bdeadline\b", re.IGNORECASE)
_WHERE = re.compile(r"(?:^|[,.?]\s*)where\b", re.IGNORECASE)
_FIGURE_Q = re.compile(r"\b(?:number|tally|total|count|estimate|figure|how (?:strong|well|bad|big|fast|deep|heavy))\b",
                       re.IGNORECASE)
MAX_MARK = 300  # characters: an answer is a few words, a quoted remark a sentence or two
_NAMED = ("person", "name", "place")
MAX_TEXT = 5_000  # characters of a quote read for marks (more than any renderer shows)


def kind_of(question: str, answer_type: AnswerType, speaker: Speaker | None) -> Kind:
    """What kind of words answer `question`: the quoted words when it asks what someone said (`speaker`), else its
    answer type, and a few readings of its own where that says nothing ("what did it cost in the end" → money)."""
    t = answer_type
    if speaker is not None:
        return "speech"
    for kind in ("year", "date", "money", "place", "reason", "person", "name"):
        if getattr(t, kind):
            return kind
    if t.number:
        return "number"
    if _WHEN.search(question):
        return "date"
    if _WHERE.search(question):
        return "place"
    if _MONEY_Q.search(question):
        return "money"
    if _FIGURE_Q.search(question):
        return "number"
    return ""


@dataclass(frozen=True)
class Marker:
    """Marks the answer to one question in any quote: `Marker.of(Question.of(text))(quote_text)` → spans."""

    kind: Kind
    is_question_word: Callable[[str], bool]  # whether a word (as written) is one of the question's
    stopwords: frozenset[str] = frozenset()
    counted: str = ""  # "how many sirens": the counted thing's word
    focus: tuple[str, ...] = ()  # "which architecture firm": the words naming what is asked for, folded
    names: frozenset[str] = frozenset()  # the question's capitalised words after its first, folded

    @classmethod
    def of(cls, question: Question) -> "Marker":
        """The marker of `question` (its answer type, asked speaker, capitalised and focus words). A word of a quote
        is the question's when it is written, or stemmed, as one of the question's words that is not a stop word
        (`question.tokens`: the index's tokenizer, bm25s' English one without an index)."""
        terms, answer_type = question.tokens, question.answer_type
        stop = terms.stopwords
        written = {w for w in _PARTS.findall(question.text.casefold()) if w not in stop}
        stems = {s for ws in terms(sorted(written)) for s in ws}

        read: dict[str, bool] = {}  # word → whether it is the question's: one question's quotes repeat their words

        def is_question_word(word: str) -> bool:
            if (found := read.get(word)) is None:
                parts = [p for p in _PARTS.findall(word.casefold()) if p not in stop]
                found = read[word] = any(p in written for p in parts) or any(s in stems for ws in terms(parts)
                                                                             for s in ws)
            return found

        focus = tuple(w for w in question.focus if len(w) >= 3 and w not in stop)
        return cls(kind_of(question.text, answer_type, question.speaker), is_question_word, stopwords=stop,
                   counted=answer_type.counted, names=question.capitalised, focus=focus)

    def __call__(self, text: str) -> tuple[Span, ...]:
        """The spans of `text` that answer the question, in order, none overlapping; () when nothing does."""
        find = _FINDERS.get(self.kind)
        if not find or not text:
            return ()
        text = text[:MAX_TEXT]
        spans = find(text, self)
        urls = [m.span() for m in _URL.finditer(text)]
        spans = [s for s in spans if not any(s[0] < b and a < s[1] for a, b in urls)]
        if self.kind in _NAMED:
            spans = [s for s in spans if not self._named_in_question(text, *s)]
        return tuple(_joined(text, self._without_question_words(text, _merged(spans))))

    def _named_in_question(self, text: str, start: int, end: int) -> bool:
        """Whether the question names this name: half its words or more are names in the question ("Neil
        Brannigan" when it asks about Brannigan). A word the question does not capitalise is only cut out
        ("Skarholm Tankers" for "which company runs the tanker")."""
        words = [w.group(0) for w in _WORD.finditer(text, start, end) if w.group(0).casefold() not in self.stopwords]
        return bool(words) and 2 * sum(w.casefold() in self.names for w in words) >= len(words)

    def _without_question_words(self, text: str, spans: Iterable[Span]) -> list[Span]:
        """Each span cut around the question's words; a name, figure or date also cut to start and end on a word
        that is not a stop word ("the Joint Corridor Centre" → "Joint Corridor Centre"), quoted words kept whole."""
        out = []
        for start, end in spans:
            run: list[re.Match] = []
            cut_before = False
            for w in [*_WORD.finditer(text, start, end), None]:
                if w is not None and not self.is_question_word(w.group(0)):
                    run.append(w)
                    continue
                if self.kind != "speech" or cut_before:  # quoted words keep their own first and last words
                    while run and self._stop(run[0]):
                        run.pop(0)
                if self.kind != "speech" or w is not None:
                    while run and self._stop(run[-1]):
                        run.pop()
                generic = self.kind in _NAMED and all(_not_person(x.group(0)) for x in run)  # "Town" of "Town Council"
                if run and not generic and not all(map(self._stop, run)):
                    out.append((run[0].start(), run[-1].end()))
                run, cut_before = [], True
        return out

    def _stop(self, word: re.Match) -> bool:
        return word.group(0).casefold() in self.stopwords


def _merged(spans: Iterable[Span]) -> list[Span]:
    """Spans in order, overlapping ones made one."""
    out: list[Span] = []
    for a, b in sorted(spans):
        if b <= a:
            continue
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


def _joined(text: str, spans: list[Span]) -> list[Span]:
    """Marks that only a comma, a space, "and"/"to" or a dash separate made one ("Friday, May 17")."""
    out: list[Span] = []
    for a, b in spans:
        if out and _JOINS.fullmatch(text, out[-1][1], a) and b - out[-1][0] <= MAX_MARK:
            out[-1] = (out[-1][0], b)
        else:
            out.append((a, b))
    return out


def _extended(text: str, start: int, end: int, before: re.Pattern | None = None,
              after: Sequence[re.Pattern] = ()) -> Span:
    """(start, end) with the words `before` finds right before it (read over the 40 characters before) and what
    each of `after` matches right after it."""
    if before is not None and (m := before.search(text, max(0, start - 40), start)):
        start = m.start()
    for pattern in after:
        if m := pattern.match(text, end):
            end = m.end()
    return start, end


def _trimmed(text: str, start: int, end: int) -> Span:
    """(start, end) without the punctuation a token run ends or starts with ("4,100," → "4,100")."""
    while end > start and text[end - 1] in ".,-":
        end -= 1
    while start < end and text[start] in ".,-":
        start += 1
    return start, end


def _dates(text: str, marker: Marker) -> list[Span]:
    out = []
    for m in _DATE.finditer(text):
        start, end = _extended(text, *m.span(), _DAY_BEFORE_MONTH)
        out.append(_extended(text, start, end, _BEFORE_DATE))
    out += [m.span() for m in _ISO_DATE.finditer(text)]
    return out


def _years(text: str, marker: Marker) -> list[Span]:
    """Years, and dates that name a day ("what year did it open" is often answered "on November 10")."""
    return [(a, b) for a, b in _dates(text, marker) if _DAY_OR_YEAR.search(text, a, b) or _YEAR.search(text, a, b)]


def _figure(text: str, start: int, end: int) -> Span:
    return _extended(text, start, end, _BEFORE_FIGURE, (_UNIT, _AFTER_FIGURE))


def _money(text: str, marker: Marker) -> list[Span]:
    """Sums; failing those, the figures ("what pay rise" → "7.2%")."""
    return [_figure(text, *_trimmed(text, *m.span())) for m in _MONEY.finditer(text)] or _numbers(text, marker)


def _numbers(text: str, marker: Marker) -> list[Span]:
    """Figures not part of a date (the day of "December 8" answers no "how many"); only those right before the
    counted thing when the question counts one and the quote has such a figure."""
    dates = [m.span() for m in _DAY_OR_YEAR.finditer(text)]
    tokens = [_trimmed(text, *m.span()) for m in _number_tokens(text)]
    tokens = [(a, b) for a, b in tokens if a < b and not any(x <= a < y for x, y in dates)]
    if marker.counted and len(marker.counted) >= 3:
        stem = re.escape(marker.counted[:max(3, len(marker.counted) - 2)])
        counted = re.compile(rf"(?:\s+[\w-]+){{0,3}}?\s+{stem}\w*", re.IGNORECASE)
        near = [(a, b) for a, b in tokens if counted.match(text, b)]
        tokens = near or tokens
    return [_figure(text, a, b) for a, b in tokens]


def _places(text: str, marker: Marker) -> list[Span]:
    """Places the gazetteer knows, and the named place after "at", "in", "on"… ("at the Millbrook Armory")."""
    out = _known_places(text)
    for m in _CAPITALISED.finditer(text):
        a, b = _trimmed(text, *m.span())
        if (_LOCATIVE.search(text, max(0, a - 12), a) and not text[a:b].isdigit()
                and not _is_date_word(text[a:b])):
            out.append((a, b))
    return out


def _known_places(text: str) -> list[Span]:
    """The gazetteer's places in `text`, its first word read too ("Australia, which…": in a quote, a place that
    opens the sentence is still a place)."""
    return [(a - 1, b - 1) for a, b, _ in place_spans(" " + text)]


def _is_date_word(run: str) -> bool:
    return bool(_DATE.fullmatch(run) or _YEAR.fullmatch(run))


def _runs(text: str) -> list[Span]:
    """The capitalised runs of `text`, without a title or a hyphened word before a name ("Mr", "Seventeen-year-old"),
    a month or day alone, or a single word that starts a sentence (its capital says nothing). The gazetteer is not
    read here: loading it costs a cold `newsdesk ask` 0.2 s, paid only by "where" questions."""
    out = []
    for m in _CAPITALISED.finditer(text):
        words = list(re.finditer(r"\S+", m.group(0)))
        while words and (words[0].group(0).rstrip(".").casefold() in _TITLES
                         or _HYPHENED.fullmatch(words[0].group(0).rstrip(".,"))
                         or (words[0].group(0).casefold() in _OPENERS
                             and _SENTENCE_START.search(text, max(0, m.start() - 4), m.start()))):
            words.pop(0)
        if not words:
            continue
        start, end = _trimmed(text, m.start() + words[0].start(), m.start() + words[-1].end())
        run = text[start:end]
        if len(words) == 1 and (run.casefold().strip(".’'") in _NOT_NAMES or run.isdigit()
                                or _SENTENCE_START.search(text, max(0, start - 4), start)):
            continue
        out.append((start, end))
    return out


# Words that open a sentence with a capital but name nothing ("About 340 workers", "Every Millbrook officer").
_OPENERS = frozenset("about after before at in on for from with by during under over since while when as but and the "
                     "a an this that these those it its there then some many more most all every each both no one "
                     "another other several".split())
_HYPHENED = re.compile(r"[\w’']+-[a-z][\w-]*")
_CONNECTOR = re.compile(r"\s+(?:of|for|the|and|&)\s+")


def _persons(text: str, marker: Marker) -> list[Span]:
    """Names of people: two or more capitalised words, after any role ("Prime Minister Keir Starmer"), none naming
    a place, a body or a role (`index.answer.quote`'s person detector), and none a name the question gives; failing
    those, the names the quote gives ("Tessaro", "the Joint Corridor Centre")."""
    out = []
    for start, end in _runs(text):
        cuts = [start, *(x for m in _CONNECTOR.finditer(text, start, end) for x in m.span()), end]
        for a, b in zip(cuts[::2], cuts[1::2]):  # "Doreen Pitcavage of the Millbrook Taxpayers Alliance"
            words = list(re.finditer(r"[\w’'.-]+", text[a:b]))
            while words and _not_person(words[0].group(0)):
                words.pop(0)
            if len(words) >= 2 and not any(_not_person(w.group(0)) or not w.group(0)[:1].isupper()
                                           or w.group(0).casefold() in marker.names for w in words):
                out.append((a + words[0].start(), a + words[-1].end()))
    return _near_focus(text, out, marker) if out else _names(text, marker)


def _not_person(word: str) -> bool:
    return word.casefold().strip(".’'") in _NOT_PERSON


def _names(text: str, marker: Marker) -> list[Span]:
    return _near_focus(text, [(a, b) for a, b in _runs(text) if not _is_date_word(text[a:b])], marker)


_TITLED = re.compile(r"[\"“‘'][^\"”’']+[\"”’']\Z")  # a name in quotation marks: a ship's, a show's, a book's


def _near_focus(text: str, spans: list[Span], marker: Marker) -> list[Span]:
    """Of the names, those the quote gives right after or before the thing asked about ("the architecture firm
    Pemberton Stahl Associates" for "which firm…", "Council member Frank Dusek"), or in quotation marks (the frigate
    "Admiral Hryhorovych" for "which ships"), when it gives such a name; none when it mentions the thing but names
    no such one; else every name."""
    if not marker.focus:
        return spans
    nouns = "|".join(re.escape(w[:max(3, len(w) - 1)]) for w in marker.focus)
    before = re.compile(rf"\b(?:{nouns})[\w’']*(?:\s+[\w’'-]+){{0,2}}?\s+[\"“‘]?\Z", re.IGNORECASE)
    after = re.compile(rf"[\"”’]?,?\s+(?:the|a|an|its|their|his|her)\s+(?:[\w’'-]+\s+){{0,2}}?(?:{nouns})",
                       re.IGNORECASE)
    named = re.compile(rf"\b(?:{nouns})", re.IGNORECASE)  # "the Northern Fleet" for "which fleet"
    near = [(a, b) for a, b in spans if before.search(text, max(0, a - 40), a) or after.match(text, b, b + 60)
            or named.search(text, a, b) or _TITLED.match(text[max(0, a - 1):b + 1])]
    if near:
        return near
    # The quote speaks of the thing asked about ("warships" for "which ships") but names none: nothing of the asked
    # kind is there. When it never mentions it, its names may still be the answer ("the Dodgers" for "which team").
    return [] if re.search(nouns, text, re.IGNORECASE) else spans


def _reasons(text: str, marker: Marker) -> list[Span]:
    """From the word that gives a cause ("because", "due to", "would have") to the end of its clause."""
    out = []
    for m in _REASON.finditer(text):
        if end := _clause_end(text, m.end()):
            out.append((m.start(), end))
    return out


def _clause_end(text: str, start: int, pattern: re.Pattern = _CLAUSE_END) -> int:
    """Where the clause (or sentence) from `start` ends, read up to MAX_MARK characters on; 0 when further."""
    m = pattern.search(text, start, min(len(text), start + MAX_MARK))
    return m.start() if m else 0


def _speech(text: str, marker: Marker) -> list[Span]:
    """The words in quotation marks (not a quoted name: some word of it is lower-case); failing those, what a
    "said (that)" reports, to the end of its sentence."""
    quoted = []
    first_close, first_open = text.find("”"), text.find("“")
    if first_close > 0 and (first_open < 0 or first_close < first_open):  # the quote opens before the sentence
        quoted.append((0, first_close))
    for m in _QUOTED.finditer(text):
        group = next(g for g in (1, 2, 3) if m.group(g) is not None)
        quoted.append(m.span(group))
    out = [(a, min(b, a + 2 * MAX_MARK)) for a, b in quoted if any(w[:1].islower() for w in text[a:b].split())]
    if out:
        return out
    for m in _SAY.finditer(text):
        if end := _clause_end(text, m.end(), _SENTENCE_END):
            out.append((m.end(), end))
    for m in _SAID_AFTER.finditer(text):
        lowest = max(0, m.start() - MAX_MARK)
        stop = text.rfind(". ", lowest, m.start())
        start = stop + 2 if stop >= 0 else lowest
        out.append((start, m.start()))
    return out


_FINDERS: dict[str, Callable[[str, Marker], list[Span]]] = {
    "date": _dates, "year": _years, "money": _money, "number": _numbers, "place": _places, "person": _persons,
    "name": _names, "reason": _reasons, "speech": _speech,
}


def pieces(text: str, spans: Sequence[Span]) -> list[tuple[str, bool]]:
    """`text` as shown (each run of whitespace one space, none at either end) cut into (piece, marked) at `spans`.

    Spans that overlap an earlier one or fall outside the text are left out. A mark starts and ends on a word, so
    a run of whitespace never straddles a cut and collapsing each piece collapses the whole."""
    out: list[tuple[str, bool]] = []
    pos = 0
    for a, b in sorted(spans):
        if a < pos or b > len(text) or b <= a:
            continue
        out += [(text[pos:a], False), (text[a:b], True)]
        pos = b
    out.append((text[pos:], False))
    shown = [(re.sub(r"\s+", " ", p), marked) for p, marked in out]
    if shown:
        shown[0] = (shown[0][0].lstrip(), shown[0][1])
        shown[-1] = (shown[-1][0].rstrip(), shown[-1][1])
    return [(p, marked) for p, marked in shown if p]
