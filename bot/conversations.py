"""The conversations the bot is in: each answer it posted, with its question and quoted documents (a table).

Why a table and not the thread history: the history holds the rendered embeds only (titles and links, not
document ids, and cut to Discord's limits); reading it back costs a REST call per follow-up and parsing our
own output. A row per answer keeps exactly what `Engine.ask(context=...)` needs and survives restarts.
Blocking: call from a thread.
"""

from __future__ import annotations

import json
import time
from datetime import date
from functools import cached_property

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from index.types import Conversation, Turn
from newsdesk.database import open_database
from newsdesk.settings import Settings

from .stored import Stored

turns = sa.Table(
    "turns", sa.MetaData(),
    sa.Column("message_id", sa.BigInteger, primary_key=True, autoincrement=False),  # the bot's answer message
    # the thread's id, or the first answer's message id outside threads
    sa.Column("conversation", sa.BigInteger, nullable=False),
    sa.Column("question", sa.Text, nullable=False),  # as the member asked it
    sa.Column("documents", sa.Text, nullable=False),  # JSON list of the quoted document ids
    sa.Column("since", sa.Text),
    sa.Column("until", sa.Text),
    sa.Column("created_at", sa.Float, nullable=False),
    sa.Column("asked_by", sa.BigInteger),  # the member who asked (None: a turn kept before newsdesk recorded it)
)
sa.Index("turns_by_conversation", turns.c.conversation, turns.c.created_at)
MAX_TURNS = 5  # the context a follow-up is read in: the latest turns only


class ConversationStore(Stored):
    tables = (turns,)

    @classmethod
    def of(cls, settings: Settings, *, durable: bool = False) -> "ConversationStore":
        """The conversations of `settings`: the shared database, or their SQLite file, by default with commits not
        synced one by one (a power cut may cost a follow-up its context, never a vote or a logged question;
        newsdesk/database.py). Deleting turns (a member forgotten, old turns purged) passes `durable=True`: a power
        cut must not bring them back."""
        return cls(open_database(settings, settings.conversations_db, durable=durable))

    def record(self, conversation: int, message_id: int, turn: Turn, asked_by: int | None = None) -> None:
        """Remember that answer `message_id` of `conversation` answered `turn`, asked by member `asked_by`."""
        with self.db.begin() as db:
            self.add(db, conversation, message_id, turn, asked_by)

    def add(self, db: Connection, conversation: int, message_id: int, turn: Turn, asked_by: int | None = None) -> None:
        """`record` inside the caller's transaction (bot/groupcommit.py commits many at once)."""
        db.execute(self._upsert, {
            "message_id": message_id, "conversation": conversation, "question": turn.question,
            "documents": json.dumps(list(turn.documents)), "since": turn.since and turn.since.isoformat(),
            "until": turn.until and turn.until.isoformat(), "created_at": time.time(), "asked_by": asked_by})

    def forget_member(self, user_id: int) -> int:
        """Delete the turns member `user_id` asked; how many there were."""
        if not self.db.exists():
            return 0
        self.create()
        with self.db.begin() as db:
            return db.execute(turns.delete().where(turns.c.asked_by == user_id)).rowcount

    @cached_property
    def _upsert(self):
        """The turn's row inserted, or its message's row replaced: built once (building it took more than the
        write), values given per execution."""
        insert = self.db.insert(turns)
        return insert.on_conflict_do_update(
            index_elements=[turns.c.message_id],
            set_={c.name: insert.excluded[c.name] for c in turns.columns if c.name != "message_id"})

    def conversation_of(self, message_id: int) -> int | None:
        """The conversation an answer message belongs to, or None when it is not one of ours."""
        with self.db.begin() as db:
            return db.execute(sa.select(turns.c.conversation).where(turns.c.message_id == message_id)).scalar()

    def context(self, conversation: int) -> Conversation:
        """The latest turns of a conversation, oldest first (empty when the bot never answered in it)."""
        t = turns.c
        with self.db.begin() as db:
            rows = db.execute(sa.select(t.question, t.documents, t.since, t.until).where(t.conversation == conversation)
                              .order_by(t.created_at.desc(), t.message_id.desc()).limit(MAX_TURNS)).all()
        return Conversation(tuple(
            Turn(q, tuple(json.loads(d)), since and date.fromisoformat(since), until and date.fromisoformat(until))
            for q, d, since, until in reversed(rows)))
