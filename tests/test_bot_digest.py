"""Scheduled digests and fresh feeds through the fake Discord, with a controllable clock."""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import shutil
from datetime import datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot import schedule
from bot.schedule import Schedule
from bot.subscriptions import SubscriptionStore
from fakediscord.fixtures import *  # noqa: F403 - fixtures
from fakediscord.fixtures import make_engine, running_bot
from fakediscord.server import MESSAGE, FakeDiscord, Interaction, is_ephemeral
from feedserver import GRAIN, FeedServer
from sources.feeds import FeedStore

pytestmark = pytest.mark.timeout(60)
UTC = timezone.utc
DATA = Path(__file__).parent / "data"
NO_PINGS = {"parse": []}
LOOPBACK = ("127.0.0.1/32",)  # the feed servers; fetches are refused internal addresses otherwise


class Clock:
    """The bot's clock (bot.schedule.utc_now), moved by the test."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock(monkeypatch) -> Clock:
    c = Clock(datetime.now(UTC))
    monkeypatch.setattr(schedule, "utc_now", c)
    monkeypatch.setattr(schedule, "TICK_SECONDS", 0.05)
    return c


def own_engine(root: Path, *folders: str):
    corpus = root / "corpus"
    corpus.mkdir(parents=True)
    for folder in folders:
        for f in (DATA / folder).iterdir():
            shutil.copy(f, corpus / f.name)
    return make_engine(root, corpus)


def with_engine(settings, engine, **changes):
    return dataclasses.replace(settings, index_dir=engine.settings.index_dir, corpus_dir=engine.settings.corpus_dir,
                               **changes)


async def digest_command(fake: FakeDiscord, sub: str, *, user: dict | None = None, channel_id: int | None = None,
                         locale: str = "en-US", **options) -> Interaction:
    """A member runs `/digest <sub> option=value ...` (the fake's slash() has no subcommands), their client in
    `locale`."""
    command = fake.commands["digest"]
    data = {"id": command["id"], "name": "digest", "type": 1, "guild_id": str(fake.guild_id),
            "options": [{"name": sub, "type": 1, "options": [
                {"name": k, "type": 4 if isinstance(v, int) else 3, "value": v} for k, v in options.items()]}]}
    payload = fake._interaction_payload(2, data, user or fake.alice, channel_id or fake.general_id, locale=locale)
    await fake.dispatch("INTERACTION_CREATE", payload)
    return Interaction(fake, payload)


def slot_in(clock: Clock, zone: str, minutes: int = 10) -> tuple[str, datetime]:
    """A time of day `minutes` ahead in `zone` (HH:MM) and the slot (UTC) it gives next."""
    local = (clock.now + timedelta(minutes=minutes)).astimezone(ZoneInfo(zone)).replace(second=0, microsecond=0)
    return f"{local:%H:%M}", local.astimezone(UTC)


async def quiet(seconds: float = 0.3) -> None:
    """Several scheduler ticks: time for a wrong (double) post to show up."""
    await asyncio.sleep(seconds)


async def test_a_subscribed_channel_gets_its_digest_at_its_time_in_its_timezone(fake, bot_settings, tmp_path, clock):
    engine = own_engine(tmp_path, "digestcorpus", "botcorpus")
    settings = with_engine(bot_settings, engine)
    hhmm, slot = slot_in(clock, "Asia/Tokyo")
    async with running_bot(fake, settings, engine):
        ack = await (await digest_command(fake, "subscribe", user=fake.admin, time=hhmm, timezone="Asia/Tokyo")).reply()
        clock.now = slot - timedelta(seconds=1)
        await quiet()
        assert not fake.posts_in(fake.general_id), "not before its time"
        clock.now = slot + timedelta(seconds=1)
        [post] = await fake.wait_for(lambda: fake.posts_in(fake.general_id), 10, "the digest")
        await quiet()
    assert is_ephemeral(ack) and f"{hhmm} Asia/Tokyo (daily)" in ack["content"]
    assert len(fake.posts_in(fake.general_id)) == 1
    [embed] = post["embeds"]
    assert embed["title"].endswith(f"{hhmm} Asia/Tokyo")
    assert "**9** stories from **10** articles" in embed["description"]
    top = embed["fields"][0]
    # two syndicated copies of one story: one entry, coverage 2, led by the original
    assert top["name"] == "1. Dockworkers strike halts container traffic at Port Halden · 2 articles"
    assert top["value"].startswith("> Dockworkers at Port Halden walked off the job on Wednesday")
    assert "2024-12-11 · Northwire" in top["value"] and "Also: Coastal Herald" in top["value"]
    assert post["allowed_mentions"] == NO_PINGS
    text = "\n".join(f["name"] + f["value"] for f in embed["fields"])
    assert "@everyone" not in text and "\\*\\*northern pier\\*\\*" in text


async def test_a_restart_across_the_slot_posts_the_missed_digest_once(fake, bot_settings, tmp_path, clock):
    engine = own_engine(tmp_path, "botcorpus")
    settings = with_engine(bot_settings, engine)
    hhmm, slot = slot_in(clock, "Europe/Paris")
    async with running_bot(fake, settings, engine):
        await (await digest_command(fake, "subscribe", user=fake.admin, time=hhmm, timezone="Europe/Paris")).reply()
    # down for three slots, while a story came in
    shutil.copy(DATA / "digestcorpus" / "ferry-fares.md", engine.settings.corpus_dir)
    await asyncio.to_thread(engine.reindex)
    clock.now = slot + timedelta(days=2, hours=1)
    async with running_bot(fake, settings, engine):
        await fake.wait_for(lambda: fake.posts_in(fake.general_id), 10, "the missed digest")
        await quiet()
    async with running_bot(fake, settings, engine):  # and once more: the slot is not posted again
        await quiet()
    [post] = fake.posts_in(fake.general_id)
    latest = (slot + timedelta(days=2)).astimezone(ZoneInfo("Europe/Paris"))
    assert f"{latest:%a %d %b %Y}, {hhmm} Europe/Paris" in post["embeds"][0]["title"]
    assert "Ferry fares to rise in January" in post["embeds"][0]["fields"][0]["name"]


async def test_a_vanished_or_forbidden_channel_is_skipped_and_logged_and_the_others_still_get_theirs(
        fake, bot_settings, tmp_path, clock, monkeypatch, caplog):
    original = FakeDiscord._channel_message

    async def forbidden_in_questions(self, request, body, channel):
        if int(channel) == self.questions_id:
            return self._json({"message": "Missing Permissions", "code": 50013}, 403)
        return await original(self, request, body, channel=channel)

    monkeypatch.setattr(FakeDiscord, "_routes", [(m, p, forbidden_in_questions if h is original else h)
                                                 for m, p, h in FakeDiscord._routes])
    caplog.set_level(logging.WARNING, logger="bot.cogs.digest")
    engine = own_engine(tmp_path, "botcorpus")
    settings = with_engine(bot_settings, engine)
    hhmm, slot = slot_in(clock, "UTC")
    subs = SubscriptionStore(settings.digests_db)
    subs.create()
    gone = 1234567890123456789
    for channel in (gone, fake.questions_id, fake.general_id):
        subs.subscribe(channel, fake.guild_id, Schedule.parse(hhmm, "UTC"), by=None, now=clock.now)
    async with running_bot(fake, settings, engine):
        clock.now = slot + timedelta(seconds=1)
        await fake.wait_for(lambda: fake.posts_in(fake.general_id), 10, "the digest in #general")
        await quiet()
    assert len(fake.posts_in(fake.general_id)) == 1
    assert len(fake.sent("POST", rf"/channels/{fake.questions_id}/messages")) == 1, "tried once, not again"
    logged = [r.getMessage() for r in caplog.records]
    assert any(f"channel {gone} skipped: the channel no longer exists" in m for m in logged)
    assert any(f"channel {fake.questions_id} skipped: missing permission" in m for m in logged)


async def test_a_new_feed_item_appears_in_the_next_digest_with_its_date_and_source(fake, bot_settings, tmp_path, clock):
    engine = own_engine(tmp_path, "botcorpus")
    settings = with_engine(bot_settings, engine, corpus_watch_seconds=0.1, feed_allow_networks=LOOPBACK)
    async with FeedServer() as server:
        server.stories.append(GRAIN)
        FeedStore(settings.feeds_db).add(server.url("/rss.xml"))
        hhmm, slot = slot_in(clock, "America/New_York")
        async with running_bot(fake, settings, engine) as bot:
            await (await digest_command(fake, "subscribe", user=fake.admin, time=hhmm, timezone="America/New_York",
                                        days="mon-sun")).reply()
            await fake.wait_for(lambda: bot.summary and GRAIN.title in {t[1] for t in bot.summary.titles}, 20,
                                "the feed item polled and ingested")
            clock.now = slot + timedelta(seconds=1)
            [post] = await fake.wait_for(lambda: fake.posts_in(fake.general_id), 10, "the digest")
    [field] = [f for f in post["embeds"][0]["fields"] if GRAIN.title in f["name"]]
    assert "2024-12-11 · Harbour Gazette" in field["value"]
    assert "A new grain quay opened at the harbour on Wednesday" in field["value"]
    assert "grain-quay.html" in field["value"]  # the title links to the item's page


async def test_a_dead_feed_is_retried_later_and_logged_while_the_others_are_polled(fake, bot_settings, tmp_path, clock,
                                                                                   caplog):
    caplog.set_level(logging.WARNING, logger="sources.feeds")
    engine = own_engine(tmp_path, "botcorpus")
    settings = with_engine(bot_settings, engine, corpus_watch_seconds=0.05, feed_poll_minutes=15,
                          feed_allow_networks=LOOPBACK)
    async with FeedServer() as server:
        server.stories.append(GRAIN)
        feeds = FeedStore(settings.feeds_db)
        dead = feeds.add(server.url("/dead.xml")).url
        feeds.add(server.url("/rss.xml"))
        async with running_bot(fake, settings, engine) as bot:
            await fake.wait_for(lambda: bot.summary and GRAIN.title in {t[1] for t in bot.summary.titles}, 20,
                                "the good feed ingested")
            await quiet()
            assert server.hits["/dead.xml"] == 1, "not retried before its backoff"
            clock.now += timedelta(minutes=15, seconds=1)
            await fake.wait_for(lambda: server.hits["/dead.xml"] == 2, 10, "the retry")
            await quiet()
    failing = feeds.feed(dead)
    assert failing.failures == 2 and "HTTP Error 500" in failing.last_error
    assert server.hits["/dead.xml"] == 2 and server.hits["/rss.xml"] == 2
    logged = [r.getMessage() for r in caplog.records]
    assert any(dead in m and "1 in a row" in m for m in logged) and any("2 in a row" in m for m in logged)


async def test_digest_show_list_and_who_may_subscribe(fake, bot_settings, tmp_path, clock):
    engine = own_engine(tmp_path, "digestcorpus")
    settings = with_engine(bot_settings, engine)
    clock.now = datetime(2024, 12, 31, 12, tzinfo=UTC)
    async with running_bot(fake, settings, engine):
        refused = await (await digest_command(fake, "subscribe", time="09:00", timezone="Europe/Paris")).reply()
        bad = await (await digest_command(fake, "subscribe", user=fake.admin, time="9am", timezone="Europe/Paris")).reply()
        show = await digest_command(fake, "show", days=30)
        shown = await show.reply()
        nothing = await (await digest_command(fake, "show", days=1)).reply()
        recent = await (await digest_command(fake, "show")).reply()  # ingested in the last day
        await (await digest_command(fake, "subscribe", user=fake.admin, time="07:30", timezone="Europe/Paris",
                                    days="mon-fri")).reply()
        listed = await (await digest_command(fake, "list", user=fake.admin)).reply()
        gone = await (await digest_command(fake, "unsubscribe", user=fake.admin)).reply()

    assert is_ephemeral(refused) and "Manage Server" in refused["content"]
    assert is_ephemeral(bad) and "HH:MM" in bad["content"]
    assert show.callback["type"] == MESSAGE and not is_ephemeral(shown)  # ready in time: one REST call, no deferral
    assert "**4** stories from **5** articles dated 2024-12-01 to 2024-12-31" in shown["embeds"][0]["description"]
    assert "Nothing new: no documents dated 2024-12-30 to 2024-12-31." == nothing["embeds"][0]["description"]
    assert "**4** stories from **5** articles added between <t:" in recent["embeds"][0]["description"]
    assert is_ephemeral(listed) and f"<#{fake.general_id}>: 07:30 Europe/Paris (mon-fri)" in listed["content"]
    assert "no longer gets the digest" in gone["content"]


async def test_a_digest_of_several_messages_goes_out_whole_first_as_the_reply(fake, bot_settings, tmp_path, clock,
                                                                           monkeypatch):
    from bot import render_digest

    monkeypatch.setattr(render_digest, "FIELDS_PER_MESSAGE", 1)  # one story a message: four messages
    engine = own_engine(tmp_path, "digestcorpus")
    settings = with_engine(bot_settings, engine)
    clock.now = datetime(2024, 12, 31, 12, tzinfo=UTC)
    async with running_bot(fake, settings, engine):
        show = await digest_command(fake, "show", days=30)
        first = await show.reply()
        rest = [await show.followup(n) for n in (1, 2, 3)]

    assert show.callback["type"] == MESSAGE and "**4** stories" in first["embeds"][0]["description"]
    assert [m["embeds"][0]["fields"][0]["name"][:2] for m in rest] == ["2.", "3.", "4."]
    assert all(m["allowed_mentions"] == {"parse": []} for m in rest)
