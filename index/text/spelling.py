"""A question's misspelled names and mistyped words read as its corpus writes them ("What did Renata Solbreg say?"
→ "Solberg"; "the tax incerase" → "increase").

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
the corpus lacks ("LeMond", "Cazier") would become one ("Lemon", "Crazier").

A plain word is mistyped as often, and one no passage writes was missed by the lexical search and pulled the
question's vector aside: "taxapyers'", "conrtact", "petiton". A word in lower case (or the question's first word) that
the corpus never writes and no dictionary holds is read as the English word it is a slip of (`mistyped`): two swapped
neighbours first, else one edit to a word the corpus writes. The answer says what was read ("Read “Solbreg” as
“Solberg”").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from itertools import islice
from typing import Callable

from index.text.british import other_spellings
from index.text.cased import Names, bare
from index.text.dictionary import dictionary, is_common_word

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


def respell(question: str, names: Callable[[], Names], unknown: Callable[[str], bool],
            writes: Callable[[str], bool] | None = None) -> Respelling:
    """`question` with each capitalised word the corpus never writes (`unknown`) written as the corpus writes it: the
    name of the corpus's `names` (read only when such a word is found) it is the plain form of, else the one word the
    corpus capitalises that it is a misspelling of, when it is no dictionary's word. In a question typed without
    capitals every word is read, against names only, and gets the name's lower case (`cased.restore` then
    capitalises it with the question's other names). With `writes` (whether the corpus writes a word, or it is a
    function word), any other such word in lower case (or the question's first) is read in its other English
    spelling when the corpus writes that (from six letters: "centre" → "center", `index.text.british`), else, of four
    letters or more and no dictionary's word, as the dictionary word it is a slip of (`mistyped`: "petiton" →
    "petition", "waht" → "what")."""
    lowered = not any(c.isupper() for c in question)
    candidates = list(dict.fromkeys(w for w in (bare(m.group(0)) for m in _WORD.finditer(question))
                                    if len(w) > 2 and not any(c.isdigit() for c in w)))
    candidates.sort(key=lambda w: not (lowered or w[:1].isupper()))  # names first: at most MOST_WORDS are read
    opening = _WORD.match(question.lstrip("¿¡\"“'‘("))
    first = bare(opening.group(0)) if opening else None  # the question's first word: capitalised as any first word
    read: dict[str, str] = {}
    for word in islice((w for w in candidates if unknown(w)), MOST_WORDS):
        key = None
        if lowered or word[:1].isupper():
            key = names().plain.get(word.casefold())
            if key is None and edits_allowed(word):
                key = _closest(word.casefold(), names().names_by_length if lowered else names().capitalised_by_length)
                key = None if key is None or is_common_word(word) else key
            key = key if key is None or lowered else names().form(key)
        if key is None and writes is not None and (word.islower() or word == first):
            other = sorted(other_spellings(word.casefold())) if len(word) >= 6 else ()  # "prise" is no "prize"
            key = next((w for w in other if writes(w)), None)  # "centre": "center"
            if key is None and no_word(word):
                key = mistyped(word, writes, swaps_only=lowered)
            key = key if key is None or not word[:1].isupper() else key[:1].upper() + key[1:]
        if key is not None:
            read[word] = key
    if not read:
        return Respelling(question)
    return Respelling(rewritten(question, read), tuple(sorted(read.items(), key=lambda pair: question.find(pair[0]))))


def rewritten(text: str, read: dict[str, str]) -> str:
    """`text` with each whole word of `read` written as `read` gives it (the longest first: "Gdansk's" is the word
    "Gdansk" before its possessive; "Gdansk-based" is no "Gdansk")."""
    typed = "|".join(map(re.escape, sorted(read, key=len, reverse=True)))
    return re.sub(rf"(?<![\w’'-])({typed})(?![\w-])", lambda m: read[m.group(1)], text)


def no_word(word: str) -> bool:
    """Whether `word` (four letters or more) is in no dictionary, in neither its British nor its American spelling
    ("prise", "colour" are words: pyspellchecker's list is American); a hyphenated one, whether a part is ("stand-in"
    is words)."""
    if "-" in word:
        return any(no_word(part) for part in word.split("-"))
    if len(word) < 4 or is_common_word(word):
        return False
    return not any(map(is_common_word, other_spellings(word.casefold())))


def strange(word: str) -> bool:
    """Whether `word` is no dictionary's word (`no_word`) and no slip of one either: one edit from none ("kowalczyk",
    "fallowmere"; not "aborad", one swap from "abroad" and from "aboard", nor "payvane", one letter from "pavane")."""
    return no_word(word) and not any(_near(part.casefold()) for part in word.split("-") if no_word(part))


def mistyped(word: str, writes: Callable[[str], bool], swaps_only: bool = False) -> str | None:
    """The English dictionary word (lower case) `word` is a slip of, or None:
    - two neighbours swapped (the commonest slip: "contarct" is "contract", not "contact"): the commonest such word
      the corpus `writes`, else the only one, written or not ("arcihtect" is "architect" in a corpus that never
      writes it: a question about what it never states stays one);
    - else, from six letters, the commonest word one edit away that the corpus writes ("petiton"); never with
      `swaps_only` (in a question typed without capitals a name may be the word, and "lemond" is one letter from
      "lemon"), nor for shorter words ("tuple" is one letter from "tulle")."""
    words = dictionary()
    lowered = word.casefold()
    near = _near(lowered)
    written = [w for w in near if writes(w)]
    swapped = [w for w in near if len(w) == len(lowered) and _swapped(lowered, w)]
    if swapped:
        if len(swapped) == 1 or any(w in written for w in swapped):
            return max(swapped, key=lambda w: (w in written, words.word_usage_frequency(w), w))
        return None
    if not written or swaps_only or len(lowered) < 6:
        return None
    return max(written, key=lambda w: (words.word_usage_frequency(w), w))


@lru_cache(maxsize=4096)
def _near(word: str) -> frozenset[str]:
    """The dictionary's words one edit from `word` (lower case), looked up once: both `mistyped` and `strange` ask."""
    words = dictionary()
    return frozenset(words.known(words.edit_distance_1(word)))


def _swapped(a: str, b: str) -> bool:
    """Whether `b` is `a` with two neighbouring letters swapped."""
    diff = [i for i, (x, y) in enumerate(zip(a, b)) if x != y]
    return len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]]


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
