"""Whether a word is one of its language's own words rather than a name: "match", "field", "пристань".

A question's word its corpus never writes may be a misspelled name ("Solbreg") or a plain word the corpus happens not
to use ("the wrestling team's last match"); only the first is read as a name (`index.text.spelling`). English words
are those of pyspellchecker's frequency list (160,572 words, from subtitles: surnames such as "Solberg" are not in it);
Ukrainian and Russian ones, pymorphy3's dictionaries in any of their forms.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

from index.text.words import CYRILLIC

if TYPE_CHECKING:
    from spellchecker import SpellChecker


def is_common_word(word: str) -> bool:
    """Whether `word` (any case) is an English, Ukrainian or Russian dictionary word."""
    lowered = word.casefold()
    if CYRILLIC.search(lowered):
        from index.text.morph import cyrillic_terms

        return cyrillic_terms().known(lowered)
    return lowered in dictionary()


@cache
def dictionary() -> SpellChecker:
    """pyspellchecker's English words, loaded once (~0.2 s, ~30 MB): only a question with a word its corpus never
    writes asks (`index.text.spelling`)."""
    from spellchecker import SpellChecker

    return SpellChecker(language="en", distance=1)
