"""The real bot against a fake Discord on 127.0.0.1: what users do, and what goes over the wire."""

from __future__ import annotations

import asyncio
import re
import dataclasses
import time

import pytest

from bot import bot as bot_module
from bot.votes import VoteStore
from fakediscord.fixtures import *  # noqa: F403 - fixtures
from fakediscord.fixtures import make_engine, running_bot
from fakediscord.server import AUTOCOMPLETE, EPHEMERAL, MESSAGE, UPDATE_MESSAGE, is_ephemeral

pytestmark = pytest.mark.timeout(60)

NO_PINGS = {"parse": []}
PIER = "when will the northern pier close?"


def buttons(message: dict) -> list[dict]:
    return [b for row in message.get("components", []) for b in row["components"]]


# --------------------------------------------------------------------------- start-up
async def test_start_up_follows_the_api_base_and_syncs_commands_to_the_dev_guild(fake, bot_settings, bot_engine):
    async with running_bot(fake, bot_settings, bot_engine):
        pass

    assert fake.sent("GET", "/gateway/bot"), "the gateway address comes from the configured API"
    [sync] = fake.sent("PUT", rf"/applications/{fake.app_id}/guilds/{fake.guild_id}/commands")
    assert {c["name"] for c in sync.json} == {"ask", "search", "sources", "help", "reindex", "report", "digest", "add"}
    assert not fake.sent("PUT", rf"/applications/{fake.app_id}/commands"), "no global sync with DEV_GUILD_ID"
    ask = next(c for c in sync.json if c["name"] == "ask")
    assert ask["description"].startswith("Ask a question")
    assert [o["name"] for o in ask["options"]] == ["question", "since", "until", "source"]
    assert fake.identify["intents"] & (1 << 15), "message content intent, for team-channel Q&A"


async def test_without_a_dev_guild_commands_sync_globally(fake, bot_settings, bot_engine):
    settings = dataclasses.replace(bot_settings, dev_guild_id=None)
    async with running_bot(fake, settings, bot_engine):
        pass
    assert fake.sent("PUT", rf"/applications/{fake.app_id}/commands")


async def test_a_broken_cog_does_not_stop_the_bot(fake, bot_settings, bot_engine, monkeypatch):
    monkeypatch.setattr(bot_module, "EXTENSIONS", ("bot.cogs.does_not_exist", *bot_module.EXTENSIONS))
    async with running_bot(fake, bot_settings, bot_engine) as bot:
        assert "bot.cogs.does_not_exist" in bot.failed_extensions
        reply = await (await fake.slash("ask", question=PIER)).reply()
    assert reply["embeds"][0]["fields"]


# --------------------------------------------------------------------------- /ask
async def test_ask_answers_with_quotes_as_an_embed(fake, bot_settings, bot_engine):
    async with running_bot(fake, bot_settings, bot_engine):
        ask = await fake.slash("ask", question=PIER)
        reply = await ask.reply()

    assert ask.callback["type"] == MESSAGE  # ready within the budget: the interaction's own response (test_bot_respond)
    [embed] = reply["embeds"]
    assert embed["title"] == PIER
    field, *more = embed["fields"]  # the best sentence first; another sentence of the notice may follow
    assert all("(https://example.org/harbour-notice)" in f["value"] for f in more)
    assert field["value"].startswith("> ")
    assert "northern pier" in field["value"]
    assert "2024-12-10" in field["value"] and "Port Authority Bulletin" in field["value"]
    assert "*the port authority*" in field["value"] or "port authority" in field["value"]
    assert "(https://example.org/harbour-notice)" in field["value"]  # the title links to the document
    assert reply["allowed_mentions"] == NO_PINGS
    assert [b["emoji"]["name"] for b in buttons(reply)] == ["👍", "👎"]


async def test_ask_not_found_names_what_the_corpus_never_mentions(fake, bot_settings, bot_engine):
    async with running_bot(fake, bot_settings, bot_engine):
        reply = await (await fake.slash("ask", question="what is the recipe for banana bread?")).reply()

    [embed] = reply["embeds"]
    assert embed["description"].startswith("**Not in the corpus.**")
    assert "never mentions “recipe”, “banana”, “bread”" in embed["description"]
    assert "fields" not in embed or not embed["fields"]
    assert "/search" in embed["footer"]["text"]
    assert [b["emoji"]["name"] for b in buttons(reply)] == ["👍", "👎"], "a refusal can be voted on too"


