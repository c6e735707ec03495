"""What the answer decision is made from: how well the best passages match the question, what the corpus lacks."""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache
from dataclasses import dataclass, fields
from typing import Callable, Iterable

from index.answer.chance import Scale
from index.answer.question import Question
from index.answer.timewords import TimeWindow, resolve
from index.text.british import other_spellings
from index.text.fold import plain
from index.text.language import desk_language
from index.answer.sentences import COSINES, Pick, SentenceModel, text_of
from index.text.words import CYRILLIC, POSSESSIVE, words
from index.types import Hit



@dataclass(frozen=True)
class Signals:
    """What the answer decision is made from (index/answer/decide.py weighs them).

    Each means the same on a five-article folder and on 80,000 passages, whatever the asking date: none counts the
    corpus's size or age or how new the quoted report is, and the best similarity is read above the corpus's
    chance level (index.answer.chance). A question word the corpus never uses counts only when it is a name or a year
    (`names_missing`): a paraphrase's own words do not (`coverage`, which counts them, is kept for encoders without a
    calibrated decision)."""

    dense: float  # the best passage's cosine similarity to the question
    above_chance: float  # … less the best similarity questions about nothing in this corpus reach (index.answer.chance)
    sentence: float  # the best sentence's own cosine similarity to the question
    coverage: float  # idf-weighted share of the question's terms in the best sentence or its headline
    names_missing: float  # 1.0 when one of the question's names or years, the role it asks a person by or the handover
    # it asks about ("who replaced X"), is not in the quoted passages
    type_nowhere: float  # 1.0 when it asks for a number, date, place, cause or name and no best passage offers one
    score: float  # the best sentence's score as an answer (index.answer.sentences)
    unbound: float = 0.0  # 1.0 when a year, ordinal or first period it asks about is not where the best sentence is
    # (`unbound`), or the speaker it asks for is heard only in reports that never name what it asks about (`unheard_on`)

    def as_dict(self) -> dict[str, float]:
        names = _NAMES.get(type(self)) or _NAMES.setdefault(type(self), tuple(f.name for f in fields(self)))
        return {name: round(getattr(self, name), 4) for name in names}  # (asdict: a deep copy, 3x the time)


# the signal fields of each class: Signals' own, or a study's subclass's with its signals added
_NAMES: dict[type, tuple[str, ...]] = {}
_DOTTED = re.compile(r"\b[a-z](?:\.[a-z])+\b\.?")  # "u.s.", "u.k.", "u.s" (a name's last dot cut): an abbreviation
# A country or body named by its abbreviation in a question and in full in the news, or the other way round.
_ALSO_NAMED = {"us": ("united states", "america", "american", "usa"), "usa": ("united states", "america", "us"),
               "uk": ("united kingdom", "britain", "british"), "britain": ("united kingdom", "uk", "british"),
               "britons": ("united kingdom", "uk", "britain", "british"), "eu": ("european union",),
               "un": ("united nations",)}


def _folded_words(text: str) -> set[str]:
    text = _DOTTED.sub(lambda m: m.group(0).replace(".", "") + " ", text.casefold().replace("’", "'"))
    return {POSSESSIVE.sub("", w) for w in words(text, "'&")}


@lru_cache(maxsize=4096)
def _passage_words(text: str) -> frozenset[str]:
    """`_folded_words` of a passage, Ukrainian and Russian letters folded (_FOLD), kept per passage: each question
    looks for its names in passages the questions before it read (the words of several passages joined by spaces
    are the union of each one's)."""
    found = _folded_words(text.translate(_FOLD))
    return frozenset(found | {plain(w) for w in found if not w.isascii() and not CYRILLIC.search(w)})


