"""The names of a question typed without capitals, read back from how its corpus writes them.

Chat questions often come in lower case ("what did paolo ferrante say about the strike"), and a name is read from
its capitals (`index.answer.question.question_names`): the decision then cannot tell that the quotes never name the
person asked about. A corpus says which of its words are names: those it writes with a capital inside a sentence,
at least once as a name's last word, and never in lower case ("Ferrante", "PFAS", "Osei-Bright"; not "Fire" and
"Chief" of "Fire Chief Luis Marchetti", whose role a question writes "the fire chief"). Each index version keeps
them (`FILE`, written at ingest), and a question typed without a single capital has those words written as the
corpus writes them (one with capitals of its own is read as written: "What did the fire chief say?" names no one).
"""

from __future__ import annotations

import json
import re
import threading
from collections import Counter
from functools import cached_property, lru_cache
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from index.text.fold import plain
from index.text.words import CYRILLIC, POSSESSIVE

FILE = "cased.json"

_WORD = re.compile(r"[\w’'-]+")


@lru_cache(maxsize=1)
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """(a capitalised word inside a sentence, a lower-case word), compiled on first use: only ingest and an older
    version's first lower-case question read a corpus (~6 ms at import otherwise, on every `newsdesk ask`).

    The capitalised word follows a word and a space (or a comma or semicolon and a space). Before another
    capitalised word it is a name's first words or a title ("Paolo" of "Paolo Ferrante", "Fire Chief" of "Fire Chief
    Luis Marchetti"), read as a name only before one (`Names.parts`); else a name's last word (`Names.last`). The
    letters are the upper- and lower-case ones of the Latin, Latin-1, Latin Extended-A, Greek and Cyrillic blocks."""
    upper = "".join(chr(c) for c in range(0x500) if chr(c).isupper() and chr(c).isalpha())
    lower = "".join(chr(c) for c in range(0x500) if chr(c).islower() and chr(c).isalpha())
    return (re.compile(rf"(?<=[\w,;] )([{upper}][\w’'-]*+)(?=( [{upper}])?)"),
            re.compile(rf"(?<![\w’'-])[{lower}][\w-]*"))  # (a possessive's "'s" left out: read in C, not Python)


# a title's or a saint's abbreviation, after which a capitalised word is a name's ("St. Brigid's", "Dr. Tomasz
# Adeyemi"), not a new sentence's: read as a word before it
_TITLED = re.compile(r"\b(St|Dr|Mr|Mrs|Ms|Mt|Ft|Gen|Sen|Rep|Gov|Lt|Col|Sgt|Capt|Prof|Rev)\. (?=[A-Z])")


def bare(word: str) -> str:
    """`word` without its quotes, hyphens at either end and possessive ("Ferrante's" → "Ferrante")."""
    return POSSESSIVE.sub("", word.strip("’'-"))


@dataclass(frozen=True)
class Names:
    """The words a corpus writes as names, lower-cased → as written: `last` a name's last word ("ferrante"), `parts`
    one only ever written before another capitalised word ("paolo", "chief"); and `common`, the words it capitalises
    inside a sentence but also writes in lower case ("bridge" of "the Old Mill Bridge"): no name alone, a name's word
    all the same, which a question may misspell (`index.text.spelling`)."""

    last: dict[str, str] = field(default_factory=dict)
    parts: dict[str, str] = field(default_factory=dict)
    common: dict[str, str] = field(default_factory=dict)

    def as_json(self) -> str:
        return json.dumps({"last": self.last, "parts": self.parts, "common": self.common}, ensure_ascii=False)

    @cached_property
    def keys(self) -> tuple[str, ...]:
        """Every name word, lower-cased (`last` then `parts`)."""
        return (*self.last, *self.parts)

    @cached_property
    def names_by_length(self) -> dict[int, tuple[str, ...]]:
        """`keys` by their length: a word a few edits from another is about as long."""
        return _by_length(self.keys)

    @cached_property
    def capitalised_by_length(self) -> dict[int, tuple[str, ...]]:
        """Every word the corpus capitalises inside a sentence (`keys` and `common`), by length."""
        return _by_length([*self.keys, *self.common])

    @cached_property
    def plain(self) -> dict[str, str]:
        """The name words written with letters an English keyboard lacks, by their plain form ("gdansk" → "gdańsk"),
        when no other name word has that form."""
        found: dict[str, list[str]] = {}
        for key in self.keys:
            if not key.isascii() and not CYRILLIC.search(key):
                found.setdefault(plain(key), []).append(key)
        return {form: keys[0] for form, keys in found.items() if len(keys) == 1 and form not in self.last
                and form not in self.parts}

    def form(self, key: str) -> str:
        """How the corpus writes the capitalised word `key`."""
        return self.last.get(key) or self.parts.get(key) or self.common[key]


