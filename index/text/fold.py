"""Text folded for comparing: the same words whatever their case, Unicode form, punctuation and spacing."""

from __future__ import annotations

import unicodedata


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
