"""Text folded for comparing: the same words whatever their case, Unicode form, punctuation and spacing."""

from __future__ import annotations

import unicodedata
from functools import lru_cache


class _Punctuation(dict):
    """For `str.translate`: a punctuation character (Unicode category P*) → a space, any other → itself, each
    character's category read once (a one-character-at-a-time Python loop cost a quote ~1 ms; the table holds
    at most the characters Unicode defines)."""

    def __missing__(self, code: int) -> int:
        self[code] = out = 32 if unicodedata.category(chr(code)).startswith("P") else code
        return out


_PUNCTUATION = _Punctuation()


def fold(text: str) -> str:
    """`text` casefolded and NFKC-normalised, punctuation turned to spaces, spaces collapsed."""
    text = unicodedata.normalize("NFKC", text).casefold().translate(_PUNCTUATION)
    return " ".join(text.split())


@lru_cache(maxsize=4096)
def plain(text: str) -> str:
    """Latin-script `text` without its diacritics and special letters ("Győr" → "Gyor", "Łódź" → "Lodz", "Bērziņš" →
    "Berzins"; anyascii): a question typed on an English keyboard names them so. (Not for Cyrillic: it would be
    transliterated.)"""
    from anyascii import anyascii

    return anyascii(text)
