"""Chunking variants side by side: chunk size, sentence overlap, and the title in what is embedded.

    python scripts/study_chunking.py QUESTIONS.jsonl --corpus CORPUS.jsonl.gz [--distractors 600]
        [--variants 120/0/title,60/0/title,200/0/title,120/1/title,120/0/plain] [--work DIR]

Re-embedding the whole corpus per variant costs an hour here, so each variant is measured on a proxy:
every gold article of QUESTIONS plus `--distractors` other articles of CORPUS drawn with a fixed seed,
written under --work (a temp folder by default; nothing is written into the repository). A variant
`WORDS/OVERLAP/title|plain` chunks at most WORDS words with OVERLAP sentences repeated, and embeds each
passage with ("title") or without ("plain") its article's title and sub-heading in front.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import tempfile
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

import _paths  # noqa: E402,F401  (the repository importable, the model libraries offline)

from index.encode.embed import encoder_for  # noqa: E402
from index.engine import Engine  # noqa: E402
from index.eval.evaluate import evaluate, load_questions  # noqa: E402
from index.ingest.build import ingest  # noqa: E402
from newsdesk.settings import Settings  # noqa: E402
from index.types import Chunk  # noqa: E402
from study_quality import finish, shown  # noqa: E402  (this folder is on sys.path when a script runs)


def write_proxy(questions, corpus: Path, out: Path, distractors: int, seed: int) -> int:
    """Gold articles + `distractors` others (fixed seed) as JSONL.gz; returns the article count."""
    gold = set().union(*(q.gold for q in questions))
    with gzip.open(corpus, "rt") as f:
        records = [json.loads(line) for line in f if line.strip()]
    others = [r for r in records if r["id"] not in gold]
    chosen = [r for r in records if r["id"] in gold] + random.Random(seed).sample(others, min(distractors, len(others)))
    with gzip.open(out, "wt") as f:
        for r in chosen:
            f.write(json.dumps(r) + "\n")
    return len(chosen)


@contextmanager
def embedded_text(with_title: bool):
    """Chunk.embed_text with or without the title/heading prefix, for the duration of one build."""
    original = Chunk.embed_text
    if not with_title:
        Chunk.embed_text = lambda self, title: self.text
    try:
        yield
    finally:
        Chunk.embed_text = original


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("questions", type=Path)
    ap.add_argument("--corpus", type=Path, required=True)
    ap.add_argument("--distractors", type=int, default=600)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--variants", default="120/0/title,60/0/title,200/0/title,120/1/title,120/0/plain")
    ap.add_argument("--work", type=Path, help="folder for the proxy corpus and the indexes (default: a temp folder)")
    args = ap.parse_args(argv)

    work = args.work or Path(tempfile.mkdtemp(prefix="newsdesk-chunking-"))
    work.mkdir(parents=True, exist_ok=True)
    questions = load_questions(args.questions)
    proxy = work / "proxy.jsonl.gz"
    n = write_proxy(questions, args.corpus, proxy, args.distractors, args.seed)
    print(f"proxy: {n} articles in {proxy}", flush=True)
    base = replace(Settings.from_env(), data_dir=work)
    encoder = encoder_for(base)
    rows = []
    for variant in args.variants.split(","):
        words, overlap, title = variant.split("/")
        settings = replace(base, index_dir=work / variant.replace("/", "-"))
        with embedded_text(title == "title"):
            report = ingest(settings, [proxy], encoder=encoder, max_words=int(words),
                            overlap=int(overlap))
        print(f"{variant}: {report.chunks} passages, built in {report.seconds:.0f} s", flush=True)
        for result in evaluate(Engine.open(settings, encoder), questions, ["dense", "full"]):
            result.name = f"{variant} {result.name}"
            shown(rows, result)
    return finish(rows)


if __name__ == "__main__":
    raise SystemExit(main())
