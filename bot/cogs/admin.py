"""Admins only: /reindex rebuilds the index in the background while answers continue; /report shows the
questions asked, how they were decided, the corpus's gaps and the 👎'd answers."""

from __future__ import annotations

import asyncio
import logging

import discord
from discord import app_commands

from index.errors import NewsdeskError
from index.types import IngestReport

from ..checks import admin_only
from ..render_report import report_embed
from ..words import EN, Words, server_side, words
from .base import NewsdeskCog, reply_privately

log = logging.getLogger(__name__)


def report_line(report: IngestReport, said: Words = EN) -> str:
    return said.reindex_done.format(seconds=report.seconds, documents=report.documents, chunks=report.chunks,
                                    added=report.added, updated=report.updated, removed=report.removed,
                                    skipped=len(report.skipped))


class Admin(NewsdeskCog):
    def __init__(self, bot) -> None:
        super().__init__(bot)
        self.reindexing: asyncio.Task | None = None

    @app_commands.command(name="reindex")
    @app_commands.guild_only()
    @admin_only()
    async def reindex(self, interaction: discord.Interaction) -> None:
        """Rebuild the index from the corpus (Manage Server or admin list)."""
        self.bot.settings.require_writer("reindex")  # a replica's refusal is answered privately (cog errors)
        await self.bot.may_write("/reindex")  # so is a writer's that another writer's lease holds off
        said = words(interaction.locale)
        if self.reindexing is not None and not self.reindexing.done():
            await interaction.response.send_message(said.reindex_running, ephemeral=True)
            return
        await interaction.response.send_message(said.reindexing, ephemeral=True)
        self.reindexing = asyncio.create_task(self._reindex(interaction), name="newsdesk-reindex")

    async def _reindex(self, interaction: discord.Interaction) -> None:
        said = words(interaction.locale)
        try:
            # Not the engine pool: a long reindex must not hold a thread that answers questions.
            report = await asyncio.to_thread(self.bot.engine.reindex)
        except NewsdeskError as exc:
            if server_side(exc):
                log.warning("Reindex failed: %s", exc)
            await reply_privately(interaction, said.reindex_failed.format(error=said.error(exc) or exc))
            return
        except Exception:
            log.exception("Reindex failed")
            await reply_privately(interaction, said.reindex_failed_logged)
            return
        await self.bot.refresh_summary()
        await reply_privately(interaction, report_line(report, said))

    @app_commands.command(name="report")
    @app_commands.describe(days="How many days back (default 7)")
    @app_commands.guild_only()
    @admin_only()
    async def report(self, interaction: discord.Interaction, days: app_commands.Range[int, 1, 3650] = 7) -> None:
        """What this server asked: answered rate, unanswered questions, 👎'd answers (Manage Server or admin list)."""
        await interaction.response.defer(ephemeral=True, thinking=True)
        report = await self.bot.in_thread(self.bot.questions.report, days=days, guild_id=interaction.guild_id)
        await interaction.followup.send(embed=report_embed(report, days=days, words=words(interaction.locale)),
                                        ephemeral=True,
                                        allowed_mentions=discord.AllowedMentions.none())


async def setup(bot) -> None:
    await bot.add_cog(Admin(bot))
