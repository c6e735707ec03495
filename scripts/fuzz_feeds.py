#!/usr/bin/env python3
"""The feed parser's fuzz property (tests/feedfuzz.py) for longer than CI runs it.

    python scripts/fuzz_feeds.py [--examples 20000] [--seed N] [--deadline-ms 1000] [--show]

Each input is a feed body (hostile RSS/Atom/RDF, a file name or URL, or plain bytes) with response headers;
`sources.feeds.read_feed` must give items or a FeedError, open no file, connect nowhere and finish within the
deadline. Prints how many inputs were tried, how they came out, the slowest ones and the time taken; on a
finding, its traceback with Hypothesis's shrunk failing input, and the exit status is 1. --show prints
every input as it is tried.
"""

from __future__ import annotations

import argparse
import logging
import sys
import time
from collections import Counter

from _fuzz import run_property
from _paths import ROOT

sys.path.insert(0, str(ROOT / "tests"))

from hypothesis import HealthCheck, given, settings  # noqa: E402

from feedfuzz import feeds, headers, read_hostile, warm_up, with_found  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--examples", type=int, default=20_000, help="inputs to try (default 20000)")
    ap.add_argument("--seed", type=int, default=None, help="Hypothesis seed, to repeat a run")
    ap.add_argument("--deadline-ms", type=float, default=1000, help="most one input may take (default 1000)")
    ap.add_argument("--show", action="store_true", help="print every input tried")
    args = ap.parse_args(argv)

    logging.getLogger("sources.feeds").setLevel(logging.ERROR)  # each feedparser crash is counted below instead
    warm_up()
    outcomes: Counter[str] = Counter()
    slowest: list[tuple[float, int, str]] = []

    @settings(max_examples=args.examples, deadline=args.deadline_ms, database=None, print_blob=True,
              suppress_health_check=list(HealthCheck))
    @given(feeds, headers)
    @with_found
    def prop(body: bytes, response_headers: dict[str, str]) -> None:
        if args.show:
            print(f"{len(body):6d} B {response_headers.get('content-type')!r:32} {body[:100]!r}", flush=True)
        started = time.perf_counter()
        parsed = read_hostile(body, response_headers)
        took = time.perf_counter() - started
        outcomes["inputs"] += 1
        outcomes["parsed" if parsed.refused is None else "feedparser raised" if parsed.refused.startswith(
            "feedparser cannot read it") else "not a feed"] += 1
        outcomes["items"] += len(parsed.items)
        slowest.append((took, len(body), repr(body[:80])))
        slowest.sort(reverse=True)
        del slowest[5:]

    seconds, found = run_property(prop, args.seed)

    print(f"\ninputs tried: {outcomes['inputs']:,} in {seconds:.1f} s ({outcomes['parsed']:,} parsed into "
          f"{outcomes['items']:,} items; FeedError for {outcomes['not a feed']:,} not feeds and "
          f"{outcomes['feedparser raised']:,} on which feedparser raised)")
    print("slowest inputs:")
    for took, size, head in slowest:
        print(f"  {took * 1000:8.1f} ms  {size:6d} B  {head}")
    if found is None:
        print("found: nothing (no exception but FeedError, no file opened, no connection, every input in time)")
        return 0
    print(f"found: {type(found).__name__}: {str(found).splitlines()[0] if str(found) else ''}")
    return 1


if __name__ == "__main__":
    sys.exit(main())
