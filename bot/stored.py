"""The base of the bot's stores: tables in a `Database` (a SQLite file by default, or the shared DATABASE_URL)."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

import sqlalchemy as sa

from newsdesk.database import Database


class Stored:
    """A store over `tables` in one database; each method is one short transaction, so any thread may call it."""

    tables: ClassVar[tuple[sa.Table, ...]] = ()

    def __init__(self, db: Database | Path) -> None:
        self.db = Database.of(db)

    def create(self) -> None:
        self.db.create(*self.tables)
