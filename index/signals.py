"""What the answer decision is made from: how well the best passages match the question, what the corpus lacks."""

from __future__ import annotations

import calendar
import re
from dataclasses import asdict, dataclass
from datetime import date

from .lexical import LexicalIndex
from .quote import recency
from .types import Hit

FRESH_HALF_LIFE = 30.0  # days: how fast the `fresh` signal halves

_WORD = re.compile(r"[\w’'&.-]+")
_NAME_WORD = re.compile(r"[\w&-]+(?:[’'.][\w&-]+)*")
# Words that start a question or frame it, capitalised or not, and calendar words: never a name.
_FRAMING = frozenset(
    "what which who whom whose when where why how is are was were did does do has have had can could will would "
    "should according in on at the a an of for to and or i".split()
) | {w.casefold() for w in (*calendar.day_name, *calendar.month_name[1:])}
_YEAR = re.compile(r"\b(1[5-9]\d\d|20\d\d)\b")
_POSSESSIVE = re.compile(r"[’']s$")


@dataclass(frozen=True)
class Signals:
    """Features of one retrieval, each in [0, 1] (the margin a little beyond); the decider weighs them
    (index/decide.py)."""

    dense: float  # the best passage's cosine similarity to the question
    coverage: float  # idf-weighted share of the question's content terms in the best sentence
    passage_coverage: float  # the same in the best sentence's passage
    unseen: float  # idf-weighted share of the question's content terms the corpus never mentions
    names_missing: float  # 1.0 when one of the question's names or years is not in the quoted passages
    margin: float  # the best sentence's score minus the best one of another document
    fresh: float  # 1.0 when the best sentence is as new as the latest news the corpus holds, halving every 30 days
    later_year: float  # 1.0 when the question names a year after the latest news the corpus holds

    def as_dict(self) -> dict[str, float]:
        return {k: round(v, 4) for k, v in asdict(self).items()}


def question_names(question: str) -> list[str]:
    """Names (runs of capitalised words) and years in a question, as written. A sentence's first word counts
    only in a run of two or more or in capitals ("Taco Bell", "NASA"; not "Despite" or "Scientists")."""
    names: list[str] = []
    run: list[str] = []
    starts_sentence, run_start, last_end = True, False, 0

    def close() -> None:
        if run and (len(run) > 1 or not run_start or run[0].isupper() and len(run[0]) > 1):
            names.append(" ".join(run))
        run.clear()

    for m in _NAME_WORD.finditer(question):
        word = _POSSESSIVE.sub("", m.group(0).strip("."))
        between = question[last_end:m.start()]
        if between.strip() and run:  # punctuation ends a name ("Tamsworth, Montana")
            close()
        if word[:1].isupper() and word.casefold() not in _FRAMING:
            if not run:
                run_start = starts_sentence
            run.append(word)
        else:
            close()
        starts_sentence = bool(re.search(r"[.!?:“\"]\s*$", question[:m.end()])) or (starts_sentence and not word)
        last_end = m.end()
    close()
    names += [y for y in _YEAR.findall(question) if y not in names]
    return list(dict.fromkeys(names))


_DOTTED = re.compile(r"\b(?:[a-z]\.){2,}")  # "u.s.", "u.k.": the letters of an abbreviation
# A country or body named by its abbreviation in a question and in full in the news, or the other way round.
_ALSO_NAMED = {"us": ("united states", "america", "american", "usa"), "usa": ("united states", "america", "us"),
               "uk": ("united kingdom", "britain", "british"), "eu": ("european union",), "un": ("united nations",)}


def _folded_words(text: str) -> set[str]:
    text = _DOTTED.sub(lambda m: m.group(0).replace(".", "") + " ", text.casefold().replace("’", "'"))
    return {_POSSESSIVE.sub("", w) for w in re.findall(r"[\w'&]+", text)}


def _named_in(name: str, words: set[str]) -> bool:
    """Whether every word of `name` is among `words`, a word also matching one that shares its stem-like start
    ("Russian" → "Russia", "European" → "Europe"; at least 5 letters, all but its last two), or, for an
    abbreviation such as "US", one of its full names ("United States")."""
    name_words = _folded_words(name)
    if any(_folded_words(full) <= words for full in _ALSO_NAMED.get(" ".join(sorted(name_words)), ())):
        return True
    stems = {w[:5] for w in words}
    for w in name_words:
        if w in words:
            continue
        cut = max(5, len(w) - 2)
        if len(w) < 7 or w[:5] not in stems or not any(x.startswith(w[:cut]) for x in words):
            return False
    return True


def missing_names(question: str, text: str) -> list[str]:
    """The question's names and years that `text` never mentions ("US" is mentioned by "U.S." and "United States")."""
    words = _folded_words(text)
    return [n for n in question_names(question) if not _named_in(n, words)]


def unseen_words(lexical: LexicalIndex, question: str) -> list[str]:
    """The question's content words (as written) whose terms the corpus never mentions."""
    content = set(lexical.terms.question(question))
    out = []
    for word in dict.fromkeys(_WORD.findall(question)):
        terms = lexical.terms([word.strip(".'’")])[0]
        if terms and all(t in content and not lexical.known(t) for t in terms):
            out.append(word.strip(".'’?"))
    return out


def measure(question: str, terms: dict[str, float], hits: list[Hit], scores: list[float], coverages: list[float],
            lexical: LexicalIndex, latest: date | None, quoted: int = 3) -> Signals:
    """Signals of a retrieval: `hits` in any order with their best sentence's `scores` and `coverages`;
    `latest` is the date of the newest news the question could be answered from (the corpus's, up to the
    asking date)."""
    order = sorted(range(len(hits)), key=lambda i: scores[i], reverse=True)
    best = order[0]
    total = sum(terms.values()) or 1.0
    present = set(lexical.terms([hits[best].text])[0])
    passage_coverage = sum(w for t, w in terms.items() if t in present) / total
    unseen = sum(w for t, w in terms.items() if not lexical.known(t)) / total
    other = next((scores[i] for i in order if hits[i].doc_id != hits[best].doc_id), 0.0)
    missing = missing_names(question, " ".join(hits[i].text for i in order[:quoted]))
    return Signals(
        dense=max(h.dense for h in hits), coverage=coverages[best], passage_coverage=passage_coverage,
        unseen=unseen if terms else 1.0, names_missing=float(bool(missing)),
        margin=max(scores[best] - other, 0.0),
        fresh=recency(hits[best].date, latest, FRESH_HALF_LIFE) if latest else 0.0,
        later_year=float(bool(latest) and any(int(y) > latest.year for y in _YEAR.findall(question))),
    )

