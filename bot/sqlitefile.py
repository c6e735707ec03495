"""A small SQLite-file base: short-lived connections, so any thread may call its methods."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path


class SqliteFile:
    schema = ""  # CREATE statements, run by create()

    def __init__(self, path: Path) -> None:
        self.path = Path(path)

    def _connect(self) -> sqlite3.Connection:
        return sqlite3.connect(self.path, timeout=10)

    def create(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with closing(self._connect()) as db, db:
            db.executescript(self.schema)
