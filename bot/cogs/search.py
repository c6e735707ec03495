"""/search: the best-matching passages, page by page."""

from __future__ import annotations

import discord
from discord import app_commands

from ..answers import hits_with_languages
from ..views import SearchPages
from ..checks import rate_limited
from ..respond import Responder
from ..words import words
from .base import NewsdeskCog, Text

SEARCH_K = 12
PER_PAGE = 3
BUTTONS_FOR = 600.0  # seconds; within the 15 minutes an interaction token lasts


class Search(NewsdeskCog):
    @app_commands.command(name="search")
    @rate_limited()
    @app_commands.describe(query="Words or a question to look for in the corpus")
    async def search(self, interaction: discord.Interaction,
                     query: app_commands.Transform[str, Text(1, 300, "the query")]) -> None:
        """Search the corpus: the top passages, with buttons to page through them."""
        async with Responder(interaction) as reply:  # one REST call when the passages are found in time
            hits = await self.bot.in_thread(self.bot.engine.search, query, k=SEARCH_K)
            asked_in, hits = await hits_with_languages(self.bot, query, hits)
            pages = SearchPages(query, hits, per_page=PER_PAGE, timeout=BUTTONS_FOR, words=words(interaction.locale),
                                asked_in=asked_in)
            if pages.pages == 1:
                await reply.send(embed=pages.embed())
                return
            pages.message = await reply.send(embed=pages.embed(), view=pages)


async def setup(bot) -> None:
    await bot.add_cog(Search(bot))
