"""Conversations and differing reports with the real model (all-MiniLM-L6-v2): the engine, then the bot over
the fake Discord. The answer decision may call a follow-up "unsure": the quotes are checked either way."""

from __future__ import annotations

import asyncio
import dataclasses
import shutil
from pathlib import Path

import pytest
from engines import engine_over
from fakediscord.fixtures import fake, running_bot  # noqa: F401 - fixture

from index.engine import Engine
from index.ingest.build import ingest
from index.types import Conversation, Turn
from newsdesk.settings import Settings

pytestmark = [pytest.mark.model, pytest.mark.timeout(180)]

DATA = Path(__file__).resolve().parent / "data"
FERRY, CONVERSATIONS = DATA / "conflicts" / "ferry", DATA / "conversations"
SAMPLE = DATA.parent.parent / "corpus" / "000_2b7db0b492e10144.txt"
AIR_BASE = "And the air base?"
SHIPS, DATE, FLEET = "Which ships left Tartus?", "What date was that?", "Which fleet is the cargo ship from?"


def shown(answer) -> list[str]:
    return [q.text for q in answer.quotes or answer.nearest]


@pytest.fixture(scope="module")
def ferry_engine(tmp_path_factory, real_encoder) -> Engine:
    """Two reports of one ferry disaster: 30 killed (coast guard, day one), 42 (ministry, two days later)."""
    return engine_over(tmp_path_factory.mktemp("ferry"), FERRY, real_encoder)


@pytest.fixture(scope="module")
def two_stories(tmp_path_factory, real_encoder) -> Engine:
    """The sample article beside another short story of ships, a date and an air base (Baltiysk, Chkalovsk)."""
    root = tmp_path_factory.mktemp("two-stories")
    (root / "corpus").mkdir()
    shutil.copy(SAMPLE, root / "corpus")
    shutil.copy(CONVERSATIONS / "baltiysk.md", root / "corpus")
    s = Settings(index_dir=root / "index", data_dir=root, corpus_dir=root / "corpus")
    ingest(s, [root / "corpus"], encoder=real_encoder)
    return Engine.open(s, encoder=real_encoder)


# --------------------------------------------------------------------------- the engine
def test_a_follow_up_is_answered_in_the_context_of_the_previous_question(real_engine):
    first = real_engine.ask(SHIPS)
    talk = Conversation((Turn.of(first, SHIPS),))

    when = real_engine.ask(DATE, context=talk)
    assert when.asked == DATE and "Tartus" in when.question
    assert "December 8" in shown(when)[0]

    fleet = real_engine.ask(FLEET, context=talk.then(Turn.of(when, DATE)))
    assert "Northern Fleet" in shown(fleet)[0]


def test_a_self_standing_follow_up_is_asked_as_it_is(real_engine):
    talk = Conversation((Turn.of(real_engine.ask(SHIPS), SHIPS),))
    own = "What did the Kremlin's press secretary say about the Russian bases?"
    alone, followed = real_engine.ask(own), real_engine.ask(own, context=talk)
    assert followed.asked is None and followed.question == alone.question
    assert shown(followed) == shown(alone)


def test_a_follow_up_turning_to_a_new_subject_is_answered_from_the_conversations_story(two_stories):
    talk = Conversation((Turn.of(two_stories.ask(SHIPS), SHIPS),))

    base = two_stories.ask(AIR_BASE, context=talk)
    assert base.reading == "new subject" and base.within and base.asked is None
    assert "Khmeimim air base" in shown(base)[0]  # not the ships again, nor the other story's Chkalovsk

    when = two_stories.ask("When did they leave?", context=talk)
    assert when.reading == "points back" and "Tartus" in when.question
    assert "December 8" in shown(when)[0]


def test_a_question_naming_another_story_is_answered_from_the_whole_corpus(two_stories):
    talk = Conversation((Turn.of(two_stories.ask(SHIPS), SHIPS),))
    other = two_stories.ask("What did the Danish navy say about Baltiysk?", context=talk)
    assert other.reading == "new subject" and not other.within  # short, naming someone: the story first
    assert "Baltiysk" in shown(other)[0]


def test_two_reports_with_different_death_tolls_are_both_shown_as_differing(ferry_engine):
    answer = ferry_engine.ask("How many people were killed when the Lindholm ferry capsized?")

    [differ] = [c for c in answer.comparisons if c.verdict == "differ"]
    assert differ.subject == "dead"
    older, newer = differ.claims
    assert "30" in older.value and older.date == "2025-03-02" and older.attribution == "the coast guard"
    assert "42" in newer.value and newer.date == "2025-03-04" and newer.attribution == "the transport ministry"
    assert {q.doc_id for q in answer.quotes or answer.nearest} == {older.doc_id, newer.doc_id}


# --------------------------------------------------------------------------- the bot
@pytest.fixture
def settings_for(fake, tmp_path):
    def settings(engine: Engine) -> Settings:
        return dataclasses.replace(
            engine.settings, data_dir=tmp_path, discord_token=fake.token, discord_api_base=fake.api_base,
            dev_guild_id=fake.guild_id, qa_channel_ids=frozenset({fake.questions_id}), qa_cooldown_seconds=0.0)
    return settings


