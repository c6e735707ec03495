"""Ingest's stages drawn on stderr with tqdm: parse (files), embed (chunks, with chunks/s and ETA), write."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from index.ingest.progress import QUIET, IngestProgress

if TYPE_CHECKING:
    from tqdm import tqdm


class Bars(IngestProgress):
    """Two bars, parse above embed, and the stages' notes between them.

    Parsing runs ahead of embedding, so the embed bar's total grows as documents are chunked; it is exact once
    parsing is done (a fraction of the embedding time).
    """

    def __init__(self) -> None:
        self.parse: tqdm | None = None
        self.embed: tqdm | None = None

    def started(self, files: int) -> None:
        from tqdm import tqdm  # not at the top: only an ingest on a terminal pays for it

        self.parse = tqdm(total=files, unit=" files", desc="parse", file=sys.stderr, position=0)
        self.embed = tqdm(total=0, unit=" chunks", desc="embed", file=sys.stderr, position=1,
                          bar_format="{desc}: {percentage:3.0f}%|{bar}| {n_fmt}/{total_fmt} "
                                     "[{elapsed}<{remaining}, {rate_fmt}]")

    def parsed(self) -> None:
        if self.parse is not None:
            self.parse.update()
            if self.parse.n >= (self.parse.total or 0):
                self.parse.close()  # parsing is done: its bar keeps its own time and rate

    def queued(self, chunks: int) -> None:
        if self.embed is not None:
            self.embed.total = (self.embed.total or 0) + chunks
            self.embed.refresh()

    def embedded(self, chunks: int) -> None:
        if self.embed is not None:
            self.embed.update(chunks)

    def note(self, text: str) -> None:
        from tqdm import tqdm

        tqdm.write(text, file=sys.stderr)

    def finished(self) -> None:
        for bar in (self.parse, self.embed):
            if bar is not None:
                bar.close()


def on_terminal() -> IngestProgress:
    """Bars when stderr is a terminal; nothing when it is piped or redirected (a log, a cron job)."""
    return Bars() if sys.stderr.isatty() else QUIET
