"""What the answer decision is made from: how well the best passages match the question, what the corpus lacks."""

from __future__ import annotations

import calendar
import re
from dataclasses import asdict, dataclass

from index.store.reading import LexicalReader
from index.answer.quote import AnswerType
from index.answer.sentences import Pick, text_of
from index.types import Hit

_WORD = re.compile(r"[\w’'&.-]+")
_NAME_WORD = re.compile(r"[\w&-]+(?:[’'.][\w&-]+)*")
# Words that start a question or frame it, capitalised or not, and calendar words: never a name.
_FRAMING = frozenset(
    "what which who whom whose when where why how is are was were did does do has have had can could will would "
    "should according in on at the a an of for to and or i".split()
) | {w.casefold() for w in (*calendar.day_name, *calendar.month_name[1:])} | frozenset(  # Ukrainian, Russian
    "який яка яке які якого якій яким хто кого кому ким що чого чому чим де коли звідки куди скільки як чи "
    "какой какая какое какие какого кто кого кому кем что чего чем где когда почему откуда куда сколько как ли "
    "зачем і й та в у на з із до за про по от из о об".split())
_YEAR = re.compile(r"\b(1[5-9]\d\d|20\d\d)\b")
_POSSESSIVE = re.compile(r"[’']s$")


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
    names_missing: float  # 1.0 when one of the question's names or years is not in the quoted passages
    type_nowhere: float  # 1.0 when it asks for a number, date, place, cause or name and no best passage offers one
    score: float  # the best sentence's score as an answer (index.answer.sentences)

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
        # Only the question's first word starts a sentence here: the test this replaced (a sentence end at the close
        # of question[:m.end()], searched anew for every word: quadratic) read up to the word's own last character,
        # a letter, digit, "&" or "-", so it never held. Kept as the decision was fitted with it.
        starts_sentence = starts_sentence and not word
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
        if _CYRILLIC.search(w):  # names decline ("Зорю", "Зорі"; "Металург", "Металурга"): all but the ending
            cut = max(3, len(w) - 2)
            if any(x.startswith(w[:cut]) for x in words):
                continue
            return False
        cut = max(5, len(w) - 2)
        if len(w) < 7 or w[:5] not in stems or not any(x.startswith(w[:cut]) for x in words):
            return False
    return True


def missing_names(question: str, text: str | list[str]) -> list[str]:
    """The question's names and years that `text` never mentions ("US" is mentioned by "U.S." and "United States").

    `text` may be several passages (a list): a name is missing only when every one of them is written in its
    alphabet — "Тартус" cannot be looked for in an English report, nor "Metalurh" in a Ukrainian one, where it is
    spelled in another. Ukrainian and Russian spellings of one name meet ("Пєсков", "Песков": _FOLD)."""
    texts = [text] if isinstance(text, str) else list(text)
    words = _folded_words(" ".join(texts).translate(_FOLD))
    written_in = {alphabet(t) for t in texts}
    return [n for n in question_names(question) if (_script(n) is None or written_in == {_script(n)})
            and not _named_in(n.translate(_FOLD), words)]


def alphabet(text: str) -> str | None:
    """The alphabet most of `text`'s letters are in: "cyrillic" or "latin" (any other); None without letters."""
    letters = sum(c.isalpha() for c in text)
    if not letters:
        return None
    return "cyrillic" if 2 * len(_CYRILLIC.findall(text)) > letters else "latin"


_CYRILLIC = re.compile(r"[а-яёіїєґА-ЯЁІЇЄҐ]")
_FOLD = str.maketrans("ІіЇїЄєЁёҐґ", "ИиИиЕеЕеГг")  # Ukrainian and Russian letters a name's two spellings differ by


def _script(word: str) -> str | None:
    """ "cyrillic", "latin" (any other letter), or None for a word without letters (a year)."""
    if _CYRILLIC.search(word):
        return "cyrillic"
    return "latin" if any(c.isalpha() for c in word) else None


def unseen_words(lexical: LexicalReader, question: str) -> list[str]:
    """The question's content words (as written) whose terms the corpus never mentions."""
    content = set(lexical.terms.question(question))
    out = []
    for word in dict.fromkeys(_WORD.findall(question)):
        terms = lexical.terms([word.strip(".'’")])[0]
        if terms and all(t in content and not lexical.known(t) for t in terms):
            out.append(word.strip(".'’?"))
    return out


def measure(question: str, terms: dict[str, float], ranked: list[tuple[Pick, Hit]], lexical: LexicalReader,
            expects: AnswerType, chance: float, quoted: int = 3, passages: int = 5) -> Signals:
    """Signals of a retrieval: `ranked` are its candidate sentences with their passages, best first (names are
    looked for in the first `quoted` passages, the kind of answer in the first `passages`); `chance` is the
    corpus's chance similarity."""
    best, hit = ranked[0]
    top = list(dict.fromkeys(h.chunk_id for _, h in ranked))[:passages]
    quoted_passages = list(dict.fromkeys(f"{h.title}. {h.text}" for _, h in ranked))[:quoted]
    asked_for = expects.number or expects.date or expects.place or expects.name or expects.reason
    dense = max(h.dense for _, h in ranked)
    return Signals(
        dense=dense,
        above_chance=dense - chance,
        sentence=best.features.get("sentence", hit.dense),
        coverage=best.coverage,
        names_missing=float(bool(missing_names(question, quoted_passages))),
        # (the kinds of answer are read in English words: not in passages written in another alphabet)
        type_nowhere=float(asked_for and {alphabet(t) for t in quoted_passages} == {alphabet(question)}
                           and not any(expects.offered_by(text_of(h, p)) for p, h in ranked if h.chunk_id in top)),
        score=best.score,
    )
