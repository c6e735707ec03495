#!/usr/bin/env python3
"""INDEX_STORE=milvus (milvus-lite) against the index folder (FAISS), side by side in one run (issue 16).

    .venv/bin/python scripts/bench_milvus.py [--chunks 100000] [--asks 60] [--json-out FILE]

1. A synthetic news corpus of --chunks passages (scripts/bench_engine.py's generator) is ingested into an
   index folder by the real ingest (parse, chunk, SQLite, FAISS with FAISS_INDEX=auto, BM25) with
   SYNTHETIC passage vectors (pseudo-random 384-d unit vectors under the real model's name: embedding 100k
   passages with the model would take hours on 2 cores). That is the folder mode's ingest, embedding left out.
2. The finished version is published to a milvus-lite file (`index.ingest.build.publish_to_milvus`: passages,
   vectors, BM25 input, document records, idf table): the extra step INDEX_STORE=milvus costs a writer.
3. One engine per mode is opened with the real encoder, and each question is asked of both, alternating
   which goes first, so both see the same machine load. Latency is warm and end to end (`Engine.ask`).

Also recorded: the folder version's size on disk, the milvus-lite file's size, and this process's resident
memory after each step (milvus-lite serves the file from inside this process, so its share is the growth
from publishing and opening the Milvus engine). The machine's load
average is recorded at each step: on a shared 2-core machine every figure is inflated; compare within a run.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from _paths import ROOT  # noqa: F401  (the repository importable, the model libraries offline)

from bench_engine import SyntheticPassageEncoder, dist, questions, write_corpus  # noqa: E402
from index.encode.embed import encoder_for  # noqa: E402
from index.engine import Engine  # noqa: E402
from index.ingest.build import ingest, publish_to_milvus  # noqa: E402
from index.settings import DEFAULT_MODEL  # noqa: E402
from newsdesk.settings import Settings  # noqa: E402
from index.store.versions import current_version  # noqa: E402


def folder_bytes(path: Path) -> int:
    return sum(f.stat().st_size for f in Path(path).rglob("*") if f.is_file())


def rss_mb(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        return None
    return None


def load() -> float:
    return round(os.getloadavg()[0], 2)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--chunks", type=int, default=100_000, help="passages in the synthetic corpus (default 100000)")
    ap.add_argument("--asks", type=int, default=60, help="timed asks per mode (default 60)")
    ap.add_argument("--warmup", type=int, default=5, help="warm-up asks per mode (default 5)")
    ap.add_argument("--seed", type=int, default=2024)
    ap.add_argument("--model", default=DEFAULT_MODEL)
    ap.add_argument("--json-out", type=Path)
    args = ap.parse_args(argv)
    started = time.perf_counter()

    def log(msg: str) -> None:
        print(f"[{time.perf_counter() - started:7.1f} s] {msg}", file=sys.stderr, flush=True)

    work = Path(tempfile.mkdtemp(prefix="newsdesk-bench-milvus-"))
    base = replace(Settings.from_env(dotenv=None), embedding_model=args.model, data_dir=work,
                   index_dir=work / "index", corpus_dir=work / "corpus", index_store="folder",
                   milvus_uri=str(work / "milvus.db"), milvus_collection="bench")
    result: dict = {"chunks_asked_for": args.chunks, "loadavg_start": load(), "cpus": os.cpu_count(),
                    "passage_vectors": "SYNTHETIC (pseudo-random unit vectors); questions encoded by the real model"}
    try:
        log(f"loading {args.model} ({base.embedding_backend}) ...")
        real = encoder_for(base)
        rss = {"model loaded": rss_mb(os.getpid())}
        info = write_corpus(base.corpus_dir, args.chunks, args.seed)
        log(f"corpus: {info['documents']} documents; ingest into the folder (synthetic vectors) ...")
        t = time.perf_counter()
        report = ingest(base, [base.corpus_dir], encoder=SyntheticPassageEncoder(real.name, real.dim))
        build_s = time.perf_counter() - t
        version = current_version(Path(base.index_dir))
        result["folder"] = {"passages": report.chunks, "documents": report.documents, "ingest_seconds": round(build_s, 1),
                            "ingest_passages_per_s": round(report.chunks / build_s), "loadavg": load(),
                            "disk_mb": round(folder_bytes(version) / 2**20, 1),
                            "vector_index": json.loads((version / "manifest.json").read_text()).get("faiss_index")}
        log(f"folder: {report.chunks} passages in {build_s:.1f} s; publish to milvus-lite ...")

        milvus = replace(base, index_store="milvus")
        t = time.perf_counter()
        publish_to_milvus(milvus, version)
        publish_s = time.perf_counter() - t
        result["milvus"] = {"publish_seconds": round(publish_s, 1),
                            "publish_passages_per_s": round(report.chunks / publish_s), "loadavg": load(),
                            "disk_mb": round(folder_bytes(work / "milvus.db") / 2**20, 1)}
        rss["published"] = rss_mb(os.getpid())
        log(f"published in {publish_s:.1f} s; opening both engines ...")

        engines = {}
        for mode, settings in (("folder", base), ("milvus", milvus)):
            t = time.perf_counter()
            engines[mode] = Engine.open(settings, encoder=real)
            result[mode]["open_seconds"] = round(time.perf_counter() - t, 2)
            rss[f"{mode} engine open"] = rss_mb(os.getpid())
        qs = questions(args.seed)
        for i in range(args.warmup):
            for engine in engines.values():
                engine.ask(qs[i % len(qs)])
        times: dict[str, list[float]] = {m: [] for m in engines}
        same_top = 0
        log(f"{args.asks} asks of each, alternating ...")
        result["loadavg_asks_start"] = load()
        for i in range(args.asks):
            order = list(engines) if i % 2 == 0 else list(engines)[::-1]
            got = {}
            for mode in order:
                t = time.perf_counter()
                got[mode] = engines[mode].ask(qs[i % len(qs)])
                times[mode].append(time.perf_counter() - t)
            tops = [[q.doc_id for q in (a.quotes or a.nearest)][:1] for a in got.values()]
            same_top += tops[0] == tops[1]
        result["loadavg_asks_end"] = load()
        for mode in engines:
            result[mode]["ask"] = dist(times[mode])
        result["same_first_quote_document"] = f"{same_top}/{args.asks}"
        rss["after the asks"] = rss_mb(os.getpid())
        result["rss_mb"] = rss
    finally:
        shutil.rmtree(work, ignore_errors=True)
    result["seconds"] = round(time.perf_counter() - started, 1)

    f, m = result["folder"], result["milvus"]
    print(f"\n{f['passages']} passages, {f['documents']} documents (synthetic vectors); "
          f"load average {result['loadavg_start']} at start, {result['loadavg_asks_end']} after the asks, "
          f"{result['cpus']} CPUs\n")
    print("| mode | write | passages/s | disk | open | ask p50 / p95 |")
    print("| --- | --- | --- | --- | --- | --- |")
    print(f"| folder ({f['vector_index']}) | ingest {f['ingest_seconds']} s | {f['ingest_passages_per_s']} | "
          f"{f['disk_mb']} MB | {f['open_seconds']} s | {f['ask']['p50_ms']} / {f['ask']['p95_ms']} ms |")
    print(f"| milvus-lite (FLAT) | publish {m['publish_seconds']} s (after the ingest) | {m['publish_passages_per_s']} (publish) | "
          f"{m['disk_mb']} MB | {m['open_seconds']} s | {m['ask']['p50_ms']} / {m['ask']['p95_ms']} ms |")
    print(f"\nsame first quote's document: {result['same_first_quote_document']}; resident memory of this process (MB) after: "
          + ", ".join(f"{k} {v}" for k, v in result["rss_mb"].items()))
    print(f"Total {result['seconds']} s.")
    if args.json_out:
        args.json_out.write_text(json.dumps(result, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
