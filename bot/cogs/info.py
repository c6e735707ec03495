"""/sources and /help: what the corpus holds and how to use the bot."""

from __future__ import annotations

import discord
from discord import app_commands

from ..render import help_embed, sources_embed
from ..checks import rate_limited
from ..respond import Responder
from ..words import words
from .base import NewsdeskCog


class Info(NewsdeskCog):
    @app_commands.command(name="sources")
    @rate_limited()
    async def sources(self, interaction: discord.Interaction) -> None:
        """What the corpus holds: documents, date range and sources."""
        async with Responder(interaction) as reply:  # one REST call when the summary is read in time
            summary = await self.bot.refresh_summary()
            if summary is None:
                await reply.send(content=words(interaction.locale).no_summary, ephemeral=True)
                return
            await reply.send(embed=sources_embed(summary, words=words(interaction.locale)))

    @app_commands.command(name="help")
    async def help(self, interaction: discord.Interaction) -> None:
        """How to use newsdesk."""
        await interaction.response.send_message(embed=help_embed(words(interaction.locale)), ephemeral=True)


async def setup(bot) -> None:
    await bot.add_cog(Info(bot))
