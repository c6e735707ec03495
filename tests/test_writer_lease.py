"""One writer per shared database: the writer lease (newsdesk/lease.py), taken, refused, expired and taken over —
between objects in one process, between real `newsdesk ingest` processes on PostgreSQL, and in the bot."""

from __future__ import annotations

import asyncio
import dataclasses
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import sqlalchemy as sa
from pydantic import SecretStr

from fakediscord.fixtures import *  # noqa: F403 - fixtures
from fakediscord.fixtures import running_bot
from fakediscord.server import is_ephemeral
from feedserver import GRAIN, FeedServer
from newsdesk.database import Database
from index.engine import Engine
from index.errors import BadSetting
from newsdesk.lease import WriterLease, WriterLeaseHeld, leases
from newsdesk.settings import Settings
from index.store.versions import current_version
from pgserver import PgServer
from sources.feeds import FeedStore
from test_bot_digest import own_engine, with_engine

pytestmark = pytest.mark.timeout(180)
NEWSDESK = str(Path(sys.executable).with_name("newsdesk"))
SAMPLE = Path(__file__).resolve().parent.parent / "corpus" / "000_2b7db0b492e10144.txt"


@pytest.fixture
def db(tmp_path):
    database = Database.sqlite(tmp_path / "shared.sqlite")
    yield database
    database.dispose()


def test_one_index_folder_holds_the_lease_and_another_is_refused_naming_it(db, tmp_path):
    writer, other_disk = WriterLease(db, tmp_path / "a", 30), WriterLease(db, tmp_path / "b", 30)
    beside = WriterLease(db, tmp_path / "a", 30)  # e.g. `newsdesk ingest` next to the bot, on the same folder

    assert writer.take() is None and writer.held
    holder = other_disk.take()
    assert (holder.host, holder.pid, holder.index_dir) == (socket.gethostname(), os.getpid(), str(tmp_path / "a"))
    with pytest.raises(WriterLeaseHeld) as refused:
        other_disk.require("ingest")
    line = str(refused.value)
    assert "\n" not in line and line.startswith("ingest refused: the writer lease is held by")
    assert f"pid {os.getpid()}" in line and "since 20" in line and "WRITER_LEASE_SECONDS" in line

    assert beside.take() is None  # the same folder joins: its own lock lets one build at a time
    beside.release()  # not the named holder: the lease stays with `writer`
    assert other_disk.take() is not None
    writer.release()  # a clean exit frees it at once
    assert other_disk.take() is None and writer.take() is not None


def test_a_writer_that_lost_the_lease_while_building_publishes_nothing(db, settings, sample_corpus, tmp_path):
    from index.ingest.build import ingest

    shared = SecretStr(f"sqlite:///{tmp_path / 'shared.sqlite'}")
    cut_off = dataclasses.replace(settings, database_url=shared, writer_lease_seconds=30)
    new_writer = WriterLease(db, tmp_path / "elsewhere", 30)
    assert new_writer.take() is None  # took over while the first was building, cut off from the database

    with pytest.raises(WriterLeaseHeld, match="^publishing a new index version refused: the writer lease is held by"):
        ingest(cut_off, [sample_corpus])
    assert current_version(settings.index_dir) is None, "nothing published beside the new writer"
    versions = settings.index_dir / "versions"
    assert versions.is_dir() and not list(versions.iterdir()), "its build was made there and is cleared"

    new_writer.release()
    assert ingest(cut_off, [sample_corpus]).added == 1  # the lease free again: it takes it and publishes
    assert current_version(settings.index_dir) is not None


def test_a_writer_that_stops_renewing_loses_the_lease_one_term_after_its_last_heartbeat(db, tmp_path):
    dead, standby = WriterLease(db, tmp_path / "a", 1), WriterLease(db, tmp_path / "b", 1)
    assert dead.take() is None  # and never renewed again, as after kill -9
    assert standby.take() is not None
    time.sleep(1.2)
    assert standby.take() is None, "taken over once the term passed"
    assert dead.take() is not None and not dead.held, "the old holder learns it lost the lease"

    alive = WriterLease(db, tmp_path / "c", 1)
    standby.release()
    assert alive.take() is None
    alive.start_heartbeat()  # renewed every third of the term
    try:
        time.sleep(1.6)
        assert standby.take() is not None and alive.held
    finally:
        alive.release()
    assert standby.take() is None


def test_a_lease_term_below_one_second_is_refused():
    with pytest.raises(BadSetting, match=r"^WRITER_LEASE_SECONDS='0\.2': "):
        Settings.from_env({"WRITER_LEASE_SECONDS": "0.2"})


