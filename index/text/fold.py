"""Text folded for comparing: the same words whatever their case, Unicode form, punctuation and spacing."""

from __future__ import annotations

import unicodedata


def fold(text: str) -> str:
    """`text` casefolded and NFKC-normalised, punctuation turned to spaces, spaces collapsed."""
    text = unicodedata.normalize("NFKC", text).casefold()
    text = "".join(" " if unicodedata.category(ch).startswith("P") else ch for ch in text)
    return " ".join(text.split())
