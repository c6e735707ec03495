"""Stopping the bot (SIGTERM, Ctrl-C): the answers in progress are finished and sent before it disconnects."""

from __future__ import annotations

import asyncio
import threading

import pytest

from fakediscord.fixtures import *  # noqa: F403 - fixtures
from fakediscord.fixtures import running_bot

pytestmark = pytest.mark.timeout(60)


class HeldEngine:
    """The real engine, except that `ask` waits for `release` once it has begun (a slow answer, on demand)."""

    def __init__(self, engine) -> None:
        self.engine, self.begun, self.release = engine, threading.Event(), threading.Event()

    def ask(self, *args, **kwargs):
        self.begun.set()
        self.release.wait(30)
        return self.engine.ask(*args, **kwargs)

    def __getattr__(self, name):
        return getattr(self.engine, name)


async def test_shutdown_waits_for_the_answer_in_progress(fake, bot_settings, bot_engine):
    held = HeldEngine(bot_engine)
    async with running_bot(fake, bot_settings, held) as bot:
        asked = await fake.slash("ask", question="when will the northern pier close?")
        assert await asyncio.to_thread(held.begun.wait, 10)

        stopping = asyncio.create_task(bot.shutdown())
        await asyncio.sleep(0)  # shutdown runs up to its wait for the answer
        assert not stopping.done() and not bot.is_closed()
        held.release.set()
        await asyncio.wait_for(stopping, 20)
        assert bot.is_closed()

    reply = asked.callback or {}
    followups = asked.followups
    sent = followups[0] if followups else reply.get("data", {})
    assert "northern pier" in sent["embeds"][0]["fields"][0]["value"]
