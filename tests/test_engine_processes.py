"""ENGINE_PROCESSES: the bot's batches answered in worker processes give the answers its threads give, and a worker
that dies costs only its own questions (each member told) before another takes its place."""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import os
import shutil
import signal
from pathlib import Path

from bot.cogs.base import SORRY
from fakediscord.crowd import QUESTIONS, answer_of, ask_together, members
from fakediscord.fixtures import *  # noqa: F403 - fixtures
from fakediscord.fixtures import make_engine, running_bot

DATA = Path(__file__).parent / "data"


def dead(pid: int) -> bool:
    try:
        return open(f"/proc/{pid}/stat").read().rpartition(")")[2].split()[0] == "Z"  # not yet reaped
    except FileNotFoundError:
        return True


async def test_answers_from_worker_processes_are_those_of_the_bots_threads(fake, bot_settings, bot_engine):
    # 36 members, each question asked six ways (case and a word's spacing), so most are answered, not shared
    asked = [(m, QUESTIONS[i % 6] if i < 6 else QUESTIONS[i % 6].replace("the", "THE" if i % 2 else "the  ", i // 12))
             for i, m in enumerate(members(36))]
    async with running_bot(fake, bot_settings, bot_engine):
        threads = await ask_together(fake, asked, timeout=60)
    async with running_bot(fake, dataclasses.replace(bot_settings, engine_processes=2), bot_engine) as bot:
        processes = await ask_together(fake, asked, timeout=60)
        pids = bot.engine_processes.pids
    assert len(pids) == 2 and os.getpid() not in pids
    assert [answer_of(r) for r in processes] == [answer_of(r) for r in threads]
    assert all(r["embeds"] for r in processes)


async def test_a_worker_that_dies_fails_its_question_with_an_error_and_is_replaced(fake, bot_settings, bot_engine):
    alice, bob = members(2)
    async with running_bot(fake, dataclasses.replace(bot_settings, engine_processes=1), bot_engine) as bot:
        first = await (await fake.slash("ask", question=QUESTIONS[0], user=alice)).reply(timeout=60)
        assert first["embeds"]
        [pid] = bot.engine_processes.pids
        os.kill(pid, signal.SIGKILL)
        await fake.wait_for(lambda: dead(pid), 10, "the worker to die")

        failed = await (await fake.slash("ask", question=QUESTIONS[1], user=alice)).reply(timeout=60)
        assert failed["content"] == SORRY and not failed.get("embeds")

        after = await (await fake.slash("ask", question=QUESTIONS[1], user=bob)).reply(timeout=60)
        assert after["embeds"]
        assert bot.engine_processes.pids and pid not in bot.engine_processes.pids


async def test_workers_answer_from_the_version_a_reindex_publishes(fake, bot_settings, tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(DATA / "botcorpus", corpus)
    engine = make_engine(tmp_path, corpus)
    settings = dataclasses.replace(bot_settings, index_dir=engine.settings.index_dir, corpus_dir=corpus,
                                   engine_processes=1)
    question = "how much will ferry fares to the islands rise in January?"
    async with running_bot(fake, settings, engine):
        before = await (await fake.slash("ask", question=question, user=fake.alice)).reply(timeout=60)
        shutil.copy(DATA / "digestcorpus" / "ferry-fares.md", corpus)
        await asyncio.to_thread(engine.reindex)  # what /reindex and the corpus watch call
        after = await (await fake.slash("ask", question=question, user=fake.alice)).reply(timeout=60)
    assert "six percent" not in str(before["embeds"])
    assert "six percent" in str(after["embeds"])


async def test_worker_processes_asked_for_without_batches_are_said_to_be_unused(fake, bot_settings, bot_engine,
                                                                                caplog):
    unbatched = dataclasses.replace(bot_settings, engine_processes=2, answer_batch=1)
    with caplog.at_level(logging.WARNING, logger="bot.bot"):
        async with running_bot(fake, unbatched, bot_engine) as bot:
            reply = await (await fake.slash("ask", question=QUESTIONS[0])).reply(timeout=60)
            assert bot.engine_processes is None and reply["embeds"]  # answered in the bot's own threads
    assert any("ENGINE_PROCESSES=2 is unused" in r.getMessage() for r in caplog.records)
