"""Follow-up questions: how a message asked in a conversation is read. No language model.

Three kinds, decided from the message's words and the conversation's topic (the last self-standing question's
terms, plus names asked about since):

- *points back* ("what date was *that*?", "who says *so*?", "when did *they* leave?"): the message leans on the
  previous question and adds at most one word of its own. It is read with the topic's terms added, the
  previous answer's documents preferred and its time window kept.
- *new subject* ("what about the cargo ship?", "and the bases?", "which fleet is the cargo ship from?"): it
  leans on the conversation (an opener such as "and"/"what about", or a fragment naming no one) but turns to
  something the topic does not hold. It is asked as it is — without the old question's terms, which would pull
  the answer back to the old subject — in the story's documents first (each answer's leading document: an
  answer's later quotes may come from other stories), then in the whole corpus.
  A short question naming someone ("what did Ankara say?", "and Peskov?") is one too.
- *names its own subject* ("How old was Vin Scully when he died?", "Which council member voted against the
  bridge contract?"): a question that stands alone, asked as it is over the whole corpus. (Searching the
  conversation's documents first lost such questions: a story's names recur in its other articles, and the
  answer was often in one the conversation had not quoted yet — measured in docs/quality.md.)
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from index.store.lexical import QUESTION_WORDS
from index.text.words import singular
from index.text.words import words as _words
from index.types import Answer, Conversation, Turn

# Words that point back at something said before.
_POINTING = frozenset("it its it's that this those these they them their theirs he him his she her hers "
                      "there then so such same former latter one ones".split())
# "the last one", "the most expensive": a definite phrase that still points back
_NOT_NEW_AFTER_THE = frozenset("last first same other latest next previous most least one ones".split())
_OPENERS = re.compile(r"^\s*(?:and|but|also|so|then|what about|how about|what else|anything else|why not|"
                      r"and what|and who|and when|and where|and which|and how)\b", re.IGNORECASE)
_QUOTED = re.compile(r"[\"“‘]([^\"”’]{2,60})[\"”’]")


@lru_cache(maxsize=1)
def _not_content() -> frozenset[str]:
    """Stop words, question framing and chat filler. bm25s' list, imported on first use: importing bm25s pulls
    in scipy (0.15 s of every cold `newsdesk ask`)."""
    from bm25s.stopwords import STOPWORDS_EN_PLUS

    return frozenset(STOPWORDS_EN_PLUS) | QUESTION_WORDS | {"i", "ok", "okay", "please", "exactly", "else"}


MAX_CONTENT_WORDS = 3  # a message naming nothing with at most this many content words is a fragment


POINTS_BACK, NEW_SUBJECT, OWN_SUBJECT = "points back", "new subject", "names its own subject"


@dataclass(frozen=True)
class FollowUp:
    """How to ask a message of a conversation: its reading, what to prefer or search first, and the window."""

    question: str  # the message; pointing back, with the topic's terms added in brackets
    kind: str  # POINTS_BACK, NEW_SUBJECT or OWN_SUBJECT
    carried: tuple[str, ...]  # the terms added (pointing back only)
    # pointing back: the previous answer's, preferred; else the story's (each answer's leading one), searched first
    documents: frozenset[str]
    since: date | None = None  # pointing back: the previous question's time window, kept
    until: date | None = None


def names(text: str) -> list[str]:
    """Capitalised words after the first one (and quoted titles): the names a question mentions."""
    found = [m.group(1) for m in _QUOTED.finditer(text)]
    words = _words(text)
    found += [w for w in words[1:] if w[:1].isupper() and w.casefold() not in _not_content()]
    return found


def content_words(text: str) -> list[str]:
    """The words of `text` that say what it is about, in order, without stop words or question framing."""
    return [w for w in _words(text) if w.casefold() not in _not_content()]


def depends(message: str) -> bool:
    """Whether a message needs the previous question to be understood."""
    lowered = [w.casefold() for w in _words(message)]
    if not lowered:
        return False
    if _OPENERS.match(message):
        return True
    named, content = bool(names(message)), len(content_words(message))
    if any(w in _POINTING for w in lowered):  # unless it names its subject and says enough ("when he died")
        return not (named and content > MAX_CONTENT_WORDS)
    return not named and content <= MAX_CONTENT_WORDS


def _base(word: str) -> str:
    return singular(word, any_s=True)


def _topic(turns: tuple[Turn, ...]) -> list[str]:
    """The terms the conversation is about: the last self-standing question's, plus names asked about since."""
    start = len(turns) - 1
    while start > 0 and depends(turns[start].question):
        start -= 1
    terms = content_words(turns[start].question)
    for turn in turns[start + 1:]:
        terms += names(turn.question)
    return terms


def kind_of(message: str, conversation: Conversation) -> str:
    """POINTS_BACK, NEW_SUBJECT or OWN_SUBJECT (see the module's docstring).

    A dependent message turns to a new subject when it opens like one ("and the bases?", "what about…") and
    says something the topic does not; when it points back ("that", "they", "the last one") only if it also
    names a new thing with "the" ("what did they take from *the air base*?"); when it does neither (a fragment,
    "which fleet is the cargo ship from?") whenever it says something the topic does not.
    """
    if not depends(message):  # a short one naming someone is a new subject of the story ("what did Ankara say?")
        return NEW_SUBJECT if names(message) and len(content_words(message)) <= MAX_CONTENT_WORDS else OWN_SUBJECT
    topic = {_base(t) for t in _topic(conversation.turns)}
    new = {_base(w) for w in content_words(_OPENERS.sub(" ", message))} - topic
    words = [w.casefold() for w in _words(message)]
    if not new:
        return POINTS_BACK
    if _OPENERS.match(message) or not any(w in _POINTING for w in words):
        return NEW_SUBJECT
    named = {_base(b) for a, b in zip(words, words[1:]) if a == "the" and b not in _NOT_NEW_AFTER_THE}
    return NEW_SUBJECT if named & new else POINTS_BACK


def read(message: str, conversation: Conversation | None) -> FollowUp | None:
    """The reading of `message` in `conversation`, or None outside one."""
    if not conversation or not conversation.turns:
        return None
    kind = kind_of(message, conversation)
    if kind == OWN_SUBJECT:
        return FollowUp(message, kind, (), frozenset())
    if kind == NEW_SUBJECT:  # the story: each answer's leading document (the others may be other stories)
        documents = frozenset(turn.documents[0] for turn in conversation.turns if turn.documents)
        return FollowUp(message, kind, (), documents)
    own = {_base(w) for w in _words(message)}
    carried = tuple(dict.fromkeys(t for t in _topic(conversation.turns) if _base(t) not in own))
    last = conversation.turns[-1]
    window = (last.since, last.until) if last.since else (None, None)
    question = f"{message.rstrip()} ({' '.join(carried)})" if carried else message
    return FollowUp(question, kind, carried, frozenset(last.documents), *window)


def reading_note(answer: Answer) -> str | None:
    """How a follow-up was read, in a line for people ("Read as: …"); None for a question asked outside one."""
    if answer.reading == POINTS_BACK:
        return f"Read as: {answer.question} (pointing back to the conversation)"
    if answer.reading == NEW_SUBJECT:
        return ("Read as a new subject, answered from this conversation's documents" if answer.within else
                "Read as a new subject; not in this conversation's documents, so searched everywhere")
    if answer.reading == OWN_SUBJECT:
        return "Read on its own (it names its own subject)"
    return None
