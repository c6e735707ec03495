"""Limits on what one input may cost: a file, a document, a JSON record. Beyond them it is skipped with a reason."""

from __future__ import annotations

import time
from dataclasses import dataclass

from index.errors import BadDocument

MB = 1024 * 1024
# The longest question the engine searches for (index.engine.MAX_QUESTION_CHARS: a longer text is reduced to its last
# question or refused). A pattern that reads across a question spans at most this many characters, so it costs time
# linear in the length of any text it is given.
QUESTION_SPAN = 500
# The longest URL a feed or a link may have: browsers and most servers stop near 2,000 characters (Discord's /add
# option takes 2,000); a longer one is a paste gone wrong, refused in one line that names its start.
MAX_URL_CHARS = 2048


@dataclass(frozen=True)
class Limits:
    """MAX_FILE_MB, MAX_DOCUMENT_MB, MAX_JSON_DEPTH, MAX_CHUNKS_PER_DOCUMENT (see `.env.example`); pages and seconds
    for one PDF or Word file are fixed here."""

    max_file_mb: float = 256  # any file, a .jsonl.gz once decompressed (the eval corpus is 47 MB)
    max_document_mb: float = 2  # the text of one document: a .txt/.md/.html/.json file or one JSONL line
    max_json_depth: int = 32  # nesting of objects and arrays in a JSON record or front matter
    max_chunks_per_document: int = 2000  # passages of one document (~240,000 words)
    max_pages: int = 2000  # pages of one PDF
    parse_seconds: float = 60.0  # reading one PDF or Word file (their parsers are the slow ones on hostile input)

    @property
    def file_bytes(self) -> int:
        return int(self.max_file_mb * MB)

    @property
    def document_bytes(self) -> int:
        return int(self.max_document_mb * MB)


def depth(value: object) -> int:
    """How deeply lists and dicts nest in `value` (a scalar is 0); iterative, so any depth is safe to measure."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, level = stack.pop()
        children = item.values() if isinstance(item, dict) else item if isinstance(item, list) else None
        if children is None:
            continue
        deepest = max(deepest, level)
        stack.extend((c, level + 1) for c in children)
    return deepest


class Budget:
    """The text and the time reading one file may take: `spend` raises BadDocument once either is spent."""

    def __init__(self, limits: Limits) -> None:
        self.chars = 0
        self.limits = limits
        self.deadline = time.monotonic() + limits.parse_seconds

    def spend(self, chars: int) -> None:
        self.chars += chars
        if self.chars > self.limits.document_bytes:
            raise BadDocument(f"its text is larger than MAX_DOCUMENT_MB={self.limits.max_document_mb:g} MB")
        if time.monotonic() > self.deadline:
            raise BadDocument(f"reading it took more than {self.limits.parse_seconds:g} s (a damaged or hostile file)")
