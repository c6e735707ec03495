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
from pathlib import Path
from typing import Callable, Iterable

FILE = "cased.json"

# Upper- and lower-case letters of the Latin, Latin-1, Latin Extended-A, Greek and Cyrillic blocks
_UPPER = "".join(chr(c) for c in range(0x500) if chr(c).isupper() and chr(c).isalpha())
_LOWER = "".join(chr(c) for c in range(0x500) if chr(c).islower() and chr(c).isalpha())
_REST = r"[\w’'-]*"
# a capitalised word after a word and a space (or a comma or semicolon and a space), inside a sentence, and not
# before another capitalised word: a name's last word ("Ferrante"), not a title or a name's first words ("Fire Chief
# Luis Marchetti", which the desk writes "the fire chief" in questions)
_CAPITALISED = re.compile(rf"\w[,;]? ([{_UPPER}]{_REST}+)(?! [{_UPPER}])")
_LOWERCASE = re.compile(rf"(?<![\w’'-])[{_LOWER}][\w-]*")  # (a possessive's "'s" left out: read in C, not Python)
_POSSESSIVE = re.compile(r"[’']s$")
_WORD = re.compile(r"[\w’'-]+")


def _bare(word: str) -> str:
    return _POSSESSIVE.sub("", word.strip("’'-"))


def cased_words(texts: Iterable[str]) -> dict[str, str]:
    """Lower-cased word → how the texts write it, for each word they capitalise inside a sentence as a name's last
    word and never write in lower case (its commonest capitalised form). Regular expressions do the reading."""
    forms: dict[str, dict[str, int]] = {}
    lower: set[str] = set()
    for text in texts:
        for word in _CAPITALISED.findall(text):
            word = _bare(word)
            if len(word) > 1:
                counts = forms.setdefault(word.casefold(), {})
                counts[word] = counts.get(word, 0) + 1
        lower.update(_LOWERCASE.findall(text))
    return {key: max(counts, key=counts.__getitem__) for key, counts in forms.items() if key not in lower}


def restore(question: str, cased: dict[str, str]) -> str:
    """`question` with its words written as the corpus writes its names, when it has no capital at all (else as it
    is: its writer's capitals are read)."""
    if not cased or any(c.isupper() for c in question):
        return question

    def written(m: re.Match) -> str:
        word = m.group(0)
        bare = _bare(word)
        found = cased.get(bare.casefold())
        return word.replace(bare, found, 1) if found else word

    return _WORD.sub(written, question)


class CasedWords:
    """A version's cased words: read from its `FILE` on first use, or, for a version written before it was kept,
    read from its passages (`texts`) once."""

    def __init__(self, folder: Path, texts: Callable[[], Iterable[str]] = lambda: ()) -> None:
        self._path, self._texts = folder / FILE, texts
        self._words: dict[str, str] | None = None
        self._lock = threading.Lock()

    @property
    def words(self) -> dict[str, str]:
        if self._words is None:
            with self._lock:
                if self._words is None:
                    self._words = self._read()
        return self._words

    def _read(self) -> dict[str, str]:
        try:
            found = json.loads(self._path.read_text(encoding="utf-8"))
            if isinstance(found, dict):
                return found
        except (OSError, ValueError):
            pass
        return cased_words(self._texts())

    def restore(self, question: str) -> str:
        """`restore(question, …)` with this version's words (read only for a question that needs them)."""
        if any(c.isupper() for c in question):
            return question
        return restore(question, self.words)


def save(folder: Path, texts: Iterable[str]) -> None:
    """Write the cased words of `texts` (a version's passages) into `folder`."""
    (folder / FILE).write_text(json.dumps(cased_words(texts), ensure_ascii=False), encoding="utf-8")
