"""Have the kernel read an index version's search files into the page cache as soon as it is opened.

Readers memory-map the vectors and the BM25 arrays, so a version is ready at once, but each part of them
is read from disk the first time a question touches it: at 1M passages the first asks on a cold cache
spent 30-50 ms waiting in FAISS and 10-25 ms in BM25 instead of 3 and 6. `prefetch` asks for every page
up front (posix_fadvise WILLNEED, in a background thread: opening does not wait for the reads).
"""

from __future__ import annotations

import logging
import os
import threading
from pathlib import Path
from typing import Iterable

log = logging.getLogger(__name__)

SEARCH_FILES = ("vectors.faiss", "bm25/data.csc.index.npy", "bm25/indices.csc.index.npy", "bm25/chunk_ids.npy")


def search_files(version: Path) -> list[Path]:
    """The files of a version every question reads parts of (those present)."""
    return [p for p in (Path(version) / name for name in SEARCH_FILES) if p.is_file()]


def read_ahead(paths: Iterable[Path]) -> None:
    """Ask the kernel to load each file into the page cache; problems are logged, never raised."""
    for path in paths:
        try:
            fd = os.open(path, os.O_RDONLY)
            try:
                os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_WILLNEED)
            finally:
                os.close(fd)
        except (OSError, AttributeError) as exc:  # AttributeError: no posix_fadvise on this platform
            log.debug("read-ahead of %s skipped: %s", path, exc)


def prefetch(version: Path) -> threading.Thread:
    """Start reading a version's search files ahead in a daemon thread (returned, for tests to join)."""
    thread = threading.Thread(target=read_ahead, args=(search_files(version),), name="newsdesk-prefetch",
                              daemon=True)
    thread.start()
    return thread
