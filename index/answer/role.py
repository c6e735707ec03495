"""The role a question asks a person by ("Which architect designed the factory?", "Who refereed the final?"), and
whether passages name it. A report that gives the person gives the role ("architect Jan Kowal", "referee Alan
Dunphy"): when none of the quoted passages names it, the answer is missing as a name the passages never state is
(`index.answer.signals`, `names_missing`)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

# One office, the names news copy gives it: a question's "finance chief" is the article's "chief financial officer".
OFFICES = (
    ("chief financial officer", "chief finance officer", "finance chief", "financial chief", "cfo"),
    ("chief executive officer", "chief executive", "ceo"),
    ("chief operating officer", "chief operations officer", "operations chief", "coo"),
    ("chief technology officer", "technology chief", "cto"),
    ("spokesperson", "spokesman", "spokeswoman"),
    ("chairperson", "chairman", "chairwoman", "chair"),
)
# A role's other names in reports: a question's "lawyer" may be the report's "barrister" or "counsel", its "architect"
# a building "designed by" a firm. (A role's name in any of them counts; more names, fewer questions refused.)
_KINDRED = OFFICES + (
    ("lawyer", "attorney", "barrister", "solicitor", "counsel", "advocate"),
    ("architect", "designer", "designed by", "design by"),
    ("referee", "refereed by", "umpire", "official"),
    ("judge", "justice", "magistrate", "recorder"),
    ("doctor", "physician", "surgeon", "medic"),
    ("captain", "skipper"),
    ("coach", "manager"),
    ("founder", "co-founder", "founded by"),
    ("inspector", "investigator", "detective"),
    ("scientist", "researcher", "professor"),
)
# Roles a report names beside the person. Not words as loose as "boss", "head", "leader" or "member", which reports
# say in other words ("chief executive", "chair of", "Council member").
_ROLES = (r"architect|designer|referee|umpire|lawyer|attorney|barrister|solicitor|judge|prosecutor|"
          r"chief executive officer|chief executive|ceo|chief financial officer|chief finance officer|finance chief|"
          r"financial chief|cfo|chief operating officer|coo|chief technology officer|cto|"
          r"chairperson|chairman|chairwoman|chair|president|director|manager|coach|captain|spokesperson|spokesman|"
          r"spokeswoman|mayor|governor|minister|secretary|treasurer|engineer|auditor|inspector|investigator|"
          r"scientist|researcher|doctor|surgeon|principal|superintendent|founder|commissioner|sheriff|editor|author|"
          r"photographer|pilot|skipper|analyst|economist|chef|agent|broker")
_OF = r"(?:the\s+)?(?:(?:[\w.&-]+\s+){0,3}?[\w.&-]+['’]s?\s+)?"  # "the town's", "Calloway Fasteners'"
_NOT_VERB = r"(?!(?:did|does|do|is|was|were|are|has|have|had|will|would|can|could|should)\b)"
_ROLE = rf"(?P<role>{_NOT_VERB}(?:[\w-]+\s+){{0,2}}?(?:{_ROLES}))\b"
_ASKED = [
    re.compile(rf"^\s*who(?:['’]s|\s+is|\s+was|\s+were|\s+are|\s+will be|\s+had been|\s+has been)\s+{_OF}{_ROLE}",
               re.IGNORECASE),
    re.compile(rf"^\s*(?:which|what)\s+{_ROLE}", re.IGNORECASE),
    re.compile(rf"\bwho did .{{1,60}}? (?:hire|appoint|name|pick|choose|select|elect|make) as\s+{_OF}{_ROLE}",
               re.IGNORECASE),
    re.compile(rf"\bwho (?:replaced|succeeded|followed) .{{1,60}}? as\s+{_OF}{_ROLE}", re.IGNORECASE),
    re.compile(r"^\s*who (?P<role>refereed|umpired)\b", re.IGNORECASE),
]
_DOERS = {"refereed": "referee", "umpired": "umpire"}


@dataclass(frozen=True)
class Role:
    """The role a question asks a person by: its names in a report (its kindred roles' too, else its last word)."""

    phrase: str  # as asked: "the town's grants manager" → "grants manager"
    forms: tuple[str, ...]

    @classmethod
    def asked_in(cls, question: str) -> "Role | None":
        for pattern in _ASKED:
            if m := pattern.search(question):
                phrase = " ".join(m.group("role").casefold().split())
                phrase = _DOERS.get(phrase, phrase)
                return cls(phrase, kin(phrase, _KINDRED) or (phrase.split()[-1],))
        return None

    def named_in(self, text: str) -> bool:
        """Whether `text` names the role ("architects", "architecture" for "architect"; any name of an office)."""
        return _pattern(self.forms).search(text) is not None


def kin(phrase: str, groups: tuple[tuple[str, ...], ...] = OFFICES) -> tuple[str, ...]:
    """The names of the office (or of the kindred roles, `groups`) that `phrase`, folded, names: "finance chief" → the
    CFO's names; () for none."""
    return next((g for g in groups if any(re.search(rf"\b{re.escape(f)}s?\b", phrase) for f in g)), ())


@lru_cache(maxsize=256)
def _pattern(forms: tuple[str, ...]) -> re.Pattern:
    return re.compile("|".join(rf"\b{re.escape(f)}\w{{0,4}}" for f in forms), re.IGNORECASE)
