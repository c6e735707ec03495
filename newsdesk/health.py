"""`newsdesk health`: is the bot running here healthy? For Docker's HEALTHCHECK and for people; under a second.

It reads the heartbeat the running bot writes (`bot/cogs/heartbeat.py`) and imports nothing heavy: exit 0 when
the bot is connected to Discord with every extension loaded and its last beat is fresh, 1 otherwise, with one
line saying why.
"""

from __future__ import annotations

import json
import math
import time
from dataclasses import dataclass

from newsdesk.settings import Settings

STALE_AFTER = 60.0  # seconds: four missed beats (the bot beats every 15 s)


@dataclass(frozen=True)
class Health:
    ok: bool
    detail: str

    @property
    def code(self) -> int:
        return 0 if self.ok else 1  # Docker: 0 healthy, 1 unhealthy (2 is reserved)


def health(settings: Settings, *, now: float | None = None) -> Health:
    """The bot's health as its heartbeat file says; a heartbeat that is missing or unreadable is unhealthy."""
    path = settings.heartbeat_file
    now = time.time() if now is None else now
    try:
        return _judged(json.loads(path.read_text()), now)
    except FileNotFoundError:
        return Health(False, f"no heartbeat at {path}: the bot is not running with this DATA_DIR (`newsdesk run`)")
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:  # a field of the wrong kind too
        return Health(False, f"cannot read the heartbeat {path}: {exc}")


def _judged(beat: dict, now: float) -> Health:
    at = float(beat["at"])
    if not math.isfinite(at):
        raise ValueError(f"its time {beat['at']!r} is not a time")
    age = now - at
    if age > STALE_AFTER:
        return Health(False, f"the bot's last heartbeat is {age:.0f} s old (pid {beat.get('pid')}): it stopped or "
                             "hangs; see its log")
    if age < -STALE_AFTER:  # a running bot would have beaten since: the clock was set back, or it is not ours
        return Health(False, f"the bot's last heartbeat is dated {-age:.0f} s in the future (pid {beat.get('pid')}): "
                             "the clock was set back after it stopped beating; see its log")
    failed = beat.get("failed_extensions") or {}
    if failed:
        name, error = next(iter(failed.items()))
        return Health(False, f"{len(failed)} extension(s) failed to load, e.g. {name}: {error}; see the log at start")
    if not beat.get("connected"):
        since = beat.get("disconnected_since")
        how_long = f" for {now - float(since):.0f} s" if since else ""
        return Health(False, f"the bot is not connected to Discord{how_long} (it reconnects by itself; see its log)")
    latency = beat.get("latency_ms")
    return Health(True, f"connected as {beat.get('user')} to {beat.get('guilds')} server(s)"
                        + (f", latency {latency} ms" if latency is not None else "")
                        + f"; index {beat.get('index_version') or 'none yet'}; heartbeat {max(age, 0):.0f} s ago")
