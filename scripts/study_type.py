"""The kind of answer in the first quotes (issue 24): does a near question's best sentence lack the kind of answer
asked for (a number for "how many", a date for "when", a person for "who") more often than an answerable one's?
The decision's `type_nowhere` reads the five best passages; these read the first one to three quoted sentences.
Judged leave-one-corpus-out, as `newsdesk eval --suite eval/suite.toml --loco` fits the decision.

    python scripts/study_align.py gather ASKS.pkl     # every suite question asked once (shared with the other studies)
    python scripts/study_type.py ASKS.pkl [--table]

Signals, per ask, 0 when the question asks for no such kind:
  type_miss1  1.0 when the best sentence does not offer the kind asked for;
  type_miss2  … nor the second best; type_miss3 … nor the third;
  type_share5 the share of the five best sentences that do not offer it.
docs/quality.md ("The kind of answer in the first quotes") has the result.
"""

from __future__ import annotations

import argparse
import pickle
from dataclasses import dataclass
from pathlib import Path

import _paths  # noqa: F401  (the repository importable, the model libraries offline)

from index.answer.decide import FEATURES  # noqa: E402
from index.answer.question import Question  # noqa: E402
from index.answer.signals import Signals  # noqa: E402
from study_ablate import compact  # noqa: E402
from study_align import auc_table, held_out_rows  # noqa: E402

ADDED = ("type_miss1", "type_miss2", "type_miss3", "type_share5")


@dataclass(frozen=True)
class Typed(Signals):
    """An ask's signals with the kind-of-answer ones beside them (not signals the engine measures)."""

    type_miss1: float = 0.0
    type_miss2: float = 0.0
    type_miss3: float = 0.0
    type_share5: float = 0.0


def typed(question: str, sentences: list[str]) -> dict[str, float]:
    """The signals above for a question and its best sentences, best first."""
    expects = Question.of(question).answer_type
    if not (expects.number or expects.date or expects.place or expects.name or expects.reason):
        return dict.fromkeys(ADDED, 0.0)
    offered = [bool(expects.offered_by(s)) for s in sentences[:5]]
    out = {f"type_miss{n}": float(not any(offered[:n])) for n in (1, 2, 3)}
    out["type_share5"] = 1 - sum(offered) / max(1, len(offered))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("data", type=Path, help="study_align.py gather's output")
    ap.add_argument("--table", action="store_true", help="print each refit's whole held-out table")
    args = ap.parse_args()
    data = pickle.loads(args.data.read_bytes())
    for d in data.values():
        for r in d["rows"]:
            if r["signals"]:
                top = [t["sentence"] for t in (r.get("context") or {}).get("top", [])]
                r["signals"] = {**r["signals"], **typed(r["question"], top)}
    auc_table(data, list(ADDED))
    print(f"\ncorpora: {' | '.join(data)}  (answered / refused near [/ refused off-domain])")
    print(f"before: {compact(held_out_rows(data, list(FEATURES), signals=Typed))}")
    for extra in ADDED:
        after = held_out_rows(data, [*FEATURES, extra], signals=Typed)
        print(f"+{extra}: {compact(after)}")
        if args.table:
            from index.eval.suite import suite_table
            print(suite_table(after))


if __name__ == "__main__":
    main()
