"""Digest subscriptions per channel, kept in SQLite so they survive restarts (blocking: call from a thread).

Each row remembers the last slot claimed for its channel. A slot is claimed (atomically, only if it is
newer) before its digest is sent, so a restart — or a second process — never posts the same slot twice.
"""

from __future__ import annotations

from contextlib import closing
from dataclasses import dataclass
from datetime import datetime, time

from .schedule import Schedule, parse_weekdays
from .sqlitefile import SqliteFile

_SCHEMA = """
CREATE TABLE IF NOT EXISTS subscriptions (
    channel_id INTEGER PRIMARY KEY,
    guild_id INTEGER,
    at TEXT NOT NULL,            -- HH:MM local time
    timezone TEXT NOT NULL,      -- Area/City
    weekdays TEXT NOT NULL,      -- e.g. "0,1,2,3,4" (0 = Monday)
    created_at TEXT NOT NULL,    -- UTC ISO; slots before it are not due
    created_by INTEGER,
    last_slot TEXT,              -- UTC ISO of the last slot claimed (posted or being posted)
    last_until TEXT              -- what the last digest posted covered: ingested up to this time (UTC ISO)
);
"""


def _iso(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


@dataclass(frozen=True)
class Subscription:
    channel_id: int
    guild_id: int | None
    schedule: Schedule
    created_at: datetime
    created_by: int | None
    last_slot: datetime | None
    last_until: datetime | None = None  # the next digest starts here


class SubscriptionStore(SqliteFile):
    schema = _SCHEMA

    def subscribe(self, channel_id: int, guild_id: int | None, schedule: Schedule, *, by: int | None,
                  now: datetime) -> Subscription:
        """Subscribe a channel, or change its schedule (the last slot posted is kept: no slot twice)."""
        days = ",".join(str(d) for d in sorted(schedule.weekdays))
        with closing(self._connect()) as db, db:
            db.execute(
                "INSERT INTO subscriptions (channel_id, guild_id, at, timezone, weekdays, created_at, created_by) "
                "VALUES (?,?,?,?,?,?,?) ON CONFLICT (channel_id) DO UPDATE SET at = excluded.at, "
                "timezone = excluded.timezone, weekdays = excluded.weekdays, created_at = excluded.created_at, "
                "created_by = excluded.created_by",
                (channel_id, guild_id, f"{schedule.at:%H:%M}", schedule.tz, days, _iso(now), by))
        return self.get(channel_id)  # type: ignore[return-value]

    def unsubscribe(self, channel_id: int) -> bool:
        with closing(self._connect()) as db, db:
            return db.execute("DELETE FROM subscriptions WHERE channel_id = ?", (channel_id,)).rowcount > 0

    def get(self, channel_id: int) -> Subscription | None:
        found = [s for s in self.all() if s.channel_id == channel_id]
        return found[0] if found else None

    def all(self, guild_id: int | None = None) -> list[Subscription]:
        sql = ("SELECT channel_id, guild_id, at, timezone, weekdays, created_at, created_by, last_slot, last_until "
               "FROM subscriptions")
        args: tuple = ()
        if guild_id is not None:
            sql += " WHERE guild_id = ?"
            args = (guild_id,)
        with closing(self._connect()) as db:
            rows = db.execute(sql + " ORDER BY channel_id", args).fetchall()
        return [
            Subscription(
                channel_id=c, guild_id=g,
                schedule=Schedule(time.fromisoformat(at), tz, parse_weekdays(",".join(
                    ("mon", "tue", "wed", "thu", "fri", "sat", "sun")[int(d)] for d in days.split(",")))),
                created_at=datetime.fromisoformat(created), created_by=by,
                last_slot=datetime.fromisoformat(last) if last else None,
                last_until=datetime.fromisoformat(until) if until else None,
            )
            for c, g, at, tz, days, created, by, last, until in rows
        ]

    def claim(self, channel_id: int, slot: datetime) -> bool:
        """Mark `slot` as this channel's last slot if it is newer than the one recorded; True if it was."""
        with closing(self._connect()) as db, db:
            cur = db.execute(
                "UPDATE subscriptions SET last_slot = ? WHERE channel_id = ? AND (last_slot IS NULL OR last_slot < ?)",
                (_iso(slot), channel_id, _iso(slot)))
            return cur.rowcount == 1

    def covered(self, channel_id: int, until: datetime) -> None:
        """Record that this channel's digests have covered what was ingested up to `until`."""
        with closing(self._connect()) as db, db:
            db.execute("UPDATE subscriptions SET last_until = ? WHERE channel_id = ?", (_iso(until), channel_id))

    def release(self, channel_id: int, slot: datetime, previous: datetime | None) -> None:
        """Undo a claim whose digest could not be sent for a passing reason, so it is tried again."""
        with closing(self._connect()) as db, db:
            db.execute("UPDATE subscriptions SET last_slot = ? WHERE channel_id = ? AND last_slot = ?",
                       (previous and _iso(previous), channel_id, _iso(slot)))