def _by_length(keys: Iterable[str]) -> dict[int, tuple[str, ...]]:
    found: dict[int, list[str]] = {}
    for key in keys:
        found.setdefault(len(key), []).append(key)
    return {n: tuple(k) for n, k in found.items()}


def cased_words(texts: Iterable[str]) -> Names:
    """The words `texts` capitalise inside a sentence and never write in lower case, and those they also write in
    lower case (`Names.common`), each in its commonest capitalised form. Regular expressions do the reading: 3–4 s
    over 80,000 passages."""
    capitalised, lowercase = _patterns()
    forms: tuple[dict[str, dict[str, int]], dict[str, dict[str, int]]] = ({}, {})
    lower: set[str] = set()
    for text in texts:
        for word, before in capitalised.findall(_TITLED.sub(r"\1 ", text)):
            word = bare(word)
            if len(word) > 1:
                counts = forms[bool(before)].setdefault(word.casefold(), {})
                counts[word] = counts.get(word, 0) + 1
        lower.update(lowercase.findall(text))
    last, parts = ({key: max(counts, key=counts.__getitem__) for key, counts in found.items() if key not in lower}
                   for found in forms)
    common = {key: (Counter(forms[0].get(key, {})) + Counter(forms[1].get(key, {}))).most_common(1)[0][0]
              for key in (forms[0].keys() | forms[1].keys()) & lower}
    return Names(last, {key: form for key, form in parts.items() if key not in last}, common)


def caseless(question: str) -> bool:
    """Whether `question`'s capitals say nothing of its names: written all in capitals ("WHAT YEAR DID THE OLD MILL
    BRIDGE GO UP?") or with every word capitalised ("What Year Did The Old Mill Bridge Go Up?"), three words or more.
    Read as it stands, every word of it was a name, and names the corpus never writes made it "not in the corpus"."""
    found = [w for w in _WORD.findall(question) if w[:1].isalpha()]
    if len(found) < 3:
        return False
    cased = [c for c in question if c.lower() != c.upper()]
    return all(c.isupper() for c in cased) or all(w[:1].isupper() for w in found)


def restore(question: str, names: Names) -> str:
    """`question` with its names written as the corpus writes them, when it has no capital at all (else as it is:
    its writer's capitals are read): a name's last word ("ferrante"), and the words before it the corpus writes only
    in names ("paolo ferrante" → "Paolo Ferrante"; "the fire chief" stays as it is)."""
    if not (names.last or names.parts) or any(c.isupper() for c in question):
        return question
    found = list(_WORD.finditer(question))
    written, named = [], False  # read from the end: whether the word after this one is written as a name
    for i in range(len(found) - 1, -1, -1):
        word = found[i].group(0)
        naked = bare(word)
        joined = named and question[found[i].end():found[i + 1].start()] == " "
        form = names.last.get(naked.casefold()) or (names.parts.get(naked.casefold()) if joined else None)
        named = form is not None
        written.append(word.replace(naked, form, 1) if form else word)
    words_back = iter(reversed(written))
    return _WORD.sub(lambda _: next(words_back), question)


class CasedWords:
    """A version's names: read from its `FILE` on first use, or, for a version written before it was kept, from its
    passages (`texts`) once."""

    def __init__(self, folder: Path, texts: Callable[[], Iterable[str]] = lambda: ()) -> None:
        self._path, self._texts = folder / FILE, texts
        self._names: Names | None = None
        self._lock = threading.Lock()

    @property
    def names(self) -> Names:
        if self._names is None:
            with self._lock:
                if self._names is None:
                    self._names = self._read()
        return self._names

    def _read(self) -> Names:
        try:
            found = json.loads(self._path.read_text(encoding="utf-8"))
            if isinstance(found, dict) and isinstance(found.get("last"), dict) and isinstance(found.get("parts"), dict):
                common = found.get("common")  # (not in a version written before session 45)
                return Names(found["last"], found["parts"], common if isinstance(common, dict) else {})
        except (OSError, ValueError):
            pass
        return cased_words(self._texts())

    def restore(self, question: str) -> str:
        """`restore(question, …)` with this version's names (read only for a question that needs them)."""
        if any(c.isupper() for c in question):
            return question
        return restore(question, self.names)


def save(folder: Path, texts: Iterable[str]) -> None:
    """Write the cased words of `texts` (a version's passages) into `folder`."""
    (folder / FILE).write_text(cased_words(texts).as_json(), encoding="utf-8")
