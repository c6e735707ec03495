"""Many members at once over the fake Discord: the batched path answers as the one-at-a-time path does, no
member's burst holds up anyone else's question, and every answer's vote record and log row is committed."""

from __future__ import annotations

import asyncio
import dataclasses
import time

from bot.questionlog import QuestionLog
from fakediscord.crowd import QUESTIONS, answer_of, ask_together, members
from fakediscord.fixtures import *  # noqa: F403 - fixtures
from fakediscord.fixtures import running_bot


async def test_answers_in_batches_are_those_asked_one_at_a_time(fake, bot_settings, bot_engine):
    asked = [(m, QUESTIONS[i % len(QUESTIONS)]) for i, m in enumerate(members(24))]
    async with running_bot(fake, dataclasses.replace(bot_settings, answer_batch=1), bot_engine):
        single = await ask_together(fake, asked)
    async with running_bot(fake, bot_settings, bot_engine) as bot:
        batched = await ask_together(fake, asked)
        sizes = bot.batcher.batches

    assert [answer_of(r) for r in batched] == [answer_of(r) for r in single]
    assert max(sizes) > 1 and sum(sizes) == len(asked)  # some did go to the engine together
    logged = QuestionLog(bot_settings.votes_db).entries()
    assert len(logged) == 2 * len(asked) and all(e.answer_id for e in logged)  # both runs, each linked to its answer
    answer_ids = {int(b["custom_id"].split(":")[2]) for r in batched for row in r["components"] for b in row["components"]}
    assert len(answer_ids) == len(asked)  # every member's answer recorded on its own, repeats too


async def test_one_members_burst_does_not_hold_up_another_members_question(fake, bot_settings, bot_engine):
    class SlowEngine:
        """The real engine, each question taking 100 ms longer."""

        def __getattr__(self, name):
            return getattr(bot_engine, name)

        def ask(self, question, **kwargs):
            time.sleep(0.1)
            return bot_engine.ask(question, **kwargs)

    burster, alice = members(1)[0], "who is fixing the pier, alice asks?"
    batches: list[list[str]] = []  # the questions of each batch, in the order the batches were taken
    arrived: list[int] = []  # how many batches had been taken when alice's question came to the batcher
    async with running_bot(fake, bot_settings, SlowEngine()) as bot:
        take, queue = bot.batcher._take, bot.batcher.ask

        def taking():
            batch = take()
            batches.append([str(w.asking.question) for w in batch])  # /ask hands on its Question
            return batch

        async def noting(member, asking):
            if str(asking.question) == alice:
                arrived.append(len(batches))
            return await queue(member, asking)

        bot.batcher._take, bot.batcher.ask = taking, noting
        burst = [await fake.slash("ask", question=f"{QUESTIONS[i % 6]} ({i})", user=burster) for i in range(12)]
        await fake.wait_for(lambda: batches, 10, "the burst in the engine")
        asked = await fake.slash("ask", question=alice, user=fake.alice)
        t0 = time.monotonic()
        await asked.reply(timeout=10)
        waited = time.monotonic() - t0
        await asyncio.gather(*(b.reply(timeout=30) for b in burst))

    # Her question goes into the next batch a worker takes, beside the burst's next one (a batch holds one
    # question per member), not behind the 10 of the burst still waiting.
    [taken_before] = arrived
    assert taken_before < 8 and alice in batches[taken_before], (taken_before, batches)
    assert all(len(b) == 1 for b in batches if alice not in b)
    assert waited < 0.8, f"alice waited {waited:.2f} s behind a burst of 12 (1.2 s of engine work)"


async def test_every_acknowledged_answer_is_committed_before_it_is_sent(fake, bot_settings, bot_engine):
    asked = [(m, QUESTIONS[i % len(QUESTIONS)]) for i, m in enumerate(members(30))]
    async with running_bot(fake, bot_settings, bot_engine):
        replies = await ask_together(fake, asked)
        logged = QuestionLog(bot_settings.votes_db).entries()  # read as the last answer arrives: all committed

    assert len(replies) == len(logged) == 30
    assert sorted(e.asked.user_id for e in logged) == sorted(int(m["id"]) for m, _ in asked)
    assert all(e.answer_id for e in logged) and len({e.answer_id for e in logged}) == 30
    shown = {int(b["custom_id"].split(":")[2]) for r in replies for row in r["components"] for b in row["components"]}
    assert shown == {e.answer_id for e in logged}
