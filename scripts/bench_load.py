"""Many members asking at once: the real bot (`newsdesk run`, its own process) over the fake Discord API.

    python scripts/bench_load.py                          # sample corpus and dev index, batching on and off
    python scripts/bench_load.py --corpus sample --members 1,20,100 --batch 1,16 --rounds 2

For each corpus and each ANSWER_BATCH value (1 is the one-at-a-time path, the "before"), a fresh bot process
is started against the fake Discord (served here, in this process, as Discord would be: elsewhere), warmed up
with every question once, then for each N: N members each send one `/ask` at the same moment. An answer counts
when its embed with the quotes reaches the fake API: as the interaction's own response or as the follow-up of a
deferral. Printed per N: latency p50/p95/p99, answers per second (N over the time from the first ask sent to the
last answer), the bot's peak RSS (VmHWM), the worst gap between gateway heartbeats (the bot is asked to beat every
250 ms) during the burst, how many answers were deferred first, and CPU time per answer over the burst (/proc):
the bot process's (all threads) and its event loop thread's — what an answer costs, whatever share of the machine
the bot got —, its engine workers', and this benchmark process's, which serves the fake Discord on the same
machine (what the test harness takes of it). N=1 is 20 questions asked one after another (single-question
latency). Configs alternate within a round, so a busy machine weighs on both alike.
"""

from __future__ import annotations

import _paths  # noqa: F401 - the repository on sys.path

import argparse
import asyncio
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(_paths.ROOT / "tests"))
from fakediscord import payloads as p  # noqa: E402
from fakediscord.server import MESSAGE, FakeDiscord, is_ephemeral  # noqa: E402

SAMPLE_QUESTIONS = _paths.ROOT / "eval" / "corpora" / "sample" / "questions.jsonl"
SAMPLE_CORPUS = _paths.ROOT / "corpus"
DEV_INDEX = _paths.dev_index()
DEV_QUESTIONS = _paths.DEV_QUESTIONS
MODELS = _paths.MODELS
HEARTBEAT = 0.25
SINGLES = 20


class TimedDiscord(FakeDiscord):
    """The fake Discord, noting when each interaction's answer (an embed, not ephemeral) arrives: as the interaction's
    own response or as a follow-up after a deferral."""

    def __init__(self) -> None:
        super().__init__(heartbeat_interval=HEARTBEAT)
        self.answered: dict[str, float] = {}
        self.failed: dict[str, dict] = {}
        self.deferred: set[str] = set()  # interactions deferred first (answered in two calls, not one)

    def _arrived(self, token: str, body: dict) -> None:
        if body.get("embeds") and not is_ephemeral(body):
            self.answered.setdefault(token, time.monotonic())
        else:
            self.failed[token] = body

    async def _callback(self, request, body, interaction, token):
        if body.get("type") == MESSAGE:  # answered in one call, not deferred
            self._arrived(token, body.get("data") or {})
        else:
            self.deferred.add(token)
        return await FakeDiscord._callback(self, request, body, interaction, token)

    async def _followup(self, request, body, app, token):
        body = body or {}
        self._arrived(token, body)
        return await FakeDiscord._followup(self, request, body, app, token)


_TIMED = {FakeDiscord._followup: TimedDiscord._followup, FakeDiscord._callback: TimedDiscord._callback}
TimedDiscord._routes = [(method, pattern, _TIMED.get(handler, handler)) for method, pattern, handler in FakeDiscord._routes]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered) + 0.5) - 1))]


def cpu_seconds(pid: int, thread: int | None = None) -> float:
    """The CPU time (user + system) process `pid` has used so far: all its threads, or only `thread` (a task id;
    the process's own id is its main thread, where the bot's event loop runs)."""
    stat = Path(f"/proc/{pid}/task/{thread}/stat" if thread else f"/proc/{pid}/stat")
    fields = stat.read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def threads_cpu(pid: int) -> dict[int, float]:
    """CPU seconds so far of each of process `pid`'s threads, by task id (a thread gone since is left out)."""
    out = {}
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            out[int(task.name)] = cpu_seconds(pid, int(task.name))
        except (OSError, IndexError):
            pass
    return out