def _named_in(name: str, words: set[str] | frozenset[str], texts: tuple[str, ...] = ()) -> bool:
    """Whether every word of `name` is among `words`, a word also matching one that shares its stem-like start
    ("Russian" → "Russia", "European" → "Europe"; at least 5 letters, all but its last two), its singular or plural
    ("H10s" → "H10"), its other English spelling ("Harbor" → "Harbour": `other_spellings`), a country its demonym
    names or the other way round ("Polish" → "Poland": `_demonyms`), or,
    for an abbreviation such as "US", one of its full names ("United States"); one in capitals is also named by
    the initials of words of `texts` ("MVP" → "most valuable player": `_abbreviates`)."""
    name_words = _folded_words(_DESCRIBED.sub("", name))
    if name_words <= words:  # (most names: written as asked)
        return True
    first, _, rest = name.partition(" ")
    if rest and first.rstrip(".").casefold() in _TITLES and _named_in(rest, words, texts):
        return True  # "President Biden" is named by a report's "Biden", "Mayor Solberg" by "Solberg"
    key = " ".join(sorted(name_words))
    if any(_folded_words(full) <= words for full in _ALSO_NAMED.get(key, ())):
        return True
    if (demonym := _demonyms().of_country.get(key)) and demonym in words:
        return True
    stems = {w[:5] for w in words}
    capitals = {w.casefold() for w in _CAPITALS.findall(name)}
    for w in name_words:
        if w in words or _plural_named(w, words) or _demonym_named(w, words) or \
                not other_spellings(w).isdisjoint(words):
            continue
        if w in capitals and _abbreviates(w, texts):
            continue
        if CYRILLIC.search(w):  # names decline ("Зорю", "Зорі"; "Металург", "Металурга"): all but the ending
            cut = max(3, len(w) - 2)
            if any(x.startswith(w[:cut]) for x in words):
                continue
            return False
        cut = max(5, len(w) - 2)
        if len(w) < 7 or w[:5] not in stems or not any(x.startswith(w[:cut]) for x in words):
            return False
    return True


# a title or office before a name, which a report may leave out ("President Biden": "Biden said")
_TITLES = frozenset(
    "president vice prime minister chancellor mayor governor senator sen rep representative congressman congresswoman "
    "judge justice king queen prince princess pope mr mrs ms dr sir dame prof professor lord lady general gen captain "
    "capt coach chairman chairwoman councillor councilor commissioner secretary ambassador bishop archbishop sheriff "
    "chief".split())
# what a name's lower-case compound adds ("Prize-winning", "Blair-era", "Trump-backed"): a description, not the name
_DESCRIBED = re.compile(r"-[a-z][\w-]*")


def _demonym_named(word: str, words: set[str] | frozenset[str]) -> bool:
    """Whether `word` is a demonym, or one's plural ("Americans"), whose country `words` name."""
    countries = _demonyms().countries
    named = countries.get(word) or (countries.get(word[:-1], ()) if word.endswith("s") else ())
    return any(country <= words for country in named)


def _plural_named(word: str, words: set[str] | frozenset[str]) -> bool:
    """Whether `words` hold `word`'s singular ("h10s" → "h10", "herons" → "heron") or its plural."""
    singular = len(word) > 3 and word.endswith("s") and not word.endswith("ss")
    return word + "s" in words or singular and word[:-1] in words


_CAPITALS = re.compile(r"\b[A-Z]{3,6}\b")  # an abbreviation written in capitals ("MVP", "CEO", "NASA")
_SMALL = frozenset("and of the for & de".split())  # words an abbreviation's letters skip ("NASA", "DoJ")


def _abbreviates(abbreviation: str, texts: tuple[str, ...]) -> bool:
    """Whether words of `texts` in a row begin with `abbreviation`'s letters ("most valuable player": "mvp"), the
    small words of a name skipped or not ("national aeronautics and space administration": "nasa"). A chief
    officer's title is also named without its "officer" ("chief executive": "ceo"), as British news writes it.
    Read only for a name the passages do not write as asked: nothing is kept."""
    texts = tuple(t.translate(_FOLD).casefold() for t in texts)
    for text in texts:
        for clause in _CLAUSE_END.split(text):
            tokens = [t for t in words(clause, "'&") if t]
            for run in (tokens, [t for t in tokens if t not in _SMALL]):
                if abbreviation in "".join(t[0] for t in run):
                    return True
    if len(abbreviation) > 2 and abbreviation[0] == "c" and abbreviation[-1] == "o":
        title = re.compile(r"\bchief" + "".join(rf"\s+{c}\w*" for c in abbreviation[1:-1]) + r"\b")
        return any(title.search(t) for t in texts)
    return False


