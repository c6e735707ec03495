"""A throwaway PostgreSQL server for tests: its own cluster in a temp folder, on a free loopback port.

Uses Debian's PostgreSQL binaries (apt-get install postgresql). As root the server runs as the `postgres`
user (PostgreSQL refuses root). `PgServer.why_not()` says why none can be started here, for a skip reason.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import uuid
from pathlib import Path

USER = "newsdesk"


def _bin_dir() -> Path | None:
    found = shutil.which("pg_ctl")
    if found:
        return Path(os.path.realpath(found)).parent
    versions = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))
    return Path(versions[-1]).parent if versions else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PgServer:
    """`with PgServer() as pg: pg.new_database()` → a SQLAlchemy URL of an empty database."""

    def __init__(self) -> None:
        self.bin = _bin_dir()
        self.port = _free_port()
        self.folder: Path | None = None
        self._as: list[str] = []

    @staticmethod
    def why_not() -> str | None:
        if _bin_dir() is None:
            return "PostgreSQL is not installed (apt-get install postgresql): initdb/pg_ctl not found"
        if os.geteuid() == 0:
            try:
                pwd.getpwnam("postgres")
            except KeyError:
                return "running as root and there is no `postgres` user to run PostgreSQL as"
        try:
            import psycopg  # noqa: F401
        except ImportError:
            return "the psycopg driver is not installed (pip install 'newsdesk[postgres]')"
        return None

    def _run(self, *args: str) -> None:
        subprocess.run([*self._as, *args], check=True, capture_output=True, timeout=120)

    def __enter__(self) -> "PgServer":
        self.folder = Path(tempfile.mkdtemp(prefix="newsdesk-pg-"))
        if os.geteuid() == 0:
            user = pwd.getpwnam("postgres")
            os.chown(self.folder, user.pw_uid, user.pw_gid)
            self._as = ["runuser", "-u", "postgres", "--"]
        data = self.folder / "data"
        self._run(str(self.bin / "initdb"), "-D", str(data), "-U", USER, "--auth=trust", "-E", "UTF8", "--no-sync")
        options = f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.folder} -c fsync=off"
        try:
            self._run(str(self.bin / "pg_ctl"), "-D", str(data), "-o", options, "-l", str(self.folder / "log"),
                      "-w", "-t", "60", "start")
        except subprocess.CalledProcessError as exc:
            log = (self.folder / "log").read_text(errors="replace") if (self.folder / "log").exists() else ""
            self._cleanup()
            raise RuntimeError(f"PostgreSQL did not start: {exc.stderr.decode(errors='replace')}{log}") from None
        return self

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://{USER}@127.0.0.1:{self.port}/{database}"

    def new_database(self) -> str:
        """A new empty database; its URL (postgresql://, the form DATABASE_URL takes)."""
        import psycopg

        name = "t_" + uuid.uuid4().hex[:12]
        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {name}")
        return self.url(name)

    def __exit__(self, *exc) -> None:
        try:
            self._run(str(self.bin / "pg_ctl"), "-D", str(self.folder / "data"), "-m", "immediate", "-w", "stop")
        finally:
            self._cleanup()

    def _cleanup(self) -> None:
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)
