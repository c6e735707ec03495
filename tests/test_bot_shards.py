"""Two `newsdesk run` processes holding the two shards of SHARD_COUNT=2 (issue 30): a server's questions are
answered by the process holding its shard only; when that process dies nobody answers them (Discord does not
move a shard to another connection) until it is started again, and the question asked meanwhile is lost."""

from __future__ import annotations

import asyncio
import os
import signal
import time

import pytest

from fakediscord.fixtures import *  # noqa: F403 - fixtures
from test_bot_replicas import start_replica

pytestmark = pytest.mark.timeout(150)
QUESTION = "which ships left Tartus?"
UNANSWERED = 8.0  # seconds a question is given before it counts as unanswered (Discord itself shows a failure at 3 s)


def answered(reply: dict) -> bool:
    return "Tartus" in str(reply)


async def test_a_dead_replicas_server_is_unanswered_until_it_is_restarted(fake, bot_engine, tmp_path):
    s = bot_engine.settings
    holder = fake.guild_shard(2)
    env = {**os.environ, "DISCORD_TOKEN": fake.token, "DISCORD_API_BASE": fake.api_base,
           "DEV_GUILD_ID": str(fake.guild_id), "DATABASE_URL": f"sqlite:///{tmp_path / 'shared.sqlite'}",
           "EMBEDDING_MODEL": "hash", "INDEX_DIR": str(s.index_dir), "CORPUS_DIR": str(s.corpus_dir),
           "CORPUS_WATCH_SECONDS": "0", "LOG_LEVEL": "INFO", "SHARD_COUNT": "2"}
    procs: dict[str, asyncio.subprocess.Process] = {}
    logs = {name: tmp_path / f"{name}.log" for name in ("holder", "other", "restarted")}

    async def start(name: str, shard: int, role: str) -> None:
        procs[name] = await start_replica({**env, "SHARD_IDS": str(shard), "ROLE": role,
                                           "DATA_DIR": str(tmp_path / name)}, logs[name])

    try:
        await start("holder", holder, "writer")
        await start("other", 1 - holder, "replica")
        await fake.wait_for(lambda: all(b"Ready as" in logs[n].read_bytes() for n in ("holder", "other")), 60,
                            "both processes ready")
        assert b"in 1 server;" in logs["holder"].read_bytes() and b"in 0 servers;" in logs["other"].read_bytes()
        assert answered(await (await fake.slash("ask", question=QUESTION)).reply(timeout=30))

        procs["holder"].send_signal(signal.SIGKILL)  # the process holding the guild's shard dies
        await procs["holder"].wait()
        killed = time.monotonic()
        lost = await fake.slash("ask", question=QUESTION)
        with pytest.raises(AssertionError, match="timed out"):  # the surviving process never sees it: its shard is the other
            await lost.reply(timeout=UNANSWERED)
        assert procs["other"].returncode is None, "the other shard's process runs on"

        await start("restarted", holder, "writer")  # what systemd's Restart= or compose's restart: does
        await fake.wait_for(lambda: b"in 1 server;" in logs["restarted"].read_bytes(), 60, "the restarted holder")
        again = await fake.slash("ask", question=QUESTION)
        assert answered(await again.reply(timeout=30))
        back = time.monotonic() - killed
        assert lost.callback is None, "the question asked while no process held the shard stays unanswered"
        print(f"shard {holder} of 2 unanswered for {back:.1f} s from the kill to the restarted process's answer")
    finally:
        for proc in procs.values():
            if proc.returncode is None:
                proc.send_signal(signal.SIGTERM)
        for proc in procs.values():
            await asyncio.wait_for(proc.wait(), 30)
