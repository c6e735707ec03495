"""Precision of "sources differ" (and "reports agree") on the small conflict corpora of tests/data/conflicts.

Each case of cases.jsonl names a corpus folder, a question, and the subjects whose reports should differ or
agree. Every corpus is ingested into a temporary index with the configured model (EMBEDDING_MODEL) and the
question asked; the comparisons on the answer are checked against the case.

    .venv/bin/python scripts/eval_conflicts.py [--model hash]
"""

from __future__ import annotations

import argparse
import json
import tempfile
from dataclasses import replace
from pathlib import Path

from _paths import ROOT as REPO  # noqa: E402  (the repository importable, the model libraries offline)

from index.encode.embed import encoder_for  # noqa: E402
from index.engine import Engine  # noqa: E402
from index.ingest.build import ingest  # noqa: E402
from newsdesk.settings import Settings  # noqa: E402

CASES = REPO / "tests" / "data" / "conflicts"


def run(settings: Settings, cases: list[dict]) -> list[dict]:
    encoder = encoder_for(settings)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for case in cases:
            corpus = CASES / case["corpus"]
            s = replace(settings, index_dir=Path(tmp) / case["corpus"], corpus_dir=corpus)
            ingest(s, [corpus], encoder=encoder)
            answer = Engine.open(s, encoder=encoder).ask(case["question"])
            found = {v: sorted(c.subject for c in answer.comparisons if c.verdict == v) for v in ("differ", "agree")}
            rows.append({"corpus": case["corpus"], "decision": answer.decision, "expected_differ": case["differ"],
                         "differ": found["differ"], "expected_agree": case["agree"], "agree": found["agree"],
                         "claims": [[c.subject, c.verdict, [(x.value, x.date) for x in c.claims]]
                                    for c in answer.comparisons]})
    return rows


def precision_recall(rows: list[dict], verdict: str) -> tuple[int, int, int]:
    """(flagged, correct, expected) over all cases for one verdict."""
    flagged = sum(len(r[verdict]) for r in rows)
    correct = sum(len(set(r[verdict]) & set(r[f"expected_{verdict}"])) for r in rows)
    expected = sum(len(r[f"expected_{verdict}"]) for r in rows)
    return flagged, correct, expected


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", help="embedding model (default: EMBEDDING_MODEL)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    settings = Settings.from_env()
    if args.model:
        settings = replace(settings, embedding_model=args.model)
    cases = [json.loads(line) for line in (CASES / "cases.jsonl").read_text().splitlines() if line.strip()]
    rows = run(settings, cases)
    if args.json:
        print(json.dumps(rows, indent=2, ensure_ascii=False))
        return 0
    print(f"model {settings.embedding_model}, {len(rows)} cases\n")
    print("| case | decision | differ (expected) | agree (expected) |\n|---|---|---|---|")
    for r in rows:
        print(f"| {r['corpus']} | {r['decision']} | {', '.join(r['differ']) or '-'} ({', '.join(r['expected_differ']) or '-'}) "
              f"| {', '.join(r['agree']) or '-'} ({', '.join(r['expected_agree']) or '-'}) |")
    for verdict in ("differ", "agree"):
        flagged, correct, expected = precision_recall(rows, verdict)
        print(f"\n\"{verdict}\": precision {correct}/{flagged}" + (f" = {correct / flagged:.2f}" if flagged else "")
              + f", recall {correct}/{expected}" + (f" = {correct / expected:.2f}" if expected else ""))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