async def test_ask_unsure_shows_the_closest_passages_under_a_hedge(fake, bot_settings, bot_engine):
    async with running_bot(fake, bot_settings, bot_engine):
        sure = await (await fake.slash("ask", question=PIER)).reply()
        reply = await (await fake.slash("ask", question="which singer opened the pier?")).reply()

    [embed] = reply["embeds"]
    assert embed["description"].startswith("**Closest passages** — they may not answer this directly")
    assert embed["fields"] and all(f["value"].startswith("> ") for f in embed["fields"])
    assert "Port Authority Bulletin" in embed["fields"][0]["value"]  # dated, sourced and attributed like an answer
    assert embed["color"] != sure["embeds"][0]["color"]
    assert reply["allowed_mentions"] == NO_PINGS
    assert [b["emoji"]["name"] for b in buttons(reply)] == ["👍", "👎"]


async def test_ask_with_a_date_window_and_source(fake, bot_settings, bot_engine):
    async with running_bot(fake, bot_settings, bot_engine):
        reply = await (
            await fake.slash("ask", question=PIER, since="2024-12-01", until="2024-12-31", source="Port Authority Bulletin")
        ).reply()
    assert "northern pier" in reply["embeds"][0]["fields"][0]["value"]


async def test_a_bad_date_gets_a_private_one_line_reply(fake, bot_settings, bot_engine):
    async with running_bot(fake, bot_settings, bot_engine):
        ask = await fake.slash("ask", question=PIER, since="last tuesday")
        reply = await ask.reply()

    assert ask.callback["type"] == MESSAGE and is_ephemeral(reply)
    assert "last tuesday" in reply["content"] and "YYYY-MM-DD" in reply["content"]
    assert "\n" not in reply["content"]


async def test_swapped_dates_get_a_private_one_line_reply(fake, bot_settings, bot_engine):
    async with running_bot(fake, bot_settings, bot_engine):
        ask = await fake.slash("ask", question=PIER, since="2024-12-31", until="2024-12-01")
        reply = await ask.reply()

    assert is_ephemeral(reply)
    assert reply["content"] == "since 2024-12-31 is after until 2024-12-01: no date is in that range (swap them?)"


async def test_a_blank_question_is_refused_privately(fake, bot_settings, bot_engine):
    async with running_bot(fake, bot_settings, bot_engine):
        ask = await fake.slash("ask", question="   ")
        reply = await ask.reply()
    assert not ask.deferred and is_ephemeral(reply) and "The question is empty" in reply["content"]


async def test_sources_are_suggested_as_you_type(fake, bot_settings, bot_engine):
    async with running_bot(fake, bot_settings, bot_engine):
        typing = await fake.autocomplete("ask", "source", "metro", question=PIER)
        choices = await typing.reply()
    assert typing.callback["type"] == AUTOCOMPLETE
    assert choices["choices"] == [{"name": "Metro Daily", "value": "Metro Daily"}]


async def test_corpus_text_never_pings_nor_forges_markdown(fake, bot_settings, bot_engine):
    """harbour-notice.md: "@everyone The harbour master <@123> said the **northern pier** ... [the port authority](https://evil...)"."""
    async with running_bot(fake, bot_settings, bot_engine):
        reply = await (await fake.slash("ask", question=PIER)).reply()

    assert reply["allowed_mentions"] == NO_PINGS
    quoted = "\n".join(f["name"] + "\n" + f["value"] for e in reply["embeds"] for f in e["fields"])
    assert "@\u200beveryone" in quoted and "@everyone" not in quoted
    assert "\\<@123>" in quoted
    assert "\\*\\*northern pier\\*\\*" in quoted
    assert "\\[the port authority\\](https://evil.example/phish)" in quoted  # shown as text, not a masked link
    links = re.findall(r"(?<!\\)\[(.*?)(?<!\\)\]\((.*?)\)", quoted)
    assert set(links) == {("Harbour notice for the \\*northern\\* pier", "https://example.org/harbour-notice")}
    assert "\\*northern\\* pier" in quoted  # the title is corpus text too


