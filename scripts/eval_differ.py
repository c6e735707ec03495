"""Precision and recall of "Sources differ" on report pairs written apart from the rule (eval/differ.jsonl).

Each case is two reports and a question. A report is a sentence of a dev-corpus document (its id and a few
words that locate the sentence: the text is read at run time, never stored here), of the sample article
(`corpus:NAME`), or a short story written for the case. Kinds: `differ` (one story, different values for the
same thing), `agree` (one story, the same value), `other_story` (two stories sharing a kind of value) and
`other_thing` (one story, values for different things: a county's toll and the state's). The documents are
ingested into a cached index with the configured model, each report becomes a quote of the chunk holding it,
and the engine's own comparison (`Engine.compare`) is read: "differ" flagged on a `differ` case is right,
on any other kind wrong. `--split heldout` scores the part kept out while the rule was tuned.

    .venv/bin/python scripts/eval_differ.py [--split tune|heldout|all] [--dev PATH] [--cases FILE] [-v]
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import shutil
import sys
from collections import Counter
from dataclasses import replace
from pathlib import Path

from _paths import ROOT  # noqa: E402  (the repository importable, the model libraries offline)

from index.text.split import split_sentences  # noqa: E402
from index.encode.embed import encoder_for  # noqa: E402
from index.engine import Engine  # noqa: E402
from index.ingest.build import ingest  # noqa: E402
from newsdesk.settings import Settings  # noqa: E402
from index.types import Quote  # noqa: E402

CASES = ROOT / "eval" / "differ.jsonl"
DEV = ROOT.parent / "shared" / "eval" / "realtimeqa-dev" / "corpus.jsonl.gz"
KINDS = ("differ", "agree", "other_story", "other_thing")


def load(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def write_corpus(cases: list[dict], dev: Path, folder: Path) -> None:
    """The cases' documents in `folder`: dev documents (read from `dev`), the sample article, the written ones."""
    wanted = {r["doc"] for c in cases for r in c["reports"] if r.get("doc", "").startswith("rtqa-")}
    records = []
    if wanted:
        with gzip.open(dev, "rt", encoding="utf-8") as f:
            records = [rec for rec in map(json.loads, f) if rec["id"] in wanted]
        if missing := wanted - {r["id"] for r in records}:
            raise SystemExit(f"not in {dev}: {', '.join(sorted(missing))}")
    for c in cases:
        for side, r in zip("ab", c["reports"]):
            if "text" in r:
                records.append({"id": f"{c['id']}-{side}", "title": r["title"], "date": r["date"],
                                "source": r["source"], "body": r["text"]})
            elif r["doc"].startswith("corpus:"):
                shutil.copy(ROOT / "corpus" / r["doc"].removeprefix("corpus:"), folder)
    with open(folder / "reports.jsonl", "w", encoding="utf-8") as f:
        for rec in records:
            f.write(json.dumps(rec, ensure_ascii=False) + "\n")


def quote(engine: Engine, doc_id: str, has: list[str]) -> Quote:
    """The first sentence of the document holding every string of `has`, as a quote of its chunk."""
    v = engine.version
    doc = v.document(doc_id)
    if doc is None:
        raise SystemExit(f"document {doc_id} is not in the index")
    spans = [s for p0, p1, _ in doc.paragraphs for s in split_sentences(doc.text, p0, p1)]
    start, end = next(((s, e) for s, e in spans if all(h in doc.text[s:e] for h in has)), (None, None))
    if start is None:
        raise SystemExit(f"no sentence of {doc_id} holds {has}")
    chunk_ids = v.store.chunk_ids_by_document([doc_id])[doc_id]
    chunks = v.store.chunks(chunk_ids)
    chunk_id = next((cid for cid, row in chunks.items() if row.start <= start < row.start + len(row.text)), -1)
    return Quote(text=doc.text[start:end], doc_id=doc_id, title=doc.title, date=doc.date and doc.date.isoformat(),
                 source=doc.source, url=doc.url, attribution=doc.source, score=1.0, chunk_id=chunk_id,
                 start=start, end=end)


