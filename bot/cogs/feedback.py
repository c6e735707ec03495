"""👍/👎 buttons on answers: registered once, so votes work on old messages after a restart."""

from __future__ import annotations

from ..views import VoteButton
from .base import NewsdeskCog


class Feedback(NewsdeskCog):
    async def cog_load(self) -> None:
        self.bot.add_dynamic_items(VoteButton)

    async def cog_unload(self) -> None:
        self.bot.remove_dynamic_items(VoteButton)


async def setup(bot) -> None:
    await bot.add_cog(Feedback(bot))
