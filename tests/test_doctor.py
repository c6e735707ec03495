"""`newsdesk doctor` as an operator runs it: the real CLI in a child process, Discord played by the fake API."""

from __future__ import annotations

import asyncio
import shutil
import sys
from pathlib import Path

import pytest

from fakediscord.fixtures import *  # noqa: F403 - fixtures
from newsdesk.settings import Settings
from index.store.versions import current_version

pytestmark = pytest.mark.timeout(120)

NEWSDESK = [sys.executable, "-m", "newsdesk"]


def clean_env(**extra: str) -> dict[str, str]:
    import os

    env = {k: v for k, v in os.environ.items() if k not in Settings.variables()}
    return {**env, "EMBEDDING_MODEL": "hash", **extra}


async def doctor(cwd: Path, env: dict[str, str]) -> tuple[int, str]:
    proc = await asyncio.create_subprocess_exec(*NEWSDESK, "doctor", cwd=cwd, env=env,
                                                stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT)
    out, _ = await asyncio.wait_for(proc.communicate(), 90)
    return proc.returncode, out.decode()


@pytest.fixture
def site(tmp_path, bot_engine, bot_corpus) -> Path:
    """A folder with its documents in corpus/ and a healthy index of them (a copy of the bot corpus index), as
    after `newsdesk ingest`."""
    shutil.copytree(bot_engine.settings.index_dir, tmp_path / "data" / "index", symlinks=True)
    shutil.copytree(bot_corpus, tmp_path / "corpus")
    return tmp_path


def check(out: str, name: str) -> str:
    words = len(name.split())
    [line] = [line for line in out.splitlines()
              if line.split()[:1 + words] in (["ok", *name.split()], ["BAD", *name.split()], ["--", *name.split()])]
    return line


async def test_a_healthy_setup_is_all_good_and_the_token_stays_hidden(fake, site):
    code, out = await doctor(site, clean_env(DATA_DIR="data", DISCORD_TOKEN=fake.token, DISCORD_API_BASE=fake.api_base))

    assert code == 0, out
    assert fake.token not in out and "DISCORD_TOKEN" in out and "set (hidden)" in out
    assert check(out, "index").startswith("  ok") and "5 documents" in check(out, "index")
    assert check(out, "model").startswith("  ok") and check(out, "search").startswith("  ok")
    discord_line = check(out, "discord")
    assert "logged in as newsdesk" in discord_line
    assert f"client_id={fake.app_id}" in discord_line and "scope=bot+applications.commands" in discord_line
    assert out.rstrip().endswith("All good.")


async def test_no_index_is_found(site):
    shutil.rmtree(site / "data" / "index")
    code, out = await doctor(site, clean_env(DATA_DIR="data"))

    assert code == 2
    assert check(out, "index").startswith("  BAD") and "newsdesk ingest" in check(out, "index")
    assert check(out, "data").startswith("  ok") and "1 problem found." in out


async def test_a_token_discord_rejects_is_found(fake, site):
    code, out = await doctor(site, clean_env(DATA_DIR="data", DISCORD_TOKEN="not-the-token",
                                             DISCORD_API_BASE=fake.api_base))

    assert code == 2 and "not-the-token" not in out
    assert check(out, "discord").startswith("  BAD") and "rejected DISCORD_TOKEN (401)" in check(out, "discord")
    assert check(out, "index").startswith("  ok")


async def test_a_corrupt_manifest_is_found(site):
    (current_version(site / "data" / "index") / "manifest.json").write_text("{ half a manif")
    code, out = await doctor(site, clean_env(DATA_DIR="data"))

    assert code == 2
    assert check(out, "index").startswith("  BAD") and "JSONDecodeError" in check(out, "index")


async def test_an_unreachable_discord_is_found(site):
    code, out = await doctor(site, clean_env(DATA_DIR="data", DISCORD_TOKEN="t", DISCORD_API_BASE="http://127.0.0.1:9/api/v10"))

    assert code == 2 and "cannot reach http://127.0.0.1:9/api/v10" in check(out, "discord")


# Planted problems: each BAD line names what is wrong and how to fix it.

def discord_env(fake, **extra: str) -> dict[str, str]:
    return clean_env(**{"DATA_DIR": "data", "DISCORD_TOKEN": fake.token, "DISCORD_API_BASE": fake.api_base,
                        "DEV_GUILD_ID": str(fake.guild_id), "QA_CHANNEL_IDS": f"{fake.questions_id},{fake.general_id}",
                        **extra})


async def test_discord_as_a_first_run_needs_it_is_all_good(fake, site):
    code, out = await doctor(site, discord_env(fake))

    assert code == 0, out
    assert check(out, "intent").startswith("  ok") and "'Newsroom'" in check(out, "guild")
    assert "#questions: the bot may read, answer in threads and react" in check(out, f"channel {fake.questions_id}")
    assert check(out, "corpus").startswith("  ok") and check(out, "code").startswith("  ok")


async def test_the_message_content_intent_switched_off_is_found(fake, site):
    fake.app_flags = 0

    code, out = await doctor(site, discord_env(fake))

    assert code == 2 and "1 problem found." in out
    assert check(out, "intent").startswith("  BAD") and "Privileged Gateway Intents > Message Content Intent" in out


async def test_a_bot_not_in_the_dev_guild_is_found_with_its_invite(fake, site):
    fake.bot_in_guild = False

    code, out = await doctor(site, discord_env(fake, QA_CHANNEL_IDS=""))

    line = check(out, "guild")
    assert code == 2 and line.startswith("  BAD")
    assert f"not in the server DEV_GUILD_ID={fake.guild_id}" in line and f"client_id={fake.app_id}" in line


async def test_a_channel_the_bot_may_not_post_or_thread_in_is_found(fake, site):
    from fakediscord import payloads as p

    fake.channels[fake.questions_id]["permission_overwrites"] = [
        p.overwrite(fake.bot_role_id, role=True, deny=p.SEND_MESSAGES | p.CREATE_PUBLIC_THREADS)]
    fake.channels[fake.general_id]["permission_overwrites"] = [
        p.overwrite(fake.guild_id, role=True, deny=p.VIEW_CHANNEL)]

    code, out = await doctor(site, discord_env(fake))

    questions, general = check(out, f"channel {fake.questions_id}"), check(out, f"channel {fake.general_id}")
    assert code == 2 and "2 problems found." in out
    assert "#questions" in questions and "lacks Send Messages, Create Public Threads" in questions
    assert "Edit Channel > Permissions" in questions
    assert "the bot cannot see it" in general and "allow it View Channel" in general


async def test_a_missing_or_unreadable_corpus_is_found(site):
    shutil.rmtree(site / "corpus")
    code, out = await doctor(site, clean_env(DATA_DIR="data"))
    assert code == 2 and "CORPUS_DIR='corpus' does not exist: make it (mkdir -p corpus)" in check(out, "corpus")


async def test_an_index_built_with_another_model_is_found(site):
    code, out = await doctor(site, clean_env(DATA_DIR="data", EMBEDDING_MODEL="hash:128"))

    line = check(out, "index")
    assert code == 2 and line.startswith("  BAD")
    assert "built with hash, and EMBEDDING_MODEL is hash:128: run `newsdesk ingest`" in line


async def test_a_damaged_state_file_is_found(site):
    (site / "data" / "digests.sqlite").write_bytes(b"half a copy from a full disk " * 200)
    code, out = await doctor(site, clean_env(DATA_DIR="data"))

    line = check(out, "state")
    assert code == 2 and line.startswith("  BAD") and "digests.sqlite is not a readable SQLite database" in line
