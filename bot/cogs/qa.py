"""Team-channel Q&A: a question in a Q&A channel (or mentioning the bot) is answered in a thread."""

from __future__ import annotations

import logging

import discord
from discord.ext import commands

from ..answers import answer
from ..questions import is_question, strip_mentions
from ..render import error_text, thread_name
from .base import NewsdeskCog, reply_text

log = logging.getLogger(__name__)
COOLING = "⏳"


class TeamQA(NewsdeskCog):
    def __init__(self, bot) -> None:
        super().__init__(bot)
        self.cooldown = commands.CooldownMapping.from_cooldown(
            1, bot.settings.qa_cooldown_seconds, commands.BucketType.user
        )

    def question_in(self, message: discord.Message) -> str | None:
        """The question a message asks the bot, or None (bots, DMs, other channels, chatter)."""
        me = self.bot.user
        if message.author.bot or message.guild is None or me is None:
            return None
        channel = message.channel
        listed = self.bot.settings.qa_channel_ids
        in_qa_channel = channel.id in listed or getattr(channel, "parent_id", None) in listed
        mentioned = any(user.id == me.id for user in message.mentions)
        if not (in_qa_channel or mentioned):
            return None
        text = strip_mentions(message.content, me.id)
        return text if is_question(text) else None

    @commands.Cog.listener()
    async def on_message(self, message: discord.Message) -> None:
        question = self.question_in(message)
        if question is None:
            return
        if self.cooldown.update_rate_limit(message):
            await self._react(message, COOLING)
            return
        try:
            reply = await answer(self.bot, question, asked_by=message.author.id, as_of=message.created_at.date())
        except Exception as exc:  # a user error's own line, or (logged) an apology: never silence
            await message.reply(error_text(reply_text(exc, f"channel Q&A ({message.id})")))
            return
        view = reply.view or discord.utils.MISSING
        if isinstance(message.channel, discord.Thread):
            await message.channel.send(embed=reply.embed, view=view)
            return
        try:
            thread = await message.create_thread(name=thread_name(question), auto_archive_duration=1440)
        except discord.Forbidden:  # no thread permission here: answer in the channel instead
            await message.reply(embed=reply.embed, view=view)
            return
        await thread.send(embed=reply.embed, view=view)

    async def _react(self, message: discord.Message, emoji: str) -> None:
        try:
            await message.add_reaction(emoji)
        except discord.HTTPException:
            log.debug("Could not react to %s", message.id)


async def setup(bot) -> None:
    await bot.add_cog(TeamQA(bot))
