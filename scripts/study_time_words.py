"""Time words added to the team corpora's answerable questions: does the first quote still hold the answer?

    EMBEDDING_MODEL=multilingual-e5-small python scripts/study_time_words.py [--suite eval/suite.toml]

Each answerable question of the suite's team corpora (the realtimeqa rows left out) is asked three ways as of
2026-12-06: as written, with " now?" appended, and with " in YEAR?" (the year its first evidence report names in its
id or path). A time word only prefers or bounds; the answer is the same, so the share of first quotes holding an
answer (and the answering sentence) should hardly move. Each corpus's index is the cached one `newsdesk eval
--suite` builds (run that first). Prints the shares per way of asking.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tomllib
from dataclasses import replace
from datetime import date
from pathlib import Path

import _paths  # noqa: F401  (the repository importable, the model libraries offline)

from index.engine import Engine  # noqa: E402
from index.eval.evaluate import contains_answer, holds_sentence  # noqa: E402
from index.eval.suite import cache_slug  # noqa: E402
from newsdesk.settings import Settings  # noqa: E402

ASKED = date(2026, 12, 6)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--suite", type=Path, default=Path(__file__).parent.parent / "eval" / "suite.toml")
    args = parser.parse_args()
    settings = Settings.from_env()
    suite = tomllib.loads(args.suite.read_text())
    ways = {"as written": [0, 0], "with 'now'": [0, 0], "with its year": [0, 0]}
    asked = 0
    for corpus in suite["corpus"]:
        if corpus.get("optional") or corpus["name"] == "sample":
            continue
        docs = (args.suite.parent / corpus["docs"]).resolve()
        index_dir = settings.data_dir / "eval" / cache_slug(docs, settings.embedding_model)
        if not index_dir.exists():
            print(f"{corpus['name']}: no cached index at {index_dir}; run newsdesk eval --suite first", file=sys.stderr)
            return 2
        engine = Engine.open(replace(settings, index_dir=index_dir))
        for line in (args.suite.parent / corpus["questions"]).read_text().splitlines():
            row = json.loads(line)
            if row["kind"] != "answerable":
                continue
            asked += 1
            year = re.search(r"20\d\d", row["evidence_doc_ids"][0])
            plain = row["question"].rstrip("?")
            for way, text in (("as written", row["question"]), ("with 'now'", plain + " now?"),
                              ("with its year", f"{plain} in {year.group(0)}?" if year else None)):
                if text is None:
                    continue
                answer = engine.ask(text, as_of=ASKED)
                first = [q.text for q in (answer.quotes or answer.nearest)[:1]]
                ways[way][0] += contains_answer(first, row["answers"])
                ways[way][1] += any(holds_sentence(t, tuple(row["answer_sentences"])) for t in first)
    print(f"{asked} answerable questions ({settings.embedding_model}); first quote holds an answer / the sentence:")
    for way, (answer, sentence) in ways.items():
        print(f"  {way:15} {answer / asked:.3f} / {sentence / asked:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
