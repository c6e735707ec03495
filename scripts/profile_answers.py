"""An answer's CPU in process, by function (cProfile), and the answers themselves as JSON to compare two versions.

    python scripts/profile_answers.py --corpus dev --rounds 2           # CPU ms per answer, then the top functions
    python scripts/profile_answers.py --corpus dev --dump after.json     # every question's answer, as JSON
    python scripts/profile_answers.py --corpus dev --dump before.json --code /tmp/before   # the code before

`Engine.ask` is timed on one thread over the corpus's questions, after each is asked once (the caches an index
version keeps are warm, as in a running bot); each round asks every question again with some letters' case
varied, so no two asks are the same text (the model is uncased, BM25 lower-cases). `--dump` writes each
question's `Answer.to_json()` as asked once: two versions of the code answer alike when their dumps are
byte-identical. `--code DIR` imports the engine from DIR (e.g. `git archive <commit> | tar -x -C DIR`).
The sample corpus is `corpus/` ingested with the real model into a temporary folder; the dev index is opened
read-only.
"""

from __future__ import annotations

import _paths  # noqa: F401 - the repository on sys.path

import argparse
import cProfile
import json
import os
import pstats
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SAMPLE_QUESTIONS = _paths.ROOT / "eval" / "corpora" / "sample" / "questions.jsonl"
DEV_INDEX = _paths.dev_index()
DEV_QUESTIONS = _paths.DEV_QUESTIONS
MODELS = _paths.MODELS


def varied(question: str, i: int) -> str:
    """`question` with the last letter of some words upper-cased (after the bits of `i`): another text, read alike."""
    words = question.split()
    return " ".join(w[:-1] + w[-1].upper() if (i >> j) & 1 and len(w) > 1 else w for j, w in enumerate(words))


def sample_index(root: Path, code: Path) -> Path:
    corpus = root / "corpus"
    shutil.copytree(_paths.ROOT / "corpus", corpus)
    env = {**os.environ, "DATA_DIR": str(root), "CORPUS_DIR": str(corpus), "MODELS_DIR": str(MODELS)}
    subprocess.run([sys.executable, "-m", "newsdesk", "ingest", str(corpus)], env=env, check=True,
                   stdout=subprocess.DEVNULL, cwd=code)
    return root / "index"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", choices=("sample", "dev"), default="sample")
    ap.add_argument("--rounds", type=int, default=3, help="times every question is asked again (varied)")
    ap.add_argument("--dump", type=Path, help="write every question's answer (asked once) here as JSON, and stop")
    ap.add_argument("--stats", type=Path, help="also write the cProfile stats here (for pstats, snakeviz)")
    ap.add_argument("--top", type=int, default=30, help="functions printed, by own time")
    ap.add_argument("--code", type=Path, help="import the engine from this checkout instead")
    args = ap.parse_args()
    if args.code:
        sys.path.insert(0, str(args.code.resolve()))
    from index.engine import Engine
    from newsdesk.settings import Settings

    root = Path(tempfile.mkdtemp(prefix="profile-answers-"))
    try:
        index, qfile = (sample_index(root, args.code or _paths.ROOT), SAMPLE_QUESTIONS) if args.corpus == "sample" else (DEV_INDEX, DEV_QUESTIONS)
        questions = [json.loads(line)["question"] for line in qfile.read_text().splitlines() if line.strip()]
        settings = Settings.from_env({"INDEX_DIR": str(index), "MODELS_DIR": str(MODELS), "DATA_DIR": str(root)},
                                     dotenv=None)
        engine = Engine.open(settings)
        if args.dump:
            answers = [engine.ask(q).to_json() for q in questions]
            args.dump.write_text(json.dumps(answers, indent=1, sort_keys=True, default=str))
            print(f"{len(answers)} answers written to {args.dump}")
            return
        for q in questions:
            engine.ask(q)
        asks = [varied(q, r + 1) for r in range(args.rounds) for q in questions]
        profile = cProfile.Profile()
        wall, cpu = time.perf_counter(), time.process_time()
        profile.enable()
        for q in asks:
            engine.ask(q)
        profile.disable()
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        print(f"{args.corpus}: {len(asks)} asks; per answer {wall * 1000 / len(asks):.1f} ms wall, "
              f"{cpu * 1000 / len(asks):.1f} ms CPU (this process, cProfile on: pure Python reads ~1.5x slower)")
        if args.stats:
            profile.dump_stats(args.stats)
        pstats.Stats(profile).sort_stats("tottime").print_stats(args.top)
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