_CLAUSE_END = re.compile(r"[.;:!?()\[\]\"“”]")


@dataclass(frozen=True)
class _Demonyms:
    countries: dict[str, tuple[frozenset[str], ...]]  # a demonym ("polish") → the words of each country it names
    of_country: dict[str, str]  # a country's sorted name words ("poland") → its demonym


@lru_cache(maxsize=1)
def _demonyms() -> _Demonyms:
    """Countries and their demonyms, from countryinfo (its data ships in the wheel; read once, ~40 ms)."""
    from countryinfo import all_countries

    countries: dict[str, list[frozenset[str]]] = {}
    of_country: dict[str, str] = {}
    for country in all_countries():
        try:
            name, demonym = country.name(), country.demonym()
        except (KeyError, AttributeError, ValueError):  # an entry without a name or a demonym
            continue
        if not (name and demonym) or " " in demonym.strip():
            continue
        folded, named = demonym.casefold().strip(), frozenset(_folded_words(name))
        countries.setdefault(folded, []).append(named)
        of_country[" ".join(sorted(named))] = folded
    return _Demonyms({d: tuple(c) for d, c in countries.items()}, of_country)


def missing_names(question: Question, text: str | list[str]) -> list[str]:
    """The question's names and years that `text` never mentions ("US" is mentioned by "U.S." and "United States").

    `text` may be several passages (a list): a name is missing only when every one of them is written in its
    alphabet — "Тартус" cannot be looked for in an English report, nor "Metalurh" in a Ukrainian one, where it is
    spelled in another — and, in Cyrillic, in the question's language: a Russian question's "Металлург",
    "Россия" are spelled "Металург", "Росія" in a Ukrainian report. Ukrainian and Russian spellings of one name
    meet where they differ by a letter ("Пєсков", "Песков": _FOLD); a Latin one, with or without its diacritics
    ("Klaipeda", "Klaipėda": `plain`)."""
    texts = [text] if isinstance(text, str) else list(text)
    words = frozenset().union(*(_passage_words(t) for t in texts))
    written_in = {_written_in(t) for t in texts}
    asked_in = {"latin": "latin", "cyrillic": question.language or "cyrillic"}

    def looked_for(name: str) -> bool:  # a name is looked for in passages of its own script's language; an initial
        script = _script(name)  # ("J. K. Rowling": "J", "K") is not, as a report may write "JK" or the name in full
        return len(name) > 1 and (script is None or written_in == {asked_in[script]})
    return [n for n in question.names if looked_for(n) and not _named_in(
        n.translate(_FOLD) if n.isascii() or CYRILLIC.search(n) else plain(n), words, tuple(texts))]


@lru_cache(maxsize=4096)
def _written_in(text: str) -> str | None:
    """A passage's alphabet ("latin", None), or for Cyrillic its language ("uk", "ru"; "cyrillic" when too short to
    tell). Kept per text, as `alphabet` is: the passages a question is checked against were read by the ones before."""
    script = alphabet(text)
    return (desk_language(text) or "cyrillic") if script == "cyrillic" else script


@lru_cache(maxsize=4096)
def alphabet(text: str) -> str | None:
    """The alphabet most of `text`'s letters are in: "cyrillic" or "latin" (any other); None without letters.
    Kept per text: the passages a question is checked against are read letter by letter (1 ms a question)."""
    letters = sum(c.isalpha() for c in text)
    if not letters:
        return None
    return "cyrillic" if 2 * len(CYRILLIC.findall(text)) > letters else "latin"


_FOLD = str.maketrans("ІіЇїЄєЁёҐґ", "ИиИиЕеЕеГг")  # Ukrainian and Russian letters a name's two spellings differ by


def _script(word: str) -> str | None:
    """ "cyrillic", "latin" (any other letter), or None for a word without letters (a year)."""
    if CYRILLIC.search(word):
        return "cyrillic"
    return "latin" if any(c.isalpha() for c in word) else None


