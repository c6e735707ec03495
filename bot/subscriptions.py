"""Digest subscriptions per channel, kept in the database so they survive restarts (blocking: call from a thread).

Each row remembers the last slot claimed for its channel. A slot is claimed (atomically, only if it is
newer) before its digest is sent, so a restart — or a second process sharing DATABASE_URL — never posts the
same slot twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time

import sqlalchemy as sa

from .schedule import Schedule, parse_weekdays
from .stored import Stored

subscriptions = sa.Table(
    "subscriptions", sa.MetaData(),
    sa.Column("channel_id", sa.BigInteger, primary_key=True, autoincrement=False),
    sa.Column("guild_id", sa.BigInteger),
    sa.Column("at", sa.Text, nullable=False),  # HH:MM local time
    sa.Column("timezone", sa.Text, nullable=False),  # Area/City
    sa.Column("weekdays", sa.Text, nullable=False),  # e.g. "0,1,2,3,4" (0 = Monday)
    sa.Column("created_at", sa.Text, nullable=False),  # UTC ISO; slots before it are not due
    sa.Column("created_by", sa.BigInteger),
    sa.Column("last_slot", sa.Text),  # UTC ISO of the last slot claimed (posted or being posted)
    sa.Column("last_until", sa.Text),  # what the last digest posted covered: ingested up to this time (UTC ISO)
)


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


class SubscriptionStore(Stored):
    tables = (subscriptions,)

    def subscribe(self, channel_id: int, guild_id: int | None, schedule: Schedule, *, by: int | None,
                  now: datetime) -> Subscription:
        """Subscribe a channel, or change its schedule (the last slot posted is kept: no slot twice)."""
        days = ",".join(str(d) for d in sorted(schedule.weekdays))
        plan = {"at": f"{schedule.at:%H:%M}", "timezone": schedule.tz, "weekdays": days, "created_at": _iso(now),
                "created_by": by}
        with self.db.begin() as db:
            insert = self.db.insert(subscriptions).values(channel_id=channel_id, guild_id=guild_id, **plan)
            db.execute(insert.on_conflict_do_update(index_elements=[subscriptions.c.channel_id], set_=plan))
        return self.get(channel_id)  # type: ignore[return-value]

    def unsubscribe(self, channel_id: int) -> bool:
        with self.db.begin() as db:
            return db.execute(subscriptions.delete().where(subscriptions.c.channel_id == channel_id)).rowcount > 0

    def get(self, channel_id: int) -> Subscription | None:
        found = self._select(subscriptions.c.channel_id == channel_id)
        return found[0] if found else None

    def all(self, guild_id: int | None = None) -> list[Subscription]:
        return self._select(*([] if guild_id is None else [subscriptions.c.guild_id == guild_id]))

    def _select(self, *where) -> list[Subscription]:
        c = subscriptions.c
        with self.db.begin() as db:
            rows = db.execute(sa.select(c.channel_id, c.guild_id, c.at, c.timezone, c.weekdays, c.created_at,
                                        c.created_by, c.last_slot, c.last_until).where(*where)
                              .order_by(c.channel_id)).all()
        return [
            Subscription(
                channel_id=channel, guild_id=g,
                schedule=Schedule(time.fromisoformat(at), tz, parse_weekdays(",".join(
                    ("mon", "tue", "wed", "thu", "fri", "sat", "sun")[int(d)] for d in days.split(",")))),
                created_at=datetime.fromisoformat(created), created_by=by,
                last_slot=datetime.fromisoformat(last) if last else None,
                last_until=datetime.fromisoformat(until) if until else None,
            )
            for channel, g, at, tz, days, created, by, last, until in rows
        ]

    def claim(self, channel_id: int, slot: datetime) -> bool:
        """Mark `slot` as this channel's last slot if it is newer than the one recorded; True if it was.

        One conditional UPDATE: when two processes claim the same slot, the database serialises them (a row
        lock in PostgreSQL, the file lock in SQLite) and the second finds the condition false: one winner."""
        c = subscriptions.c
        with self.db.begin() as db:
            done = db.execute(subscriptions.update()
                              .where(c.channel_id == channel_id, sa.or_(c.last_slot.is_(None),
                                                                        c.last_slot < _iso(slot)))
                              .values(last_slot=_iso(slot)))
            return done.rowcount == 1

    def covered(self, channel_id: int, until: datetime) -> None:
        """Record that this channel's digests have covered what was ingested up to `until`."""
        with self.db.begin() as db:
            db.execute(subscriptions.update().where(subscriptions.c.channel_id == channel_id)
                       .values(last_until=_iso(until)))

    def release(self, channel_id: int, slot: datetime, previous: datetime | None) -> None:
        """Undo a claim whose digest could not be sent for a passing reason, so it is tried again."""
        c = subscriptions.c
        with self.db.begin() as db:
            db.execute(subscriptions.update().where(c.channel_id == channel_id, c.last_slot == _iso(slot))
                       .values(last_slot=previous and _iso(previous)))
