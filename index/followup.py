"""Follow-up questions: whether a message leans on the conversation before it, and how to read it on its own.

No language model: a message depends on the previous question when it points back ("what date was *that*?",
"who says *so*?", "*and* the cargo ship?") unless it names its subject and says enough itself ("How old was
Vin Scully when *he* died?"), or when it names nothing (no name, at most three content words).
Its reading is the message with the earlier question's names and key terms added, the earlier answer's
documents preferred and its time window kept. A message that names its own subject ("What did Peskov say?")
is asked as it is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from .lexical import QUESTION_WORDS
from .types import Conversation, Turn

# Words that point back at something said before.
_POINTING = frozenset("it its it's that this those these they them their theirs he him his she her hers "
                      "there then so such same former latter".split())
_OPENERS = re.compile(r"^\s*(?:and|but|also|so|then|what about|how about|what else|anything else|why not|"
                      r"and what|and who|and when|and where|and which|and how)\b", re.IGNORECASE)
_WORD = re.compile(r"[\w’'-]+")
_QUOTED = re.compile(r"[\"“‘]([^\"”’]{2,60})[\"”’]")


@lru_cache(maxsize=1)
def _not_content() -> frozenset[str]:
    """Stop words, question framing and chat filler. bm25s' list, imported on first use: importing bm25s pulls
    in scipy (0.15 s of every cold `newsdesk ask`)."""
    from bm25s.stopwords import STOPWORDS_EN_PLUS

    return frozenset(STOPWORDS_EN_PLUS) | QUESTION_WORDS | {"i", "ok", "okay", "please", "exactly", "else"}


MAX_CONTENT_WORDS = 3  # a message naming nothing with at most this many content words is a fragment


@dataclass(frozen=True)
class FollowUp:
    """How to ask a follow-up: the question with the conversation's terms, what to prefer and where to look."""

    question: str  # the message, with the earlier question's terms added in brackets
    carried: tuple[str, ...]  # the terms added
    documents: frozenset[str]  # the previous answer's documents: ranked a little higher
    since: date | None = None  # the previous question's time window, kept
    until: date | None = None


def _words(text: str) -> list[str]:
    return _WORD.findall(text)


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
    """A word compared without case, possessive or plural ("Ships" ~ "ship's" ~ "ship")."""
    return re.sub(r"(?:['’]s|s)$", "", word.casefold())


def _topic(turns: tuple[Turn, ...]) -> list[str]:
    """The terms the conversation is about: the last self-standing question's, plus names asked about since."""
    start = len(turns) - 1
    while start > 0 and depends(turns[start].question):
        start -= 1
    terms = content_words(turns[start].question)
    for turn in turns[start + 1:]:
        terms += names(turn.question)
    return terms


def read(message: str, conversation: Conversation | None) -> FollowUp | None:
    """The follow-up reading of `message` in `conversation`, or None when it stands on its own."""
    if not conversation or not conversation.turns or not depends(message):
        return None
    own = {_base(w) for w in _words(message)}
    carried = tuple(dict.fromkeys(t for t in _topic(conversation.turns) if _base(t) not in own))
    last = conversation.turns[-1]
    window = (last.since, last.until) if last.since else (None, None)
    question = f"{message.rstrip()} ({' '.join(carried)})" if carried else message
    return FollowUp(question, carried, frozenset(last.documents), *window)
