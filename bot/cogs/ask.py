"""/ask: a question answered with quotes from the corpus."""

from __future__ import annotations

from datetime import date
from typing import Optional

import discord
from discord import app_commands
from discord.app_commands import locale_str

from index.answer.question import Question
from index.engine import parse_date

from ..answers import answer, remember
from ..checks import rate_limited
from ..questionlog import Asked
from ..respond import Responder
from ..words import words
from .base import NewsdeskCog, Text


class DateArg(app_commands.Transformer):
    """A YYYY-MM-DD date, checked before the command runs (a bad one becomes an ephemeral reply)."""

    async def transform(self, interaction: discord.Interaction, value: str) -> date:
        return parse_date(value)


async def source_choices(interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
    """Autocomplete sources from what the corpus holds."""
    summary = getattr(interaction.client, "summary", None)
    names = [s.name for s in summary.sources if s.name] if summary else []
    current = current.lower()
    return [app_commands.Choice(name=n[:100], value=n[:100]) for n in names if current in n.lower()][:25]


class Ask(NewsdeskCog):
    @app_commands.command(name="ask")
    @rate_limited()
    @app_commands.describe(  # in the member's language: bot.words.Translator
        question=locale_str("What you want to know, e.g. which ships left Tartus?"),
        since=locale_str("Only news on or after this date (YYYY-MM-DD)"),
        until=locale_str("Only news on or before this date (YYYY-MM-DD)"),
        source=locale_str("Only news from this source"),
    )
    @app_commands.autocomplete(source=source_choices)
    async def ask(
        self,
        interaction: discord.Interaction,
        question: app_commands.Transform[str, Text(1, 500, "the question")],
        since: Optional[app_commands.Transform[date, DateArg]] = None,
        until: Optional[app_commands.Transform[date, DateArg]] = None,
        source: Optional[app_commands.Transform[str, Text(1, 100, "the source")]] = None,
    ) -> None:
        """Ask a question: the answer quotes the news, with dates and sources."""
        parsed = Question.of(question)  # an empty or rambling question is refused privately, before any response
        asked = Asked("ask", interaction.guild_id, interaction.channel_id, interaction.user.id)
        async with Responder(interaction) as responder:  # one REST call if the answer is ready soon, else deferred
            reply = await answer(
                self.bot, parsed, asked, since=since, until=until, source=source,
                as_of=interaction.created_at.date(), words=words(interaction.locale),  # the asker's language
            )
            assert interaction.channel_id is not None  # a slash command's channel
            async with self.bot.posting(interaction.channel_id):  # a reply to it follows this question up
                sent = await responder.send(embed=reply.embed, view=reply.view or discord.utils.MISSING)
                await remember(self.bot, sent.id, sent.id, question, reply, interaction.user.id)


async def setup(bot) -> None:
    await bot.add_cog(Ask(bot))
