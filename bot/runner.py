"""`newsdesk run`: open the engine once, start the bot, explain bad tokens in one line, stop cleanly on SIGTERM."""

from __future__ import annotations

import asyncio
import logging
import signal
import sys

import aiohttp
import discord

from index.errors import NewsdeskError
from newsdesk.settings import Settings

from .bot import build_bot

log = logging.getLogger(__name__)

MISSING_TOKEN = (
    "DISCORD_TOKEN is not set: add DISCORD_TOKEN=<your bot token> to .env "
    "(copy .env.example; the token is under Bot in the Discord developer portal)."
)
REJECTED_TOKEN = (
    "Discord rejected DISCORD_TOKEN: reset the token under Bot in the Discord developer portal "
    "and put the new one in .env as DISCORD_TOKEN=..."
)
NEEDS_INTENT = (
    "Discord refused the Message Content intent: enable it under Bot > Privileged Gateway Intents "
    "in the Discord developer portal."
)
SHARDING_REQUIRED = 4011  # gateway close code: this bot is in too many guilds for one connection


def fail(message: str) -> int:
    print(message, file=sys.stderr)
    return 2


async def serve(settings: Settings) -> int:
    """Run the bot until it is closed; returns the process exit code."""
    if not settings.discord_token:
        return fail(MISSING_TOKEN)
    from index.engine import Engine  # not imported at the top: a missing token is explained without it
    from index.settings import require_writable

    try:
        if settings.database_url is None:  # answers, votes, conversations and digests: SQLite files there
            require_writable("DATA_DIR", settings.data_dir)
        engine = await asyncio.to_thread(Engine.open, settings)
    except NewsdeskError as exc:
        return fail(str(exc))
    sharded = settings.shard_count is not None
    while True:
        bot = build_bot(settings, engine, sharded=sharded)
        async with bot:
            stop_on_signals(bot)
            try:
                await bot.start(settings.token or "")  # (checked set above)
                log.info("Stopped cleanly")
                return 0
            except discord.LoginFailure:
                return fail(REJECTED_TOKEN)
            except discord.PrivilegedIntentsRequired:
                return fail(NEEDS_INTENT)
            except (aiohttp.ClientConnectionError, discord.GatewayNotFound) as exc:
                return fail(f"Cannot reach the Discord API at {discord.http.Route.BASE}: {exc or type(exc).__name__}")
            except discord.ConnectionClosed as exc:
                if exc.code != SHARDING_REQUIRED or sharded:
                    raise
                log.warning("Discord requires sharding for this bot: restarting as AutoShardedBot")
                sharded = True


def stop_on_signals(bot) -> None:
    """SIGTERM (docker stop, systemctl stop) and Ctrl-C: finish the answers in progress, then close."""
    loop = asyncio.get_running_loop()
    stopping: list[asyncio.Task] = []  # the one shutdown task, kept referenced until the loop ends

    def stop(name: str) -> None:
        if stopping:
            return
        log.info("%s received: stopping", name)
        stopping.append(loop.create_task(bot.shutdown()))

    for sig in (signal.SIGTERM, signal.SIGINT):
        try:
            loop.add_signal_handler(sig, stop, sig.name)
        except (NotImplementedError, RuntimeError):  # not the main thread, or Windows: default handling
            pass


def setup_logging(level: str) -> None:
    """discord.py's handler at LOG_LEVEL, coloured on a terminal only; other libraries quiet.

    (discord.py alone also colours inside any Docker container, terminal or not.)
    """
    from index.logs import quiet_third_party

    plain = None if sys.stderr.isatty() else logging.Formatter(
        "{asctime} {levelname:<7} {name}: {message}", "%Y-%m-%d %H:%M:%S", style="{")
    discord.utils.setup_logging(level=logging.getLevelName(level), formatter=plain or discord.utils.MISSING)
    quiet_third_party()
    # voice is never used: no "PyNaCl / davey is not installed, voice will NOT be supported" warnings
    discord.VoiceClient.warn_nacl = discord.VoiceClient.warn_dave = False


def run(settings: Settings) -> int:
    """Entry point of `newsdesk run`."""
    if not settings.discord_token:
        return fail(MISSING_TOKEN)
    setup_logging(settings.log_level)
    try:
        return asyncio.run(serve(settings))
    except KeyboardInterrupt:
        return 0
