"""A word's other English spelling, British or American: "harbour" and "harbor", "centre" and "center", "defence" and
"defense", "organisation" and "organization", "travelled" and "traveled".

A desk's reports are written in one and its members may type the other: "Grand Harbor" is named by a report's "Grand
Harbour" (`index.answer.signals`). The regular endings are swapped both ways; a spelling made up so ("watre" from
"water") is harmless, as it is only ever looked for among a report's words. No maintained package lists the pairs.
"""

from __future__ import annotations

import re
from functools import lru_cache

# (British, American) endings, what must come before either, and the suffixes either may carry
_ENDINGS = (
    ("our", "or", "", r"(s|ed|ing|able|ite|ites)?"),  # harbour, labour, colour, honour
    ("re", "er", r"(?<=[bt])", r"(s|d)?"),  # centre, theatre, metre, fibre
    ("ence", "ense", "", r"(s)?"),  # defence, licence, offence
    ("is", "iz", "", r"(e|es|ed|ing|ation|ations|er|ers)"),  # organise, organisation, realised
    ("ys", "yz", "", r"(e|es|ed|ing)"),  # analyse, paralysed
    ("ogue", "og", "", r"(s)?"),  # catalogue, dialogue
    ("ll", "l", r"(?<!l)", r"(ed|ing|er|ers)"),  # travelled, cancelling, jeweller
)
# each ending as a pattern, and what it becomes: British to American, and back
_SWAPS = [(re.compile(f"{before}{one}{tail}$"), other)
          for uk, us, before, tail in _ENDINGS for one, other in ((uk, us), (us, uk))]


@lru_cache(maxsize=4096)
def other_spellings(word: str) -> frozenset[str]:
    """`word`'s (lower case) other spellings by its ending; none for a word of under five letters ("four", "tour")."""
    if len(word) < 5:
        return frozenset()
    found = {word[:m.start()] + other + (m.group(1) or "") for pattern, other in _SWAPS if (m := pattern.search(word))}
    return frozenset(found - {word})
