"""`newsdesk run` for real: the CLI in a child process, talking to the fake Discord of this test."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path

import pytest

from fakediscord.fixtures import *  # noqa: F403 - fixtures

pytestmark = pytest.mark.timeout(90)

NEWSDESK = [sys.executable, "-m", "newsdesk"]


def clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DISCORD_", "DEV_GUILD", "QA_", "ADMIN_", "SHARD_"))}
    env.update(extra)
    return env


async def test_newsdesk_run_without_a_token_says_how_to_set_it(tmp_path):
    proc = await asyncio.create_subprocess_exec(
        *NEWSDESK, "run", cwd=tmp_path, env=clean_env(), stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE
    )
    out, err = await asyncio.wait_for(proc.communicate(), 60)

    assert proc.returncode != 0
    lines = err.decode().strip().splitlines()
    assert len(lines) == 1 and "DISCORD_TOKEN" in lines[0] and ".env" in lines[0], err.decode()


async def test_newsdesk_run_answers_slash_commands(fake, bot_engine, tmp_path):
    env = clean_env(
        DISCORD_TOKEN=fake.token,
        DISCORD_API_BASE=fake.api_base,
        DEV_GUILD_ID=str(fake.guild_id),
        QA_CHANNEL_IDS=str(fake.questions_id),
        EMBEDDING_MODEL="hash",
        INDEX_DIR=str(bot_engine.settings.index_dir),
        DATA_DIR=str(tmp_path),
    )
    (tmp_path / ".env").write_text("QA_COOLDOWN_SECONDS=0\n")
    proc = await asyncio.create_subprocess_exec(
        *NEWSDESK, "run", cwd=tmp_path, env=env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE
    )
    try:
        await fake.wait_for(lambda: "GUILD_CREATE" in [e for e, _ in fake.sent_events] or proc.returncode is not None,
                            60, "newsdesk run to connect")
        assert proc.returncode is None, (await proc.stderr.read()).decode()
        reply = await (await fake.slash("ask", question="when will the northern pier close?")).reply()
        await fake.say("who approved the budget?", channel_id=fake.questions_id)
        [thread] = await fake.wait_for(lambda: list(fake.threads.values()), 10, "a thread")
        [answer] = await fake.wait_for(lambda: fake.posts_in(int(thread["id"])), 10, "the answer in the thread")
    finally:
        if proc.returncode is None:
            proc.send_signal(signal.SIGINT)
        _, err = await asyncio.wait_for(proc.communicate(), 30)

    assert "northern pier" in reply["embeds"][0]["fields"][0]["value"]
    assert thread["name"] == "who approved the budget?"
    assert "city council approved" in answer["embeds"][0]["fields"][0]["value"]
    assert "Traceback" not in err.decode(), err.decode()
    assert proc.returncode == 0  # Ctrl-C is a clean stop
    assert (Path(tmp_path) / "votes.sqlite").exists()
