"""A question's misspelled names read as its corpus writes them ("What did Renata Solbreg say?" → "Solberg").

Typed in a chat, a name is often a letter off. A name the corpus never writes counts as missing from every quote
(`index.answer.signals`), so "Solbreg" turned an answerable question into "not in the corpus". A capitalised word of
the question (any word of one typed without capitals) that the corpus never writes is read as a word the corpus
capitalises (`index.text.cased.Names`: its names, and for a capitalised word also the plain words of its names, as
"Bridge" of "the Old Mill Bridge"):
- written with letters an English keyboard lacks, from its plain form whatever its length ("Gyor" → "Győr",
  "Gdansk" → "Gdańsk");
- else when exactly one of them is that close and the word is no dictionary's (`index.text.dictionary`: "the team's
  last match" is not "March"): one edit for a word of five to eight letters, two from nine (an edit: a letter added,
  left out or changed, or two neighbours swapped — optimal string alignment, by rapidfuzz).
Shorter words, words with figures, words two of them are equally close to, and every word the corpus writes stay as
typed; so does a word no capitalised word of the corpus is close to: read as the English word nearest to it, a name
the corpus lacks ("LeMond", "Cazier") would become one ("Lemon", "Crazier"). The answer says what was read ("Read
“Solbreg” as “Solberg”").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import islice
from typing import Callable

from index.text.cased import Names, bare
from index.text.dictionary import is_common_word

_WORD = re.compile(r"[^\W\d_][\w’'-]*")
MOST_WORDS = 8  # unknown words read per question: a rambling one with hundreds of them costs no more than this


def edits_allowed(word: str) -> int:
    """How many edits away a name may be for `word` to be read as it: none under five letters (too many names are
    one letter from a short word), one up to eight, two from nine."""
    return 0 if len(word) < 5 else 1 if len(word) <= 8 else 2


@dataclass(frozen=True)
class Respelling:
    """A question with its misspelled names written as the corpus writes them, and each word as typed → as read."""

    text: str
    words: tuple[tuple[str, str], ...] = ()


def respell(question: str, names: Callable[[], Names], unknown: Callable[[str], bool]) -> Respelling:
    """`question` with each capitalised word the corpus never writes (`unknown`) written as the corpus writes it: the
    name of the corpus's `names` (read only when such a word is found) it is the plain form of, else the one word the
    corpus capitalises that it is a misspelling of, when it is no dictionary's word. In a question typed without
    capitals every word is read, against names only, and gets the name's lower case (`cased.restore` then
    capitalises it with the question's other names)."""
    lowered = not any(c.isupper() for c in question)
    candidates = list(dict.fromkeys(w for w in (bare(m.group(0)) for m in _WORD.finditer(question))
                                    if (lowered or w[:1].isupper()) and len(w) > 2
                                    and not any(c.isdigit() for c in w)))
    read: dict[str, str] = {}
    for word in islice((w for w in candidates if unknown(w)), MOST_WORDS):
        key = names().plain.get(word.casefold())
        if key is None and edits_allowed(word):
            key = _closest(word.casefold(), names().names_by_length if lowered else names().capitalised_by_length)
            key = None if key is None or is_common_word(word) else key
        if key is not None:
            read[word] = key if lowered else names().form(key)
    if not read:
        return Respelling(question)
    typed = "|".join(map(re.escape, sorted(read, key=len, reverse=True)))
    text = re.sub(rf"(?<![\w’'-])({typed})(?![\w-])", lambda m: read[m.group(1)], question)
    return Respelling(text, tuple(read.items()))


def _closest(word: str, by_length: dict[int, tuple[str, ...]]) -> str | None:
    """The one key (`by_length`: keys by their length) fewest edits from `word` (within `edits_allowed`), or None
    when none or several are. Only keys as long as `word`, give or take the edits allowed, can be that close."""
    from rapidfuzz import process  # ~17 ms to import: paid only by a question with a word its corpus never writes
    from rapidfuzz.distance import OSA

    most = edits_allowed(word)
    keys = [k for n in range(len(word) - most, len(word) + most + 1) for k in by_length.get(n, ())]
    found = process.extract(word, keys, scorer=OSA.distance, score_cutoff=most, limit=None)
    if not found:
        return None
    best = min(d for _, d, _ in found)
    closest = {k for k, d, _ in found if d == best}
    return closest.pop() if len(closest) == 1 else None
