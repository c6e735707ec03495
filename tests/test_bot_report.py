"""Every question asked in Discord is logged, and an admin's /report shows what the team asked (fake Discord)."""

from __future__ import annotations

import logging

import pytest

from bot.questionlog import QuestionLog
from fakediscord.fixtures import *  # noqa: F403 - fixtures
from fakediscord.fixtures import running_bot
from fakediscord.server import MESSAGE, is_ephemeral

pytestmark = pytest.mark.timeout(60)

NO_PINGS = {"parse": []}
PIER = "when will the northern pier close?"
BREAD = "what is the recipe for banana bread?"


def buttons(message: dict) -> list[dict]:
    return [b for row in message.get("components", []) for b in row["components"]]


async def test_an_ask_and_a_channel_question_are_logged_with_their_decision(fake, bot_settings, bot_engine):
    async with running_bot(fake, bot_settings, bot_engine):
        reply = await (await fake.slash("ask", question=PIER, user=fake.alice)).reply()
        await fake.say(BREAD, channel_id=fake.questions_id, user=fake.admin)
        [thread] = await fake.wait_for(lambda: list(fake.threads.values()), 10, "a thread")
        await fake.wait_for(lambda: fake.posts_in(int(thread["id"])), 10, "the answer in the thread")

    ask, channel = QuestionLog(bot_settings.votes_db).entries()
    assert (ask.asked.via, ask.asked.guild_id, ask.asked.channel_id, ask.asked.user_id) == (
        "ask", fake.guild_id, fake.general_id, int(fake.alice["id"]))
    assert (ask.question, ask.decision) == (PIER, "answer") and ask.top_doc and 0 < ask.confidence <= 1
    assert f"newsdesk:vote:{ask.answer_id}:up" in [b["custom_id"] for b in buttons(reply)]  # votes link to it
    assert (channel.asked.via, channel.asked.channel_id, channel.asked.user_id) == (
        "channel", fake.questions_id, int(fake.admin["id"]))
    assert channel.question == BREAD and channel.decision == "not_found"
    assert channel.answer_id and channel.answer_id != ask.answer_id  # a refusal can be voted on too


async def test_a_failed_log_write_is_logged_and_the_answer_still_arrives(fake, bot_settings, bot_engine, caplog):
    async with running_bot(fake, bot_settings, bot_engine) as bot:
        def broken(*args, **kwargs):
            raise OSError("disk full")

        bot.questions.log = bot.questions.add = broken  # alone, or with other answers' writes
        with caplog.at_level(logging.ERROR, logger="bot.answers"):
            reply = await (await fake.slash("ask", question=PIER)).reply()

    assert "northern pier" in reply["embeds"][0]["fields"][0]["value"]
    assert "Could not log the question" in caplog.text and "disk full" in caplog.text


async def test_report_is_refused_privately_to_members_without_manage_server(fake, bot_settings, bot_engine):
    async with running_bot(fake, bot_settings, bot_engine):
        report = await fake.slash("report", user=fake.alice)
        reply = await report.reply()

    assert report.callback["type"] == MESSAGE and is_ephemeral(reply)
    assert "Manage Server" in reply["content"] and not reply.get("embeds")


async def test_an_admin_sees_rates_gaps_and_thumbs_down_answers_escaped_and_without_pings(fake, bot_settings, bot_engine):
    gap = "what do **zorblax** quuxers @everyone <@123> eat?"
    async with running_bot(fake, bot_settings, bot_engine):
        answered = await (await fake.slash("ask", question=PIER)).reply()
        _, down = buttons(answered)
        await (await fake.click(answered, down["custom_id"], user=fake.alice)).reply()
        for _ in range(2):
            await (await fake.slash("ask", question=gap)).reply()
        await (await fake.slash("ask", question=BREAD)).reply()
        report = await fake.slash("report", user=fake.admin, days=30)
        shown = await report.reply()

    assert report.deferred and is_ephemeral(shown) and shown["allowed_mentions"] == NO_PINGS
    [embed] = shown["embeds"]
    assert embed["title"] == "Questions asked — last 30 days"
    assert embed["description"].startswith("**4** asked · answered **25%**")
    gaps, disliked = embed["fields"]
    assert gaps["name"].startswith("Most-asked unanswered")
    first, second = gaps["value"].splitlines()
    assert first.startswith("2× what do \\*\\*zorblax\\*\\* quuxers @\u200beveryone \\<@123> eat?")
    assert "@everyone" not in gaps["value"] and BREAD in second
    assert disliked["name"] == "Answers voted 👎" and disliked["value"] == f"👎 1 — {PIER}"


def test_long_questions_are_cut_to_fit_the_embed():
    from bot.questionlog import Disliked, Gap, QuestionReport
    from bot.render_report import report_embed

    long = "why " + "is the harbour closed " * 200 + "?"
    report = QuestionReport(since=None, until="2024-12-11T00:00:00+00:00", asked=9, decisions={"not_found": 9},
                            gaps=[Gap(long, 9 - i, "2024-12-10T00:00:00+00:00", "not_found") for i in range(8)],
                            disliked=[Disliked(i, long, 1, 0, "answer", "d") for i in range(8)])
    embed = report_embed(report, days=None)

    assert embed.title == "Questions asked — all time"
    assert all(len(f.value) <= 1024 for f in embed.fields) and len(embed) <= 6000
    assert embed.fields[0].value.count("\n") == 4 and embed.fields[0].value.startswith("9× why is the harbour")