# A year ("2021", "the 2025-26 season"), an ordinal past the first ("the third campaign", "second-lowest") or a
# first period ("in its first month", "the first half"): what picks one of several reports of the same thing. ("first"
# alone is left out: "when it was first shut" asks no round.)
_PERIODS = "day|week|month|year|season|quarter|half"
_QUALIFIER = re.compile(rf"\b(?:second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|first (?:{_PERIODS})"
                        r"|(?:1[5-9]|20)\d\d(?:[-–/]\d\d)?)\b", re.IGNORECASE)


def unbound(asked: str, around: str, day: str | None = None) -> list[str]:
    """The years and ordinals of a question's asked clause (`Question.asked_clause`) that `around` (the best
    sentence with the sentences either side of it and its headline) never states, and that are not its report's
    year: the corpus reports the thing asked about, but for another year or another round of it ("How many doses
    did the county order for its third campaign?" over "all 6,500 doses the county ordered"; "How many riders used
    Route 9 in its first month?" over its ridership since). A year the question names elsewhere in the passages does
    not bind it here; one missing from them all is `missing_names`'."""
    out = []
    for m in _QUALIFIER.finditer(asked):
        word = m.group(0).casefold()
        year = word[:4] if word[:1].isdigit() else None
        if year and day and day[:4] == year:
            continue
        period = word.partition(" ")[2]  # a first period, also with a word between or hyphenated ("first full month")
        stated = rf"\bfirst[\s-]+(?:[\w-]+\s+)?{period}" if period else rf"\b{re.escape(year or word)}\b"
        if not re.search(stated, around, re.IGNORECASE):
            out.append(m.group(0))
    return out


def around(pick: Pick, hit: Hit) -> str:
    """A candidate sentence with the sentences either side of it in its passage, after its headline."""
    spans = list(hit.sentences) or [(hit.start, hit.end)]
    i = next((j for j, (s, _) in enumerate(spans) if s == pick.start), None)
    if i is None:
        return f"{hit.title}. {text_of(hit, pick)}"
    a, b = spans[max(0, i - 1)][0], spans[min(len(spans) - 1, i + 1)][1]
    return f"{hit.title}. {hit.text[a - hit.start:b - hit.start]}"


def _unstated(question: Question, passages: list[str]) -> bool:
    """Whether the question asks a person by a role ("which architect") none of `passages` names, or who came before
    or after someone in a post ("who replaced X") and none names that handover (read in English words: `measure`
    asks only over passages in the question's alphabet)."""
    role, succession = question.role, question.succession
    return (role is not None and not any(role.named_in(t) for t in passages)
            or succession is not None and not any(succession.stated_in(t) for t in passages))


def unheard_on(question: Question, ranked: list[tuple[Pick, Hit]]) -> list[str]:
    """The names a question asks its speaker about that no report where the speaker is heard names ("What did
    Sunita Rao of Halberd Securities say about the Tessaro Cells deal?" where she speaks only of a recall): the
    corpus has their words, but on something else. Empty when the speaker is heard nowhere in `ranked` (whose
    sentences' `speaker` feature says whose words they are) or is asked about nothing named; a year is left to
    `missing_names`, a report of that year need not write it."""
    speaker = question.speaker
    if speaker is None:
        return []
    topic = [n for n in question.names if not n.isdigit() and not _folded_words(n) & speaker.words]
    heard = {h.doc_id for p, h in ranked if p.features.get("speaker")}
    if not topic or not heard:
        return []
    reports: dict[str, dict[str, None]] = {}  # each such report's passages in `ranked`, each with its headline
    for _, h in ranked:
        if h.doc_id in heard:
            reports.setdefault(h.doc_id, {})[f"{h.title}. {h.text}"] = None
    missing = set(topic)
    for texts in reports.values():
        missing &= set(missing_names(question, list(texts)))
    return [n for n in topic if n in missing]


def _unnamed(question: Question, missing: list[str], reports: Iterable[tuple[str, list[str]]]) -> list[str]:
    """`missing` less a year the question's time words name ("in June 2024") when one of the quoted reports (each
    the day it is dated, ISO, and its quoted passages) is dated within the dates they set and its passages point at
    no other: a report of June 2024 need not write "2024", but one of August 2023 recalling "last summer" or "2022"
    may be about then."""
    window = question.window if missing else None
    if window is None or window.vague:
        return missing
    since, until = window.since.isoformat(), window.until.isoformat()
    if not any(day and since <= day <= until and not _elsewhere(" ".join(texts), date.fromisoformat(day), window)
               for day, texts in reports):
        return missing
    return [n for n in missing if n.casefold() not in question.time_words]


