#!/usr/bin/env python3
"""The BM25 stage alone at scale: bm25s' own load + retrieve against index/store/lexical.py on the same arrays.

    python scripts/bench_lexical.py [--chunks 200000] [--keep DIR]

Builds (once; --keep reuses it) an index of ~CHUNKS passages of bench_engine.py's generated news corpus with
synthetic passage vectors, then, on the same memory-mapped BM25 arrays:
  - ready: bm25s.BM25.load(mmap) + the per-term idf table the engine used to build, against LexicalIndex.load;
  - per question, p50 / p95 / max ms over two warm rounds (a first round pages the arrays in):
    bm25s.retrieve (what the engine called before) and LexicalIndex.search, and whether their top 50 agree.
Questions: bench_engine's 60 generated questions, plus 20 made of the index's commonest content words.
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from _paths import ROOT  # noqa: F401  (the repository importable)

import numpy as np  # noqa: E402

from index.store.lexical import LexicalIndex  # noqa: E402
from newsdesk.settings import Settings  # noqa: E402

FETCH = 50


def build(folder: Path, chunks: int, seed: int) -> Path:
    from bench_engine import SyntheticPassageEncoder, write_corpus

    from index.ingest.build import ingest
    from index.store.versions import current_version

    if current_version(folder / "index") is None:
        corpus = folder / "corpus"
        write_corpus(corpus, chunks, seed)
        settings = Settings(index_dir=folder / "index", data_dir=folder, corpus_dir=corpus, embedding_model="synthetic")
        t = time.perf_counter()
        ingest(settings, [corpus], encoder=SyntheticPassageEncoder("synthetic", 384))
        print(f"built in {time.perf_counter() - t:.0f} s", file=sys.stderr)
        shutil.rmtree(corpus, ignore_errors=True)
    return current_version(folder / "index") / "bm25"


def common_questions(index: LexicalIndex, count: int, seed: int) -> list[str]:
    """Questions of 3-5 of the 60 commonest content words (the worst case for posting-list walks)."""
    df = index.frequencies()
    words = {i: w for w, i in index.vocab.items()}
    top = [words[i] for i in np.argsort(-df)[:60] if i in words and len(words[i]) > 2]
    r = random.Random(seed)
    return ["What about " + " ".join(r.sample(top, r.randint(3, 5))) + "?" for _ in range(count)]


def dist(ms: list[float]) -> str:
    ms = sorted(ms)
    return f"{statistics.median(ms):6.2f} / {ms[int(0.95 * (len(ms) - 1))]:6.2f} / {ms[-1]:6.2f}"


def timed(fn, qs: list[str], rounds: int = 2) -> tuple[list[float], list]:
    out, times = [], []
    for r in range(rounds):
        for q in qs:
            t = time.perf_counter()
            res = fn(q)
            times.append((time.perf_counter() - t) * 1000)
            if r == 0:
                out.append(res)
    return times, out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--chunks", type=int, default=200_000)
    ap.add_argument("--seed", type=int, default=2024)
    ap.add_argument("--keep", type=Path, help="build into (and reuse) this folder instead of a temp one")
    args = ap.parse_args()
    import bm25s
    from bench_engine import questions

    work = args.keep or Path(tempfile.mkdtemp(prefix="bench-lexical-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        folder = build(work, args.chunks, args.seed)
        t = time.perf_counter()
        old = bm25s.BM25.load(str(folder), mmap=True, show_progress=False, verbosity=0)
        df = np.diff(old.scores["indptr"])
        n = int(old.scores["num_docs"])
        _idf = {tok: np.log(1 + (n - df[i] + 0.5) / (df[i] + 0.5)) for tok, i in old.vocab_dict.items() if i < len(df)}
        old_ready = time.perf_counter() - t
        t = time.perf_counter()
        new = LexicalIndex.load(folder)
        new_ready = time.perf_counter() - t
        print(f"{new.num_docs:,} passages, {len(new.vocab):,} terms; BM25 ready: bm25s load + idf table "
              f"{old_ready:.2f} s | LexicalIndex.load {new_ready:.2f} s")

        def old_search(q: str):
            terms = [t for t in new.terms.question(q) if t in old.vocab_dict]
            if not terms:
                return []
            docs, scores = old.retrieve([terms], k=FETCH, show_progress=False, n_threads=0)
            return new.ids[docs[0][scores[0] > 0]].tolist()

        def new_search(q: str):
            return new.search(q, FETCH)[0].tolist()

        for name, qs in (("generated", questions(args.seed)), ("common words", common_questions(new, 20, args.seed))):
            timed(old_search, qs, rounds=1), timed(new_search, qs, rounds=1)  # page the arrays in
            t_old, r_old = timed(old_search, qs)
            t_new, r_new = timed(new_search, qs)
            agree = statistics.mean(len(set(a) & set(b)) / max(len(a), 1) for a, b in zip(r_old, r_new))
            print(f"{name} ({len(qs)} questions, x2), p50 / p95 / max ms: bm25s {dist(t_old)} | "
                  f"LexicalIndex {dist(t_new)} | top {FETCH} shared: {agree:.3f} (order differs among equal scores)")
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
