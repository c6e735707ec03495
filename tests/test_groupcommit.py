"""Writes committed together (bot/groupcommit.py): every acknowledged write is in the database, whoever runs the
drain, and one stopping with the bot's threads shut down first still commits what waits."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor, wait

import sqlalchemy as sa

from bot.groupcommit import GroupCommit
from newsdesk.database import Database

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
