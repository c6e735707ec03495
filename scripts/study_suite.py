"""Measure ranking variants on every corpus of the evaluation suite, one table per variant.

    python scripts/study_suite.py [--suite eval/suite.toml] [--only a,b] [--loco] [--variant name:key=value,...]...

Each variant is a set of `index.types.Ranking` overrides ("default" has none). Every corpus is indexed once (the
same cache `newsdesk eval --suite` uses) and its engine reused by every variant. With --loco each variant's rows
are scored with deciders fitted on the other corpora (as `newsdesk eval --suite --loco`); without, the shipped
decider decides.
"""

from __future__ import annotations

import argparse
import json
from dataclasses import asdict, replace
from pathlib import Path

import _paths  # noqa: F401  (the repository importable, the model libraries offline)

from index.engine import Engine  # noqa: E402
from newsdesk.settings import Settings  # noqa: E402
from index.eval.suite import load_suite, open_corpus, run_suite, suite_table  # noqa: E402
from index.types import Ranking  # noqa: E402


def parse_variant(text: str) -> tuple[str, dict]:
    name, _, sets = text.partition(":")
    fields = {f.name: f.type for f in Ranking.__dataclass_fields__.values()}
    out = {}
    for kv in filter(None, sets.split(",")):
        key, value = kv.split("=")
        kind = fields[key]
        out[key] = (value.lower() in ("1", "true", "yes")) if kind in (bool, "bool") else \
            (int(value) if kind in (int, "int") else float(value))
    return name, out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--suite", type=Path, default=Path(__file__).resolve().parent.parent / "eval" / "suite.toml")
    ap.add_argument("--only")
    ap.add_argument("--loco", action="store_true")
    ap.add_argument("--variant", action="append", default=[])
    ap.add_argument("--json", type=Path, help="also write every variant's rows here")
    args = ap.parse_args()
    settings = Settings.from_env()
    corpora = [c for c in load_suite(args.suite) if c.present]
    if args.only:
        corpora = [c for c in corpora if c.name in set(args.only.split(","))]
    engines: dict[str, tuple[Engine, int]] = {}
    encoder = None
    for c in corpora:
        engines[c.name] = open_corpus(settings, c, encoder)
        encoder = engines[c.name][0].encoder
    dumped = {}
    for name, overrides in map(parse_variant, args.variant or ["default"]):
        for engine, _ in engines.values():
            engine.ranking = replace(Ranking(), **overrides)
        shipped, held_out, fitted = run_suite(corpora, lambda c: engines[c.name], loco=args.loco)
        print(f"\n## {name} {overrides or ''}\n")
        print(suite_table(held_out if args.loco else shipped))
        if fitted:
            print(f"\nfitted on all: {fitted}")
        dumped[name] = {"shipped": [asdict(r) for r in shipped], "held_out": [asdict(r) for r in held_out]}
    if args.json:
        args.json.write_text(json.dumps(dumped, indent=1, default=str))


if __name__ == "__main__":
    main()
