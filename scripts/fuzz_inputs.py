#!/usr/bin/env python3
"""The input fuzz properties (tests/inputfuzz.py) for longer than CI runs them.

    python scripts/fuzz_inputs.py [--examples 5000] [--only question,ask,batch,parse] [--seed N]
        [--deadline-ms 5000] [--show]

question: normalize_question on any text; ask: Engine.ask (the model-free hash encoder, an index of the sample
article) with any question and options; batch: `newsdesk ask --json -` on any bytes; parse: parse_file on any bytes
written to a .txt/.md/.json/.jsonl/.html file. Each must give its result or one of newsdesk's own one-line errors,
never another exception, in Unicode text, each input within the deadline. Prints, per property, the inputs tried,
how they came out, the slowest ones and the time taken; on a finding, its traceback with Hypothesis's shrunk input,
and the exit status is 1. --show prints every input as it is tried.
"""

from __future__ import annotations

import argparse
import logging
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from _fuzz import run_property
from _paths import ROOT

sys.path.insert(0, str(ROOT / "tests"))

from hypothesis import HealthCheck, given, settings  # noqa: E402

from inputfuzz import (Site, ask_options, batch_bodies, check_parse, check_question, files, questions,  # noqa: E402
                       warm_up)

PROPERTIES = ("question", "ask", "batch", "parse")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--examples", type=int, default=5_000, help="inputs to try per property (default 5000)")
    ap.add_argument("--only", default=",".join(PROPERTIES), help=f"comma-separated, from {','.join(PROPERTIES)}")
    ap.add_argument("--seed", type=int, default=None, help="Hypothesis seed, to repeat a run")
    ap.add_argument("--deadline-ms", type=float, default=5000, help="most one input may take (default 5000)")
    ap.add_argument("--show", action="store_true", help="print every input tried")
    args = ap.parse_args(argv)
    wanted = [p.strip() for p in args.only.split(",") if p.strip()]
    if unknown := set(wanted) - set(PROPERTIES):
        ap.error(f"unknown properties: {', '.join(sorted(unknown))}")

    logging.disable(logging.CRITICAL)  # skipped files and refused lines are counted below; trafilatura's complaints
    site = Site()
    folder = Path(tempfile.mkdtemp(prefix="newsdesk-fuzz-files-"))
    warm_up(site, folder)
    found_any = False
    try:
        for name in wanted:
            outcomes: Counter[str] = Counter()
            slowest: list[tuple[float, str]] = []

            def record(took: float, shown: str, *kinds: str) -> None:
                outcomes["inputs"] += 1
                outcomes.update(kinds)
                slowest.append((took, shown))
                slowest.sort(reverse=True)
                del slowest[5:]
                if args.show:
                    print(f"  {name} {took * 1000:7.1f} ms {shown}", flush=True)

            def timed(fn, *values):
                started = time.perf_counter()
                result = fn(*values)
                return result, time.perf_counter() - started

            if name == "question":
                @given(questions)
                def prop(text):
                    q, took = timed(check_question, text)
                    record(took, f"{len(text):6d} chars {text[:80]!r}", "refused" if q is None else "question")
            elif name == "ask":
                @given(questions, ask_options)
                def prop(text, options):
                    answer, took = timed(site.ask, text, options)
                    record(took, f"{len(text):6d} chars {text[:60]!r} {options!r}"[:160],
                           "refused" if answer is None else answer.decision)
            elif name == "batch":
                @given(batch_bodies)
                def prop(body):
                    answers, took = timed(site.batch, body)
                    record(took, f"{len(body):6d} B {body[:80]!r}", *("error" if "error" in a else "answered"
                                                                       for a in answers))
            else:
                @given(files())
                def prop(file):
                    items, took = timed(check_parse, folder, *file)
                    record(took, f"{file[0]:6} {len(file[1]):6d} B {file[1][:60]!r}", file[0],
                           *("skipped part" if isinstance(i, tuple) else "document" for i in items))

            prop = settings(max_examples=args.examples, deadline=args.deadline_ms, database=None, print_blob=True,
                            suppress_health_check=list(HealthCheck))(prop)
            print(f"== {name}", flush=True)
            seconds, found = run_property(prop, args.seed)
            counts = ", ".join(f"{k} {v:,}" for k, v in sorted(outcomes.items()) if k != "inputs")
            print(f"inputs tried: {outcomes['inputs']:,} in {seconds:.1f} s ({counts})")
            print("slowest inputs:")
            for took, shown in slowest:
                print(f"  {took * 1000:8.1f} ms  {shown}")
            if found is None:
                print("found: nothing (no exception but newsdesk's own one-line errors, Unicode out, every input "
                      "in time)\n")
            else:
                found_any = True
                print(f"found: {type(found).__name__}: {(str(found).splitlines() or [''])[0]}\n")
    finally:
        site.close()
        for path in folder.iterdir():
            path.unlink()
        folder.rmdir()
    return 1 if found_any else 0


if __name__ == "__main__":
    sys.exit(main())
