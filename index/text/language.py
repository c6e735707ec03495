"""A document's language (ISO 639-1), detected once at ingest by lingua and kept in its metadata.

lingua ships its language models inside its wheel and loads each lazily (~0.7 s and ~130 MB the first time: its
high-accuracy mode took 11 s and 1 GB for all languages here). The low-accuracy mode is reliable from ~120
characters ("Tartus. Russian ships left the port of Tartus." came out Dutch), so a text with fewer letters than
`MIN_LETTERS` has no language — `None`, never a guess — and only the first `SAMPLE_CHARS` of a document are read,
so a long document costs what a short one does.
"""

from __future__ import annotations

import threading
from collections import Counter
from typing import Mapping

SAMPLE_CHARS = 2000
MIN_LETTERS = 100
KEY = "language"  # the metadata field a stored document keeps it in

_detector = None
_lock = threading.Lock()


def _lingua():
    global _detector  # one detector per process: it is immutable once built and thread-safe
    with _lock:
        if _detector is None:
            from lingua import LanguageDetectorBuilder

            _detector = LanguageDetectorBuilder.from_all_languages().with_low_accuracy_mode().build()
        return _detector


def detect(text: str) -> str | None:
    """The ISO 639-1 code of the language `text` is written in ("en", "uk", "ru", …), or None."""
    sample = text[:SAMPLE_CHARS]
    if sum(c.isalpha() for c in sample) < MIN_LETTERS:
        return None
    found = _lingua().detect_language_of(sample)
    return found.iso_code_639_1.name.lower() if found is not None else None


_desk_detector = None


def _ukrainian_or_russian():
    global _desk_detector
    with _lock:
        if _desk_detector is None:
            from lingua import Language, LanguageDetectorBuilder

            # two languages in low-accuracy mode: 0.2 s to load (all three in high accuracy: 3.5 s), and they
            # told every question and sentence of the multilingual corpus apart alike
            _desk_detector = LanguageDetectorBuilder.from_languages(
                Language.UKRAINIAN, Language.RUSSIAN).with_low_accuracy_mode().build()
        return _desk_detector


def desk_language(text: str) -> str | None:
    """Which of the desk's languages `text` is written in, short as it may be (a question, a quoted sentence):
    "en" without a Cyrillic letter (no model loaded), else "uk" or "ru" as lingua tells them apart from a few
    words. None: no letters, or Cyrillic too short to tell ("Де?")."""
    sample = text[:SAMPLE_CHARS]
    if not any(c.isalpha() for c in sample):
        return None
    if not any("\u0400" <= c <= "\u04ff" for c in sample):
        return "en"
    found = _ukrainian_or_russian().detect_language_of(sample)
    return found.iso_code_639_1.name.lower() if found is not None else None


# Languages written in Cyrillic (of those lingua names)
CYRILLIC_WRITTEN = frozenset({"uk", "ru", "be", "bg", "mk", "sr", "kk", "mn"})


def could_hold(word: str, asked_in: str | None, held: Mapping[str, int] | None) -> bool:
    """Whether a corpus holding documents in the languages `held` (code → how many; "" those too short to tell; None
    when its version did not count them) could state `word`, a word of a question asked in `asked_in`, as it is
    written: a Cyrillic word only if it holds documents in the question's language (Ukrainian and Russian spell
    the same names differently; any Cyrillic one when the question's is unknown), a word in another alphabet only
    if it holds documents in a language not written in Cyrillic, a number always. A corpus with documents whose
    language is unknown could hold any word."""
    if held is None or held.get("") or not any(c.isalpha() for c in word):
        return True
    languages = {code for code, n in held.items() if n}
    if any("\u0400" <= c <= "\u04ff" for c in word):
        return asked_in in languages if asked_in in ("uk", "ru") else bool(languages & CYRILLIC_WRITTEN)
    return bool(languages - CYRILLIC_WRITTEN)


NAMES = {"en": "English", "uk": "Ukrainian", "ru": "Russian"}


def name(code: str) -> str:
    """A language's English name ("uk" → "Ukrainian"), from lingua for codes newsdesk does not name itself."""
    if code in NAMES:
        return NAMES[code]
    from lingua import IsoCode639_1, Language

    try:
        return Language.from_iso_code_639_1(getattr(IsoCode639_1, code.upper())).name.title()
    except AttributeError:
        return code


def unread(documents: Mapping[str, int], reads: frozenset[str] | None) -> Counter:
    """Of `documents` (language → how many), those in a language a model reading `reads` (None: any) does not."""
    if reads is None:
        return Counter()
    return Counter({code: int(n) for code, n in documents.items() if code and code not in reads and n})


def unread_note(counts: Counter, model: str) -> str | None:
    """One line saying which documents the model does not read, or None when it reads them all."""
    if not counts:
        return None
    total = sum(counts.values())
    what = (f"{total} document{'s' if total != 1 else ''} in " +
            ", ".join(f"{name(code)} ({n})" if len(counts) > 1 else name(code)
                      for code, n in sorted(counts.items(), key=lambda kv: (-kv[1], name(kv[0])))))
    return (f"{what}: the model {model} does not read {'them' if total != 1 else 'it'}, so questions will rarely "
            f"find {'them' if total != 1 else 'it'} (EMBEDDING_MODEL=multilingual-e5-small reads ~100 languages)")
