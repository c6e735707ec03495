"""/digest: show what is new, and post it on a schedule per channel (subscribe, unsubscribe, list).

Posting runs on a `tasks.loop` that wakes every TICK_SECONDS and asks the pure schedule module which slot
is due for each subscribed channel: one loop serves every channel and timezone (DST included), and after
downtime the latest missed slot is posted once. The clock is `bot.schedule.utc_now` (tests replace it).
"""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime, timedelta
from typing import Optional
from zoneinfo import ZoneInfo

import aiohttp
import discord
from discord import app_commands
from discord.ext import tasks

from newsdesk.database import open_database
from index.types import Digest

from .. import schedule
from ..checks import admin_only, rate_limited
from ..render import cut, escape
from ..render_digest import digest_embeds
from ..respond import Responder
from ..words import Words, words
from ..schedule import Schedule, due_slot, timezone_names
from ..subscriptions import Subscription, SubscriptionStore
from .base import NewsdeskCog, Text

log = logging.getLogger(__name__)
NO_PINGS = discord.AllowedMentions.none()


async def timezone_choices(interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
    current = current.casefold().replace(" ", "_")
    names = [n for n in timezone_names() if current in n.casefold()]
    return [app_commands.Choice(name=n, value=n) for n in names[:25]]


class Digests(NewsdeskCog):
    digest = app_commands.Group(name="digest", description="What is new in the corpus, on demand or on a schedule",
                                guild_only=True)

    def __init__(self, bot) -> None:
        super().__init__(bot)
        self.subs = SubscriptionStore(open_database(bot.settings, bot.settings.digests_db))

    async def cog_load(self) -> None:
        await asyncio.to_thread(self.subs.create)
        self.poster.change_interval(seconds=schedule.TICK_SECONDS)
        self.poster.start()

    async def cog_unload(self) -> None:
        self.poster.cancel()

    # --- commands ---------------------------------------------------------------------------
    @digest.command(name="show")
    @rate_limited()
    @app_commands.describe(days="Stories dated within the last N days (default: new since this channel's last digest)")
    async def show(self, interaction: discord.Interaction,
                   days: Optional[app_commands.Range[int, 1, 90]] = None) -> None:
        """Show the digest: new stories, the most covered first."""
        async with Responder(interaction) as reply:  # its first message in one REST call when ready in time
            now = schedule.utc_now()
            if days is not None:
                digest = await self.bot.in_thread(self.bot.engine.digest, days=days, as_of=now.date())
            else:
                assert interaction.channel_id is not None  # a slash command's channel
                sub = await asyncio.to_thread(self.subs.get, interaction.channel_id)
                since = sub.last_until if sub and sub.last_until else now - timedelta(days=1)
                digest = await self.bot.in_thread(self.bot.engine.digest, ingested_after=since,
                                                  ingested_until=self._index_time() or now)
            first, *rest = digest_embeds(digest, words=words(interaction.locale))
            await reply.send(embed=first, allowed_mentions=NO_PINGS)
            for embed in rest:
                await interaction.followup.send(embed=embed, allowed_mentions=NO_PINGS)

    @digest.command(name="subscribe")
    @app_commands.describe(time="Local time of day, 24-hour HH:MM (e.g. 09:00)",
                           timezone="Area/City, e.g. Europe/Paris",
                           days="Weekdays: mon-fri, mon,wed,fri, weekends or daily (default daily)")
    @app_commands.autocomplete(timezone=timezone_choices)
    @admin_only()
    async def subscribe(self, interaction: discord.Interaction,
                        time: app_commands.Transform[str, Text(3, 5, "the time")],
                        timezone: app_commands.Transform[str, Text(3, 64, "the timezone")],
                        days: Optional[app_commands.Transform[str, Text(1, 40, "the weekdays")]] = None) -> None:
        """Post the digest in this channel every day (or on some weekdays) at a time (admins)."""
        plan = Schedule.parse(time, timezone, days)
        now = schedule.utc_now()
        assert interaction.channel_id is not None  # a slash command's channel
        await asyncio.to_thread(self.subs.subscribe, interaction.channel_id, interaction.guild_id, plan,
                                by=interaction.user.id, now=now)
        nxt = plan.next_slot(now)
        said = words(interaction.locale)
        await interaction.response.send_message(
            said.subscribed.format(plan=_described(plan, said),
                                   next=f"<t:{int(nxt.timestamp())}:F>"),
            ephemeral=True)

    @digest.command(name="unsubscribe")
    @admin_only()
    async def unsubscribe(self, interaction: discord.Interaction) -> None:
        """Stop posting the digest in this channel (admins)."""
        assert interaction.channel_id is not None  # a slash command's channel
        removed = await asyncio.to_thread(self.subs.unsubscribe, interaction.channel_id)
        said = words(interaction.locale)
        await interaction.response.send_message(said.unsubscribed if removed else said.not_subscribed, ephemeral=True)

    @digest.command(name="list")
    @admin_only()
    async def list_(self, interaction: discord.Interaction) -> None:
        """The digest schedules of this server (admins)."""
        subs = await asyncio.to_thread(self.subs.all, interaction.guild_id)
        if not subs:
            await interaction.response.send_message(words(interaction.locale).no_subscriptions, ephemeral=True)
            return
        now = schedule.utc_now()
        said = words(interaction.locale)
        lines = [said.schedule_line.format(channel=f"<#{s.channel_id}>",
                                           plan=escape(_described(s.schedule, said)),
                                           next=f"<t:{int(s.schedule.next_slot(now).timestamp())}:R>") for s in subs]
        await interaction.response.send_message(cut("\n".join(lines), 2000), ephemeral=True, allowed_mentions=NO_PINGS)

    # --- scheduled posts --------------------------------------------------------------------
    @tasks.loop(seconds=30)
    async def poster(self) -> None:
        try:
            await self.post_due()
        except Exception:  # the loop must outlive any one bad tick
            log.exception("Digest scheduling failed")

    @poster.before_loop
    async def _wait_until_ready(self) -> None:
        await self.bot.wait_until_ready()

    async def post_due(self) -> int:
        """Post every due digest; returns how many channels got one."""
        now = schedule.utc_now()
        posted = 0
        for sub in await asyncio.to_thread(self.subs.all):
            slot = due_slot(sub.schedule, now, last_slot=sub.last_slot, since=sub.created_at)
            if slot is None:
                continue
            guild = self.bot.get_guild(sub.guild_id) if sub.guild_id else None
            if guild is None:  # a server served by another shard's process, or one the bot left
                continue
            if not await asyncio.to_thread(self.subs.claim, sub.channel_id, slot):
                continue  # claimed meanwhile (another process): never post a slot twice
            try:
                posted += await self._post(guild, sub, slot)
            except Exception:
                log.exception("Digest for channel %s (slot %s) failed", sub.channel_id, slot.isoformat())
        return posted

    def _index_time(self) -> datetime | None:
        """When the index version answering now was built: every document in it was ingested at or before
        then, and any ingested later is in a later version. Digests run up to it, so a document whose
        ingest was still running when a digest was made goes into the next one, not into neither."""
        return self.bot.engine.built_at

    async def _post(self, guild: discord.Guild, sub: Subscription, slot: datetime) -> bool:
        channel = guild.get_channel_or_thread(sub.channel_id)
        if channel is None or not hasattr(channel, "send"):
            log.warning("Digest for channel %s skipped: the channel no longer exists in %s", sub.channel_id, guild.id)
            return False
        # From where the last digest here stopped; the first one covers the period before its slot, or
        # everything since the subscription when slots were missed meanwhile (a second early: ingest times
        # are whole seconds).
        since = sub.last_until or (min(filter(None, (sub.schedule.previous_slot(slot), sub.created_at)))
                                   - timedelta(seconds=1))
        until = self._index_time() or slot
        digest: Digest = await self.bot.in_thread(self.bot.engine.digest, ingested_after=since, ingested_until=until)
        local = slot.astimezone(ZoneInfo(sub.schedule.tz))
        said = words(self.bot.settings.language)  # a scheduled digest is for the channel: LANGUAGE
        embeds = digest_embeds(digest, words=said, heading=said.scheduled_heading.format(
            heading=said.digest_heading, when=local, tz=sub.schedule.tz))
        sent = 0
        try:
            for embed in embeds:
                await channel.send(embed=embed, allowed_mentions=NO_PINGS)
                sent += 1
        except discord.Forbidden as exc:
            log.warning("Digest for channel %s skipped: missing permission (%s)", sub.channel_id, exc.text)
        except discord.NotFound:
            log.warning("Digest for channel %s skipped: the channel no longer exists", sub.channel_id)
        except (discord.HTTPException, aiohttp.ClientError, asyncio.TimeoutError) as exc:
            if sent == 0:  # nothing went out: try this slot again on the next tick
                await asyncio.to_thread(self.subs.release, sub.channel_id, slot, sub.last_slot)
            log.warning("Digest for channel %s failed after %d of %d messages: %s", sub.channel_id, sent,
                        len(embeds), exc)
        if sent:  # the next digest here starts where this one stopped
            await asyncio.to_thread(self.subs.covered, sub.channel_id, until)
        return sent > 0


def _described(plan: Schedule, said: Words) -> str:
    """"09:00 Europe/Kyiv (пн-пт)": a schedule with its weekdays in the member's words."""
    return plan.describe(said.weekday_names.split(), said.every_day)


async def setup(bot) -> None:
    await bot.add_cog(Digests(bot))
