"""`newsdesk doctor` as an operator runs it: the real CLI in a child process, Discord played by the fake API."""

from __future__ import annotations

import asyncio
import shutil
import sys
from pathlib import Path

import pytest

from fakediscord.fixtures import *  # noqa: F403 - fixtures
from index.settings import Settings
from index.versions import current_version

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
def site(tmp_path, bot_engine) -> Path:
    """A folder with a healthy index of its own (a copy of the bot corpus index), as after `newsdesk ingest`."""
    shutil.copytree(bot_engine.settings.index_dir, tmp_path / "data" / "index", symlinks=True)
    return tmp_path


def check(out: str, name: str) -> str:
    [line] = [line for line in out.splitlines() if line.split()[:2] in (["ok", name], ["BAD", name], ["--", name])]
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
