"""The conversations the bot is in: each answer it posted, with its question and quoted documents (SQLite).

Why a table and not the thread history: the history holds the rendered embeds only (titles and links, not
document ids, and cut to Discord's limits); reading it back costs a REST call per follow-up and parsing our
own output. A row per answer keeps exactly what `Engine.ask(context=...)` needs and survives restarts.
Blocking: call from a thread.
"""

from __future__ import annotations

import json
import time
from contextlib import closing
from datetime import date

from index.types import Conversation, Turn

from .sqlitefile import SqliteFile

_SCHEMA = """
CREATE TABLE IF NOT EXISTS turns (
    message_id INTEGER PRIMARY KEY,    -- the bot's answer message
    conversation INTEGER NOT NULL,     -- the thread's id, or the first answer's message id outside threads
    question TEXT NOT NULL,            -- as the member asked it
    documents TEXT NOT NULL,           -- JSON list of the quoted document ids
    since TEXT,
    until TEXT,
    created_at REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS turns_by_conversation ON turns (conversation, created_at);
"""
MAX_TURNS = 5  # the context a follow-up is read in: the latest turns only


class ConversationStore(SqliteFile):
    schema = _SCHEMA

    def record(self, conversation: int, message_id: int, turn: Turn) -> None:
        """Remember that answer `message_id` of `conversation` answered `turn`."""
        with closing(self._connect()) as db, db:
            db.execute(
                "INSERT OR REPLACE INTO turns (message_id, conversation, question, documents, since, until, created_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                (message_id, conversation, turn.question, json.dumps(list(turn.documents)),
                 turn.since and turn.since.isoformat(), turn.until and turn.until.isoformat(), time.time()),
            )

    def conversation_of(self, message_id: int) -> int | None:
        """The conversation an answer message belongs to, or None when it is not one of ours."""
        with closing(self._connect()) as db:
            row = db.execute("SELECT conversation FROM turns WHERE message_id = ?", (message_id,)).fetchone()
        return row[0] if row else None

    def context(self, conversation: int) -> Conversation:
        """The latest turns of a conversation, oldest first (empty when the bot never answered in it)."""
        with closing(self._connect()) as db:
            rows = db.execute(
                "SELECT question, documents, since, until FROM turns WHERE conversation = ?"
                " ORDER BY created_at DESC, message_id DESC LIMIT ?", (conversation, MAX_TURNS)).fetchall()
        return Conversation(tuple(
            Turn(q, tuple(json.loads(d)), since and date.fromisoformat(since), until and date.fromisoformat(until))
            for q, d, since, until in reversed(rows)))
