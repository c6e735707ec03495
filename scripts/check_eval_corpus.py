"""Check an evaluation corpus folder (docs/ + questions.jsonl) the way `newsdesk eval` will read it.

    python scripts/check_eval_corpus.py eval/corpora/local-desk [DOCS_FOLDER]

Every document must parse (with a date unless it is meant to have none), every answerable question must name
documents that exist and an answering sentence found verbatim (spacing aside) in one of them, every record must
carry the fields the evaluation reads. Prints a summary and exits 1 on any problem.
"""

from __future__ import annotations

import collections
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from index.ingest import collect_files  # noqa: E402
from index.parse import parse_file  # noqa: E402
from index.types import Document  # noqa: E402

KINDS = {"answerable", "near", "off_domain"}


def squash(text: str) -> str:
    return " ".join(text.replace("’", "'").replace("“", '"').replace("”", '"').split())


def main(folder: Path, docs_folder: Path | None = None) -> int:
    problems: list[str] = []
    docs: dict[str, Document] = {}
    walk = collect_files([docs_folder or folder / "docs"])
    suffixes = collections.Counter()
    for path, doc_id in walk.files:
        suffixes[path.name.split(".", 1)[1] if "." in path.name else "(none)"] += 1
        try:
            for item in parse_file(path, doc_id):
                if isinstance(item, tuple):
                    problems.append(f"{item[0]}: {item[1]}")
                else:
                    if item.id in docs:
                        problems.append(f"{path}: duplicate document id {item.id!r}")
                    docs[item.id] = item
        except Exception as exc:  # a file that does not parse is the problem reported
            problems.append(f"{path}: {exc}")
    undated = sorted(d.id for d in docs.values() if d.date is None)
    rows = [json.loads(line) for line in (folder / "questions.jsonl").read_text().splitlines() if line.strip()]
    ids = collections.Counter(r.get("id") for r in rows)
    problems += [f"duplicate question id {i!r}" for i, n in ids.items() if n > 1]
    kinds = collections.Counter()
    for r in rows:
        where = f"question {r.get('id')!r}"
        kind = r.get("kind")
        kinds[kind] += 1
        if kind not in KINDS:
            problems.append(f"{where}: kind {kind!r} is not one of {sorted(KINDS)}")
        for field in ("id", "question", "question_date"):
            if not r.get(field):
                problems.append(f"{where}: no {field}")
        if kind != "answerable":
            continue
        gold = r.get("evidence_doc_ids") or []
        sentences = r.get("answer_sentences") or []
        if not gold or not sentences or not r.get("answers"):
            problems.append(f"{where}: answerable questions need evidence_doc_ids, answer_sentences and answers")
            continue
        for d in gold:
            if d not in docs:
                problems.append(f"{where}: no document {d!r} (ids: {sorted(docs)[:5]}...)")
        texts = [squash(docs[d].text) for d in gold if d in docs]
        for s in sentences:
            if not any(squash(s) in t for t in texts):
                problems.append(f"{where}: answer sentence not found verbatim in its documents: {s[:80]!r}")
            elif not any(squash(a).casefold() in squash(s).casefold() for a in r["answers"]):
                problems.append(f"{where}: no short answer inside the sentence {s[:60]!r}")
    dates = sorted(d.date for d in docs.values() if d.date)
    print(f"{folder}: {len(docs)} documents from {len(walk.files)} files ({dict(suffixes)}), "
          f"dated {dates[0] if dates else '-'} .. {dates[-1] if dates else '-'}, undated: {undated or 'none'}")
    print(f"questions: {dict(kinds)}")
    for p in problems:
        print("PROBLEM", p)
    print("OK" if not problems else f"{len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]), Path(sys.argv[2]) if len(sys.argv) > 2 else None))
