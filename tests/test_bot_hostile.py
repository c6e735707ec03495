"""The bot against a fake Discord on 127.0.0.1, under abuse: floods of slash commands and questions that break."""

from __future__ import annotations

import dataclasses
import json
import logging

import discord
import pytest

from fakediscord.fixtures import *  # noqa: F403 - fixtures
from fakediscord.fixtures import running_bot
from fakediscord.server import is_ephemeral
from feedserver import GRAIN, FeedServer
from index.engine import Engine
from sources.feeds import FeedStore
from test_bot_digest import digest_command, own_engine, with_engine

pytestmark = pytest.mark.timeout(60)
PIER = "when will the northern pier close?"


async def test_each_engine_command_is_rate_limited_per_member_with_a_polite_private_reply(fake, bot_settings, bot_engine):
    settings = dataclasses.replace(bot_settings, rate_limit_per_minute=2)
    async with running_bot(fake, settings, bot_engine):
        for name, options in (("ask", {"question": PIER}), ("search", {"query": "pier"}), ("sources", {})):
            first = await (await fake.slash(name, **options)).reply()
            second = await (await fake.slash(name, **options)).reply()
            third = await (await fake.slash(name, **options)).reply()
            assert first["embeds"] and second["embeds"] and not is_ephemeral(second)
            assert is_ephemeral(third) and third["content"].startswith("You're asking faster than 2 a minute: "
                                                                        "please try again in ")
            other = await (await fake.slash(name, user=fake.admin, **options)).reply()  # someone else is not held up
            assert other["embeds"]
        replies = [await (await digest_command(fake, "show", days=7)).reply() for _ in range(3)]
    assert not is_ephemeral(replies[1]) and is_ephemeral(replies[2]) and "try again in" in replies[2]["content"]


async def test_a_question_that_breaks_the_engine_gets_a_reply_and_a_logged_traceback(fake, bot_settings, bot_engine,
                                                                                  monkeypatch, caplog):
    def broken(self, question, **kw):
        raise RuntimeError("engine bug")

    monkeypatch.setattr(Engine, "ask", broken)
    caplog.set_level(logging.ERROR, logger="bot")
    async with running_bot(fake, bot_settings, bot_engine):
        question = await fake.say(PIER, channel_id=fake.questions_id)
        [reply] = await fake.wait_for(lambda: fake.posts_in(fake.questions_id), 10, "a reply in the channel")
    assert str(reply["message_reference"]["message_id"]) == question["id"]
    assert reply["content"] == "Something went wrong on my side; it has been logged."
    [record] = [r for r in caplog.records if "channel Q&A" in r.getMessage()]
    assert record.exc_info and "engine bug" in str(record.exc_info[1])


async def test_a_bad_file_in_the_corpus_does_not_keep_feed_items_out(fake, bot_settings, tmp_path):
    """The freshness loop reindexes past a file that once aborted every ingest (and so every tick)."""
    engine = own_engine(tmp_path, "botcorpus")
    (engine.settings.corpus_dir / "deep.json").write_text("[" * 100_000 + "]" * 100_000)
    settings = with_engine(bot_settings, engine, corpus_watch_seconds=0.1, feed_allow_networks=("127.0.0.1/32",))
    async with FeedServer() as server:
        server.stories.append(GRAIN)
        FeedStore(settings.feeds_db).add(server.url("/rss.xml"))
        async with running_bot(fake, settings, engine) as bot:
            await fake.wait_for(lambda: bot.summary and GRAIN.title in {t[1] for t in bot.summary.titles}, 20,
                                "the feed item polled and ingested")


async def test_text_that_is_not_unicode_is_refused_in_one_line_and_the_bot_goes_on(fake, bot_settings, bot_engine,
                                                                                   monkeypatch, caplog):
    """A lone surrogate (a "\\ud800" escape in the gateway's JSON, from a broken client) in a slash option or a
    message gets its one-line reply, not an apology for a bug. The default install reads gateway frames with
    json.loads, which lets the escape through (orjson, which pymilvus brings into the test environment, refuses
    the whole frame instead): the test reads them the same way."""
    monkeypatch.setattr(discord.utils, "_from_json", json.loads)
    caplog.set_level(logging.ERROR, logger="bot")
    async with running_bot(fake, bot_settings, bot_engine):
        for name, options, what in (("ask", {"question": "which ships left \ud800Tartus?"}, "the question"),
                                    ("ask", {"question": PIER, "source": "Port \udc00"}, "the source"),
                                    ("search", {"query": "pier \udfff"}, "the query")):
            reply = await (await fake.slash(name, **options)).reply()
            assert is_ephemeral(reply) and f"{what} is not Unicode text: a lone surrogate" in reply["content"]
        await fake.say("which ships left \ud800Tartus?", channel_id=fake.questions_id)
        [reply] = await fake.wait_for(lambda: fake.posts_in(fake.questions_id), 10, "a reply in the channel")
        assert "the message is not Unicode text: a lone surrogate" in reply["content"] and not reply.get("embeds")
        assert (await (await fake.slash("ask", question=PIER)).reply())["embeds"]  # and it goes on answering
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
