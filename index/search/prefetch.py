"""Read an index version's searched files into the page cache when it is opened, before it answers.

Readers memory-map the vectors and the BM25 arrays, so every part of them is read from disk the first time a
question touches it: at 1M passages on a cold cache the first asks spent 30-50 ms waiting in FAISS and
10-25 ms in BM25 (instead of 3 and 6) for many seconds. `prefetch` reads those files once - about a second
per GB from disk, tens of milliseconds when they are cached already. The store is left to SQLite: reading it
ahead too (in the background) made single asks wait a second behind the reads.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Iterable

log = logging.getLogger(__name__)

SEARCHED = ("vectors.faiss", "bm25/data.csc.index.npy", "bm25/indices.csc.index.npy", "bm25/chunk_ids.npy")
WINDOW = 8 << 20  # bytes read at a time


def searched_files(version: Path) -> list[Path]:
    """The files of a version every question reads parts of (those present)."""
    return [p for p in (Path(version) / name for name in SEARCHED) if p.is_file()]


def read_through(paths: Iterable[Path]) -> None:
    """Read each file once (into the page cache); problems are logged, never raised."""
    buf = bytearray(WINDOW)
    for path in paths:
        try:
            with open(path, "rb", buffering=0) as fh:
                while fh.readinto(buf):
                    pass
        except OSError as exc:
            log.debug("prefetch of %s skipped: %s", path, exc)


def prefetch(version: Path) -> None:
    """Read a version's searched files (vectors, BM25) into the page cache."""
    read_through(searched_files(version))