def _newsdesk(*args: str, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([NEWSDESK, *args], env=env, cwd=cwd, capture_output=True, text=True, timeout=120)


# `newsdesk ingest` as the CLI runs it, its encoder slowed to 0.1 s a passage: an ingest that runs until killed
SLOW_INGEST = """
import sys, time
from index.encode.embed import HashEncoder
from newsdesk.cli import main
fast = HashEncoder.encode
HashEncoder.encode = lambda self, texts, **kw: (time.sleep(0.1 * len(texts)), fast(self, texts, **kw))[1]
sys.exit(main(sys.argv[1:]))
"""


def _more_news(path: Path) -> Path:
    with path.open("w") as fh:
        for i in range(400):
            fh.write(json.dumps({"id": f"n{i}", "date": "2024-01-01", "title": f"Story {i}",
                                 "body": f"The council met about the harbour budget, story {i}."}) + "\n")
    return path


def test_two_writers_on_one_postgresql_one_publishes_the_other_takes_over_after_kill_9(tmp_path):
    why = PgServer.why_not()
    if why:
        pytest.skip(why)
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(SAMPLE, corpus / SAMPLE.name)
    more = _more_news(tmp_path / "more.jsonl")
    with PgServer() as server:
        url = server.new_database()
        base = {**os.environ, "EMBEDDING_MODEL": "hash", "DATABASE_URL": url, "WRITER_LEASE_SECONDS": "6"}
        first = {**base, "DATA_DIR": str(tmp_path / "first"), "INDEX_DIR": str(tmp_path / "first" / "index")}
        second = {**base, "DATA_DIR": str(tmp_path / "second"), "INDEX_DIR": str(tmp_path / "second" / "index")}
        shared = Database(url)

        def holder() -> tuple | None:
            with shared.begin() as conn:
                return conn.execute(sa.select(leases.c.pid, leases.c.index_dir)).one_or_none()

        assert _newsdesk("ingest", str(corpus), env=first, cwd=tmp_path).returncode == 0
        published = current_version(Path(first["INDEX_DIR"]))
        assert holder() is None, "a clean exit released the lease"

        # the first writer is mid-ingest: it holds the lease
        proc = subprocess.Popen([sys.executable, "-c", SLOW_INGEST, "ingest", str(corpus), str(more)], env=first,
                                cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=(tmp_path / "first.log").open("w"))
        try:
            builds = Path(first["INDEX_DIR"]) / "versions"
            deadline = time.monotonic() + 60
            while not any(p.name.startswith(".build-") and (p / "store.sqlite").exists() for p in builds.iterdir()):
                assert proc.poll() is None and time.monotonic() < deadline, "ingest ended before it could be killed"
                time.sleep(0.05)
            assert holder() == (proc.pid, first["INDEX_DIR"])

            refused = _newsdesk("ingest", str(corpus), env=second, cwd=tmp_path)
            [line] = refused.stderr.splitlines()
            assert refused.returncode == 2 and "ingest refused: the writer lease is held by" in line
            assert f"{socket.gethostname()} (pid {proc.pid}, INDEX_DIR {first['INDEX_DIR']}) since 20" in line
            polled = _newsdesk("feeds", "poll", env=second, cwd=tmp_path)
            assert polled.returncode == 2 and "feeds poll refused: the writer lease is held by" in polled.stderr
            replica = _newsdesk("ingest", str(corpus), env={**second, "ROLE": "replica"}, cwd=tmp_path)
            assert replica.returncode == 2 and replica.stderr.startswith("newsdesk: ROLE=replica")
            assert current_version(Path(second["INDEX_DIR"])) is None, "the refused writer published nothing"
            assert holder() == (proc.pid, first["INDEX_DIR"]), "nobody else took the lease"

            assert proc.poll() is None, "ingest finished too fast to test a kill"
            proc.send_signal(signal.SIGKILL)
            proc.wait(10)
            killed = time.monotonic()
        finally:
            if proc.poll() is None:
                proc.kill()

        attempts = []
        while True:  # the second writer tries again until the dead one's lease has expired
            attempt = _newsdesk("ingest", str(corpus), env=second, cwd=tmp_path)
            attempts.append(attempt.returncode)
            if attempt.returncode == 0 or time.monotonic() - killed > 60:
                break
            assert "writer lease is held by" in attempt.stderr
            time.sleep(0.2)
        took_over = time.monotonic() - killed
        assert attempts[0] == 2, "right after the kill the dead writer's lease still holds (its term is 6 s)"
        assert attempts[-1] == 0 and took_over < 6 + 20, f"taken over {took_over:.1f} s after the kill"
        print(f"taken over {took_over:.1f} s after the kill, on attempt {len(attempts)}")
        assert current_version(Path(second["INDEX_DIR"])) is not None and holder() is None
        shared.dispose()

    def answers(index_dir: str) -> bool:
        s = Settings(index_dir=Path(index_dir), data_dir=tmp_path / "reader", embedding_model="hash", role="replica")
        return Engine.open(s).ask("which ships left Tartus?").answered

    assert answers(second["INDEX_DIR"]), "the writer that took over published a whole version"
    # a reader of the killed writer's folder is on its last whole version, not the half-built one
    assert current_version(Path(first["INDEX_DIR"])) == published and answers(first["INDEX_DIR"])


async def test_a_writer_bot_stands_by_while_another_holds_the_lease_then_takes_over(fake, bot_settings, tmp_path):
    engine = own_engine(tmp_path, "botcorpus")
    shared = SecretStr(f"sqlite:///{tmp_path / 'shared.sqlite'}")
    settings = with_engine(bot_settings, engine, database_url=shared, writer_lease_seconds=30,
                           corpus_watch_seconds=0.1, feed_allow_networks=("127.0.0.1/32",))
    other = WriterLease(Database(shared.get_secret_value()), tmp_path / "elsewhere", 30)  # another machine's writer
    assert other.take() is None
    async with FeedServer() as server:
        server.stories.append(GRAIN)
        FeedStore(Database(shared.get_secret_value())).add(server.url("/rss.xml"))  # followed, and due at once
        async with running_bot(fake, settings, engine) as bot:
            refresher = bot.get_cog("Freshness").refresher
            ticks = refresher.current_loop
            await fake.wait_for(lambda: refresher.current_loop >= ticks + 5, 10, "five refresh ticks")
            assert not server.hits, "a writer standing by polls no feed"

            reindex = await fake.slash("reindex", user=fake.admin)
            refused = await reindex.reply()
            assert is_ephemeral(refused) and not reindex.followups
            assert "/reindex refused: the writer lease is held by" in refused["content"]
            assert "elsewhere" in refused["content"]

            other.release()  # the other writer stops cleanly: this one takes over on its next tick
            await fake.wait_for(lambda: server.hits, 10, "the feed polled by the new holder")
            assert bot.lease.held
    assert other.take() is None, "the bot released the lease when it stopped"