async def test_the_answer_is_bold_in_the_embed_with_every_escape_intact(fake, bot_settings, bot_engine):
    """The harbour notice answers "when" with "Friday", in a sentence holding @everyone, <@123>, **markdown** and a
    masked link."""
    async with running_bot(fake, bot_settings, bot_engine):
        reply = await (await fake.slash("ask", question=PIER)).reply()

    assert reply["allowed_mentions"] == NO_PINGS
    value = reply["embeds"][0]["fields"][0]["value"]
    assert "will close on **Friday** for repairs" in value
    assert value.startswith("> @\u200beveryone The harbour master \\<@123> said the \\*\\*northern pier\\*\\*")
    assert "\\[the port authority\\](https://evil.example/phish)" in value
    assert re.sub(r"\\.", "", value).count("**") == 2  # one bold, opened and closed; every other star escaped


async def test_twenty_questions_at_once_are_all_answered_while_the_heartbeat_keeps_time(fake, bot_settings, bot_engine):
    interval = fake.heartbeat_interval = 0.1  # HELLO asks the bot to beat every 100 ms

    class SlowEngine:
        """The real engine, each question taking 200 ms longer (a big model on a busy CPU)."""

        def __getattr__(self, name):
            return getattr(bot_engine, name)

        def ask(self, *args, **kwargs):
            time.sleep(0.2)
            return bot_engine.ask(*args, **kwargs)

    async with running_bot(fake, bot_settings, SlowEngine()):
        await fake.wait_for(lambda: len(fake.heartbeats) >= 2, 5, "heartbeats")
        started = time.monotonic()
        asks = await asyncio.gather(*(fake.slash("ask", question=f"{PIER} ({i})", user=fake.alice) for i in range(20)))
        replies = await asyncio.gather(*(a.reply(timeout=30) for a in asks))
        finished = time.monotonic()
        await fake.wait_for(lambda: fake.heartbeats[-1] > finished, 5, "a heartbeat after the burst")

    assert all("northern pier" in r["embeds"][0]["fields"][0]["value"] for r in replies)
    assert finished - started >= 0.5, "the burst must outlast several heartbeat intervals to mean anything"
    beats = [t for t in fake.heartbeats if t >= started - interval]
    gaps = [b - a for a, b in zip(beats, beats[1:])]
    assert len(gaps) >= 5
    assert max(gaps) < 3 * interval, f"heartbeat stalled: gaps {[round(g, 3) for g in gaps]}"


# --------------------------------------------------------------------------- votes
async def test_a_vote_is_stored_with_the_question_and_the_quoted_chunks(fake, bot_settings, bot_engine):
    async with running_bot(fake, bot_settings, bot_engine):
        reply = await (await fake.slash("ask", question=PIER)).reply()
        up, down = buttons(reply)
        vote = await fake.click(reply, up["custom_id"], user=fake.alice)
        thanks = await vote.reply()
        changed = await (await fake.click(reply, down["custom_id"], user=fake.alice)).reply()

    assert vote.callback["type"] == MESSAGE and is_ephemeral(thanks) and "👍" in thanks["content"]
    assert "👎" in changed["content"]
    [row] = VoteStore(bot_settings.votes_db).votes()  # one vote per person per answer: the latest
    assert row.user_id == int(fake.alice["id"]) and row.vote == -1
    assert row.question == PIER
    assert row.chunk_ids and all(isinstance(c, int) for c in row.chunk_ids)


# --------------------------------------------------------------------------- /search, /sources, /help
async def test_search_pages_through_passages_with_buttons(fake, bot_settings, bot_engine):
    async with running_bot(fake, bot_settings, bot_engine):
        search = await fake.slash("search", query="pier")
        first = await search.reply()
        previous, next_ = buttons(first)
        assert previous["disabled"] and not next_["disabled"]
        turn = await fake.click(first, next_["custom_id"])
        second = await turn.reply()

    assert search.callback["type"] == MESSAGE and not search.followups  # found in time: one REST call, no deferral
    assert first["embeds"][0]["footer"]["text"].startswith("Page 1/")
    assert turn.callback["type"] == UPDATE_MESSAGE
    assert second["embeds"][0]["footer"]["text"].startswith("Page 2/")
    assert second["embeds"][0]["fields"][0]["name"].startswith("4.")


