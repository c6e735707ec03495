"""Ask the engine and render the reply: shared by `/ask` and team-channel Q&A."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

import discord

from index.types import Answer, Conversation, Turn

from .render import answer_embed
from .views import feedback_view

if TYPE_CHECKING:
    from .bot import NewsdeskBot


@dataclass
class Reply:
    answer: Answer
    embed: discord.Embed
    view: discord.ui.View | None  # 👍/👎 buttons, on answers only
    answer_id: int | None = None


async def remember(bot: NewsdeskBot, conversation: int, message_id: int, question: str, reply: Reply) -> None:
    """Keep the turn an answer message made, so replies and later messages in its thread can follow it up."""
    await bot.in_thread(bot.conversations.record, conversation, message_id, Turn.of(reply.answer, question))


async def answer(
    bot: NewsdeskBot,
    question: str,
    *,
    asked_by: int | None = None,
    since: date | None = None,
    until: date | None = None,
    source: str | None = None,
    as_of: date | None = None,
    context: Conversation | None = None,
) -> Reply:
    """The engine's answer (computed in a worker thread) as an embed, with vote buttons when answered.

    `as_of` is when it was asked (the message time): time words such as "this week" count from it.
    `context` is the conversation the question follows (earlier questions in the thread, or replied to).
    """
    result: Answer = await bot.in_thread(
        bot.engine.ask, question, k=bot.settings.answer_k, since=since, until=until, source=source, as_of=as_of,
        context=context,
    )
    if not result.answered or not result.quotes:
        return Reply(result, answer_embed(result), None)
    chunk_ids = [q.chunk_id for q in result.quotes]
    answer_id = await bot.in_thread(bot.votes.record_answer, question, chunk_ids, asked_by)
    return Reply(result, answer_embed(result), feedback_view(answer_id), answer_id)
