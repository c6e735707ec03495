"""One question, read once: its text as asked and normalised, its terms and their weights, the clause that asks, the
kind of answer, the words naming what is asked for, its names and years, its time window, the speaker whose words
it asks for and, in a conversation, how it follows up. The engine parses it once and hands it to every stage.

What only the question is read for lives here; readings that share their tables with the sentence side stay with
it (`AnswerType` in quote.py, `Speaker` in speaker.py, time words in timewords.py, follow-ups in followup.py) and
are read through this object, once each; the subjects reports are compared on are read by index.answer.disagree
from its words (once per answer: that module imports this one, so this one cannot ask it).
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field, replace
from datetime import date
from functools import cached_property, lru_cache
from typing import TYPE_CHECKING

from index.errors import EmptyQuestion, QuestionTooLong
from index.text.split import split_sentences
from index.text.unicode import checked
from index.text.periods import spelled_out
from index.text.cased import bare, caseless
from index.text.chatter import unframed
from index.text.spelling import respell, rewritten, strange
from index.text.words import POSSESSIVE, QUOTE_WORD, WITH_FIGURES, word_pattern, words

if TYPE_CHECKING:
    from index.answer.followup import FollowUp
    from index.answer.quote import AnswerType
    from index.answer.role import Role
    from index.answer.speaker import Speaker
    from index.answer.succession import Succession
    from index.answer.timewords import TimeWindow
    from index.text.cased import CasedWords
    from index.store.lexical import LexicalIndex, Terms
    from index.types import Conversation

MAX_QUESTION_CHARS = 500
_AFTER_SENTENCE_END = re.compile(r"(?<=[.!?])")  # zero-width: splitting on it is one pass over the text


def normalize_question(question: str) -> str:
    """The question to search for; a very long text is reduced to its last question, or refused. Linear in the
    text's length: a 200,000-character line is split once at its sentence ends, never rescanned per character."""
    q = " ".join(checked(question or "", "the question").split())
    if not any(c.isalnum() for c in q):  # "", "?", "…!": nothing to search for
        raise EmptyQuestion()
    if len(q) <= MAX_QUESTION_CHARS:
        return q
    asked = [s for s in (p.strip() for p in _AFTER_SENTENCE_END.split(q) if p.endswith("?"))
             if 3 <= len(s) <= MAX_QUESTION_CHARS]
    if asked:
        return asked[-1]
    raise QuestionTooLong(len(q), MAX_QUESTION_CHARS)


