"""Writes that arrive together committed together: one transaction (one fsync) for all that wait.

When many members ask at once, each answer writes its vote record and its question-log row, and each answer
message its conversation turn. Written one transaction each, from the engine's threads, they took the
SQLite file's lock in turn and a commit (a journal fsync) each, and kept those threads from answering:
under 100 questions at once about a third of the bot's busy time (docs/load.md). Here one thread of its own
per database takes every write that is waiting, runs them in one transaction and only then resolves their
futures: a write is acknowledged (the answer sent) after it is committed, so a crash loses none that was.
A write that fails takes the others' transaction down with it, so they are then retried one by one: one bad
write is its own caller's error alone.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from typing import Any, Callable, TypeVar

from sqlalchemy.engine import Connection

from newsdesk.database import Database

log = logging.getLogger(__name__)
T = TypeVar("T")
MOST = 256  # writes in one transaction at most


class GroupCommit:
    """Transactions on `db`, each holding every write waiting when it starts.

    The first write to arrive while none is being committed starts a drain on `executor` (the bot passes its
    engine threads; default: a thread of its own), which commits what waits until nothing does. Why the engine
    threads: a question answered alone paid ~7 ms more when its writes went to a thread of their own (measured
    with scripts/bench_load.py, 1 member, sample corpus: 23–26 ms against 11–14 ms), and under 100 members at
    once the engine threads did no worse (docs/load.md).
    """

    def __init__(self, db: Database, name: str, executor: Executor | None = None) -> None:
        self.db = db
        self._waiting: deque[tuple[Callable[[Connection], Any], Callable[[], Any] | None, Future]] = deque()
        self._lock = threading.Lock()
        self._draining = False  # a drain is started (queued or running): the next write need not start one
        self._active = 0  # drains running now (a queued one the executor cancelled never runs)
        self._closed = False
        self._own = executor is None
        self._executor = executor or ThreadPoolExecutor(max_workers=1, thread_name_prefix=f"newsdesk-commit-{name}")

    def submit(self, work: Callable[[Connection], T], alone: Callable[[], T] | None = None) -> Future[T]:
        """`work(connection)` in the next transaction; its future holds what it returned once committed.
        Should that transaction fail, `alone()` (default: `work` in a transaction of its own) is run instead."""
        done: Future[T] = Future()
        with self._lock:
            if self._closed:
                raise RuntimeError("the writer is closed")
            self._waiting.append((work, alone, done))
            start, self._draining = not self._draining, True
        if start:
            try:
                self._executor.submit(self._drain)
            except RuntimeError:  # the executor is shut down (the bot is stopping): a thread of its own
                threading.Thread(target=self._drain, name="newsdesk-commit-last", daemon=False).start()
        return done

    def close(self, timeout: float = 10.0) -> None:
        """Commit what is waiting (here, whatever became of the executor), then stop."""
        with self._lock:
            self._closed = True
        self._commit_waiting()
        if self._own:
            self._executor.shutdown(wait=True, cancel_futures=True)
        deadline = time.monotonic() + timeout
        while self._active and time.monotonic() < deadline:  # a drain still committing what it took
            time.sleep(0.01)

    def _drain(self) -> None:
        with self._lock:
            self._active += 1
        try:
            while True:
                self._commit_waiting()
                with self._lock:  # a write that came after the last take found a drain started: this one
                    if not self._waiting:
                        self._draining = False
                        return
        finally:
            with self._lock:
                self._active -= 1

    def _commit_waiting(self) -> None:
        while True:
            with self._lock:
                if not self._waiting:
                    return
                batch = [self._waiting.popleft() for _ in range(min(MOST, len(self._waiting)))]
            self._commit(batch)

    def _commit(self, batch: list) -> None:
        live = [item for item in batch if item[-1].set_running_or_notify_cancel()]
        try:
            with self.db.begin() as conn:
                results = [work(conn) for work, _, _ in live]
        except Exception:  # one bad write: each on its own, so it fails alone
            for item in live:
                self._alone(*item)
            return
        for (_, _, done), result in zip(live, results):
            done.set_result(result)

    def _alone(self, work: Callable[[Connection], Any], alone: Callable[[], Any] | None, done: Future) -> None:
        try:
            if alone is not None:
                result = alone()
            else:
                with self.db.begin() as conn:
                    result = work(conn)
        except Exception as exc:
            done.set_exception(exc)
        else:
            done.set_result(result)
