"""Two `newsdesk run` processes sharing one database and one guild: every digest is posted once, not twice."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from bot.schedule import Schedule
from bot.subscriptions import SubscriptionStore
from fakediscord.fixtures import *  # noqa: F403 - fixtures
from fakediscord.server import FakeDiscord
from index.database import Database
from pgserver import PgServer

pytestmark = pytest.mark.timeout(120)
UTC = timezone.utc
NEWSDESK = str(Path(sys.executable).with_name("newsdesk"))


@pytest.fixture(params=["sqlite-file", "postgresql"])
def database_url(request, tmp_path):
    if request.param == "sqlite-file":  # one machine: a file both processes open
        yield f"sqlite:///{tmp_path / 'shared.sqlite'}"
        return
    why = PgServer.why_not()
    if why:
        pytest.skip(why)
    with PgServer() as server:
        yield server.new_database()


def due_now(store: SubscriptionStore, fake: FakeDiscord, channel_id: int) -> None:
    """Subscribe `channel_id` (two days ago) to a daily digest whose slot is this minute: due at once."""
    now = datetime.now(UTC)
    plan = Schedule.parse(f"{now:%H:%M}", "UTC")
    store.subscribe(channel_id, fake.guild_id, plan, by=int(fake.admin["id"]), now=now - timedelta(days=2))


async def start_replica(env: dict[str, str], log: Path) -> asyncio.subprocess.Process:
    with log.open("wb") as out:
        return await asyncio.create_subprocess_exec(NEWSDESK, "run", env=env, stdout=out, stderr=out,
                                                    stdin=asyncio.subprocess.DEVNULL)


async def test_two_bot_processes_post_each_digest_once(fake, bot_engine, tmp_path, database_url):
    store = SubscriptionStore(Database(database_url))
    store.create()
    for channel in (fake.general_id, fake.questions_id):
        due_now(store, fake, channel)
    s = bot_engine.settings
    env = {**os.environ, "DISCORD_TOKEN": fake.token, "DISCORD_API_BASE": fake.api_base,
           "DEV_GUILD_ID": str(fake.guild_id), "DATABASE_URL": database_url, "EMBEDDING_MODEL": "hash",
           "INDEX_DIR": str(s.index_dir), "CORPUS_DIR": str(s.corpus_dir), "CORPUS_WATCH_SECONDS": "0",
           "LOG_LEVEL": "INFO"}
    logs = [tmp_path / f"replica{i}.log" for i in (1, 2)]
    replicas = []
    try:
        for i, log in enumerate(logs, 1):  # each its own DATA_DIR: nothing shared but the database
            replicas.append(await start_replica({**env, "DATA_DIR": str(tmp_path / f"replica{i}")}, log))
        await fake.wait_for(lambda: all(b"Ready as" in log.read_bytes() for log in logs), 60, "both replicas ready")
        # Each replica looks for due digests as soon as it is ready; give both time to try.
        await fake.wait_for(lambda: fake.posts_in(fake.general_id) and fake.posts_in(fake.questions_id), 30,
                            "the digests")
        await asyncio.sleep(3)
    finally:
        for proc in replicas:
            if proc.returncode is None:
                proc.send_signal(signal.SIGTERM)
        for proc in replicas:
            await asyncio.wait_for(proc.wait(), 30)

    assert len(fake.identifies) == 2, "both processes joined the guild"
    assert len(fake.posts_in(fake.general_id)) == 1, "the digest was posted once"
    assert len(fake.posts_in(fake.questions_id)) == 1
    [general] = fake.posts_in(fake.general_id)
    assert general["embeds"][0]["title"].startswith("News digest")
    assert {s.last_slot is not None for s in store.all()} == {True}
    assert all(b"Stopped cleanly" in log.read_bytes() for log in logs)
