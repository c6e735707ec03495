"""Logging for the command line and the bot: stderr, the LOG_LEVEL, and other libraries kept quiet."""

from __future__ import annotations

import logging
import sys

# Libraries whose INFO/DEBUG lines (faiss's "Loading faiss with AVX2 support", bm25s, the ONNX quantizer on the
# root logger, model loading, HTTP clients) are not the operator's concern; their warnings and errors still show.
# A filter on our handlers, not logger levels: some libraries set their own level when imported (bm25s: DEBUG).
QUIET = frozenset({"root", "faiss", "bm25s", "sentence_transformers", "transformers", "optimum", "onnxruntime",
                   "urllib3", "httpx", "trafilatura", "pymilvus", "milvus_lite", "asyncio"})


class QuietLibraries(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return record.levelno >= logging.WARNING or record.name.split(".")[0] not in QUIET


def quiet_third_party() -> None:
    """Keep other libraries' chatter below WARNING off every handler of the root logger."""
    for handler in logging.getLogger().handlers:
        if not any(isinstance(f, QuietLibraries) for f in handler.filters):
            handler.addFilter(QuietLibraries())


class _Stderr(logging.StreamHandler):
    """Writes to whatever `sys.stderr` is at the time (so redirections and test captures see it)."""

    @property
    def stream(self):
        return sys.stderr

    @stream.setter
    def stream(self, _value) -> None:
        pass


def setup(level: str = "INFO") -> None:
    """One plain stderr handler at `level` (LOG_LEVEL) for the command line; other libraries quiet."""
    root = logging.getLogger()
    if not any(isinstance(h, _Stderr) for h in root.handlers):
        handler = _Stderr()
        handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
        root.addHandler(handler)
    root.setLevel(level)
    quiet_third_party()
