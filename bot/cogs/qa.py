"""Team-channel Q&A: a question in a Q&A channel (or mentioning the bot) is answered in a thread.

A message in a thread where the bot answered, or a reply to one of its answers (`/ask` ones too), is a
follow-up: it is asked with that conversation's earlier questions and quoted documents as context.

No question is dropped. A member's messages are answered in the order they were sent. A new question (one
that would open a thread) asked sooner than `QA_COOLDOWN_SECONDS` after the member's last one waits its turn
under a ⏳, removed when it is answered: the limit paces floods of new threads. Follow-ups pass it: people ask
them the moment they have read an answer, and a conversation answers one turn at a time anyway. At most
`TeamQA.max_waiting` of one member's questions wait at once; beyond that the member is told so in a reply.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import weakref

import discord
from discord.ext import commands

from index.text.unicode import checked

from ..answers import answer, remember
from ..questionlog import Asked
from ..questions import is_question, strip_mentions
from ..render import error_text, thread_name
from ..words import words
from .base import NewsdeskCog, reply_text

log = logging.getLogger(__name__)
COOLING = "⏳"


class TeamQA(NewsdeskCog):
    max_waiting = 5  # one member's questions waiting at once; the next is answered with a line saying so

    def __init__(self, bot) -> None:
        super().__init__(bot)
        self.cooldown = commands.CooldownMapping.from_cooldown(
            1, bot.settings.qa_cooldown_seconds, commands.BucketType.user
        )
        self._turns: weakref.WeakValueDictionary[int, asyncio.Lock] = weakref.WeakValueDictionary()
        self._members: weakref.WeakValueDictionary[int, asyncio.Lock] = weakref.WeakValueDictionary()
        self._waiting: dict[int, int] = {}  # member id → their questions not yet answered

    def waiting(self, member: int) -> int:
        """How many of a member's questions are not answered yet."""
        return self._waiting.get(member, 0)

    def in_order(self, member: int) -> asyncio.Lock:
        """Held while one of a member's questions is handled: the next waits (asyncio's locks are FIFO)."""
        lock = self._members.get(member)
        if lock is None:
            lock = self._members[member] = asyncio.Lock()
        return lock

    def one_turn_at_a_time(self, conversation: int | None):
        """Held while a conversation's turn is answered and recorded: its next message waits for the context."""
        if conversation is None:
            return contextlib.nullcontext()
        lock = self._turns.get(conversation)
        if lock is None:
            lock = self._turns[conversation] = asyncio.Lock()
        return lock

    def question_in(self, message: discord.Message) -> str | None:
        """The question a message asks the bot, or None (bots, DMs, other channels, chatter)."""
        me = self.bot.user
        if message.author.bot or message.guild is None or me is None:
            return None
        channel = message.channel
        listed = self.bot.settings.qa_channel_ids
        in_qa_channel = channel.id in listed or getattr(channel, "parent_id", None) in listed
        mentioned = any(user.id == me.id for user in message.mentions)
        bots_thread = isinstance(channel, discord.Thread) and channel.owner_id == me.id
        if not (in_qa_channel or mentioned or bots_thread or self.replied_to(message) is not None):
            return None
        text = strip_mentions(message.content, me.id)
        return text if is_question(text) else None

    def replied_to(self, message: discord.Message) -> int | None:
        """The id of the bot's message this one replies to, or None."""
        ref = message.reference
        resolved = ref.resolved if ref else None
        me = self.bot.user
        if isinstance(resolved, discord.Message) and me is not None and resolved.author.id == me.id:
            return resolved.id
        return None

    async def conversation_of(self, message: discord.Message) -> int | None:
        """The conversation a message follows up: the answer it replies to, else the thread it is in."""
        if (replied := self.replied_to(message)) is not None:
            async with self.bot.posting(message.channel.id):  # an answer being posted here: its turn kept first
                pass
            return await self.bot.in_thread(self.bot.conversations.conversation_of, replied) or replied
        if isinstance(message.channel, discord.Thread):
            return message.channel.id
        return None

    @commands.Cog.listener()
    async def on_message(self, message: discord.Message) -> None:
        question = self.question_in(message)
        if question is None:
            return
        member = message.author.id
        if self.waiting(member) >= self.max_waiting:
            await message.reply(words(self.bot.settings.language).too_many_waiting.format(count=self.max_waiting),
                                mention_author=False)
            return
        self._waiting[member] = self.waiting(member) + 1
        try:
            async with self.in_order(member):
                conversation = await self.conversation_of(message)
                waited = conversation is None and await self._wait_for_turn(message)
                async with self.one_turn_at_a_time(conversation):
                    await self._answer(message, question, conversation)
                if waited:
                    await self._unreact(message, COOLING)
        finally:
            self._waiting[member] -= 1
            if not self._waiting[member]:
                del self._waiting[member]

    async def _wait_for_turn(self, message: discord.Message) -> bool:
        """Wait until the member's cooldown allows a new question (a ⏳ on it meanwhile); whether it waited."""
        retry = self.cooldown.update_rate_limit(message)
        if not retry:
            return False
        await self._react(message, COOLING)
        while retry:
            await asyncio.sleep(retry)
            retry = self.cooldown.update_rate_limit(message)
        return True

    async def _answer(self, message: discord.Message, question: str, conversation: int | None) -> None:
        context = await self.bot.in_thread(self.bot.conversations.context, conversation) if conversation else None
        try:
            checked(question, "the message")  # a lone surrogate (a broken client): refused in its reply
            asked = Asked("channel", message.guild.id if message.guild else None, message.channel.id, message.author.id)
            reply = await answer(self.bot, question, asked, as_of=message.created_at.date(), context=context,
                                 words=words(self.bot.settings.language))  # a channel's language: LANGUAGE
        except Exception as exc:  # a user error's own line, or (logged) an apology: never silence
            await message.reply(error_text(reply_text(exc, f"channel Q&A ({message.id})",
                                                      words(self.bot.settings.language))))
            return
        view = reply.view or discord.utils.MISSING
        if conversation is not None:  # a follow-up: answered where it was asked
            async with self.bot.posting(message.channel.id):
                if isinstance(message.channel, discord.Thread) and self.replied_to(message) is None:
                    sent = await message.channel.send(embed=reply.embed, view=view)
                else:
                    sent = await message.reply(embed=reply.embed, view=view)
                await remember(self.bot, conversation, sent.id, question, reply, message.author.id)
            return
        try:
            thread = await message.create_thread(name=thread_name(question, words(self.bot.settings.language)),
                                                 auto_archive_duration=1440)
        except discord.Forbidden:  # no thread permission here: answer in the channel instead
            async with self.bot.posting(message.channel.id):
                sent = await message.reply(embed=reply.embed, view=view)
                await remember(self.bot, sent.id, sent.id, question, reply, message.author.id)
            return
        # a quick follow-up in the new thread, or a reply to the answer, waits for this turn
        async with self.one_turn_at_a_time(thread.id), self.bot.posting(thread.id):
            sent = await thread.send(embed=reply.embed, view=view)
            await remember(self.bot, thread.id, sent.id, question, reply, message.author.id)

    async def _react(self, message: discord.Message, emoji: str) -> None:
        try:
            await message.add_reaction(emoji)
        except discord.HTTPException:
            log.debug("Could not react to %s", message.id)

    async def _unreact(self, message: discord.Message, emoji: str) -> None:
        me = self.bot.user
        try:
            if me is not None:
                await message.remove_reaction(emoji, me)
        except discord.HTTPException:
            log.debug("Could not remove the reaction on %s", message.id)


async def setup(bot) -> None:
    await bot.add_cog(TeamQA(bot))
