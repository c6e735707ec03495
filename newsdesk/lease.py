"""The writer lease: one row in the shared database (DATABASE_URL) naming the one index folder that may publish.

Every process that writes the index (`newsdesk ingest`, `feeds poll`, `add`, the bot's feed polling, folder
watch and /reindex) takes the lease first; a second writer whose index folder is another one — another
machine, another disk — is refused with one line naming the holder. The row carries a heartbeat: the
holder renews it every third of WRITER_LEASE_SECONDS, so a holder that dies (kill -9, a lost machine) loses it
that many seconds after its last heartbeat, and the next writer to try takes it over. A clean exit deletes it.

The lease belongs to an index *folder* (a random id kept in INDEX_DIR/.writer-id), not to a process: a
`newsdesk ingest` beside the running bot that shares its folder (a `docker compose run` on the same volume)
joins the lease instead of being refused, and the folder's own lock lets one of them build at a time.
Times are the database's clock, so the machines' clocks need not agree. Without DATABASE_URL there is no
shared database and no lease: one machine, whose index folder lock already allows one build at a time.
Blocking: call from a thread.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator

import sqlalchemy as sa

from index.errors import NewsdeskError
from newsdesk.database import Database
from newsdesk.settings import Settings

log = logging.getLogger(__name__)
NAME = "writer"  # one lease per database: every process sharing it publishes to the same readers
FOLDER_ID = ".writer-id"

metadata = sa.MetaData()
leases = sa.Table(
    "writer_lease", metadata,
    sa.Column("name", sa.String(32), primary_key=True),
    sa.Column("folder_id", sa.String(64), nullable=False),  # the index folder the lease belongs to
    sa.Column("token", sa.String(64), nullable=False),  # the process named as holder (the one that took it)
    sa.Column("host", sa.String(255), nullable=False),
    sa.Column("pid", sa.Integer, nullable=False),
    sa.Column("index_dir", sa.Text, nullable=False),
    sa.Column("since", sa.Float, nullable=False),  # seconds since the epoch, the database's clock
    sa.Column("heartbeat_at", sa.Float, nullable=False),
    sa.Column("expires_at", sa.Float, nullable=False),
)


class WriterLeaseHeld(NewsdeskError):
    """Another index folder's writer holds the lease: this process may not write the index now. `holder` is who,
    `seconds` the lease's term (free that long after the holder's last heartbeat), `what` was refused."""

    def __init__(self, message: str, holder: "Holder | None" = None, seconds: float = 0.0, what: str = "") -> None:
        super().__init__(message)
        self.holder, self.seconds, self.what = holder, seconds, what


@dataclass(frozen=True)
class Holder:
    """Who holds the lease, as the row says, and how long ago its last heartbeat was."""

    host: str
    pid: int
    index_dir: str
    since: float
    heartbeat_age: float

    def describe(self) -> str:
        since = datetime.fromtimestamp(self.since, timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC")
        return (f"{self.host} (pid {self.pid}, INDEX_DIR {self.index_dir}) since {since}, "
                f"last heartbeat {self.heartbeat_age:.0f} s ago")


def _now(db: Database) -> sa.ColumnElement[float]:
    """The database's clock in seconds since the epoch (fractions included)."""
    if db.engine.dialect.name == "postgresql":
        return sa.literal_column("EXTRACT(EPOCH FROM clock_timestamp())::float8", sa.Float)
    return sa.literal_column("((julianday('now') - 2440587.5) * 86400.0)", sa.Float)


def folder_id(index_dir: Path) -> str:
    """The index folder's id, made once: processes sharing the folder share it, another folder has another."""
    index_dir.mkdir(parents=True, exist_ok=True)
    path = index_dir / FOLDER_ID
    if not path.exists():  # written aside, then linked in: a process starting beside never reads it half-written
        draft = index_dir / f"{FOLDER_ID}.{uuid.uuid4().hex}"
        draft.write_text(uuid.uuid4().hex + "\n")
        try:
            os.link(draft, path)
        except FileExistsError:
            pass
        finally:
            draft.unlink()
    return path.read_text().strip()


