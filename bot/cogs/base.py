"""The base of newsdesk cogs: user errors become ephemeral replies, anything else is logged."""

from __future__ import annotations

import logging
import math
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from index.errors import NewsdeskError
from index.text.unicode import checked

from ..checks import NotAdmin
from ..render import error_text
from ..words import EN, Words, server_side, words

if TYPE_CHECKING:
    from ..bot import NewsdeskBase

log = logging.getLogger(__name__)
SORRY = EN.sorry


async def reply_privately(interaction: discord.Interaction, message: str) -> None:
    """An ephemeral reply, whether or not the interaction was already answered or deferred."""
    text = error_text(message)
    try:
        if interaction.response.is_done():
            await interaction.followup.send(text, ephemeral=True)
        else:
            await interaction.response.send_message(text, ephemeral=True)
    except discord.HTTPException:
        log.exception("Could not send an error reply")


def user_message(error: BaseException, said: Words = EN) -> str | None:
    """The one-line message for an error meant for the user (the bot's own in `said`), or None for a bug. An error
    of the server (no index, a replica asked to write…) is logged with its English line as well."""
    seen: BaseException | None = error
    while seen is not None:
        if isinstance(seen, NewsdeskError):
            if server_side(seen):
                log.warning("%s: %s", type(seen).__name__, seen)
            return said.error(seen) or str(seen)
        if isinstance(seen, app_commands.CommandOnCooldown):
            per_minute = seen.cooldown.rate
            return said.too_fast.format(rate=per_minute, seconds=math.ceil(seen.retry_after))
        if isinstance(seen, NotAdmin):
            return said.not_admin
        if isinstance(seen, app_commands.NoPrivateMessage):
            return said.not_in_dms
        if isinstance(seen, app_commands.CheckFailure):
            return str(seen) if said is EN and str(seen) else said.not_here
        seen = getattr(seen, "original", None) or seen.__cause__
    return None


def reply_text(error: BaseException, where: str, said: Words = EN) -> str:
    """What to tell the person whose request failed: the user error's own line, or (a bug: logged with its
    traceback) an apology in `said`. Every front end of the bot answers errors through this."""
    message = user_message(error, said)
    if message is None:
        log.error("Error in %s", where, exc_info=error)
        message = said.sorry
    return message


class Text(app_commands.Transformer):
    """A text option of `low` to `high` characters (Discord holds the length), checked to be Unicode before the
    command runs: a lone surrogate (from a broken client) is refused privately, never handed to the engine."""

    def __init__(self, low: int, high: int, what: str) -> None:
        self.low, self.high, self.what = low, high, what

    @property
    def type(self) -> discord.AppCommandOptionType:
        return discord.AppCommandOptionType.string

    @property
    def min_value(self) -> int:
        return self.low

    @property
    def max_value(self) -> int:
        return self.high

    async def transform(self, interaction: discord.Interaction, value: str) -> str:
        return checked(value, self.what)


class NewsdeskCog(commands.Cog):
    def __init__(self, bot: NewsdeskBase) -> None:
        self.bot = bot

    async def cog_app_command_error(self, interaction: discord.Interaction,
                                    error: app_commands.AppCommandError) -> None:
        await reply_privately(interaction, reply_text(error, f"/{getattr(interaction.command, 'qualified_name', '?')}",
                                                      words(interaction.locale)))
