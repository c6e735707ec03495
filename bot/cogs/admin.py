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
from .base import NewsdeskCog, reply_privately

log = logging.getLogger(__name__)


def report_line(report: IngestReport) -> str:
    return (
        f"Reindex done in {report.seconds:.1f}s: {report.documents} documents, {report.chunks} passages "
        f"({report.added} added, {report.updated} updated, {report.removed} removed, "
        f"{len(report.skipped)} skipped)."
    )


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
        if self.reindexing is not None and not self.reindexing.done():
            await interaction.response.send_message("A reindex is already running.", ephemeral=True)
            return
        await interaction.response.send_message(
            "Reindexing in the background; answers come from the current index until the new one is ready.",
            ephemeral=True,
        )
        self.reindexing = asyncio.create_task(self._reindex(interaction), name="newsdesk-reindex")

    async def _reindex(self, interaction: discord.Interaction) -> None:
        try:
            # Not the engine pool: a long reindex must not hold a thread that answers questions.
            report = await asyncio.to_thread(self.bot.engine.reindex)
        except NewsdeskError as exc:
            await reply_privately(interaction, f"Reindex failed: {exc}")
            return
        except Exception:
            log.exception("Reindex failed")
            await reply_privately(interaction, "Reindex failed; the error has been logged.")
            return
        await self.bot.refresh_summary()
        await reply_privately(interaction, report_line(report))

    @app_commands.command(name="report")
    @app_commands.describe(days="How many days back (default 7)")
    @app_commands.guild_only()
    @admin_only()
    async def report(self, interaction: discord.Interaction, days: app_commands.Range[int, 1, 3650] = 7) -> None:
        """What this server asked: answered rate, unanswered questions, 👎'd answers (Manage Server or admin list)."""
        await interaction.response.defer(ephemeral=True, thinking=True)
        report = await self.bot.in_thread(self.bot.questions.report, days=days, guild_id=interaction.guild_id)
        await interaction.followup.send(embed=report_embed(report, days=days), ephemeral=True,
                                        allowed_mentions=discord.AllowedMentions.none())


async def setup(bot) -> None:
    await bot.add_cog(Admin(bot))
