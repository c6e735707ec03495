"""pytest fixtures: an index built by the real engine, a fake Discord, and the real bot running against it.

Import them into a test module: `from fakediscord.fixtures import *`.
"""

from __future__ import annotations

import asyncio
import dataclasses
import shutil
from contextlib import asynccontextmanager
from pathlib import Path

import pytest

from bot.bot import build_bot
from index.engine import Engine
from newsdesk.settings import Settings

from .server import FakeDiscord

__all__ = ["bot_corpus", "bot_engine", "fake", "bot_settings", "running_bot", "make_engine"]

BOT_CORPUS = Path(__file__).resolve().parent.parent / "data" / "botcorpus"
START_TIMEOUT = 15


def make_engine(root: Path, corpus: Path, *, model: str = "hash") -> Engine:
    """An index built from `corpus` under `root`, opened the way `newsdesk run` opens it."""
    settings = Settings(index_dir=root / "index", data_dir=root, corpus_dir=corpus, embedding_model=model)
    engine = Engine.open(settings, require_index=False)
    engine.reindex()
    return Engine.open(settings)


@pytest.fixture(scope="session")
def bot_corpus(tmp_path_factory) -> Path:
    """A copy of tests/data/botcorpus (the sample article plus a few short ones), safe to change."""
    corpus = tmp_path_factory.mktemp("botcorpus")
    for f in BOT_CORPUS.iterdir():
        shutil.copy(f, corpus / f.name)
    return corpus


@pytest.fixture(scope="session")
def bot_engine(tmp_path_factory, bot_corpus) -> Engine:
    """The real engine with the fast hashing encoder, on an index of the bot corpus."""
    return make_engine(tmp_path_factory.mktemp("hash-index"), bot_corpus)


@pytest.fixture
async def fake():
    async with FakeDiscord() as server:
        yield server


@pytest.fixture
def bot_settings(fake: FakeDiscord, bot_engine: Engine, tmp_path: Path) -> Settings:
    """Settings as a team would write them in .env, pointed at the fake Discord."""
    return dataclasses.replace(
        bot_engine.settings,
        data_dir=tmp_path,  # votes.sqlite per test
        discord_token=fake.token,
        discord_api_base=fake.api_base,
        dev_guild_id=fake.guild_id,
        qa_channel_ids=frozenset({fake.questions_id}),
        admin_role_ids=frozenset(),
        admin_user_ids=frozenset(),
        qa_cooldown_seconds=0.0,
        rate_limit_per_minute=0,  # tests that want the limit set it
    )


@asynccontextmanager
async def running_bot(fake: FakeDiscord, settings: Settings, engine: Engine, **options):
    """The bot `newsdesk run` builds, connected to `fake` until the block ends."""
    bot = build_bot(settings, engine, **options)
    task = asyncio.create_task(bot.start(settings.token), name="bot")

    async def connected():
        while bot.get_guild(fake.guild_id) is None:
            if task.done():
                task.result()  # raises what stopped the bot
                raise AssertionError("the bot stopped before joining the guild")
            await asyncio.sleep(0.01)

    try:
        await asyncio.wait_for(connected(), START_TIMEOUT)
        yield bot
    finally:
        await asyncio.wait_for(bot.close(), 10)
        await asyncio.wait_for(asyncio.gather(task, return_exceptions=True), 10)