@dataclass(frozen=True)
class Question:
    """A question as the engine reads it, each reading made on first use and kept.

    `Question.of("which ships left Tartus?")` normalises the text; the engine binds the index's `lexical` reader
    (for terms and their weights), the asking date (`as_of`, for time words), the conversation (`context`) and the
    words its corpus writes as names (`cased`: a question typed without capitals has its names read back).
    """

    text: str  # normalised (normalize_question): what is searched and read
    as_of: date | None = None  # the asking date: time words count from it (today when not given)
    context: Conversation | None = field(default=None, compare=False)
    lexical: LexicalIndex | None = field(default=None, compare=False, repr=False)
    message: str | None = None  # a reading of a follow-up (pointing back): the message as asked
    cased: CasedWords | None = field(default=None, compare=False, repr=False)  # the index's names (index.text.cased)

    @classmethod
    def of(cls, text: str, **bound) -> "Question":
        """`text` normalised (an empty or rambling one refused: EmptyQuestion, QuestionTooLong), without the chat
        around it ("hey, …", "… thanks!": index.text.chatter), in lower case when its capitals say nothing (all
        capitals, every word capitalised: `cased.caseless`; its names are then read back as a question typed without
        capitals is), a business period's shorthand written out ("Q3 2023": index.text.periods; `message` keeps it as
        asked)."""
        asked = normalize_question(text)
        read = unframed(asked)
        read = spelled_out(read.lower() if caseless(read) else read)
        if read != asked:
            bound.setdefault("message", asked)
        return cls(read, **bound)

    def __str__(self) -> str:
        return self.text

    def bound(self, **bound) -> "Question":
        """The same question with the index's reader, the asking date or the conversation set (read anew)."""
        return replace(self, **bound)

    # --- words and terms ---------------------------------------------------------------------
    @cached_property
    def words(self) -> tuple[str, ...]:
        """Its words as written (index.text.words)."""
        return tuple(words(self.text))

    @cached_property
    def tokens(self) -> Terms:
        """The index's tokenizer (stemmed, its stop words out); bm25s' English one without an index."""
        return self.lexical.terms if self.lexical is not None else _english_terms()

    @cached_property
    def terms(self) -> dict[str, float]:
        """Stemmed content terms with their idf weights (needs `lexical`)."""
        assert self.lexical is not None, "terms are weighted by an index: bind `lexical`"
        return {t: self.lexical.idf(t) for t in self.tokens.question(self.text)}

    @cached_property
    def asked_clause(self) -> str:
        """The sentence that asks (the last one ending in "?"), without the scene set before it ("Aaron Judge hit a
        record 62nd home run this week. Who holds the record with 73?" → "Who holds …?")."""
        return asked_clause(self.text)

    def weights(self, context_share: float) -> dict[str, float]:
        """`terms` reweighted for choosing the answering sentence: when the question sets a scene first, the
        terms only the scene uses count `context_share` of their weight; the asked sentence carries the answer's
        own words."""
        if context_share == 1.0 or self.asked_clause == self.text:
            return self.terms
        own = set(self.tokens.question(self.asked_clause))
        return {t: w if t in own else w * context_share for t, w in self.terms.items()}

    def respelled(self) -> tuple["Question", tuple[tuple[str, str], ...]]:
        """The question with its misspelled names and mistyped words written as the corpus writes them
        (`index.text.spelling`; `message` keeps it as asked), and each word as typed → as read; itself and () when
        none is (needs `lexical`, `cased`)."""
        lexical, cased = self.lexical, self.cased
        if lexical is None or cased is None:
            return self, ()
        unseen = {bare(w) for w in self.unseen}  # its words the corpus never writes (one tokenizer call)

        def writes(word: str) -> bool:  # a word the corpus writes, or a function word ("what": no terms)
            return all(lexical.known(t) for t in lexical.terms([word])[0])

        read = respell(self.text, lambda: cased.names, unseen.__contains__, writes)
        if not read.words:
            return self, ()
        return replace(self, text=read.text, message=self.message or self.text), read.words

    @cached_property
    def unseen(self) -> list[str]:
        """Its content words (as written) whose terms the corpus never mentions (needs `lexical`)."""
        assert self.lexical is not None, "unseen words are read against an index: bind `lexical`"
        lexical, content = self.lexical, set(self.terms)
        out = []
        written = list(dict.fromkeys(words(self.text, WITH_FIGURES)))
        for word, terms in zip(written, lexical.terms([w.strip(".'’") for w in written])):  # one tokenizer call
            if terms and all(t in content and not lexical.known(t) for t in terms):
                out.append(word.strip(".'’?"))
        return out

    # --- what it asks for --------------------------------------------------------------------
    @cached_property
    def answer_type(self) -> AnswerType:
        """The kind of answer it asks for (number, sum, year, date, place, cause, person, name)."""
        from index.answer.quote import AnswerType

        return AnswerType.of(self.text)

    @cached_property
    def focus(self) -> list[str]:
        """The words naming what a which/what question asks for ("which wildly popular show" → wildly, popular,
        show)."""
        return focus_words(self.text)

    @cached_property
    def written(self) -> str:
        """Its text with the capitals its names are read by: as asked, or, typed without capitals, its words the
        corpus writes as names capitalised as the corpus writes them (`cased`; "paolo ferrante" → "Paolo Ferrante"),
        and its words the corpus never writes that no dictionary holds, nor is a slip of a word of, capitalised too
        (with `lexical`; `spelling.strange`: "fiona hallam" → "fiona Hallam", a name the corpus lacks, as "Fiona
        Hallam" is when typed so)."""
        if self.cased is None:
            return self.text
        restored = self.cased.restore(self.text)
        if self.lexical is None or any(c.isupper() for c in self.text):
            return restored
        unknown = [w for w in self.unseen if not any(c.isdigit() for c in w) and strange(bare(w))]
        return rewritten(restored, {w: w[:1].upper() + w[1:] for w in unknown}) if unknown else restored

    @cached_property
    def names(self) -> list[str]:
        """Its names (runs of capitalised words) and years, as written (`written`)."""
        return question_names(self.written)

    @cached_property
    def capitalised(self) -> frozenset[str]:
        """Its capitalised words after the first, folded, as a quote's words are read (index.text.words.QUOTE_WORD)."""
        return frozenset(w.casefold() for w in QUOTE_WORD.findall(self.written)[1:] if w[:1].isupper())

    @cached_property
    def speaker(self) -> Speaker | None:
        """Whose words it asks for ("what did the club's manager say"), if anyone's."""
        from index.answer.speaker import Speaker

        return Speaker.asked_in(self.written)

    @cached_property
    def role(self) -> Role | None:
        """The role it asks a person by ("which architect", "who refereed"), if it does."""
        from index.answer.role import Role

        return Role.asked_in(self.written)

    @cached_property
    def succession(self) -> Succession | None:
        """Whom it asks the predecessor or successor of ("who replaced Tomas Reinholt"), if anyone's."""
        from index.answer.succession import Succession

        return Succession.asked_in(self.written)

    @cached_property
    def window(self) -> TimeWindow | None:
        """The dates its time words point at ("this week", "on December 8"), counted from `as_of`."""
        from index.answer.timewords import resolve

        return resolve(self.text, self.as_of or date.today())

    @cached_property
    def earliest(self) -> bool:
        """Whether its asked clause asks for the first report of something ("originally", "the initial estimate"):
        not a scene set before it."""
        from index.answer.timewords import asks_earliest

        return asks_earliest(self.asked_clause)

    @cached_property
    def time_words(self) -> frozenset[str]:
        """The words of the phrase its window was read from ("in June 2024" → in, june, 2024), folded; none without."""
        return frozenset(self.window.phrase.casefold().split()) if self.window else frozenset()

    @cached_property
    def language(self) -> str | None:
        """The desk language it is asked in: "en", "uk", "ru", or None when too short to tell
        (index.text.language.desk_language)."""
        from index.text.language import desk_language

        return desk_language(self.text)

    @cached_property
    def probes(self) -> tuple[str, tuple[str, ...]]:
        """The probe set its chance level is measured with (index.answer.chance.probes_for)."""
        from index.answer.chance import probes_for

        return probes_for(self.text)

    # --- in a conversation -------------------------------------------------------------------
    @cached_property
    def follow_up(self) -> FollowUp | None:
        """How it follows up its conversation (index.answer.followup), or None outside one."""
        from index.answer.followup import read

        return read(self.text, self.context)

    def reading(self) -> "Question":
        """A follow-up pointing back, as it is asked: the topic's terms filled in (`message` keeps it as asked)."""
        assert self.follow_up is not None
        return Question.of(self.follow_up.question, as_of=self.as_of, lexical=self.lexical,
                           message=self.message or self.text, cased=self.cased)


