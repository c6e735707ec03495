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
from collections import deque
from concurrent.futures import Future
from typing import Any, Callable, TypeVar

from sqlalchemy.engine import Connection

from index.database import Database

log = logging.getLogger(__name__)
T = TypeVar("T")
MOST = 256  # writes in one transaction at most


class GroupCommit:
    """Transactions on `db` from one thread of its own, each holding every write waiting when it starts."""

    def __init__(self, db: Database, name: str) -> None:
        self.db = db
        self._waiting: deque[tuple[Callable[[Connection], Any], Callable[[], Any] | None, Future]] = deque()
        self._wake = threading.Condition()
        self._closed = False
        self._thread = threading.Thread(target=self._run, name=f"newsdesk-commit-{name}", daemon=True)
        self._thread.start()

    def submit(self, work: Callable[[Connection], T], alone: Callable[[], T] | None = None) -> Future[T]:
        """`work(connection)` in the next transaction; its future holds what it returned once committed.
        Should that transaction fail, `alone()` (default: `work` in a transaction of its own) is run instead."""
        done: Future[T] = Future()
        with self._wake:
            if self._closed:
                raise RuntimeError("the writer is closed")
            self._waiting.append((work, alone, done))
            self._wake.notify()
        return done

    def close(self, timeout: float = 10.0) -> None:
        """Commit what is waiting, then stop."""
        with self._wake:
            self._closed = True
            self._wake.notify()
        self._thread.join(timeout)

    def _run(self) -> None:
        while True:
            with self._wake:
                while not self._waiting and not self._closed:
                    self._wake.wait()
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
