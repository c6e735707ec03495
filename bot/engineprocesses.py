"""ENGINE_PROCESSES: the batcher's batches answered in worker processes, so answers use more than one core.

Each worker opens its own `Engine` on the same index folder (read-only; FAISS and the BM25 arrays are
memory-mapped, so their pages are shared) and answers one batch at a time with `ask_many`, sending each answer
back (pickled) as soon as it is ready. Before each batch it switches to the version the bot's engine answers
from, so a /reindex or a version another process published is followed as in process. Writes stay in the bot.
A worker that dies fails only the questions it held (`WorkerDied`, which the member sees as an error) and is
replaced; `close` stops them all.
"""

from __future__ import annotations

import logging
import multiprocessing
import pickle
import queue
import threading
from pathlib import Path
from typing import Callable, Sequence

from index.batch import Asking, ask_many

log = logging.getLogger(__name__)
STOP_SECONDS = 10.0  # what a worker gets to finish on close before it is killed


class WorkerDied(RuntimeError):
    """The engine process answering a question stopped before answering it."""


def _sendable(result: object) -> bytes:
    """`result` pickled; an error that does not pickle (or unpickle) goes as a RuntimeError with its text."""
    try:
        data = pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL)
        pickle.loads(data)
        return data
    except Exception:
        return pickle.dumps(RuntimeError(f"{type(result).__name__}: {result}"))


def _serve(settings, conn) -> None:
    """A worker's life: open the engine, then answer batches until told to stop (None) or the bot is gone."""
    from index.engine import Engine

    engine = Engine.open(settings)
    conn.send(("ready", None))
    while True:
        try:
            job = conn.recv()
        except EOFError:  # the bot is gone
            return
        if job is None:
            return
        version, askings = job
        if engine.version.path != version:
            engine.reload()

        def answered(i: int, result: object) -> None:
            conn.send(("answer", (i, _sendable(result))))

        ask_many(engine, askings, answered)
        conn.send(("done", None))


class _Worker:
    """One worker process and the bot's end of its pipe."""

    def __init__(self, context, settings, n: int) -> None:
        self.conn, child = context.Pipe()
        self.process = context.Process(target=_serve, args=(settings, child), name=f"newsdesk-engine-{n}",
                                       daemon=True)
        self.process.start()
        child.close()
        self.ready = False

    def receive(self):
        message = self.conn.recv()
        if message[0] == "ready":
            self.ready = True
            return self.conn.recv()
        return message

    def started(self) -> None:
        """Wait until the worker's engine is open (WorkerDied if it stopped first: its error is in the log)."""
        try:
            kind, _ = self.conn.recv()
        except (EOFError, OSError) as exc:
            self.process.join(STOP_SECONDS)
            raise WorkerDied(f"the engine process {self.process.name} stopped while opening the index (exit code "
                             f"{self.process.exitcode})") from exc
        self.ready = kind == "ready"

    def stop(self) -> None:
        try:
            self.conn.send(None)
        except (OSError, EOFError):
            pass
        self.process.join(STOP_SECONDS)
        if self.process.is_alive():
            self.process.kill()
            self.process.join(STOP_SECONDS)
        self.conn.close()


class EngineProcesses:
    """`processes` workers answering batches; `ask_many` is blocking (call it from a thread), one batch per worker
    at a time."""

    def __init__(self, settings, processes: int, version: Callable[[], Path]) -> None:
        self.settings, self.version = settings, version
        self._context = multiprocessing.get_context("spawn")  # never fork a process with ONNX/FAISS threads
        self._started = 0
        self._free: queue.Queue[_Worker] = queue.Queue()
        self._all: set[_Worker] = set()
        self._lock = threading.Lock()
        self._closed = False
        workers = [self._start() for _ in range(processes)]
        try:
            for worker in workers:  # the bot answers once they can
                worker.started()
                self._free.put(worker)
        except BaseException:
            self.close()
            raise

    def _start(self) -> _Worker:
        with self._lock:
            self._started += 1
            worker = _Worker(self._context, self.settings, self._started)
            self._all.add(worker)
        return worker

    @property
    def pids(self) -> list[int]:
        return [w.process.pid for w in list(self._all) if w.process.pid is not None]

    def ask_many(self, askings: Sequence[Asking], answered: Callable[[int, object], None] | None = None) -> list:
        """The answers to `askings` as `index.batch.ask_many` gives them, from a free worker process."""
        if self._closed:
            raise RuntimeError("the engine processes are stopped")
        worker = self._free.get()
        results: list = [None] * len(askings)
        done = [False] * len(askings)
        try:
            worker.conn.send((self.version(), list(askings)))
            while True:
                kind, body = worker.receive()
                if kind == "done":
                    break
                i, data = body
                results[i] = pickle.loads(data)
                done[i] = True
                if answered is not None:
                    try:
                        answered(i, results[i])
                    except Exception:  # e.g. the event loop closed: the rest of the batch is still read off the pipe
                        log.exception("Could not hand on an answer from %s", worker.process.name)
        except (EOFError, OSError) as exc:  # the worker died: its questions fail, a new one takes its place
            code = worker.process.exitcode if not worker.process.is_alive() else None
            log.error("Engine process %s stopped (exit code %s) with %d question%s unanswered",
                      worker.process.name, code, done.count(False), "s" * (done.count(False) != 1))
            died = WorkerDied(f"the engine process {worker.process.name} stopped (exit code {code})")
            died.__cause__ = exc
            for i, was in enumerate(done):
                if not was:
                    results[i] = died
            self._replace(worker)
            return results
        self._free.put(worker)
        return results

    def _replace(self, worker: _Worker) -> None:
        with self._lock:
            self._all.discard(worker)
        try:
            worker.stop()
        except Exception:
            log.exception("Could not clean up the stopped engine process")
        if not self._closed:
            self._free.put(self._start())

    def close(self) -> None:
        """Stop every worker (each finishes the batch it holds first, within STOP_SECONDS)."""
        self._closed = True
        for worker in list(self._all):
            worker.stop()
        self._all.clear()