async def test_search_buttons_are_removed_when_they_expire(fake, bot_settings, bot_engine, monkeypatch):
    async with running_bot(fake, bot_settings, bot_engine) as bot:
        monkeypatch.setattr(bot.extensions["bot.cogs.search"], "BUTTONS_FOR", 0.2)
        search = await fake.slash("search", query="pier")
        first = await search.reply()
        [edit] = await fake.wait_for(lambda: fake.sent("PATCH", rf"/webhooks/\d+/{search.token}/messages/(@original|{first['id']})"), 5,
                                     "the buttons removed")
    assert edit.json["components"] == []


class NoSummary:
    """The real engine, except that the corpus summary cannot be read."""

    def __init__(self, engine) -> None:
        self.engine = engine

    def summary(self):
        raise RuntimeError("the store is locked")

    def __getattr__(self, name):
        return getattr(self.engine, name)


async def test_sources_without_a_summary_tells_the_asker_alone(fake, bot_settings, bot_engine):
    async with running_bot(fake, bot_settings, NoSummary(bot_engine)):
        asked = await fake.slash("sources")
        reply = await asked.reply()
    assert is_ephemeral(reply) and "summary" in reply["content"].lower() and not reply.get("embeds")


async def test_sources_and_help(fake, bot_settings, bot_engine):
    async with running_bot(fake, bot_settings, bot_engine):
        asked = await fake.slash("sources")
        sources = await asked.reply()
        help_ = await (await fake.slash("help")).reply()
    assert asked.callback["type"] == MESSAGE and not asked.followups  # read in time: one REST call

    [embed] = sources["embeds"]
    assert "**5** documents" in embed["description"] and "2024-11-28 to 2024-12-10" in embed["description"]
    assert "Metro Daily: 2" in embed["fields"][0]["value"]
    assert is_ephemeral(help_) and "/ask" in help_["embeds"][0]["description"]


# --------------------------------------------------------------------------- team-channel Q&A
async def test_a_question_in_a_qa_channel_is_answered_in_a_new_thread(fake, bot_settings, bot_engine):
    async with running_bot(fake, bot_settings, bot_engine):
        question = await fake.say(PIER, channel_id=fake.questions_id)
        [thread] = await fake.wait_for(lambda: list(fake.threads.values()), 10, "a thread")
        [answer] = await fake.wait_for(lambda: fake.posts_in(int(thread["id"])), 10, "the answer in the thread")

    [start] = fake.sent("POST", rf"/channels/{fake.questions_id}/messages/{question['id']}/threads")
    assert start.json["name"] == PIER
    assert "northern pier" in answer["embeds"][0]["fields"][0]["value"]
    assert answer["allowed_mentions"] == NO_PINGS
    assert [b["emoji"]["name"] for b in buttons(answer)] == ["👍", "👎"]


async def test_chatter_bots_and_unlisted_channels_are_ignored(fake, bot_settings, bot_engine):
    async with running_bot(fake, bot_settings, bot_engine):
        await fake.say(PIER, channel_id=fake.general_id)  # not a Q&A channel, no mention
        await fake.say("great work on the budget story, team", channel_id=fake.questions_id)  # not a question
        await fake.say(PIER, channel_id=fake.questions_id, user=fake.other_bot)  # a bot
        sentinel = await fake.say("who approved the budget?", channel_id=fake.questions_id)
        await fake.wait_for(lambda: fake.threads, 10, "the sentinel's thread")
        await asyncio.sleep(0.2)  # time for any wrong reply to show up

    threads = fake.sent("POST", r"/channels/\d+/messages/\d+/threads")
    assert [t.path for t in threads] == [f"/channels/{fake.questions_id}/messages/{sentinel['id']}/threads"]
    assert not fake.sent("POST", rf"/channels/{fake.general_id}/messages")


async def test_a_mention_anywhere_is_answered_and_an_existing_thread_is_reused(fake, bot_settings, bot_engine):
    async with running_bot(fake, bot_settings, bot_engine) as bot:
        await fake.say(f"<@{fake.app_id}> who approved the budget?", channel_id=fake.general_id, mentions=[fake.bot_user])
        await fake.wait_for(lambda: fake.threads, 10, "a thread in #general")
        thread_id = await fake.open_thread(fake.questions_id, "pier questions")
        while bot.get_channel(thread_id) is None:
            await asyncio.sleep(0.01)
        await fake.say(PIER, channel_id=thread_id)
        [answer] = await fake.wait_for(lambda: fake.posts_in(thread_id), 10, "the answer in the existing thread")

    assert len(fake.sent("POST", r"/channels/\d+/messages/\d+/threads")) == 1
    assert fake.sent("POST", rf"/channels/{fake.general_id}/messages/\d+/threads")
    assert "northern pier" in answer["embeds"][0]["fields"][0]["value"]


