"""A word's other English spelling, British or American: "harbour" and "harbor", "centre" and "center", "defence" and
"defense", "organisation" and "organization", "travelled" and "traveled".

A desk's reports are written in one and its members may type the other: "Grand Harbor" is named by a report's "Grand
Harbour" (`index.answer.signals`). The regular endings are swapped both ways; a spelling made up so ("watre" from
"water") is harmless, as it is only ever looked for among a report's words. No maintained package lists the pairs.
"""

from __future__ import annotations

import re
from functools import lru_cache

# (British, American) endings, each with the suffixes it may carry
_ENDINGS = (
    (r"our", r"or", r"(s|ed|ing|able|ite|ites)?"),  # harbour, labour, colour, honour
    (r"(?<=[bt])re", r"er", r"(s|d)?"),  # centre, theatre, metre, fibre
    (r"ence", r"ense", r"(s)?"),  # defence, licence, offence
    (r"is", r"iz", r"(e|es|ed|ing|ation|ations|er|ers)"),  # organise, organisation, realised
    (r"ys", r"yz", r"(e|es|ed|ing)"),  # analyse, paralysed
    (r"ogue", r"og", r"(s)?"),  # catalogue, dialogue
    (r"ll", r"(?<!l)l", r"(ed|ing|er|ers)"),  # travelled, cancelling, jeweller
)
_BRITISH = [(re.compile(f"{uk}{tail}$"), us) for uk, us, tail in _ENDINGS]
_AMERICAN = [(re.compile(f"{us}{tail}$"), uk.replace("(?<=[bt])", "")) for uk, us, tail in _ENDINGS]
_BRITISH = [(pattern, us.replace("(?<!l)", "")) for pattern, us in _BRITISH]


@lru_cache(maxsize=4096)
def other_spellings(word: str) -> frozenset[str]:
    """`word`'s (lower case) other spellings by its ending; none for a word of under five letters ("four", "tour")."""
    if len(word) < 5:
        return frozenset()
    found = set()
    for patterns in (_BRITISH, _AMERICAN):
        for pattern, other in patterns:
            m = pattern.search(word)
            if m:
                found.add(word[:m.start()] + other + (m.group(1) or ""))
    return frozenset(found - {word})
