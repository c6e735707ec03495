"""Two `newsdesk run` processes sharing one database and one guild: every digest is posted once, not twice;
a ROLE=replica process leaves feeds, the corpus watch and reindexing to the writer and follows what it publishes."""

from __future__ import annotations

import asyncio
import dataclasses
import os
import signal
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from bot.schedule import Schedule
from bot.subscriptions import SubscriptionStore
from fakediscord.fixtures import *  # noqa: F403 - fixtures
from fakediscord.fixtures import running_bot
from fakediscord.server import FakeDiscord, is_ephemeral
from feedserver import GRAIN, FeedServer
from newsdesk.database import Database
from sources.feeds import FeedStore
from index.ingest.build import ingest
from pgserver import PgServer
from test_bot_digest import own_engine, with_engine
from test_vector_backends import write_doc

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


async def test_a_replica_polls_no_feed_and_watches_no_folder_but_follows_the_writer(fake, bot_settings, tmp_path):
    engine = own_engine(tmp_path, "botcorpus")
    corpus = engine.settings.corpus_dir
    settings = with_engine(bot_settings, engine, role="replica", corpus_watch_seconds=0.1,
                           feed_allow_networks=("127.0.0.1/32",))
    async with FeedServer() as server:
        server.stories.append(GRAIN)
        FeedStore(settings.feeds_db).add(server.url("/rss.xml"))  # followed, and due at once
        async with running_bot(fake, settings, engine) as bot:
            write_doc(corpus, "ferry.md", "Ferry sinks off Kerch", "2024-12-10", "Coast Notes",
                      "A ferry carrying thirty passengers sank off Kerch; all were rescued by fishermen.")
            refresher = bot.get_cog("Freshness").refresher
            ticks = refresher.current_loop
            # ten ticks, on each of which a writer would poll the feed and look at the folder
            await fake.wait_for(lambda: refresher.current_loop >= ticks + 10, 10, "ten refresh ticks")
            assert not server.hits and not (corpus / "feeds").exists()
            assert "Ferry sinks off Kerch" not in {t[1] for t in bot.summary.titles}

            reindex = await fake.slash("reindex", user=fake.admin)
            refused = await reindex.reply()
            assert is_ephemeral(refused) and "replica" in refused["content"] and not reindex.followups

            # the writer (here: an ingest of the same index in this process) publishes; the replica follows
            await asyncio.to_thread(ingest, dataclasses.replace(engine.settings, role="writer"), [corpus])
            await fake.wait_for(lambda: "Ferry sinks off Kerch" in {t[1] for t in bot.summary.titles}, 10,
                                "the replica on the writer's version")
    assert not server.hits, "the feed was never fetched by the replica"
