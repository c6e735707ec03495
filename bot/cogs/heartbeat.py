"""The bot's heartbeat: what `newsdesk health` (Docker's HEALTHCHECK) reads, and systemd's notify/watchdog.

Every `Heartbeat.every` seconds the bot writes `Settings.heartbeat_file` (atomically): whether it is connected
to Discord, its servers, latency, the index version it answers from and the extensions that failed to load.
Under systemd (`Type=notify`, `NOTIFY_SOCKET` set) it also says READY=1 once connected and WATCHDOG=1 on each
tick while connected or disconnected for less than `DISCONNECTED_GRACE`, so a wedged event loop or a bot
that cannot get back to Discord is restarted.
"""

from __future__ import annotations

import asyncio
import json
import logging
import math
import os
import socket
import time

from discord.ext import commands, tasks

from index.errors import IndexMissing

from .base import NewsdeskCog

log = logging.getLogger(__name__)
DISCONNECTED_GRACE = 300.0  # seconds without Discord before systemd's watchdog is left to restart the bot


def sd_notify(message: str) -> bool:
    """Send `message` ("READY=1", "WATCHDOG=1", ...) to systemd when it started this process with Type=notify.

    The protocol is one datagram to the unix socket named in NOTIFY_SOCKET ('@' is the abstract namespace);
    systemd documents it as stable for services to speak without libsystemd. False when not under systemd.
    """
    address = os.environ.get("NOTIFY_SOCKET")
    if not address:
        return False
    if address.startswith("@"):
        address = "\0" + address[1:]
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM | socket.SOCK_CLOEXEC) as sock:
            sock.connect(address)
            sock.sendall(message.encode())
        return True
    except OSError as exc:
        log.warning("Could not notify systemd (%s): %s", message.split("=")[0], exc)
        return False


class Heartbeat(NewsdeskCog):
    every = 15.0  # seconds between beats; `newsdesk health` calls a beat older than health.STALE_AFTER stale

    def __init__(self, bot) -> None:
        super().__init__(bot)
        self.started_at = time.time()
        self.disconnected_since: float | None = time.time()
        self.told_ready = False

    async def cog_load(self) -> None:
        self.beat.change_interval(seconds=self.every)
        self.beat.start()

    async def cog_unload(self) -> None:
        self.beat.cancel()
        sd_notify("STOPPING=1")
        self.bot.settings.heartbeat_file.unlink(missing_ok=True)  # stopped: `newsdesk health` says so at once

    @commands.Cog.listener()
    async def on_ready(self) -> None:
        await self.write()  # at once, not at the next tick: `newsdesk health` turns healthy as soon as it is so

    @tasks.loop(seconds=15)
    async def beat(self) -> None:
        try:
            await self.write()
        except Exception:  # the loop must outlive any one bad tick (a full disk, a removed DATA_DIR)
            log.exception("Could not write the heartbeat")

    def state(self) -> dict:
        """What this process is doing now, as `newsdesk health` reads it."""
        bot = self.bot
        connected = bot.is_ready() and not bot.is_closed()
        latency = bot.latency
        try:
            version = bot.engine.version.path.name
        except IndexMissing:
            version = None
        return {
            "pid": os.getpid(), "at": time.time(), "started_at": self.started_at, "connected": connected,
            "disconnected_since": self.disconnected_since, "user": str(bot.user) if bot.user else None,
            "guilds": len(bot.guilds), "shards": sorted(getattr(bot, "shard_ids", None) or []),
            "latency_ms": round(latency * 1000) if math.isfinite(latency) else None,
            "index_version": version, "role": bot.settings.role,
            "failed_extensions": {name: f"{type(e).__name__}: {e}" for name, e in bot.failed_extensions.items()},
        }

    async def write(self) -> None:
        state = self.state()
        if state["connected"]:
            self.disconnected_since = state["disconnected_since"] = None
        elif self.disconnected_since is None:
            self.disconnected_since = state["disconnected_since"] = state["at"]
        await asyncio.to_thread(_write_atomically, self.bot.settings.heartbeat_file, state)
        if state["connected"] and not self.told_ready:
            self.told_ready = sd_notify(f"READY=1\nSTATUS=connected to {state['guilds']} server(s)")
        if self.disconnected_since is None or state["at"] - self.disconnected_since < DISCONNECTED_GRACE:
            sd_notify("WATCHDOG=1")


def _write_atomically(path, state: dict) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}")
    tmp.write_text(json.dumps(state))
    os.replace(tmp, path)


async def setup(bot) -> None:
    await bot.add_cog(Heartbeat(bot))
