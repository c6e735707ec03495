"""Where the bot's state and the feeds live: a SQLite file each by default, one shared database with DATABASE_URL.

The stores (votes and the question log, digest subscriptions, conversations, feeds) write SQLAlchemy Core
statements, so the same code runs on SQLite and on PostgreSQL. With DATABASE_URL set every store uses that
one database, and any number of bot processes on any number of machines share it: a digest slot is claimed
by one conditional UPDATE, which PostgreSQL's row lock (or SQLite's file lock) lets exactly one process win.
Blocking: call from a thread.
"""

from __future__ import annotations

import logging
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import Iterator

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, make_url

from index.errors import BadSetting, StateDamaged
from newsdesk.settings import Settings

log = logging.getLogger(__name__)
SCHEMA_LOCK = 0x6E657773  # the advisory lock id processes take turns on while making tables ("news")
SQLITE_BUSY_SECONDS = 10  # how long a write waits for another process's write to the same SQLite file
_DAMAGED = ("file is not a database", "database disk image is malformed")  # what SQLite says of a damaged file


def with_driver(url: str) -> sa.URL:
    """`url` parsed, a bare postgresql:// given the psycopg (3) driver newsdesk installs; a URL of another kind of
    database (its SQL, its locks) is a BadSetting naming the kind, never the URL (it may hold a password)."""
    example = "use e.g. postgresql://user:password@host/newsdesk or sqlite:////data/newsdesk.sqlite"
    try:
        parsed = make_url(url)
    except sa.exc.ArgumentError:
        raise BadSetting(f"DATABASE_URL is not a database URL: {example}") from None
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    if parsed.get_backend_name() not in ("postgresql", "sqlite"):
        raise BadSetting(f"DATABASE_URL: a {parsed.get_backend_name()!r} database is not one newsdesk can use: "
                         f"{example}")
    return parsed


class Database:
    """One database: short transactions from any thread (`begin()`), tables made on first use (`create`)."""

    def __init__(self, url: str | sa.URL, *, durable: bool = True) -> None:
        """`durable=False`: a SQLite file's commits are not synced one by one (write-ahead log, `synchronous=NORMAL`):
        a killed process still loses nothing it committed, a power cut may lose the last commits. For what a bot
        can do without (a conversation's turns: a follow-up then reads without them), never votes or the log."""
        url = with_driver(url) if isinstance(url, str) else url
        self.url = url
        self.path = Path(url.database) if url.get_backend_name() == "sqlite" and url.database else None
        if self.path is not None:
            # A writer waits for another process's write instead of failing. Connections are kept (a few idle,
            # never a wait for one) in write-ahead-log mode: a commit appends to the log and syncs it once, where
            # a connection per call in rollback-journal mode created, synced and deleted a journal file each
            # time — under 100 members asking at once a third of the bot process's CPU (docs/load.md round 5).
            self.engine = sa.create_engine(url, pool_size=4, max_overflow=-1,
                                           connect_args={"timeout": SQLITE_BUSY_SECONDS})
            sa.event.listen(self.engine, "connect",
                            partial(_write_ahead_log, synchronous="FULL" if durable else "NORMAL"))
        else:
            self.engine = sa.create_engine(url, pool_pre_ping=True, pool_size=2, max_overflow=4)

    @classmethod
    def sqlite(cls, path: Path, *, durable: bool = True) -> "Database":
        return cls(sa.URL.create("sqlite", database=str(Path(path))), durable=durable)

    @classmethod
    def of(cls, target: "Database | Path | str") -> "Database":
        """A database as given, or the SQLite file at a path."""
        return target if isinstance(target, Database) else cls.sqlite(Path(target))

    @property
    def shared(self) -> bool:
        """True for a database server (several machines may use it), False for a local SQLite file."""
        return self.path is None

    def exists(self) -> bool:
        """False only for a SQLite file not made yet (a report does not create one)."""
        return self.path is None or self.path.exists()

    def describe(self) -> str:
        """The file, or the URL with its password hidden: safe to print."""
        return str(self.path) if self.path is not None else self.url.render_as_string(hide_password=True)

    def create(self, *tables: sa.Table) -> None:
        """Make the tables (and their indexes) that do not exist yet; an existing one gains the columns added to it
        since it was made (each may be empty: older rows hold NULL there), and is otherwise left as it is.

        Safe when several processes start at once: on PostgreSQL they take turns (a transaction-scoped
        advisory lock), so the second finds the tables the first made instead of failing to make them again."""
        if self.path is not None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        if not tables:
            return
        with self.begin() as conn:
            if conn.dialect.name == "postgresql":
                conn.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": SCHEMA_LOCK})
            elif conn.dialect.name == "sqlite":
                conn.exec_driver_sql("BEGIN IMMEDIATE")  # the file's write lock, held to the commit
            tables[0].metadata.create_all(conn, tables=list(tables), checkfirst=True)
            _add_new_columns(conn, tables)

    @contextmanager
    def begin(self) -> Iterator[Connection]:
        """A connection in a transaction, committed when the block ends (rolled back on an error). A SQLite file
        SQLite cannot read raises StateDamaged naming it."""
        try:
            with self.engine.begin() as conn:
                yield conn
        except sa.exc.DatabaseError as exc:
            reason = str(exc.orig)
            if self.path is not None and reason in _DAMAGED:
                raise StateDamaged(self.path, reason) from None
            raise

    def insert(self, table: sa.Table):
        """An INSERT that takes `.on_conflict_do_nothing(...)` / `.on_conflict_do_update(...)` on this database."""
        return (postgresql.insert if self.engine.dialect.name == "postgresql" else sqlite.insert)(table)

    def dispose(self) -> None:
        self.engine.dispose()


def _add_new_columns(conn: Connection, tables: tuple[sa.Table, ...]) -> None:
    """`ALTER TABLE … ADD COLUMN` for each column a table gained since its database was made: an empty column needs
    no more (SQLite and PostgreSQL both add it in place). Alembic does this and much more; one nullable column a
    release does not justify its migration scripts."""
    have = sa.inspect(conn)
    quote = conn.dialect.identifier_preparer.quote
    for table in tables:
        existing = {c["name"] for c in have.get_columns(table.name)}
        for column in table.columns:
            if column.name not in existing:
                if not column.nullable:
                    raise RuntimeError(f"{table.name}.{column.name}: a column added later must allow NULL")
                conn.exec_driver_sql(f"ALTER TABLE {quote(table.name)} ADD COLUMN {quote(column.name)} "
                                     f"{column.type.compile(conn.dialect)}")


def _write_ahead_log(dbapi_connection, _record, synchronous: str) -> None:
    """A new SQLite connection in WAL mode, each commit synced ("FULL": durable on power loss too) or only at
    checkpoints ("NORMAL", `Database(durable=False)`); a file that cannot change mode (read-only, a network share
    refusing its shared memory) stays as it was."""
    try:
        dbapi_connection.execute("PRAGMA journal_mode=WAL")
        dbapi_connection.execute(f"PRAGMA synchronous={synchronous}")
    except Exception as exc:  # sqlite3.OperationalError: the journal mode is only an optimisation
        if str(exc) not in _DAMAGED:  # a damaged file: StateDamaged names it where it is used
            log.info("SQLite file left in its journal mode: %s", exc)


def open_database(settings: Settings, default_file: Path, *, durable: bool = True) -> Database:
    """The shared database when DATABASE_URL is set, else the SQLite file `default_file` (see `Database` for
    `durable`; a server's own settings decide there)."""
    if settings.database_url is not None:
        return Database(settings.database_url.get_secret_value())
    return Database.sqlite(default_file, durable=durable)
