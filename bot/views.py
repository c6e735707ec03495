"""Buttons: 👍/👎 votes on answers (persistent across restarts) and search pages."""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, cast

import discord

from index.types import Hit

from .render import search_embed
from .words import EN, Words, words as words_for
from .votes import UnknownAnswer

if TYPE_CHECKING:
    from .bot import NewsdeskBase

log = logging.getLogger(__name__)

VOTES = {"up": 1, "down": -1}


class VoteButton(discord.ui.DynamicItem[discord.ui.Button],
                 template=r"newsdesk:vote:(?P<answer>\d+):(?P<vote>up|down)"):
    """A 👍 or 👎 button; its custom_id carries the answer id, so it works after a restart."""

    def __init__(self, answer_id: int, vote: str) -> None:
        super().__init__(
            discord.ui.Button(
                style=discord.ButtonStyle.secondary,
                emoji="👍" if vote == "up" else "👎",
                custom_id=f"newsdesk:vote:{answer_id}:{vote}",
            )
        )
        self.answer_id = answer_id
        self.vote = vote

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Item, match: re.Match[str], /):
        return cls(int(match["answer"]), match["vote"])

    async def callback(self, interaction: discord.Interaction) -> None:
        bot = cast("NewsdeskBase", interaction.client)  # the client every view of this bot is attached to
        said = words_for(interaction.locale)
        try:
            await bot.in_thread(bot.votes.vote, self.answer_id, interaction.user.id, VOTES[self.vote])
        except UnknownAnswer:
            await interaction.response.send_message(said.vote_too_old, ephemeral=True)
            return
        emoji = "👍" if self.vote == "up" else "👎"
        await interaction.response.send_message(said.vote_recorded.format(emoji=emoji), ephemeral=True)


def feedback_view(answer_id: int) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    view.add_item(VoteButton(answer_id, "up"))
    view.add_item(VoteButton(answer_id, "down"))
    return view


class SearchPages(discord.ui.View):
    """Previous/next buttons over a list of hits, for whoever is reading the channel."""

    def __init__(self, query: str, hits: Sequence[Hit], *, per_page: int = 3, timeout: float = 600,
                 words: Words = EN, asked_in: str | None = None) -> None:
        super().__init__(timeout=timeout)
        self.query = query
        self.words = words
        self.asked_in = asked_in  # the query's language: a passage in another names its own
        self.previous.label, self.next.label = words.previous, words.next
        self.hits = list(hits)
        self.per_page = per_page
        self.page = 0
        self.pages = max(1, -(-len(self.hits) // per_page))
        self.message: discord.Message | None = None  # an InteractionMessage or a WebhookMessage
        self._update_buttons()

    async def on_timeout(self) -> None:
        """Take the buttons away once they stop working (interaction tokens last 15 minutes)."""
        if self.message is not None:
            try:
                await self.message.edit(view=None)
            except discord.HTTPException:
                log.debug("Could not remove the search buttons", exc_info=True)

    def embed(self) -> discord.Embed:
        return search_embed(self.query, self.hits, page=self.page, per_page=self.per_page, words=self.words,
                            asked_in=self.asked_in)

    def _update_buttons(self) -> None:
        self.previous.disabled = self.page <= 0
        self.next.disabled = self.page >= self.pages - 1

    async def _show(self, interaction: discord.Interaction, page: int) -> None:
        self.page = min(max(page, 0), self.pages - 1)
        self._update_buttons()
        await interaction.response.edit_message(embed=self.embed(), view=self)

    @discord.ui.button(label="Previous", emoji="◀️", style=discord.ButtonStyle.secondary,
                       custom_id="newsdesk:search:previous")
    async def previous(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
        await self._show(interaction, self.page - 1)

    @discord.ui.button(label="Next", emoji="▶️", style=discord.ButtonStyle.secondary, custom_id="newsdesk:search:next")
    async def next(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
        await self._show(interaction, self.page + 1)
