"""/ask's reply in one REST call when the answer is ready soon; deferred in time, then followed up, when it is not."""

from __future__ import annotations

import asyncio
import threading

import pytest

from bot import respond
from bot.votes import VoteStore
from fakediscord.fixtures import *  # noqa: F403 - fixtures
from fakediscord.fixtures import running_bot
from fakediscord.server import DEFERRED_MESSAGE, MESSAGE, is_ephemeral

pytestmark = pytest.mark.timeout(60)

PIER = "when will the northern pier close?"


class SlowEngine:
    """The real engine, except that `ask` waits until the test lets it go on (an answer as slow as wanted)."""

    def __init__(self, engine, *, fails: bool = False) -> None:
        self.engine, self.go_on, self.fails = engine, threading.Event(), fails

    def ask(self, *args, **kwargs):
        self.go_on.wait(30)
        if self.fails:
            raise RuntimeError("the engine broke")
        return self.engine.ask(*args, **kwargs)

    def __getattr__(self, name):
        return getattr(self.engine, name)


def buttons(message: dict) -> list[dict]:
    return [c for row in message.get("components", []) for c in row["components"]]


async def votes_and_follow_ups_work(fake, bot, settings, answer: dict) -> None:
    """The answer's 👍 stores a vote, and a reply to it is answered as a follow-up of its conversation."""
    up, _ = buttons(answer)
    thanks = await (await fake.click(answer, up["custom_id"], user=fake.alice)).reply()
    assert is_ephemeral(thanks) and "👍" in thanks["content"]
    [vote] = VoteStore(settings.votes_db).votes()
    assert vote.question == PIER and vote.vote == 1
    assert await bot.in_thread(bot.conversations.conversation_of, int(answer["id"])) == int(answer["id"])
    await fake.say("who approved the budget?", reply_to=answer)
    [followed] = await fake.wait_for(lambda: fake.posts_in(fake.general_id), 10, "the follow-up's answer")
    assert followed["embeds"][0]["title"] == "who approved the budget?"


async def test_an_answer_ready_in_time_is_the_interactions_own_response(fake, bot_settings, bot_engine):
    async with running_bot(fake, bot_settings, bot_engine) as bot:
        ask = await fake.slash("ask", question=PIER)
        answer = await ask.reply()
        assert [(r.method, r.path.rsplit("/", 1)[-1]) for r in ask.requests] == [("POST", "callback")]  # one call
        assert ask.callback["type"] == MESSAGE and not ask.deferred and not is_ephemeral(answer)
        assert "northern pier" in answer["embeds"][0]["fields"][0]["value"]
        assert [b["emoji"]["name"] for b in buttons(answer)] == ["👍", "👎"]
        await votes_and_follow_ups_work(fake, bot, bot_settings, answer)


async def test_a_slow_answer_is_deferred_when_the_budget_passes_then_followed_up(fake, bot_settings, bot_engine,
                                                                               monkeypatch):
    monkeypatch.setattr(respond, "ANSWER_WITHIN", 0.2)
    slow = SlowEngine(bot_engine)
    async with running_bot(fake, bot_settings, slow) as bot:
        ask = await fake.slash("ask", question=PIER)
        await fake.wait_for(lambda: ask.deferred or None, 5, "the deferral, once the budget passed")
        assert not ask.followups  # the member sees "thinking…" while the engine works
        slow.go_on.set()
        answer = await ask.reply()
        assert [r.json.get("type") for r in ask.requests] == [DEFERRED_MESSAGE, None]  # then the follow-up
        assert ask.callback["type"] == DEFERRED_MESSAGE and not is_ephemeral(ask.callback.get("data") or {})
        assert "northern pier" in answer["embeds"][0]["fields"][0]["value"]
        await votes_and_follow_ups_work(fake, bot, bot_settings, answer)


async def test_a_slow_answer_that_fails_is_apologised_for_after_the_deferral(fake, bot_settings, bot_engine,
                                                                            monkeypatch):
    monkeypatch.setattr(respond, "ANSWER_WITHIN", 0.2)
    slow = SlowEngine(bot_engine, fails=True)
    async with running_bot(fake, bot_settings, slow):
        ask = await fake.slash("ask", question=PIER)
        await fake.wait_for(lambda: ask.deferred or None, 5, "the deferral")
        slow.go_on.set()
        sorry = await ask.followup()
    assert "embeds" not in sorry or not sorry["embeds"]
    assert sorry["content"]  # the bot's apology, never silence


async def test_many_at_once_each_get_their_answer_by_one_route_or_the_other(fake, bot_settings, bot_engine,
                                                                           monkeypatch):
    monkeypatch.setattr(respond, "ANSWER_WITHIN", 0.05)  # some answered in time, others deferred first
    async with running_bot(fake, bot_settings, bot_engine):
        asks = [await fake.slash("ask", question=PIER, user=fake.alice) for _ in range(12)]
        replies = await asyncio.gather(*(a.reply() for a in asks))
    assert all("northern pier" in r["embeds"][0]["fields"][0]["value"] for r in replies)
    assert all(len(a.requests) == (2 if a.deferred else 1) for a in asks)


async def test_an_interaction_that_reached_the_bot_late_is_deferred_at_once(fake, bot_settings, bot_engine):
    """Discord's 3 s run from when it made the interaction: one the gateway delivered 2 s late has no budget left."""
    slow = SlowEngine(bot_engine)
    async with running_bot(fake, bot_settings, slow):
        ask = await fake.slash("ask", question=PIER, made_ago=2.0)
        await fake.wait_for(lambda: ask.deferred or None, 1.0, "the deferral, before the engine answers")
        slow.go_on.set()
        answer = await ask.reply()
    assert [r.json.get("type") for r in ask.requests] == [DEFERRED_MESSAGE, None]
    assert "northern pier" in answer["embeds"][0]["fields"][0]["value"]
