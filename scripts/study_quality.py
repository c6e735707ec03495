"""Measure ranking variants side by side on an evaluation index, each against the same questions.

    python scripts/study_quality.py QUESTIONS.jsonl --cache DIR [--variants a,b] [--negatives eval/negatives.jsonl] [--halves]

DIR is an index `newsdesk eval QUESTIONS --corpus CORPUS --cache DIR` built. A variant is a set of
`index.types.Ranking` overrides; every row runs the full pipeline (config "full"). Question vectors
are encoded once and reused, so a row costs retrieval and quoting only.
"""

from __future__ import annotations

import argparse
from dataclasses import replace
from pathlib import Path

import _paths  # noqa: E402,F401  (the repository importable, the model libraries offline)

from index.encode.embed import encoder_for  # noqa: E402
from index.engine import Engine  # noqa: E402
from index.eval.evaluate import evaluate, halves, load_questions, table  # noqa: E402
from newsdesk.settings import Settings  # noqa: E402

VARIANTS: dict[str, dict] = {
    "default": {},
    "fetch-100": {"fetch": 100},
    "fetch-200": {"fetch": 200},
    "rrf-k-20": {"rrf_k": 20},
    "rrf-k-120": {"rrf_k": 120},
    "dense-1.5": {"dense_weight": 1.5},
    "lexical-1.0": {"lexical_weight": 1.0},
    "per-doc-1": {"per_doc": 1},
    "per-doc-3": {"per_doc": 3},
    "candidates-10": {"candidates": 10},
    "candidates-40": {"candidates": 40},
    "no-recency": {"recency_weight": 0.0},
    "recency-0.1": {"recency_weight": 0.1},
    "recency-0.3": {"recency_weight": 0.3},
    "recency-14d": {"recency_half_life": 14.0},
    "recency-90d": {"recency_half_life": 90.0},
    "soft-windows": {"hard_windows": False},
    "sentences-2": {"sentence_passages": 2},
    "sentences-6": {"sentence_passages": 6},
    "quotes-per-doc-1": {"quotes_per_doc": 1},
}


class CachedEncoder:
    """The engine's encoder, remembering each question's vector."""

    def __init__(self, encoder) -> None:
        self._encoder, self._memo = encoder, {}
        self.name, self.dim = encoder.name, encoder.dim
        self.min_similarity = encoder.min_similarity

    def encode(self, texts, *, batch_size: int = 64):
        import numpy as np

        missing = [t for t in texts if t not in self._memo]
        if missing:
            self._memo.update(zip(missing, self._encoder.encode(missing, batch_size=batch_size)))
        return np.stack([self._memo[t] for t in texts])


def shown(rows: list, result) -> None:
    """Keep `result` for the final table and print its row now (a study takes minutes)."""
    rows.append(result)
    print(table([result]).splitlines()[-1], flush=True)


def finish(rows: list) -> int:
    """Print the whole table of `rows` once more, together."""
    print()
    print(table(rows))
    return 0


def parse_overrides(spec: str) -> dict:
    """'fetch=100,rrf_k=30' → {"fetch": 100, "rrf_k": 30} (numbers, true/false, none)."""
    out = {}
    for part in filter(None, spec.split(",")):
        key, value = part.split("=", 1)
        low = value.lower()
        out[key] = None if low == "none" else low == "true" if low in ("true", "false") else float(value) \
            if "." in value else int(value)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("questions", type=Path)
    ap.add_argument("--cache", type=Path, required=True, help="the evaluation index folder")
    ap.add_argument("--variants", default=",".join(VARIANTS), help="names from VARIANTS")
    ap.add_argument("--set", action="append", default=[], metavar="NAME:KEY=V,...",
                    help="an extra variant, e.g. 'mine:fetch=100,rrf_k=30'")
    ap.add_argument("--negatives", type=Path, action="append", default=[], help="unanswerable questions (JSONL)")
    ap.add_argument("--halves", action="store_true", help="also a row for each date-half of the questions")
    args = ap.parse_args(argv)

    settings = replace(Settings.from_env(), index_dir=args.cache)
    engine = Engine.open(settings, CachedEncoder(encoder_for(settings)))
    questions = load_questions(args.questions) + [q for path in args.negatives for q in load_questions(path)]
    variants = {n: VARIANTS[n] for n in args.variants.split(",") if n}
    for extra in args.set:
        name, spec = extra.split(":", 1)
        variants[name] = parse_overrides(spec)
    base = engine.ranking
    rows = []
    for name, overrides in variants.items():
        engine.ranking = replace(base, **overrides)
        result = evaluate(engine, questions, ["full"])[0]
        result.name = name
        for r in [result, *halves(result)] if args.halves else [result]:
            shown(rows, r)
    return finish(rows)


if __name__ == "__main__":
    raise SystemExit(main())
