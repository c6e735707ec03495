"""Writes committed together (bot/groupcommit.py): every acknowledged write is in the database, whoever runs the
drain, and one stopping with the bot's threads shut down first still commits what waits."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import textwrap
from concurrent.futures import ThreadPoolExecutor, wait
from pathlib import Path

import pytest
import sqlalchemy as sa

from bot.groupcommit import GroupCommit
from newsdesk.database import Database

ROOT = Path(__file__).resolve().parent.parent
rows = sa.Table("rows", sa.MetaData(), sa.Column("n", sa.Integer, primary_key=True, autoincrement=False))

def database(tmp_path) -> Database:
    db = Database.sqlite(tmp_path / "w.sqlite")
    db.create(rows)
    return db

def stored(db: Database) -> list[int]:
    with db.begin() as conn:
        return sorted(conn.execute(sa.select(rows.c.n)).scalars())

def test_writes_from_many_threads_are_each_committed_once_on_the_callers_pool(tmp_path):
    db, pool = database(tmp_path), ThreadPoolExecutor(4)
    writes = GroupCommit(db, "test", pool)
    submitted = list(pool.map(lambda n: writes.submit(lambda c, n=n: c.execute(rows.insert().values(n=n)) and n),
                              range(300)))
    wait(submitted, timeout=30)
    assert [f.result() for f in submitted] == list(range(300))
    assert stored(db) == list(range(300))
    writes.close()
    pool.shutdown()

def test_closing_after_the_pool_is_shut_down_commits_what_waits(tmp_path):
    db, pool = database(tmp_path), ThreadPoolExecutor(1)
    writes = GroupCommit(db, "test", pool)
    busy = pool.submit(lambda: __import__("time").sleep(0.3))  # the drain queues behind this
    pending = [writes.submit(lambda c, n=n: c.execute(rows.insert().values(n=n))) for n in range(5)]
    pool.shutdown(wait=False, cancel_futures=True)  # as the bot does on close: the queued drain never runs
    writes.close(timeout=5)
    busy.result()
    assert all(f.done() and f.exception() is None for f in pending)
    assert stored(db) == list(range(5))

@pytest.mark.parametrize("durable", [True, False])
def test_a_write_acknowledged_before_the_process_is_killed_is_in_the_file(tmp_path, durable):
    # The writer process prints each write's number once its future resolves (the bot sends the answer then),
    # and is killed (SIGKILL, no clean-up) while writing; every number it printed is in the file after, whether
    # each commit is synced (votes, the question log) or not (conversations).
    path = tmp_path / "w.sqlite"
    writer = textwrap.dedent(f"""
        import sys, sqlalchemy as sa
        from bot.groupcommit import GroupCommit
        from newsdesk.database import Database
        rows = sa.Table("rows", sa.MetaData(), sa.Column("n", sa.Integer, primary_key=True, autoincrement=False))
        db = Database.sqlite({str(path)!r}, durable={durable})
        db.create(rows)
        writes = GroupCommit(db, "test")
        for n in range(100_000):
            writes.submit(lambda c, n=n: c.execute(rows.insert().values(n=n))).result()
            print(n, flush=True)
    """)
    proc = subprocess.Popen([sys.executable, "-c", writer], stdout=subprocess.PIPE, text=True, cwd=ROOT)
    acknowledged = [int(proc.stdout.readline()) for _ in range(200)]
    proc.kill()
    acknowledged += [int(line) for line in proc.stdout.read().split()]
    proc.wait(30)
    with sqlite3.connect(path) as db:  # a reader of its own, as after a restart
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        written = {n for (n,) in db.execute("SELECT n FROM rows")}
    assert set(acknowledged) <= written


def test_a_conversations_file_is_not_synced_commit_by_commit_and_votes_are(tmp_path):
    # Turns may lose their last commits to a power cut (never to a killed process: the log is written before the
    # commit returns); votes and the question log may not.
    for durable, synchronous in ((True, 2), (False, 1)):  # FULL, NORMAL
        db = Database.sqlite(tmp_path / f"{durable}.sqlite", durable=durable)
        db.create(rows)
        with db.begin() as conn:
            assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == synchronous
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
