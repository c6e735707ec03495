"""Ask the engine and render the reply: shared by `/ask` and team-channel Q&A."""

from __future__ import annotations

import asyncio
import functools
import logging
from dataclasses import dataclass, replace
from datetime import date
from typing import TYPE_CHECKING

import discord

from index.answer.question import Question
from index.batch import Asking
from index.text.language import desk_language
from index.types import Answer, Conversation, Hit, Turn

from .questionlog import Asked
from .render import answer_embed
from .views import feedback_view
from .words import EN, Words

if TYPE_CHECKING:
    from .bot import NewsdeskBase

log = logging.getLogger(__name__)


@dataclass
class Reply:
    answer: Answer
    embed: discord.Embed
    view: discord.ui.View | None  # 👍/👎 buttons
    answer_id: int | None = None


async def remember(bot: NewsdeskBase, conversation: int, message_id: int, question: str, reply: Reply,
                   asked_by: int) -> None:
    """Keep the turn an answer message made, so replies and later messages in its thread can follow it up; with
    its asker, whose turns go when they ask to be forgotten."""
    turn = Turn.of(reply.answer, question)
    if bot.turn_writes is None:
        await bot.in_thread(bot.conversations.record, conversation, message_id, turn, asked_by)
        return
    bot.track_answer()
    await asyncio.wrap_future(bot.turn_writes.submit(functools.partial(
        bot.conversations.add, conversation=conversation, message_id=message_id, turn=turn, asked_by=asked_by)))


async def answer(
    bot: NewsdeskBase,
    question: str | Question,
    asked: Asked,
    *,
    since: date | None = None,
    until: date | None = None,
    source: str | None = None,
    as_of: date | None = None,
    context: Conversation | None = None,
    words: Words = EN,
) -> Reply:
    """The engine's answer (computed in a worker thread) as an embed, with vote buttons on every decision.

    `as_of` is when it was asked (the message time): time words such as "this week" count from it.
    The question and its outcome go to the question log.
    `context` is the conversation the question follows (earlier questions in the thread, or replied to).
    `words`: the language the bot's own words are in (the asker's); quotes stay as written.
    A `Question` (normalised where it was checked) is asked as it is; a text is normalised by the engine.
    """
    if bot.batcher is None:  # ANSWER_BATCH=1: asked, recorded and logged on its own
        result: Answer = await bot.in_thread(
            bot.engine.ask, question, k=bot.settings.answer_k, since=since, until=until, source=source, as_of=as_of,
            context=context,
        )
        chunk_ids = [q.chunk_id for q in result.shown]
        answer_id = await bot.in_thread(bot.votes.record_answer, str(question), chunk_ids, asked.user_id)
        result = await with_languages(bot, result)
        reply = Reply(result, answer_embed(result, words), feedback_view(answer_id), answer_id)
        await log_question(bot, asked, reply)
        return reply
    bot.track_answer()
    asking = Asking(question, k=bot.settings.answer_k, since=since, until=until, source=source, as_of=as_of,
                    context=context)
    result = await bot.batcher.ask(asked.user_id, asking)
    answer_id = await record(bot, asked, str(question), result)
    result = await with_languages(bot, result)
    return Reply(result, answer_embed(result, words), feedback_view(answer_id), answer_id)


async def with_languages(bot: NewsdeskBase, result: Answer) -> Answer:
    """`result` with the languages its reply names: the question's and each quote's come from the engine (a quote's
    is its document's, stored at ingest); only one missing — an index built before documents kept theirs — is
    detected here, in a worker thread (lingua's first load takes ~0.2 s: never on the event loop)."""
    if result.language and all(q.language for q in result.shown):
        return result
    return await bot.in_thread(_languages_detected, result)


def _languages_detected(result: Answer) -> Answer:
    shown = [q if q.language else replace(q, language=desk_language(q.text)) for q in result.shown]
    return replace(result, shown=shown, language=result.language or desk_language(result.asked or result.question))


async def hits_with_languages(bot: NewsdeskBase, query: str, hits: list[Hit]) -> tuple[str | None, list[Hit]]:
    """The query's language and `hits` each with its language (its document's; detected in a worker thread only
    for hits from an index that did not keep it), for /search."""
    def detected() -> tuple[str | None, list[Hit]]:
        return desk_language(query), [h if h.language else replace(h, language=desk_language(h.text)) for h in hits]
    return await bot.in_thread(detected)


async def record(bot: NewsdeskBase, asked: Asked, question: str, result: Answer) -> int:
    """The answer its vote buttons carry and its question-log row, committed with the other answers' waiting
    (bot/groupcommit.py) before the answer is sent; a log row that cannot be written is logged, never the
    user's problem. Called with batching on (ANSWER_BATCH > 1), which commits answers as a group."""
    chunk_ids = [q.chunk_id for q in result.shown]
    writes = bot.answer_writes
    assert writes is not None  # set up with the batcher

    def together(conn) -> int:
        answer_id = bot.votes.add_answer(conn, question, chunk_ids, asked.user_id)
        bot.questions.add(conn, asked, result, answer_id=answer_id)
        return answer_id

    def alone() -> int:  # the batch's transaction failed: the vote record first, then the log on its own
        answer_id = bot.votes.record_answer(question, chunk_ids, asked.user_id)
        try:
            bot.questions.log(asked, result, answer_id=answer_id)
        except Exception:
            log.exception("Could not log the question %r", result.question)
        return answer_id

    return await asyncio.wrap_future(writes.submit(together, alone))


async def log_question(bot: NewsdeskBase, asked: Asked, reply: Reply) -> None:
    """Write the question to the log off the event loop; a failed write is logged, never the user's problem."""
    try:
        await bot.in_thread(bot.questions.log, asked, reply.answer, answer_id=reply.answer_id)
    except Exception:
        log.exception("Could not log the question %r", reply.answer.question)