def doc_id_of(engine: Engine, case: dict, side: str, report: dict) -> str:
    if "text" in report:
        return f"{case['id']}-{side}"
    if report["doc"].startswith("corpus:"):
        name = report["doc"].removeprefix("corpus:")
        return next(d.id for d in engine.version.store.documents() if Path(d.path).name == name)
    return report["doc"]


def verdicts(engine: Engine, cases: list[dict]) -> list[dict]:
    rows = []
    for c in cases:
        quotes = [quote(engine, doc_id_of(engine, c, side, r), r["has"]) for side, r in zip("ab", c["reports"])]
        found = engine.compare(quotes, c["question"])
        verdict = ("differ" if any(x.verdict == "differ" for x in found)
                   else "agree" if any(x.verdict == "agree" for x in found) else "none")
        rows.append({"id": c["id"], "kind": c["kind"], "split": c["split"], "verdict": verdict,
                     "claims": [[x.subject, x.verdict, [y.value for y in x.claims]] for x in found]})
    return rows


def scores(rows: list[dict]) -> tuple[int, int, int]:
    """(flagged "differ", of them right, true disagreements)."""
    flagged = [r for r in rows if r["verdict"] == "differ"]
    return len(flagged), sum(r["kind"] == "differ" for r in flagged), sum(r["kind"] == "differ" for r in rows)


def ratio(a: int, b: int) -> str:
    return f"{a}/{b} = {a / b:.2f}" if b else f"{a}/0"


def table(rows: list[dict], splits: list[str]) -> str:
    out = ["| part | cases | flagged differ | precision | recall |", "|---|---|---|---|---|"]
    for name in splits:
        part = rows if name == "all" else [r for r in rows if r["split"] == name]
        flagged, right, true = scores(part)
        out.append(f"| {name} | {len(part)} | {flagged} | {ratio(right, flagged)} | {ratio(right, true)} |")
    out += ["", "| kind | cases | differ | agree | none |", "|---|---|---|---|---|"]
    for kind in KINDS:
        n = Counter(r["verdict"] for r in rows if r["kind"] == kind)
        out.append(f"| {kind} | {sum(n.values())} | {n['differ']} | {n['agree']} | {n['none']} |")
    return "\n".join(out)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--split", choices=("tune", "heldout", "all"), default="all")
    parser.add_argument("--cases", type=Path, default=CASES)
    parser.add_argument("--dev", type=Path, default=DEV, help="the RealTimeQA dev corpus (.jsonl.gz)")
    parser.add_argument("-v", "--verbose", action="store_true", help="each case's verdict and claims")
    args = parser.parse_args()
    cases = [c for c in load(args.cases) if args.split in ("all", c["split"])]
    settings = Settings.from_env()
    digest = hashlib.sha256(args.cases.read_bytes()).hexdigest()[:12]
    folder = settings.data_dir / "eval" / f"differ-{digest}"
    docs = folder / "docs"
    if not docs.exists():
        docs.mkdir(parents=True)
        write_corpus(load(args.cases), args.dev, docs)
    settings = replace(settings, index_dir=folder / "index", corpus_dir=docs)
    encoder = encoder_for(settings)
    ingest(settings, [docs], encoder=encoder)
    engine = Engine.open(settings, encoder=encoder)
    rows = verdicts(engine, cases)
    if args.verbose:
        for r in rows:
            mark = "ok " if (r["verdict"] == "differ") == (r["kind"] == "differ") else "BAD"
            print(f"{mark} {r['id']:7} {r['kind']:12} {r['verdict']:7} {r['claims']}", file=sys.stderr)
    print(f"model {settings.embedding_model}, {len(rows)} cases ({args.cases.name})\n")
    print(table(rows, ["tune", "heldout", "all"] if args.split == "all" else [args.split]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
