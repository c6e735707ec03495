"""Words as the answer path reads them: one word pattern (which characters may join a word's letters) and one
singulariser. The lexical index tokenises its own way (index.store.lexical: bm25s' `\\w\\w+`)."""

from __future__ import annotations

import re
from functools import lru_cache

CYRILLIC = re.compile(r"[а-яёіїєґА-ЯЁІЇЄҐ]")  # a Ukrainian or Russian letter, either case
JOINERS = "’'-"  # a word's letters and these: "don't", "Osei-Bright", "ship’s"
WITH_FIGURES = "’'&.-"  # and "&" and ".": "AT&T", "1.5", "U.S." as one word each (a figure as the question writes it)


@lru_cache(maxsize=None)
def word_pattern(joiners: str = JOINERS, inner: str = "") -> re.Pattern[str]:
    """Runs of word characters and `joiners`; `inner` characters join two such runs but neither start nor end a
    word ("U.S" and "Judge's" with inner "’'.", never a lone "'")."""
    run = rf"[\w{re.escape(joiners)}]+"
    return re.compile(rf"{run}(?:[{re.escape(inner)}]{run})*" if inner else run)


def words(text: str, joiners: str = JOINERS, inner: str = "") -> list[str]:
    """The words of `text`, in order ("which ship’s crew left?" → which, ship’s, crew, left)."""
    return word_pattern(joiners, inner).findall(text)


# A word as a quote shows it: letters and digits joined by inner punctuation ("1,200", "3.2", "Osei-Bright",
# "don't"), with a currency sign before or a percent sign after (index.answer.mark marks such words).
QUOTE_WORD = re.compile(r"[$€£¥]?[^\W_]+(?:[.,’'/-][^\W_]+)*%?")
POSSESSIVE = re.compile(r"[’']s$")  # a word's possessive ending ("Ferrante's")
_POSSESSIVE_OR_S = re.compile(r"(?:['’]s|s)$")


def singular(word: str, *, any_s: bool = False) -> str:
    """`word` compared without case, possessive or plural ("Ships" ~ "ship's" ~ "ship"): the possessive off, then a
    plural's "s" (not that of "ss" or of a word of three letters or fewer); apostrophes straight.

    `any_s`: the possessive or else any last "s", apostrophes as written — the rule follow-ups were read and
    measured with (index.answer.followup), kept so their readings do not move."""
    w = word.casefold()
    if any_s:
        return _POSSESSIVE_OR_S.sub("", w)
    w = w.replace("’", "'")
    w = w[:-2] if w.endswith("'s") else w
    return w[:-1] if len(w) > 3 and w.endswith("s") and not w.endswith("ss") else w