@lru_cache(maxsize=1)
def _english_terms() -> Terms:
    from index.store.lexical import Terms

    return Terms()


def asked_clause(question: str) -> str:
    """The sentence of `question` that asks (its last one ending in "?"), or the whole question."""
    clauses = [question[a:b] for a, b in split_sentences(question, 0, len(question))]  # not at "U.S." or "8.5"
    if len(clauses) < 2:
        return question
    return next((c for c in reversed(clauses) if c.rstrip().endswith("?")), clauses[-1]).strip()


_FOCUS = re.compile(r"^\s*(?:\w+\s+){0,3}?(?:which|what)\s+((?:[\w’'-]+\s+){0,3}[\w’'-]+)", re.IGNORECASE)
_PAST = set("left won took made became went came got gave held led met ran saw sent set told wrote hit put cut lost "
             "paid built began broke brought bought chose drove fell fled flew found grew kept knew rose sold spent "
             "stood struck threw sank shot beat bore drew hid hung lay quit rang sought slid spoke stole swam "
             "taught tore wore".split())
_STOP_FOCUS = {"is", "was", "are", "were", "did", "does", "do", "has", "have", "will", "would", "can", "could", "the",
               "a"}


def focus_words(question: str) -> list[str]:
    """The words naming what a which/what question asks for ("which wildly popular show" → wildly popular show)."""
    m = _FOCUS.match(question)
    if not m:
        return []
    found: list[str] = []
    for w in m.group(1).split():
        verb = w.lower() in _PAST or (w.lower().endswith("ed") and found)
        if w[:1].isupper() and not found:  # a name before the noun qualifies it ("which Russian warships")
            continue
        if w.lower() in _STOP_FOCUS or verb or w[:1].isupper():  # the verb or a name ends the phrase
            break
        found.append(w.lower())
    return found


# A name's words: "&" and "-" anywhere, an apostrophe or a dot only between letters ("Judge's", "U.S").
_NAME_JOINERS, _NAME_INNER = "&-", "’'."
# Words that start a question or frame it, capitalised or not, and calendar words: never a name.
FRAMING_WORDS = frozenset(
    "what which who whom whose when where why how is are was were did does do has have had can could will would "
    "should according in on at the a an of for to and or i before after during since until despite following amid "
    "unlike without".split()
) | {w.casefold() for w in (*calendar.day_name, *calendar.month_name[1:])} | frozenset(  # Ukrainian, Russian
    "який яка яке які якого якій яким хто кого кому ким що чого чому чим де коли звідки куди скільки як чи "
    "какой какая какое какие какого кто кого кому кем что чего чем где когда почему откуда куда сколько как ли "
    "зачем і й та в у на з із до за про по от из о об".split())
_YEAR = re.compile(r"\b(1[5-9]\d\d|20\d\d)\b")


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

    for m in word_pattern(_NAME_JOINERS, _NAME_INNER).finditer(question):
        word = POSSESSIVE.sub("", m.group(0).strip("."))
        between = question[last_end:m.start()]
        if between.strip() and run:  # punctuation ends a name ("Tamsworth, Montana")
            close()
        if word[:1].isupper() and word.casefold() not in FRAMING_WORDS:
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