# a year in figures, or one a report names from its own date ("last year", "last summer", "two years ago")
_OTHER_YEAR = re.compile(r"\b(?:1[5-9]|20)\d\d\b|\blast (?:year|spring|summer|autumn|fall)\b"
                         r"|\b(?:a|one|two|three|\d{1,2}) years? ago\b", re.IGNORECASE)


def _elsewhere(text: str, day: date, window: TimeWindow) -> bool:
    """Whether `text`, a passage dated `day`, names a year or a part of one outside `window`."""
    for m in _OTHER_YEAR.finditer(text):
        phrase = m.group(0)
        named = resolve(f"in {phrase}" if phrase.isdigit() else phrase, day)
        if named and (named.until < window.since or named.since > window.until):
            return True
    return False


def measure(question: Question, ranked: list[tuple[Pick, Hit]], chance: float, quoted: int = 3,
            passages: int = 5, *, scale: Callable[[str | None], Scale | None] | None = None,
            model: SentenceModel | None = None) -> Signals:
    """Signals of a retrieval: `ranked` are its candidate sentences with their passages, best first (names are
    looked for in the first `quoted` passages, the kind of answer in the first `passages`); `chance` is the
    corpus's chance similarity.

    `scale` gives, for a passage's language, how its similarities read on the scale of a question asked in that
    language (None: as they are — the question's own language, or one unknown): the best passage is read above the
    chance level of its own language, and the best sentence's similarity and score (its cosine features, weighed
    by `model`) as a question in its passage's language would score them."""
    best, hit = ranked[0]
    expects = question.answer_type
    top = list(dict.fromkeys(h.chunk_id for _, h in ranked))[:passages]
    reports: dict[str, tuple[str, list[str]]] = {}  # the first `quoted` passages by report: its day, their texts
    quoted_passages: list[str] = []  # … each with its headline
    for _, h in ranked:
        if len(quoted_passages) == quoted:
            break
        text = f"{h.title}. {h.text}"
        if text not in quoted_passages:
            quoted_passages.append(text)
            reports.setdefault(h.doc_id, ((h.date or "")[:10], []))[1].append(text)
    asked_for = expects.number or expects.date or expects.place or expects.name or expects.reason
    # the kinds of answer, roles and handovers are read in English words: not in passages written in another alphabet
    own_alphabet = {alphabet(t) for t in quoted_passages} == {alphabet(question.text)}
    dense = max(h.dense for _, h in ranked)
    above, sentence, score = dense - chance, best.features.get("sentence", hit.dense), best.score
    if model and (aligned := model.weights.get("aligned")):  # it chooses the sentence; the decision reads the
        score -= aligned * best.features.get("aligned", 0.0)  # score without it (docs/quality.md)
    scales = {h.language: scale(h.language) for _, h in ranked} if scale else {}
    if any(scales.values()):
        above = max(s.above_chance(h.dense) if (s := scales[h.language]) else h.dense - chance for _, h in ranked)
        if s := scales[hit.language]:
            sentence = s(sentence)
            weights = model.weights if model else {}
            score += sum(w * (s(best.features[f]) - best.features[f]) for f, w in weights.items()
                         if f in COSINES and f in best.features)
    return Signals(
        dense=dense,
        above_chance=above,
        sentence=sentence,
        coverage=best.coverage,
        names_missing=float(bool(_unnamed(question, missing_names(question, quoted_passages), reports.values()))
                            or own_alphabet and _unstated(question, quoted_passages)),
        type_nowhere=float(asked_for and own_alphabet
                           and not any(expects.offered_by(text_of(h, p)) for p, h in ranked if h.chunk_id in top)),
        score=score,
        unbound=float(bool(unbound(question.asked_clause, around(best, hit), hit.date)
                           or own_alphabet and unheard_on(question, ranked))),
    )