def quoted(message: dict) -> str:
    return "\n".join(f["value"] for f in message["embeds"][0]["fields"])


async def test_follow_ups_in_a_qa_thread_are_answered_in_its_context(fake, settings_for, real_engine):
    async with running_bot(fake, settings_for(real_engine), real_engine) as bot:
        await fake.say(SHIPS, channel_id=fake.questions_id)
        [thread] = await fake.wait_for(lambda: list(fake.threads.values()), 60, "a thread")
        thread_id = int(thread["id"])
        await fake.wait_for(lambda: fake.posts_in(thread_id), 60, "the first answer")
        # the bot keeps the turn just after posting it; a member is never faster than that, the test can be
        await fake.wait_for(lambda: bot.conversations.context(thread_id).turns, 10, "the first turn kept")
        await fake.say(DATE, channel_id=thread_id)
        _, when = await fake.wait_for(lambda: (p := fake.posts_in(thread_id))[1:] and p, 60, "the date")
        await fake.wait_for(lambda: len(bot.conversations.context(thread_id).turns) == 2, 10, "the second turn kept")
        await fake.say(FLEET, channel_id=thread_id)
        *_, fleet = await fake.wait_for(lambda: (p := fake.posts_in(thread_id))[2:] and p, 60, "the fleet")

    assert len(fake.threads) == 1, "follow-ups stay in the thread"
    assert when["embeds"][0]["title"] == DATE and "Read as" in when["embeds"][0]["description"]
    assert "December 8" in when["embeds"][0]["fields"][0]["value"]
    assert "Northern Fleet" in fleet["embeds"][0]["fields"][0]["value"].replace("**", "")  # the answer's word in bold
    assert when["allowed_mentions"] == fleet["allowed_mentions"] == {"parse": []}


async def test_a_reply_to_an_ask_answer_continues_the_conversation(fake, settings_for, real_engine):
    async with running_bot(fake, settings_for(real_engine), real_engine):
        answer = await (await fake.slash("ask", question=SHIPS)).reply(timeout=60)
        await fake.say(DATE, reply_to=answer)
        [reply] = await fake.wait_for(lambda: fake.posts_in(fake.general_id), 60, "the follow-up's answer")

    assert str(reply["message_reference"]["message_id"]) != answer["id"]  # a reply to the member's message
    assert reply["embeds"][0]["title"] == DATE
    assert "December 8" in reply["embeds"][0]["fields"][0]["value"]


async def test_differing_reports_are_shown_side_by_side_with_the_newest_marked(fake, settings_for, ferry_engine):
    async with running_bot(fake, settings_for(ferry_engine), ferry_engine):
        reply = await (await fake.slash("ask", question="How many people were killed when the Lindholm ferry capsized?"
                                        )).reply(timeout=60)

    [embed] = reply["embeds"]
    compared = embed["fields"][0]
    assert compared["name"].startswith("⚠️ Sources differ (dead)")
    older, newer = compared["value"].splitlines()
    assert "30 people were killed" in older and "2025-03-02" in older and "Coastal Herald" in older
    assert "42" in newer and "2025-03-04" in newer and "National Wire" in newer and newer.endswith("**(newest)**")
    assert "(newest)" not in older


async def test_follow_ups_typed_two_seconds_apart_are_each_answered_in_order(fake, settings_for, two_stories):
    settings = dataclasses.replace(settings_for(two_stories), qa_cooldown_seconds=10.0)  # new questions are paced
    follow_ups = ["When did they leave?", "Which fleet is the cargo ship from?", AIR_BASE]
    async with running_bot(fake, settings, two_stories):
        await fake.say(SHIPS, channel_id=fake.questions_id)
        [thread] = await fake.wait_for(lambda: list(fake.threads.values()), 60, "a thread")
        thread_id = int(thread["id"])
        await fake.wait_for(lambda: fake.posts_in(thread_id), 60, "the first answer")
        for message in follow_ups:  # as a person types them, the first the moment the answer shows
            await fake.say(message, channel_id=thread_id)
            await asyncio.sleep(2)
        _, *answers = await fake.wait_for(lambda: (p := fake.posts_in(thread_id))[3:] and p, 60, "three answers")

    assert not fake.sent("PUT", r"/channels/\d+/messages/\d+/reactions/.+/@me"), "no follow-up was held"
    assert [a["embeds"][0]["title"] for a in answers] == follow_ups
    when, fleet, base = (a["embeds"][0] for a in answers)
    first = [e["fields"][0]["value"].replace("**", "") for e in (when, fleet, base)]  # the answer's words are bold
    assert "December 8" in first[0] and "pointing back" in when["description"]
    assert "Northern Fleet" in first[1]
    assert "Khmeimim air base" in first[2] and "new subject" in base["description"]
    assert all(a["allowed_mentions"] == {"parse": []} for a in answers)
    fields = [f["name"] for a in answers for f in a["embeds"][0]["fields"]]
    assert not [name for name in fields if "Sources differ" in name], "two stories are not one story's reports"
