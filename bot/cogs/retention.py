"""Once a day, what members asked longer ago than QUESTION_LOG_DAYS is deleted (bot/retention.py); 0 keeps it."""

from __future__ import annotations

import asyncio
import logging

from discord.ext import tasks

from .. import retention
from .base import NewsdeskCog

log = logging.getLogger(__name__)


class Retention(NewsdeskCog):
    async def cog_load(self) -> None:
        if self.bot.settings.question_log_days > 0:
            self.daily.start()

    async def cog_unload(self) -> None:
        self.daily.cancel()

    @tasks.loop(hours=24)
    async def daily(self) -> None:
        try:
            log_purged, turns = await asyncio.to_thread(retention.purge, self.bot.settings)
            if log_purged.questions or log_purged.answers or log_purged.votes or turns:
                log.info("Deleted what was asked over %d days ago: %s, %d conversation turn(s)",
                         self.bot.settings.question_log_days, log_purged, turns)
        except Exception:  # the loop must outlive one failed purge (a locked database): tomorrow tries again
            log.exception("Purging the question log failed")


async def setup(bot) -> None:
    await bot.add_cog(Retention(bot))
