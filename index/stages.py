"""Per-stage timing of an ask: an optional recorder the engine reports to (the benchmarks read it)."""

from __future__ import annotations

import time
from contextlib import AbstractContextManager, contextmanager, nullcontext
from typing import Iterator

_NOTHING = nullcontext()


class Stages:
    """Seconds spent in each named stage ("encode", "dense", "bm25", "sqlite", "quote", "split", "attribute"),
    added up until `take()`; one asker at a time."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}

    @contextmanager
    def _timed(self, stage: str) -> Iterator[None]:
        start = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[stage] = self.seconds.get(stage, 0.0) + time.perf_counter() - start

    def __call__(self, stage: str) -> AbstractContextManager[None]:
        """`with stages("dense"): ...` adds the block's duration to that stage."""
        return self._timed(stage)

    def take(self) -> dict[str, float]:
        """The seconds recorded since the last take, and start again from nothing."""
        seconds, self.seconds = self.seconds, {}
        return seconds


class NoStages(Stages):
    """Records nothing: the engine's default, so an untimed ask pays no clock reads."""

    def __call__(self, stage: str) -> AbstractContextManager[None]:
        return _NOTHING


NO_STAGES = NoStages()
