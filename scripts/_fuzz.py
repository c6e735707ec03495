"""What both fuzz scripts do with a Hypothesis property: run it (seeded when asked) and time it, a finding printed."""

from __future__ import annotations

import time
import traceback

from hypothesis import seed


def run_property(prop, seed_value: int | None = None) -> tuple[float, Exception | None]:
    """Seconds the property ran, and the exception it found (None: nothing)."""
    if seed_value is not None:
        prop = seed(seed_value)(prop)
    started = time.perf_counter()
    found = None
    try:
        prop()
    except Exception as exc:  # a finding: its traceback carries Hypothesis's shrunk input as a note
        found = exc
        traceback.print_exception(exc)
    return time.perf_counter() - started, found
