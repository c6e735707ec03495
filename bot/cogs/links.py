"""/add url [note] and a 📥 reaction on a message holding links: editors (EDITOR_ROLE_IDS) and admins add web pages
to the corpus (sources/links.py); the bot answers in the channel with each page's title, date and source, "now
searchable", or one line why not. Anyone else is told privately to ask an editor (a 📥 from them is left alone:
a reaction cannot be answered privately)."""

from __future__ import annotations

import asyncio
import logging

import discord
from discord import app_commands
from discord.ext import commands

from sources.links import Added, add_links, links_in

from ..checks import is_editor
from ..render import added_text
from ..words import EN, words
from .base import NewsdeskCog, Text, reply_text

log = logging.getLogger(__name__)
INBOX = "📥"
ASK_AN_EDITOR = EN.ask_an_editor


def who(user: discord.abc.User) -> str:
    """How the links log names a member: their name and id."""
    return f"{user} ({user.id})"


class Links(NewsdeskCog):
    @app_commands.command(name="add")
    @app_commands.guild_only()
    @app_commands.describe(url="The link to a web page (an article)", note="A note kept with the page and in the log")
    async def add(self, interaction: discord.Interaction, url: app_commands.Transform[str, Text(8, 2000, "the link")],
                  note: app_commands.Transform[str, Text(1, 300, "the note")] | None = None) -> None:
        """Add a web page to the corpus so it can be quoted (editors)."""
        said = words(interaction.locale)
        if not is_editor(self.bot.settings, interaction.user, interaction.permissions):
            await interaction.response.send_message(said.ask_an_editor, ephemeral=True)
            return
        self.bot.settings.require_writer("add links")  # a replica's refusal is answered privately (cog errors)
        await self.bot.may_write("/add")
        await interaction.response.defer(thinking=True)
        results = await self._add(links_in(url)[:1] or [url.strip()], who=who(interaction.user), note=note or "")
        await interaction.followup.send(added_text(results, said), allowed_mentions=discord.AllowedMentions.none())

    @commands.Cog.listener()
    async def on_raw_reaction_add(self, event: discord.RawReactionActionEvent) -> None:
        """📥 on a message: its links added, the reply under it."""
        if str(event.emoji) != INBOX or event.guild_id is None or event.member is None or event.member.bot:
            return
        channel = self.bot.get_channel(event.channel_id)
        if channel is None or not hasattr(channel, "fetch_message"):
            return
        if not is_editor(self.bot.settings, event.member, channel.permissions_for(event.member)):  # type: ignore[union-attr]  # DMs too
            log.info("%s reacted %s but is not an editor: nothing added", who(event.member), INBOX)
            return
        message, said = None, words(self.bot.settings.language)  # a reaction has no locale: the channel's language
        try:
            message = discord.utils.get(self.bot.cached_messages, id=event.message_id) \
                or await channel.fetch_message(event.message_id)
            urls = links_in(message.content)
            if not urls:
                return
            self.bot.settings.require_writer("add links")
            await self.bot.may_write(f"{INBOX} adding links")
            note = f"{INBOX} on a message by {message.author} in #{getattr(channel, 'name', channel.id)}"
            text = added_text(await self._add(urls, who=who(event.member), note=note), said)
        except Exception as exc:  # a bulkhead for one reaction: the member still gets a line
            text = reply_text(exc, f"{INBOX} on message {event.message_id}", said)
            if message is None:  # not readable (deleted, no access): nowhere to answer
                log.warning("%s on message %s: %s", INBOX, event.message_id, text)
                return
        await message.reply(text, mention_author=False, allowed_mentions=discord.AllowedMentions.none())

    async def _add(self, urls: list[str], *, who: str, note: str) -> list[Added]:
        """The links added off the event loop (fetching and ingesting take seconds), the summary refreshed."""
        # Not the engine pool: an ingest must not hold a thread that answers questions.
        results = await asyncio.to_thread(add_links, self.bot.settings, urls, who=who, note=note,
                                          reindex=self.bot.engine.reindex)
        for r in results:
            log.info("Link %s by %s: %s", r.outcome, who, r.line())
        if any(r.added for r in results):
            await self.bot.refresh_summary()
        return results


async def setup(bot) -> None:
    await bot.add_cog(Links(bot))
