"""`newsdesk health` and the heartbeat it reads: the real `newsdesk run` against the fake Discord, watched the way
Docker's HEALTHCHECK (a second process running `newsdesk health`) and systemd (Type=notify, NOTIFY_SOCKET) watch it."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import sys
import time

import pytest

from fakediscord.fixtures import *  # noqa: F403 - fixtures
from newsdesk.settings import Settings
from newsdesk.health import STALE_AFTER, health

pytestmark = pytest.mark.timeout(90)

NEWSDESK = [sys.executable, "-m", "newsdesk"]


def clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in Settings.variables() and k != "NOTIFY_SOCKET"}
    return {**env, "EMBEDDING_MODEL": "hash", **extra}


async def newsdesk_health(cwd, env) -> tuple[int, str, float]:
    started = time.monotonic()
    proc = await asyncio.create_subprocess_exec(*NEWSDESK, "health", cwd=cwd, env=env, stdout=asyncio.subprocess.PIPE,
                                                stderr=asyncio.subprocess.STDOUT)
    out, _ = await asyncio.wait_for(proc.communicate(), 30)
    return proc.returncode, out.decode().strip(), time.monotonic() - started


def beat(settings: Settings, **fields) -> None:
    state = {"pid": 1, "at": time.time(), "connected": True, "user": "newsdesk#0", "guilds": 1, "latency_ms": 40,
             "index_version": "v1", "failed_extensions": {}, **fields}
    settings.heartbeat_file.parent.mkdir(parents=True, exist_ok=True)
    settings.heartbeat_file.write_text(json.dumps(state))


def test_what_the_heartbeat_says_decides_the_exit_code(tmp_path):
    settings = Settings(data_dir=tmp_path, embedding_model="hash")

    assert health(settings).code == 1 and "not running" in health(settings).detail
    beat(settings)
    assert health(settings).code == 0 and "connected as newsdesk#0 to 1 server(s)" in health(settings).detail
    beat(settings, at=time.time() - STALE_AFTER - 5)
    assert health(settings).code == 1 and "s old" in health(settings).detail
    beat(settings, connected=False, disconnected_since=time.time() - 30)
    assert "not connected to Discord for 30 s" in health(settings).detail
    beat(settings, failed_extensions={"bot.cogs.freshness": "ModuleNotFoundError: No module named 'sources'"})
    found = health(settings)
    assert found.code == 1 and "bot.cogs.freshness" in found.detail and "sources" in found.detail
    settings.heartbeat_file.write_text("{ half")
    assert health(settings).code == 1


@pytest.mark.parametrize("fields, says", [
    ({"at": time.time() + 3600}, "in the future"),  # the clock set back under a bot that stopped, or another host's
    ({"at": float("nan")}, "not a time"),
    ({"at": float("inf")}, "not a time"),
    ({"failed_extensions": ["bot.cogs.qa"]}, "cannot read the heartbeat"),
    ({"connected": False, "disconnected_since": "x"}, "cannot read the heartbeat"),
])
def test_a_corrupt_heartbeat_is_unhealthy_in_one_line(tmp_path, fields, says):
    settings = Settings(data_dir=tmp_path, embedding_model="hash")
    beat(settings, **fields)
    found = health(settings)
    assert found.code == 1 and says in found.detail and "\n" not in found.detail


async def test_a_running_bot_is_healthy_tells_systemd_and_is_unhealthy_once_stopped(fake, bot_engine, tmp_path):
    notify = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    notify.bind(str(tmp_path / "notify"))
    notify.setblocking(False)
    data = tmp_path / "data"
    env = clean_env(DISCORD_TOKEN=fake.token, DISCORD_API_BASE=fake.api_base, DEV_GUILD_ID=str(fake.guild_id),
                    INDEX_DIR=str(bot_engine.settings.index_dir), DATA_DIR=str(data))
    code, out, _ = await newsdesk_health(tmp_path, env)
    assert code == 1 and out.startswith("unhealthy: no heartbeat at ")

    proc = await asyncio.create_subprocess_exec(*NEWSDESK, "run", cwd=tmp_path, env={**env, "NOTIFY_SOCKET": str(tmp_path / "notify")},
                                                stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    messages: list[str] = []

    def told(what: str) -> bool:
        while True:
            try:
                messages.append(notify.recv(4096).decode())
            except BlockingIOError:
                return any(what in m for m in messages)

    try:
        await fake.wait_for(lambda: told("READY=1") or proc.returncode is not None, 60, "READY=1 from newsdesk run")
        assert proc.returncode is None, (await proc.stderr.read()).decode()
        code, out, seconds = await newsdesk_health(tmp_path, env)
        assert code == 0, out
        assert out.startswith("ok: connected as newsdesk") and "to 1 server(s)" in out and "index " in out
        assert seconds < 1.5  # the whole child process, interpreter start included
        assert told("WATCHDOG=1")
    finally:
        if proc.returncode is None:
            proc.send_signal(signal.SIGTERM)
        _, err = await asyncio.wait_for(proc.communicate(), 45)
        stopping = told("STOPPING=1")
        notify.close()

    assert proc.returncode == 0 and "Traceback" not in err.decode(), err.decode()
    assert stopping
    code, out, _ = await newsdesk_health(tmp_path, env)
    assert code == 1 and "not running" in out
