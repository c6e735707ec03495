"""The bot with the real model (all-MiniLM-L6-v2) on the sample corpus, over the fake Discord."""

from __future__ import annotations

import dataclasses

import pytest

from fakediscord.fixtures import fake, running_bot  # noqa: F401 - fixture
from fakediscord.server import is_ephemeral

pytestmark = [pytest.mark.model, pytest.mark.timeout(120)]


@pytest.fixture
def settings_for(fake, real_engine, tmp_path):
    return dataclasses.replace(
        real_engine.settings,
        data_dir=tmp_path,
        discord_token=fake.token,
        discord_api_base=fake.api_base,
        dev_guild_id=fake.guild_id,
        qa_channel_ids=frozenset({fake.questions_id}),
    )


async def test_ask_quotes_the_ships_that_left_tartus(fake, settings_for, real_engine):
    async with running_bot(fake, settings_for, real_engine):
        ask = await fake.slash("ask", question="which ships left Tartus?")
        reply = await ask.reply(timeout=60)

    assert not is_ephemeral(reply)  # the response itself, or the follow-up of a deferral if the model was slow
    [embed] = reply["embeds"]
    top = embed["fields"][0]["value"]
    assert top.startswith("> ")
    assert 'Admiral Hryhorovych' in top and 'Engineer Trubin' in top
    assert "2024-12-09" in top
    assert "Ukrainian intelligence" in top and "GUR" in top
    assert embed["fields"][0]["name"] == "1. The Kremlin is in a panic over its military bases in Syria"
    assert reply["allowed_mentions"] == {"parse": []}


async def test_a_team_channel_question_gets_the_same_answer_in_a_thread(fake, settings_for, real_engine):
    async with running_bot(fake, settings_for, real_engine):
        await fake.say("which ships left Tartus?", channel_id=fake.questions_id)
        [thread] = await fake.wait_for(lambda: list(fake.threads.values()), 60, "a thread")
        [answer] = await fake.wait_for(lambda: fake.posts_in(int(thread["id"])), 60, "the answer")

    assert "Admiral Hryhorovych" in answer["embeds"][0]["fields"][0]["value"]


async def test_a_team_channel_question_said_as_chat_is_answered_as_asked_plainly(fake, settings_for, real_engine):
    """A greeting before it and thanks after it ("hey all, … ? thanks!"): still a question for the bot, and answered
    with the same first quote as the question alone."""
    async with running_bot(fake, settings_for, real_engine):
        await fake.say("hey all, which ships left Tartus? thanks! 🙏", channel_id=fake.questions_id)
        [thread] = await fake.wait_for(lambda: list(fake.threads.values()), 60, "a thread")
        [answer] = await fake.wait_for(lambda: fake.posts_in(int(thread["id"])), 60, "the answer")

    plain = real_engine.ask("which ships left Tartus?")
    assert plain.shown[0].text[:40] in answer["embeds"][0]["fields"][0]["value"].replace("\\", "")
    assert "Admiral Hryhorovych" in answer["embeds"][0]["fields"][0]["value"]


async def test_a_misspelled_place_is_read_as_the_corpus_writes_it_and_the_reply_says_so(fake, settings_for,
                                                                                          real_engine):
    async with running_bot(fake, settings_for, real_engine):
        ask = await fake.slash("ask", question="which ships left Tatrus?")
        reply = await ask.reply(timeout=60)

    [embed] = reply["embeds"]
    assert embed["title"] == "which ships left Tatrus?"
    assert embed["description"] == "*Read “Tatrus” as “Tartus”*"
    assert 'Admiral Hryhorovych' in embed["fields"][0]["value"]