class WriterLease:
    """The lease as one process sees it: `take()` it (or see who holds it), keep it with `start_heartbeat()`,
    `release()` it. `held` is False once it is lost, or when a renewal has not succeeded for a whole term."""

    def __init__(self, db: Database, index_dir: Path, seconds: float, *, announce: bool = False) -> None:
        self.db, self.index_dir, self.seconds = db, Path(index_dir), seconds
        self._level = logging.INFO if announce else logging.DEBUG  # taking it and standing by: news in a bot's log
        self.token = uuid.uuid4().hex
        self.host, self.pid = socket.gethostname(), os.getpid()
        self._folder: str | None = None
        self._renewed_at: float | None = None  # time.monotonic() of the last successful take/renewal
        self._seen: Holder | None = None  # the last other holder logged, so standing by is logged once
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._created = False

    @property
    def held(self) -> bool:
        return self._renewed_at is not None and time.monotonic() - self._renewed_at < self.seconds

    def take(self) -> Holder | None:
        """Take or renew the lease: None when this process holds it now, else the other holder."""
        if not self._created:
            self.db.create(leases)
            self._created = True
        if self._folder is None:
            self._folder = folder_id(self.index_dir)
        started = time.monotonic()
        now, until = _now(self.db), _now(self.db) + self.seconds
        mine = {"folder_id": self._folder, "token": self.token, "host": self.host, "pid": self.pid,
                "index_dir": str(self.index_dir.absolute()), "since": now, "heartbeat_at": now, "expires_at": until}
        row = leases.c
        with self.db.begin() as conn:
            # an expired lease (its holder dead, or gone quiet for a whole term) passes to whoever asks first
            took = conn.execute(sa.update(leases).where(row.name == NAME, row.expires_at < now).values(mine)).rowcount
            if not took:  # held for this folder (by this process or one sharing the folder): renewed
                took = conn.execute(sa.update(leases).where(row.name == NAME, row.folder_id == self._folder)
                                    .values(heartbeat_at=now, expires_at=until)).rowcount
            if not took:
                took = conn.execute(self.db.insert(leases).values(name=NAME, **mine)  # (psycopg's rowcount is
                                    .on_conflict_do_nothing(index_elements=["name"])  # -1 here: ask RETURNING)
                                    .returning(row.name)).first() is not None
            holder = None if took else conn.execute(
                sa.select(row.host, row.pid, row.index_dir, row.since, (now - row.heartbeat_at).label("age"))
                .where(row.name == NAME)).one_or_none()
        if holder is None:
            if not self.held:
                log.log(self._level, "Holding the writer lease for %s (WRITER_LEASE_SECONDS=%g)", self.index_dir,
                        self.seconds)
            self._renewed_at, self._seen = started, None
            return None
        other = Holder(holder.host, holder.pid, holder.index_dir, holder.since, max(0.0, holder.age))
        if self.held:
            log.warning("Lost the writer lease to %s: no more writes from here until it is free", other.describe())
        elif self._seen is None or (other.host, other.pid, other.since) != (self._seen.host, self._seen.pid,
                                                                            self._seen.since):
            log.log(self._level, "Standing by: the writer lease is held by %s", other.describe())
        self._renewed_at, self._seen = None, other
        return other

    def require(self, what: str) -> None:
        """Take the lease or refuse `what` with one line naming the holder (`WriterLeaseHeld`)."""
        other = self.take()
        if other is not None:
            raise WriterLeaseHeld(
                f"{what} refused: the writer lease is held by {other.describe()}; only that writer publishes. "
                f"If it is gone, the lease is free {self.seconds:g} s after its last heartbeat (WRITER_LEASE_SECONDS)",
                other, self.seconds, what)

    def start_heartbeat(self) -> None:
        """Renew the lease every third of its term in a background thread, until `release()`."""
        if self._thread is not None:
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._beat, name="newsdesk-writer-lease", daemon=True)
        self._thread.start()

    def _beat(self) -> None:
        while not self._stop.wait(self.seconds / 3):
            try:
                self.take()
            except Exception:  # a database hiccup: try again next beat; `held` turns False after a whole term
                log.warning("Could not renew the writer lease", exc_info=True)

    def release(self) -> None:
        """Stop renewing and free the lease if this process is the one named as holder (a clean exit)."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=self.seconds)
            self._thread = None
        self._renewed_at = None
        if not self._created:
            return
        try:
            with self.db.begin() as conn:
                freed = conn.execute(sa.delete(leases).where(leases.c.name == NAME, leases.c.token == self.token))
        except Exception:  # the database is gone: the lease expires on its own
            log.warning("Could not release the writer lease; it expires %g s after the last heartbeat",
                        self.seconds, exc_info=True)
            return
        if freed.rowcount:
            log.log(self._level, "Released the writer lease")


def writer_lease(settings: Settings, *, announce: bool = False) -> WriterLease | None:
    """This process's lease on the shared database, or None: no DATABASE_URL (one machine), or ROLE=replica
    (a replica never writes, so never takes it). `announce`: log taking, standing by and releasing at INFO."""
    if settings.database_url is None or settings.role == "replica":
        return None
    return WriterLease(Database(settings.database_url.get_secret_value()), Path(settings.index_dir),
                       settings.writer_lease_seconds, announce=announce)


def confirm_writer(settings: Settings, what: str = "publishing") -> None:
    """Called just before a new version is published: this index folder still holds the lease (renewed, or taken
    when free), else `WriterLeaseHeld` and nothing is published. A writer cut off from the database for a whole
    term may have lost the lease while it built; it finds out here, not after publishing beside the new writer.
    A lease that cannot be confirmed (the database unreachable) stops the publish too. Nothing to confirm
    without DATABASE_URL."""
    lease = writer_lease(settings)
    if lease is None:
        return
    try:
        lease.require(what)
    finally:
        lease.db.dispose()


@contextmanager
def holding(settings: Settings, what: str) -> Iterator[None]:
    """Run the block as the writer: the lease taken (or `what` refused with the holder's line), renewed
    while the block runs, released after it. Nothing to take without DATABASE_URL."""
    lease = writer_lease(settings)
    if lease is None:
        yield
        return
    try:
        lease.require(what)
        lease.start_heartbeat()
        yield
    finally:
        lease.release()
        lease.db.dispose()
