"""An answer's CPU in process, by function (cProfile), and the answers themselves as JSON to compare two versions.

    python scripts/profile_answers.py --corpus dev --rounds 2           # CPU ms per answer, then the top functions
    python scripts/profile_answers.py --corpus dev --dump after.json     # every question's answer, as JSON
    python scripts/profile_answers.py --corpus dev --dump before.json --code /tmp/before   # the code before
    python scripts/profile_answers.py --corpus dev --rounds 2 --clock cpu --stages    # CPU time, by stage

`Engine.ask` is timed on one thread over the corpus's questions, after each is asked once (the caches an index
version keeps are warm, as in a running bot); each round asks every question again with some letters' case
varied, so no two asks are the same text (the model is uncased, BM25 lower-cases). `--dump` writes each
question's `Answer.to_json()` as asked once: two versions of the code answer alike when their dumps are
byte-identical. `--code DIR` imports the engine from DIR (e.g. `git archive <commit> | tar -x -C DIR`).
`--clock cpu` times functions by the asking thread's CPU time instead of the wall clock (ONNX Runtime's one-thread
session, FAISS's one-thread search and SQLite all run on that thread): other jobs on the machine then hardly move
the figures. Before the profiled rounds, as many rounds again (other variants of each question) run without the
profiler, for the process's CPU per answer with nothing slowing it. After the cProfile rounds, `--stages` asks as
many rounds again (other variants) with STAGES' functions timed by the asking thread's CPU clock, and prints ms per
answer, inclusive, by stage (docs/load.md's tables).
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
import resource
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
CLOCKS = {"wall": time.perf_counter, "cpu": time.thread_time}

# The table's rows: a stage → the functions ("module:qualname") whose time it is, inclusive. `--stages` times each
# call of them by the asking thread's CPU clock, without cProfile (a call inside another of the same row counts once).
STAGES: dict[str, tuple[str, ...]] = {
    "`Engine.ask`, all of it": ("index.engine:Engine.ask",),
    "question encoding (ONNX Runtime, tokenizer)": ("index.encode.embed:encode_queries",),
    "— of which ONNX Runtime's session": ("onnxruntime:InferenceSession.run",),
    "passages' sentence vectors (kept per version)": ("index.engine:_Version.sentence_vectors",),
    "dense search (FAISS)": ("index.store.vectorstore.faiss_store:FaissStore.search",
                             "index.store.vectorstore.faiss_store:FaissStore.reconstruct_many"),
    "BM25 search": ("index.store.lexical:LexicalIndex.search",),
    "SQLite reads (passages, documents)": ("index.store.documents:Store.chunks", "index.store.documents:Store.document",
                                           "index.store.documents:Store.chunk_ids_by_document"),
    "sentence splitting (blingfire)": ("index.text.split:split_sentences",),
    "attribution (who said it)": ("index.answer.attribute:attribute",),
    "candidate sentences' features": ("index.answer.sentences:candidates",),
    "— of which the kind of answer a sentence offers": ("index.answer.quote:AnswerType.offered_by",
                                                        "index.answer.quote:AnswerType.counts"),
    "— of which tokenising (stems)": ("index.store.lexical:Terms.kept",),
    "sentences rescored (`refine`, recency)": ("index.answer.sentences:refine", "index.answer.sentences:with_recency"),
    "decision signals (names missing, alphabet)": ("index.answer.signals:measure",),
    "document vectors": ("index.search.retrieve:Retriever.score_documents",),
    "quotes (widened, marked)": ("index.engine:Engine._quotes", "index.answer.mark:Marker.__call__"),
    "comparing reports (`disagree`)": ("index.answer.disagree:compare",),
}


def timed_stages() -> tuple[dict[str, float], list[bool]]:
    """Wrap STAGES' functions to add up the asking thread's CPU seconds per stage (in the dict returned) while the
    switch returned holds True: each class attribute, and each module-level name in `index.*` bound to the
    function, is replaced (before the engine opens, so that what it binds once is wrapped too)."""
    import importlib

    seconds = {stage: 0.0 for stage in STAGES}
    on = [False]
    for stage, specs in STAGES.items():
        depth = [0]
        for spec in specs:
            module_name, qualname = spec.split(":")
            module = importlib.import_module(module_name)
            owner, name = module, qualname
            if "." in qualname:
                owner_name, name = qualname.split(".")
                owner = getattr(module, owner_name)
            original = getattr(owner, name)

            def wrapper(*a, _original=original, _stage=stage, _depth=depth, **kw):
                if _depth[0] or not on[0]:
                    return _original(*a, **kw)
                _depth[0] += 1
                start = time.thread_time()
                try:
                    return _original(*a, **kw)
                finally:
                    seconds[_stage] += time.thread_time() - start
                    _depth[0] -= 1

            setattr(owner, name, wrapper)
            if owner is module:  # imported by name elsewhere too
                for other in list(sys.modules.values()):
                    if getattr(other, "__name__", "").startswith("index.") and getattr(other, name, None) is original:
                        setattr(other, name, wrapper)
    return seconds, on


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
    ap.add_argument("--warm", action="store_true", help="--dump: each answer as asked a second time (from what the "
                    "engine kept of the first)")
    ap.add_argument("--stats", type=Path, help="also write the cProfile stats here (for pstats, snakeviz)")
    ap.add_argument("--top", type=int, default=30, help="functions printed, by own time")
    ap.add_argument("--code", type=Path, help="import the engine from this checkout instead")
    ap.add_argument("--clock", choices=tuple(CLOCKS), default="wall", help="what the profiler times functions by")
    ap.add_argument("--stages", action="store_true", help="print ms per answer by stage (STAGES)")
    args = ap.parse_args()
    if args.code:  # (this script's paths imported the repository's `index` already: dropped, imported again from DIR)
        sys.path.insert(0, str(args.code.resolve()))
        for name in [m for m in sys.modules if m.split(".")[0] in ("index", "newsdesk", "sources", "bot")]:
            del sys.modules[name]
    import index
    from index.engine import Engine
    from newsdesk.settings import Settings

    print(f"the engine from {Path(index.__file__).parent.parent}", file=sys.stderr)

    root = Path(tempfile.mkdtemp(prefix="profile-answers-"))
    try:
        index, qfile = (sample_index(root, args.code or _paths.ROOT), SAMPLE_QUESTIONS) if args.corpus == "sample" else (DEV_INDEX, DEV_QUESTIONS)
        questions = [json.loads(line)["question"] for line in qfile.read_text().splitlines() if line.strip()]
        settings = Settings.from_env({"INDEX_DIR": str(index), "MODELS_DIR": str(MODELS), "DATA_DIR": str(root)},
                                     dotenv=None)
        seconds, timing = timed_stages() if args.stages else ({}, [False])
        engine = Engine.open(settings)
        if args.dump:
            if args.warm:
                for q in questions:
                    engine.ask(q)
            answers = [engine.ask(q).to_json() for q in questions]
            args.dump.write_text(json.dumps(answers, indent=1, sort_keys=True, default=str))
            print(f"{len(answers)} answers written to {args.dump}")
            return
        for q in questions:
            engine.ask(q)
        plain = [varied(q, args.rounds + r + 1) for r in range(args.rounds) for q in questions]
        wall, cpu = time.perf_counter(), time.process_time()
        for q in plain:
            engine.ask(q)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        print(f"{args.corpus}: {len(plain)} asks without the profiler; per answer {wall * 1000 / len(plain):.1f} ms "
              f"wall, {cpu * 1000 / len(plain):.1f} ms CPU (this process, all threads)")
        asks = [varied(q, r + 1) for r in range(args.rounds) for q in questions]
        profile = cProfile.Profile(CLOCKS[args.clock])
        wall, cpu = time.perf_counter(), time.process_time()
        profile.enable()
        for q in asks:
            engine.ask(q)
        profile.disable()
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        print(f"{args.corpus}: {len(asks)} asks; per answer {wall * 1000 / len(asks):.1f} ms wall, "
              f"{cpu * 1000 / len(asks):.1f} ms CPU (this process, cProfile on: pure Python reads slower, "
              "~1.5x by the wall clock, ~3x by the CPU clock)")
        if args.stats:
            profile.dump_stats(args.stats)
        pstats.Stats(profile).sort_stats("tottime").print_stats(args.top)
        if args.stages:
            timing[0] = True
            staged = [varied(q, 2 * args.rounds + r + 1) for r in range(args.rounds) for q in questions]
            for q in staged:
                engine.ask(q)
            print(f"\nCPU ms per answer by stage, inclusive (the asking thread's clock, {len(staged)} more asks, "
                  "no cProfile)")
            for stage, spent in seconds.items():
                print(f"  {spent * 1000 / len(staged):7.2f}  {stage}")
            print()
        print(f"peak RSS of this process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB "
              f"(the engine after {1 + args.rounds * (2 + args.stages)} askings of each of its {len(questions)} "
              "questions)")
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
