"""Answers shown and the 👍/👎 votes on them, kept in SQLite (blocking: call from a thread)."""

from __future__ import annotations

import json
import time
from contextlib import closing
from dataclasses import dataclass

from .sqlitefile import SqliteFile

_SCHEMA = """
CREATE TABLE IF NOT EXISTS answers (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    question TEXT NOT NULL,
    chunk_ids TEXT NOT NULL,          -- JSON list of the quoted chunk ids
    asked_by INTEGER,
    created_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS votes (
    answer_id INTEGER NOT NULL REFERENCES answers(id),
    user_id INTEGER NOT NULL,
    vote INTEGER NOT NULL CHECK (vote IN (-1, 1)),
    question TEXT NOT NULL,
    chunk_ids TEXT NOT NULL,
    voted_at REAL NOT NULL,
    PRIMARY KEY (answer_id, user_id)
);
"""


@dataclass(frozen=True)
class Vote:
    answer_id: int
    user_id: int
    vote: int  # +1 👍, -1 👎
    question: str
    chunk_ids: list[int]


class UnknownAnswer(LookupError):
    """A vote for an answer this store never recorded (e.g. the database was reset)."""


class VoteStore(SqliteFile):
    """One SQLite file; each method opens a short-lived connection, so any thread may call it."""

    schema = _SCHEMA

    def record_answer(self, question: str, chunk_ids: list[int], asked_by: int | None = None) -> int:
        """Remember an answer that carries vote buttons; returns its id (used in the buttons)."""
        with closing(self._connect()) as db, db:
            cur = db.execute(
                "INSERT INTO answers (question, chunk_ids, asked_by, created_at) VALUES (?, ?, ?, ?)",
                (question, json.dumps(chunk_ids), asked_by, time.time()),
            )
            return int(cur.lastrowid)

    def vote(self, answer_id: int, user_id: int, vote: int) -> Vote:
        """Store (or change) `user_id`'s vote on an answer."""
        with closing(self._connect()) as db, db:
            row = db.execute("SELECT question, chunk_ids FROM answers WHERE id = ?", (answer_id,)).fetchone()
            if row is None:
                raise UnknownAnswer(answer_id)
            question, chunk_ids = row
            db.execute(
                "INSERT INTO votes (answer_id, user_id, vote, question, chunk_ids, voted_at) VALUES (?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (answer_id, user_id) DO UPDATE SET vote = excluded.vote, voted_at = excluded.voted_at",
                (answer_id, user_id, vote, question, chunk_ids, time.time()),
            )
        return Vote(answer_id, user_id, vote, question, json.loads(chunk_ids))

    def votes(self) -> list[Vote]:
        with closing(self._connect()) as db:
            rows = db.execute("SELECT answer_id, user_id, vote, question, chunk_ids FROM votes ORDER BY voted_at").fetchall()
        return [Vote(a, u, v, q, json.loads(c)) for a, u, v, q, c in rows]