def thread_names(pid: int) -> dict[int, str]:
    """Task id → Python thread name, by py-spy (pool threads grouped: "newsdesk-engine_3" → "newsdesk-engine")."""
    try:
        dump = subprocess.run([str(Path(sys.executable).parent / "py-spy"), "dump", "--pid", str(pid), "--json",
                               "--nonblocking"], capture_output=True, text=True, timeout=30)
        threads = json.loads(dump.stdout)
    except (OSError, ValueError, subprocess.TimeoutExpired):
        return {}
    return {t["os_thread_id"]: re.sub(r"_\d+$", "", t.get("thread_name") or "?") for t in threads
            if t.get("os_thread_id")}


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def children(pid: int) -> list[int]:
    """The processes `pid` started, still running: ENGINE_PROCESSES' workers (not multiprocessing's resource tracker)."""
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            found += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            pass
    return [c for c in found if b"resource_tracker" not in Path(f"/proc/{c}/cmdline").read_bytes()]


def pss_mb(pids: list[int]) -> float:
    """The processes' proportional set size now (pages they share counted once between them), summed."""
    total = 0
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total / 1024


async def wait_until(predicate, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out after {timeout:.0f} s waiting for {what}")
        await asyncio.sleep(0.01)


DISTINCT = False


def asked_by(question: str, i: int) -> str:
    """`question` as member `i` types it: with --distinct, the last letter of some words upper-cased (after its
    bits), so no two members' texts are the same while the model (uncased), BM25 (lower-cased) and the words'
    first letters (names) read it alike; else as written."""
    if not DISTINCT:
        return question
    words = question.split()
    return " ".join(w[:-1] + w[-1].upper() if (i >> j) & 1 and len(w) > 1 else w for j, w in enumerate(words))


async def burst(fake: TimedDiscord, questions: list[str], members: list[dict], timeout: float) -> dict:
    """Every member asks one question at the same moment; latencies of the answers as they arrive."""
    sent: dict[str, float] = {}
    beats_before = len(fake.heartbeats)
    start = time.monotonic()
    for i, member in enumerate(members):
        t = time.monotonic()
        ask = await fake.slash("ask", question=asked_by(questions[i % len(questions)], i), user=member)
        sent[ask.token] = t
    await wait_until(lambda: all(t in fake.answered or t in fake.failed for t in sent), timeout, "every answer")
    end = max(fake.answered.get(t, start) for t in sent)
    beats = [start] + [b for b in fake.heartbeats[max(0, beats_before - 1):] if b >= start - HEARTBEAT] + [end]
    beats = sorted(beats)
    return {
        "latencies": [fake.answered[t] - sent[t] for t in sent if t in fake.answered],
        "failed": sum(t in fake.failed for t in sent),
        "deferred": sum(t in fake.deferred for t in sent),
        "seconds": end - start,
        "worst_gap": max(b - a for a, b in zip(beats, beats[1:])),
    }


THREADS = False  # --threads: the bot process's CPU per answer by thread, after each burst
PROFILE_RATE = 1000  # samples a second
PROFILE_GIL = False  # --profile-gil: sample only the thread holding the GIL (where the Python time goes)
CHECKOUTS: dict[str, Path] = {}  # --before: checkouts of the code to compare with, by name ("before" by default)


def bot_env(data_dir: Path, index_dir: Path, fake: FakeDiscord, batch: int | str,
            processes: int = 0) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DISCORD_", "DATA_DIR", "INDEX_DIR"))}
    checkout, _, size = str(batch).partition(":")  # "before" (ANSWER_BATCH=1) or "before:B", any checkout's name
    if checkout in CHECKOUTS:
        env["PYTHONPATH"] = str(CHECKOUTS[checkout])  # its packages ahead of this checkout's
        batch = size or 1
    env.update(DATA_DIR=str(data_dir), INDEX_DIR=str(index_dir), MODELS_DIR=str(MODELS), ROLE="replica",
               DISCORD_TOKEN=fake.token, DISCORD_API_BASE=fake.api_base, DEV_GUILD_ID=str(fake.guild_id),
               RATE_LIMIT_PER_MINUTE="0", QA_COOLDOWN_SECONDS="0", ANSWER_BATCH=str(batch), LOG_LEVEL="WARNING",
               FEED_POLL_MINUTES="100000", CORPUS_WATCH_SECONDS="0", ENGINE_PROCESSES=str(processes))
    return env


async def run_config(name: str, index_dir: Path, questions: list[str], batch: int | str, sizes: list[int],
                     timeout: float, profile: Path | None, processes: int = 0) -> list[dict]:
    rows = []
    async with TimedDiscord() as fake:
        data_dir = Path(tempfile.mkdtemp(prefix="bench-load-"))
        cmd = [sys.executable, "-m", "newsdesk", "run"]
        proc = subprocess.Popen(cmd, env=bot_env(data_dir, index_dir, fake, batch, processes), cwd=data_dir,
                                stdout=subprocess.DEVNULL, stderr=open(data_dir / "bot.log", "w"))
        try:
            await wait_until(lambda: "ask" in fake.commands or proc.poll() is not None, 120, "the bot to start")
            if proc.poll() is not None:
                raise RuntimeError(f"the bot stopped: {(data_dir / 'bot.log').read_text()[-2000:]}")
            await wait_until(lambda: any(e == "GUILD_CREATE" for e, _ in fake.sent_events), 60, "the bot to join")
            await asyncio.sleep(1.0)
            members = [p.user(p.snowflake(), f"member{i}") for i in range(max(sizes))]
            for q in questions:  # warm: every question's passages and sentence vectors seen once (by each worker
                for _ in range(max(1, processes)):  # process: free ones take batches in turn)
                    await burst(fake, [q], members[:1], timeout)
            spy = None
            for n in sizes:
                if profile and n == max(sizes):
                    spy = subprocess.Popen([str(Path(sys.executable).parent / "py-spy"), "record", "--pid", str(proc.pid),
                                            "--threads", "--nonblocking", "--rate", str(PROFILE_RATE), "--format", "raw",
                                            *(["--gil"] if PROFILE_GIL else []),
                                            "-o", f"{profile}.{name}.batch{batch}.txt"],
                                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                    await asyncio.sleep(1.0)
                workers = children(proc.pid)
                cpu_before, workers_before = cpu_seconds(proc.pid), sum(map(cpu_seconds, workers))
                bench_before = cpu_seconds(os.getpid())
                loop_before = cpu_seconds(proc.pid, proc.pid)
                tasks_before = threads_cpu(proc.pid)
                if n == 1:
                    runs = [await burst(fake, [questions[i % len(questions)]], members[:1], timeout)
                            for i in range(SINGLES)]
                    result = {"latencies": [r["latencies"][0] for r in runs if r["latencies"]],
                              "failed": sum(r["failed"] for r in runs),
                              "deferred": sum(r["deferred"] for r in runs), "seconds": sum(r["seconds"] for r in runs),
                              "worst_gap": max(r["worst_gap"] for r in runs)}
                    answers = len(result["latencies"])
                else:
                    result = await burst(fake, questions, members[:n], timeout)
                    answers = len(result["latencies"])
                cpu = cpu_seconds(proc.pid) - cpu_before
                workers_cpu = sum(map(cpu_seconds, workers)) - workers_before
                bench_cpu = cpu_seconds(os.getpid()) - bench_before
                loop_cpu = cpu_seconds(proc.pid, proc.pid) - loop_before
                if THREADS and answers:
                    names = thread_names(proc.pid)
                    by_name: dict[str, float] = {}
                    for tid, seconds in threads_cpu(proc.pid).items():
                        thread = names.get(tid, "(not a Python thread)")
                        by_name[thread] = by_name.get(thread, 0.0) + seconds - tasks_before.get(tid, 0.0)
                    print(f"  bot threads' CPU ms/answer, {name} {n} members: " + ", ".join(
                        f"{k} {v * 1000 / answers:.2f}" for k, v in sorted(by_name.items(), key=lambda kv: -kv[1])
                        if v > 0), flush=True)
                if spy:
                    spy.send_signal(2)
                    spy.wait(30)
                    spy = None
                lat = result["latencies"] or [float("nan")]
                rows.append({"corpus": name, "batch": batch, "processes": processes, "members": n, "answers": answers,
                             "failed": result["failed"], "deferred": result["deferred"], "p50": percentile(lat, 50) * 1000,
                             "p95": percentile(lat, 95) * 1000, "p99": percentile(lat, 99) * 1000,
                             "per_second": answers / result["seconds"] if result["seconds"] else float("nan"),
                             "cpu_ms": cpu * 1000 / answers if answers else float("nan"),
                             "workers_cpu_ms": workers_cpu * 1000 / answers if answers else float("nan"),
                             "loop_cpu_ms": loop_cpu * 1000 / answers if answers else float("nan"),
                             "bench_cpu_ms": bench_cpu * 1000 / answers if answers else float("nan"),
                             "rss_mb": peak_rss_mb(proc.pid),
                             "workers_rss_mb": sum(peak_rss_mb(w) for w in workers),
                             "pss_mb": pss_mb([proc.pid, *workers]), "worst_gap_ms": result["worst_gap"] * 1000})
                print(row_text(rows[-1]), flush=True)
                await asyncio.sleep(0.5)
        except BaseException:
            print((data_dir / "bot.log").read_text()[-3000:], fake.requests[-5:], file=sys.stderr)
            raise
        finally:
            proc.terminate()
            try:
                proc.wait(30)
            except subprocess.TimeoutExpired:
                proc.kill()
            shutil.rmtree(data_dir, ignore_errors=True)
    return rows


def row_text(r: dict) -> str:
    return (f"| {r['corpus']} | {r['batch']} | {r['processes']} | {r['members']} | {r['p50']:,.0f} | {r['p95']:,.0f} | {r['p99']:,.0f} | "
            f"{r['per_second']:,.0f} | {r['cpu_ms']:,.1f} | {r['loop_cpu_ms']:,.1f} | {r['workers_cpu_ms']:,.1f} | {r['bench_cpu_ms']:,.1f} | {r['rss_mb']:,.0f} | {r['workers_rss_mb']:,.0f} | "
            f"{r['pss_mb']:,.0f} | {r['worst_gap_ms']:,.0f} | {r['deferred']} | {r['failed']} |")


def sample_index(root: Path) -> Path:
    """The sample corpus ingested with the real model (a few seconds), as `newsdesk ingest` does."""
    corpus = root / "corpus"
    corpus.mkdir(parents=True, exist_ok=True)
    for f in SAMPLE_CORPUS.iterdir():
        if f.is_file():
            shutil.copy(f, corpus / f.name)
    env = {**os.environ, "DATA_DIR": str(root), "CORPUS_DIR": str(corpus), "MODELS_DIR": str(MODELS)}
    subprocess.run([sys.executable, "-m", "newsdesk", "ingest", str(corpus)], env=env, check=True,
                   stdout=subprocess.DEVNULL)
    return root / "index"


def read_questions(path: Path) -> list[str]:
    return [json.loads(line)["question"] for line in path.read_text().splitlines() if line.strip()]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", default="sample,dev", help="sample, dev or both (comma-separated)")
    ap.add_argument("--members", default="1,20,100,300", help="members asking at once (comma-separated)")
    ap.add_argument("--batch", default="1,16", help="ANSWER_BATCH values to compare; 1 answers one at a time; "
                                                    "'before' runs the code at --before (ANSWER_BATCH=1), "
                                                    "'before:B' the same with ANSWER_BATCH=B")
    ap.add_argument("--before", help="a checkout of the code before (e.g. `git archive <commit>` unpacked); or "
                                     "NAME=DIR,NAME=DIR… to compare several, each run as --batch NAME or NAME:B")
    ap.add_argument("--processes", default="0", help="ENGINE_PROCESSES values to compare (comma-separated); 0 answers "
                                                     "in the bot's threads")
    ap.add_argument("--rounds", type=int, default=2, help="times each config is run (alternating)")
    ap.add_argument("--timeout", type=float, default=180, help="seconds a burst may take")
    ap.add_argument("--profile", type=Path, help="py-spy the largest burst into PROFILE.<corpus>.batch<B>.json")
    ap.add_argument("--threads", action="store_true",
                    help="also print the bot process's CPU per answer by thread (names from py-spy)")
    ap.add_argument("--profile-gil", action="store_true",
                    help="with --profile: only the thread holding the GIL (its Python work; GIL waits left out)")
    ap.add_argument("--distinct", action="store_true",
                    help="no two members ask the same text (letters' case varied), so no answer is shared; by default "
                         "members cycle through the corpus's questions, repeats included")
    ap.add_argument("--json", type=Path, help="also write every row here")
    args = ap.parse_args()
    global DISTINCT
    DISTINCT = args.distinct
    sizes = [int(n) for n in args.members.split(",")]
    global PROFILE_GIL, THREADS
    PROFILE_GIL, THREADS = args.profile_gil, args.threads
    for item in (args.before or "").split(","):
        if item:
            name, _, folder = item.rpartition("=")
            CHECKOUTS[name or "before"] = Path(folder)
    batches = [b if b.partition(":")[0] in CHECKOUTS or b.startswith("before") else int(b) for b in args.batch.split(",")]
    for b in batches:
        folder = CHECKOUTS.get(str(b).partition(":")[0])
        if isinstance(b, str) and not (folder and (folder / "bot" / "bot.py").is_file()):
            ap.error(f"--batch {b} needs --before NAME=DIR (or DIR for 'before'), a checkout of the code to compare with")
    root = Path(tempfile.mkdtemp(prefix="bench-load-sample-"))
    corpora = {}
    for name in args.corpus.split(","):
        if name == "sample":
            corpora[name] = (sample_index(root), read_questions(SAMPLE_QUESTIONS))
        elif name == "dev":
            corpora[name] = (DEV_INDEX, read_questions(DEV_QUESTIONS))
        else:
            ap.error(f"--corpus: unknown corpus {name!r} (sample or dev)")
    print(f"{os.cpu_count()} CPUs; load average {os.getloadavg()[0]:.2f}")
    print("| corpus | ANSWER_BATCH | ENGINE_PROCESSES | members | p50 ms | p95 ms | p99 ms | answers/s | "
          "bot CPU ms/answer | of which its event loop's thread | workers' CPU ms/answer | benchmark (fake Discord) CPU ms/answer | bot peak RSS MB | workers' peak RSS MB (summed) | PSS now MB (bot + workers) | "
          "worst heartbeat gap ms | deferred first | failed |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    rows = []
    try:
        for _ in range(args.rounds):
            for name, (index_dir, questions) in corpora.items():
                for batch in batches:
                    for processes in [int(n) for n in args.processes.split(",")]:
                        rows += asyncio.run(run_config(name, index_dir, questions, batch, sizes, args.timeout,
                                                       args.profile, processes))
    finally:
        shutil.rmtree(root, ignore_errors=True)
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1))


if __name__ == "__main__":
    main()