async def test_without_thread_permission_the_answer_is_a_reply_in_the_channel(fake, bot_settings, bot_engine):
    fake.forbid_threads = True
    async with running_bot(fake, bot_settings, bot_engine):
        question = await fake.say(PIER, channel_id=fake.questions_id)
        [answer] = await fake.wait_for(lambda: fake.posts_in(fake.questions_id), 10, "a reply in the channel")

    assert str(answer["message_reference"]["message_id"]) == question["id"]
    assert answer["allowed_mentions"] == NO_PINGS  # replied_user is off unless sent as true
    assert "northern pier" in answer["embeds"][0]["fields"][0]["value"]


async def test_a_new_question_asked_too_soon_waits_its_turn_under_an_hourglass(fake, bot_settings, bot_engine):
    settings = dataclasses.replace(bot_settings, qa_cooldown_seconds=1.5)
    async with running_bot(fake, settings, bot_engine):
        await fake.say(PIER, channel_id=fake.questions_id)
        second = await fake.say("who approved the budget?", channel_id=fake.questions_id)
        await fake.wait_for(lambda: fake.sent("PUT", r"/channels/\d+/messages/\d+/reactions/.+/@me"), 10, "⏳")
        await fake.say("who approved the budget?", channel_id=fake.questions_id, user=fake.admin)  # someone else
        await fake.wait_for(lambda: len(fake.threads) == 2, 10, "the other member's thread, not held up")
        assert not fake.sent("POST", rf"/channels/{fake.questions_id}/messages/{second['id']}/threads")
        await fake.wait_for(lambda: len(fake.threads) == 3, 10, "the early question answered in its turn")
        [removed] = await fake.wait_for(
            lambda: fake.sent("DELETE", r"/channels/\d+/messages/\d+/reactions/.+/@me"), 10, "⏳ removed")

    [reaction] = fake.sent("PUT", r"/channels/\d+/messages/\d+/reactions/.+/@me")
    assert f"/messages/{second['id']}/" in reaction.path and f"/messages/{second['id']}/" in removed.path
    [answered] = fake.sent("POST", rf"/channels/{fake.questions_id}/messages/{second['id']}/threads")
    order = fake.requests.index
    assert order(reaction) < order(answered) < order(removed)


async def test_a_members_mentions_are_each_answered_in_the_order_sent(fake, bot_settings, bot_engine):
    settings = dataclasses.replace(bot_settings, qa_cooldown_seconds=1.0)
    asked = ["who approved the budget?", PIER, "how much was the budget?"]
    async with running_bot(fake, settings, bot_engine):
        sent = [await fake.say(f"<@{fake.app_id}> {q}", channel_id=fake.general_id, mentions=[fake.bot_user])
                for q in asked]
        await fake.wait_for(lambda: len(fake.threads) == 3, 15, "three threads")

    starts = fake.sent("POST", rf"/channels/{fake.general_id}/messages/\d+/threads")
    assert [s.path.split("/")[-2] for s in starts] == [m["id"] for m in sent]


async def test_a_reply_to_an_answer_is_a_follow_up_and_is_not_held_by_the_limit(fake, bot_settings, bot_engine):
    settings = dataclasses.replace(bot_settings, qa_cooldown_seconds=30)
    async with running_bot(fake, settings, bot_engine):
        await fake.say(PIER, channel_id=fake.general_id, mentions=[fake.bot_user])
        [thread] = await fake.wait_for(lambda: list(fake.threads.values()), 10, "a thread")
        [answer] = await fake.wait_for(lambda: fake.posts_in(int(thread["id"])), 10, "the answer")
        await fake.say("who approved the budget?", channel_id=int(thread["id"]), reply_to=answer)
        await fake.wait_for(lambda: len(fake.posts_in(int(thread["id"]))) == 2, 10, "the reply's answer, at once")

    assert not fake.sent("PUT", r"/channels/\d+/messages/\d+/reactions/.+/@me")


