"""What an ingest reports while it works: an observer the caller passes (the CLI draws it as bars on stderr).

The engine calls it; it never draws. Parsing runs ahead of embedding on its own thread, so `queued` keeps
adding to the chunks to embed until parsing is done. Every method may be called from the parse thread or the
embed loop, one at a time per method.
"""

from __future__ import annotations


class IngestProgress:
    """Ingest's stages as they happen: parse (files), embed (chunks), write. The base reports nowhere."""

    def started(self, files: int) -> None:
        """The walk found `files` files to read."""

    def parsed(self) -> None:
        """One more file read (parsed, skipped or refused)."""

    def queued(self, chunks: int) -> None:
        """`chunks` more chunks of changed documents wait to be embedded."""

    def embedded(self, chunks: int) -> None:
        """`chunks` more chunks embedded."""

    def note(self, text: str) -> None:
        """A stage's one-line news: the model loading, the version being written."""

    def finished(self) -> None:
        """Parsing and embedding are over (writing may follow, announced by `note`)."""


QUIET = IngestProgress()
