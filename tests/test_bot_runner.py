"""`newsdesk run` (bot.runner): a missing or rejected DISCORD_TOKEN is one line, not a traceback."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import re
from pathlib import Path

import pytest
from discord.ext import commands
from dotenv import dotenv_values

from bot import runner
from fakediscord.fixtures import *  # noqa: F403 - fixtures
from fakediscord.fixtures import running_bot
from newsdesk.settings import Settings

REPO = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.timeout(60)


def test_a_missing_token_explains_how_to_set_it(capsys):
    code = runner.run(Settings.from_env({}))

    err = capsys.readouterr().err
    assert code != 0
    assert err.count("\n") == 1 and "DISCORD_TOKEN" in err and ".env" in err
    assert "Traceback" not in err


async def test_a_token_discord_rejects_is_one_line_and_a_failure(fake, bot_settings, capsys):
    settings = dataclasses.replace(bot_settings, discord_token="not-the-bot-token")

    code = await runner.serve(settings)

    err = capsys.readouterr().err
    assert code != 0
    assert err.count("\n") == 1 and "rejected DISCORD_TOKEN" in err and "Traceback" not in err
    assert [r.path for r in fake.requests] == ["/users/@me"]  # nothing else was tried


async def test_a_missing_index_is_one_line_too(fake, bot_settings, tmp_path, capsys):
    settings = dataclasses.replace(bot_settings, index_dir=tmp_path / "nowhere")

    code = await runner.serve(settings)

    err = capsys.readouterr().err
    assert code != 0 and err.count("\n") == 1 and "newsdesk ingest" in err


async def test_the_bot_shards_when_discord_requires_it(fake, bot_settings):
    fake.sharding_required = True
    serving = asyncio.create_task(runner.serve(bot_settings))
    try:
        await fake.wait_for(lambda: any("shard" in i for i in fake.identifies), 15, "a sharded IDENTIFY")
        await fake.wait_for(lambda: fake.commands, 15, "commands synced")
        reply = await (await fake.slash("ask", question="when will the northern pier close?")).reply()
    finally:
        serving.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.wait_for(serving, 10)

    assert "shard" not in fake.identifies[0] and fake.identifies[-1]["shard"] == [0, 1]
    assert reply["embeds"][0]["fields"]


async def test_shard_count_runs_the_auto_sharded_bot(fake, bot_settings, bot_engine):
    settings = dataclasses.replace(bot_settings, shard_count=1)
    async with running_bot(fake, settings, bot_engine) as bot:
        assert isinstance(bot, commands.AutoShardedBot)
        reply = await (await fake.slash("ask", question="when will the northern pier close?")).reply()
    assert fake.identify["shard"] == [0, 1]
    assert reply["embeds"][0]["fields"]


def test_env_example_documents_every_setting():
    text = (REPO / ".env.example").read_text()
    documented = set(dotenv_values(REPO / ".env.example")) | set(re.findall(r"^# ([A-Z_]+)=", text, re.M))
    read = set(Settings.variables())
    assert read <= documented, f"undocumented in .env.example: {sorted(read - documented)}"
    assert Settings.from_env({k: v or "" for k, v in dotenv_values(REPO / ".env.example").items()})