async def test_an_emoji_or_a_colleague_pinged_in_the_bots_thread_is_not_asked(fake, bot_settings, bot_engine):
    async with running_bot(fake, bot_settings, bot_engine):
        await fake.say(PIER, channel_id=fake.general_id, mentions=[fake.bot_user])
        [thread] = await fake.wait_for(lambda: list(fake.threads.values()), 10, "a thread")
        thread_id = int(thread["id"])
        [answer] = await fake.wait_for(lambda: fake.posts_in(thread_id), 10, "the answer")
        await fake.say("<:thonk:1234567890>?", channel_id=thread_id, reply_to=answer)
        await fake.say(f"<@{fake.admin['id']}> thoughts?", channel_id=thread_id, mentions=[fake.admin])
        await fake.say("who approved the budget?", channel_id=thread_id, reply_to=answer)  # answered in turn
        await fake.wait_for(lambda: len(fake.posts_in(thread_id)) >= 2, 10, "the real follow-up's answer")
        await asyncio.sleep(0.3)  # time for any wrong answer to show up

    first, second = fake.posts_in(thread_id)
    assert "budget" in second["embeds"][0]["title"].lower()


async def test_a_member_with_too_many_questions_waiting_is_told_so(fake, bot_settings, bot_engine):
    settings = dataclasses.replace(bot_settings, qa_cooldown_seconds=30)
    async with running_bot(fake, settings, bot_engine) as bot:
        bot.get_cog("TeamQA").max_waiting = 1
        qa = bot.get_cog("TeamQA")
        await fake.say(PIER, channel_id=fake.questions_id)
        await fake.wait_for(lambda: fake.threads and not qa.waiting(int(fake.alice["id"])), 10, "the first answered")
        await fake.say("who approved the budget?", channel_id=fake.questions_id)  # waits 30 s
        await fake.wait_for(lambda: fake.sent("PUT", r"/channels/\d+/messages/\d+/reactions/.+/@me"), 10, "⏳")
        third = await fake.say("how much was the budget?", channel_id=fake.questions_id)
        [told] = await fake.wait_for(lambda: fake.posts_in(fake.questions_id), 10, "a line saying so")

    assert str(told["message_reference"]["message_id"]) == third["id"]
    assert "still waiting" in told["content"] and told["allowed_mentions"]["parse"] == []


# --------------------------------------------------------------------------- /reindex
async def test_reindex_is_refused_privately_to_members_without_manage_server(fake, bot_settings, bot_engine):
    async with running_bot(fake, bot_settings, bot_engine):
        reindex = await fake.slash("reindex", user=fake.alice)
        reply = await reindex.reply()

    assert reindex.callback["type"] == MESSAGE and reply["flags"] & EPHEMERAL
    assert "Manage Server" in reply["content"]
    assert len(reindex.followups) == 0


async def test_an_admin_reindexes_in_the_background_while_answers_continue(fake, bot_settings, bot_corpus, tmp_path):
    own = make_engine(tmp_path / "own-index", bot_corpus)  # this test changes its index
    settings = dataclasses.replace(bot_settings, index_dir=own.settings.index_dir)
    async with running_bot(fake, settings, own):
        reindex = await fake.slash("reindex", user=fake.admin)  # Admin role has Manage Server
        ack = await reindex.reply()
        answer = await (await fake.slash("ask", question=PIER)).reply()
        done = await reindex.followup(timeout=30)

    assert is_ephemeral(ack) and "background" in ack["content"]
    assert "northern pier" in answer["embeds"][0]["fields"][0]["value"]
    assert is_ephemeral(done) and done["content"].startswith("Reindex done") and "5 documents" in done["content"]


async def test_the_admin_allowlist_grants_reindex(fake, bot_settings, bot_corpus, tmp_path):
    own = make_engine(tmp_path / "own-index", bot_corpus)
    settings = dataclasses.replace(bot_settings, admin_user_ids=frozenset({int(fake.alice["id"])}))
    async with running_bot(fake, settings, own):
        reindex = await fake.slash("reindex", user=fake.alice)
        done = await reindex.followup(timeout=30)
    assert done["content"].startswith("Reindex done")
