"""Whose words a question asks for ("what did the club's manager say…") and whether a quoted sentence is theirs."""

from __future__ import annotations

import re
from dataclasses import dataclass

from index.answer.role import OFFICES, kin
from index.limits import QUESTION_SPAN
from index.text.words import words

_VERBS = (r"say|said|says|tell|told|think|thinks|thought|warn|warned|claim|claimed|argue|argued|predict|predicted|"
          r"promise|promised|admit|admitted|announce|announced|write|wrote|reply|replied|add|added|blame|blamed|"
          r"explain|explained|insist|insisted|suggest|suggested|make of|recommend|recommended|urge|urged|"
          r"confirm|confirmed|deny|denied|acknowledge|acknowledged|concede|conceded|note|noted|vow|vowed|pledge|pledged")
# The speaker is read within one question (QUESTION_SPAN characters): an unbounded `.+?` rescanned the rest of the
# text from every "what did" (quadratic on a long text).
_SPEAKER = f"(?P<s>.{{1,{QUESTION_SPAN}}}?)"
_ASKED = [
    re.compile(rf"\b(?:what|how) (?:did|does|do|has|have|had|will|would) {_SPEAKER} "
               rf"(?:{_VERBS})\b", re.IGNORECASE),
    re.compile(rf"\bhow (?:did|does|do|has|have|had) {_SPEAKER} (?:react|respond|reply|justify|defend|describe|"
               r"explain|put it|feel)\b", re.IGNORECASE),
    re.compile(rf"\b(?:what|how) (?:was|is|were|are) {_SPEAKER}['’]s? (?:reaction|response|view|views|position|"
               r"stance|comment|comments|explanation|argument|message|warning|verdict|answer|reply|assessment|take|"
               r"prediction|promise|excuse|advice|reasoning)\b", re.IGNORECASE),
    re.compile(r"\baccording to (?P<s>[^,?]+?)(?:,|\?|$)", re.IGNORECASE),
    re.compile(rf"\b(?:who|what) did {_SPEAKER} (?:blame|thank|credit|criticise|criticize|praise|accuse)\b",
               re.IGNORECASE),
]
_DROP = frozenset("the a an his her their its our your my this that these those of for at in on to and new former "
                  "then current".split())
_ACRONYMS = frozenset(f for office in OFFICES for f in office if " " not in f and len(f) == 3)
_NAME_RUN = re.compile(r"[A-Z][\w'’.-]+(?:\s+(?:[A-Z][\w'’.-]+|de|van|von|al|bin)){0,5}")  # a name: a few words
_POSSESSIVE = re.compile(r"['’]s?$")


def _words(text: str) -> list[str]:
    return [_POSSESSIVE.sub("", w.casefold()) for w in words(text)]


@dataclass(frozen=True)
class Speaker:
    """The speaker a question names: by name ("Peskov") or by role ("the fire chief", "the club's manager")."""

    phrase: str
    words: frozenset[str]  # its words, folded, without articles and possessives: {"club", "manager"}
    head: str  # the word naming who they are: "manager" (for a name, its last word)
    named: bool
    office: tuple[str, ...] = ()  # the names of the office it holds, if one ("chief financial officer", "cfo", …)

    @classmethod
    def asked_in(cls, question: str) -> "Speaker | None":
        """The speaker whose words `question` asks for, if it asks for someone's words."""
        for pattern in _ASKED:
            if m := pattern.search(question):
                phrase = m.group("s").strip(" ,")
                words = [w for w in _words(phrase) if w not in _DROP]
                if not words or len(words) > 8 or words[0] in ("you", "i", "we", "it", "they", "there"):
                    continue
                split = phrase.split()
                plain = [w for w in split[1:] or split if _POSSESSIVE.sub("", w).casefold() not in _ACRONYMS]  # "CFO"
                named = any(w[:1].isupper() for w in plain) and not phrase[:1].islower()
                ofs = [i for i, w in enumerate(_words(phrase)) if w == "of"]
                head = _words(phrase)[ofs[0] - 1] if ofs and ofs[0] > 0 else words[-1]
                folded = " ".join(_words(phrase))
                office = () if named else kin(folded)
                return cls(phrase, frozenset(words), head, named, office)
        return None

    def aliases(self, text: str) -> frozenset[str]:
        """Name words `text` gives this role: "Manager Tom Reilly", "Tom Reilly, the Rovers' manager" → tom, reilly."""
        if self.named:
            return frozenset()
        out: set[str] = set()
        for m in re.finditer(self._role, text, re.IGNORECASE):
            after = _NAME_RUN.match(text, m.end() + 1) if text[m.end():m.end() + 1] == " " else None
            if after:
                out.update(_words(after.group(0)))
                continue
            before = text[max(0, m.start() - 60):m.start()]
            if b := re.search(r"([A-Z][\w'’.-]+(?:\s+[A-Z][\w'’.-]+)+),\s+(?:the |a |an )?[^,.;]{0,40}$", before):
                out.update(_words(b.group(1)))
        return frozenset(out - _DROP)

    def says(self, sentence: str, attribution: str, aliases: frozenset[str] = frozenset()) -> bool:
        """Whether `sentence`, attributed to `attribution`, carries this speaker's words."""
        said_by = set(_words(attribution))
        if self.named:
            return bool(self.words & said_by) or bool(self.words & set(_words(sentence)) and _SAYS.search(sentence))
        if aliases & said_by or self._holds(attribution, said_by):
            return True
        own = set(_words(sentence))
        return bool(_SAYS.search(sentence)) and (self._holds(sentence, own) or bool(aliases & own))

    @property
    def _role(self) -> str:
        """The pattern of the role's names in a text: its office's names, or its head word."""
        return "|".join(rf"\b{re.escape(f)}s?\b" for f in self.office or (self.head,))

    def _holds(self, text: str, folded: set[str]) -> bool:
        """Whether `text` (its words `folded`) names the role."""
        return bool(re.search(self._role, text, re.IGNORECASE)) if self.office else self.head in folded


_SAYS = re.compile(r"\b(?:said|says|told|added|adds|warned|warns|noted|explained|according to|stated|insisted|"
                   r"argued|wrote|announced|confirmed)\b", re.IGNORECASE)
