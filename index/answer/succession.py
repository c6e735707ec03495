"""Who held a post before or after someone ("Who replaced Tomas Reinholt as manager?", "Who was the chief executive
before Ilse Marchetti?"). A report that answers names the handover with that person on the asked side ("succeeded
Reinholt", "Marchetti took over from …"); one that names it the other way round ("Reinholt … Brannigan's successor")
or not at all does not: the answer is missing as a name the passages never state is (`index.answer.signals`)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

_NAME = r"(?P<name>(?:[A-Z][\w’'.-]+\s+){0,3}[A-Z][\w’'-]+)"
_AFTER = [  # who came after NAME
    re.compile(rf"\b(?i:who (?:replaced|succeeded|followed|took over from|will replace|will succeed|is replacing|"
               rf"is succeeding))\s+{_NAME}"),
    re.compile(rf"\b(?i:who (?:is|was|will be))\s+{_NAME}['’]s? (?i:successor)\b"),
]
_BEFORE = [  # who came before NAME
    re.compile(rf"^\s*(?i:who (?:was|were|had been))\b.{{1,60}}?\b(?i:before)\s+{_NAME}"),
    re.compile(rf"^\s*(?i:who (?:led|managed|ran|headed|coached|chaired|captained|held))\b.{{0,60}}?\b(?i:before)\s+"
               rf"{_NAME}"),
    re.compile(rf"\b(?i:who (?:is|was))\s+{_NAME}['’]s? (?i:predecessor)\b"),
]
# a handover, the one before named next ("succeeded Reinholt", "took over in May from Reinholt"; not "replaced by")
_HANDOVER = (r"(?i:succeed(?:s|ed|ing)?|replac(?:e|es|ed|ing)|in place of|in succession to|successor to|vacated by|"
             r"(?:take|takes|took|taken|taking) (?:over|the reins)\b[^.]{0,30}?\bfrom)\s+(?!by\b)")


@dataclass(frozen=True)
class Succession:
    """A question about who held a post before or after `name` (their last word, as a report writes it)."""

    name: str
    after: bool  # True: their successor is asked for; False: their predecessor

    @classmethod
    def asked_in(cls, question: str) -> "Succession | None":
        for after, patterns in ((True, _AFTER), (False, _BEFORE)):
            for pattern in patterns:
                if m := pattern.search(question):
                    return cls(m.group("name").split()[-1].removesuffix("’s").removesuffix("'s"), after)
        return None

    def stated_in(self, text: str) -> bool:
        """Whether `text` names a handover with this person on the asked side."""
        return _pattern(self.name, self.after).search(text) is not None


@lru_cache(maxsize=256)
def _pattern(name: str, after: bool) -> re.Pattern:
    who = re.escape(name)
    if after:  # "succeeded Reinholt", "took over from Reinholt", "Reinholt's successor"
        return re.compile(rf"{_HANDOVER}(?:[\w’'.-]+\s+){{0,3}}?{who}\b|\b{who}['’]s?\s+(?:\w+\s+)?successor\b|"
                          rf"\bafter {who}['’]s? (?:departure|resignation|exit|sacking|dismissal|retirement|death)\b")
    # "Marchetti succeeded Tom Ward", "Ostrowska will take over on January 1 from Paolo Ferrante", "Ward's successor,
    # Marchetti": the one before named ("Marchetti took over in 2015", "was replaced by" name no one before her)
    return re.compile(rf"\b{who}\b[^.]{{0,80}}?\b{_HANDOVER}(?:[a-z]+\s+){{0,3}}?[A-Z]|\b{who}['’]s?\s+predecessor\b|"
                      rf"\bsuccessor,? (?:[A-Z][\w’'.-]*\s+){{0,3}}{who}\b")
