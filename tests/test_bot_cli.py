"""`newsdesk run` for real: the CLI in a child process, talking to the fake Discord of this test."""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
import sys
from pathlib import Path

import pytest

from fakediscord.fixtures import *  # noqa: F403 - fixtures
from newsdesk.settings import Settings

pytestmark = pytest.mark.timeout(90)

NEWSDESK = [sys.executable, "-m", "newsdesk"]
REPO = Path(__file__).resolve().parent.parent


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


def readme_block(kind: str, after: str) -> str:
    """The first ```kind block of the README after the heading `after`."""
    text = (REPO / "README.md").read_text()
    section = text[text.index(after):]
    return section.split(f"```{kind}\n", 1)[1].split("```", 1)[0]


async def test_the_readme_quickstart_from_a_fresh_folder(fake, tmp_path):
    """Run it on your server, step 4 and 5, word for word: .env from .env.example with the three lines set,
    then each command of step 5. Only the fake Discord's address and the fast test encoder are added."""
    shutil.copytree(REPO / "tests" / "data" / "botcorpus", tmp_path / "corpus")
    assert readme_block("sh", "4. **Write `.env`**").strip() == "cp .env.example .env"
    shutil.copy(REPO / ".env.example", tmp_path / ".env")
    ours = {"paste-the-bot-token-here": fake.token, "your-server-id": str(fake.guild_id),
            "your-questions-channel-id": str(fake.questions_id)}
    lines = dict(line.split("=", 1) for line in readme_block("dotenv", "4. **Write `.env`**").split())
    lines = {key: ours[value] for key, value in lines.items()} | {
        "DISCORD_API_BASE": fake.api_base, "EMBEDDING_MODEL": "hash"}  # test only: the fake Discord, no model
    dotenv = (tmp_path / ".env").read_text().splitlines()
    dotenv = [f"{line.split('=')[0]}={lines.pop(line.split('=')[0])}" if line.split("=")[0] in lines else line
              for line in dotenv]
    assert not lines, f"not in .env.example: {lines}"
    (tmp_path / ".env").write_text("\n".join(dotenv) + "\n")
    env = {k: v for k, v in os.environ.items() if k not in Settings.variables()}

    commands = [line.split("#")[0].split() for line in readme_block("sh", "5. **Ingest, check, run:**").splitlines()
                if line.strip()]
    assert [c[:2] for c in commands] == [["newsdesk", "ingest"], ["newsdesk", "doctor"], ["newsdesk", "run"]]
    for command in commands[:2]:
        proc = await asyncio.create_subprocess_exec(*NEWSDESK, *command[1:], cwd=tmp_path, env=env,
                                                    stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT)
        out, _ = await asyncio.wait_for(proc.communicate(), 60)
        assert proc.returncode == 0, out.decode()

    log: list[str] = []
    proc = await asyncio.create_subprocess_exec(*NEWSDESK, *commands[2][1:], cwd=tmp_path, env=env,
                                                stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)

    async def read_log():
        async for line in proc.stderr:
            log.append(line.decode())

    reader = asyncio.create_task(read_log())
    try:
        await fake.wait_for(lambda: any("Ready as" in line for line in log) or proc.returncode is not None,
                            60, "the bot to be ready")
        await fake.wait_for(lambda: fake.commands, 15, "commands synced")
        reply = await (await fake.slash("ask", question="when will the northern pier close?")).reply()
    finally:
        if proc.returncode is None:
            proc.send_signal(signal.SIGTERM)  # as docker stop and systemctl stop do
        await asyncio.wait_for(proc.wait(), 30)
        await reader

    text = "".join(log)
    assert "northern pier" in reply["embeds"][0]["fields"][0]["value"]
    assert f"client_id={fake.app_id}" in text and "permissions=309237730368" in text  # the invite URL, logged
    assert proc.returncode == 0 and "SIGTERM received: stopping" in text and "Stopped cleanly" in text, text
    assert "\x1b[" not in text  # plain text: stderr is not a terminal here
    assert "Traceback" not in text and "PyNaCl" not in text and "davey" not in text and "faiss" not in text.lower()
