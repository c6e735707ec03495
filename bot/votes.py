"""Answers shown and the 👍/👎 votes on them (blocking: call from a thread)."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from .stored import Stored

METADATA = sa.MetaData()  # the answers, their votes and the question log (bot/questionlog.py) live together
ID = sa.BigInteger  # Discord ids (snowflakes) need 64 bits

answers = sa.Table(
    "answers", METADATA,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("question", sa.Text, nullable=False),
    sa.Column("chunk_ids", sa.Text, nullable=False),  # JSON list of the quoted chunk ids
    sa.Column("asked_by", ID),
    sa.Column("created_at", sa.Float, nullable=False),
    sqlite_autoincrement=True,
)
_ADD_ANSWER = answers.insert()  # built once: values given per execution (building them took more than the write)
votes = sa.Table(
    "votes", METADATA,
    sa.Column("answer_id", sa.Integer, sa.ForeignKey("answers.id"), primary_key=True),
    sa.Column("user_id", ID, primary_key=True, autoincrement=False),
    sa.Column("vote", sa.Integer, sa.CheckConstraint("vote IN (-1, 1)"), nullable=False),
    sa.Column("question", sa.Text, nullable=False),
    sa.Column("chunk_ids", sa.Text, nullable=False),
    sa.Column("voted_at", sa.Float, nullable=False),
)


@dataclass(frozen=True)
class Vote:
    answer_id: int
    user_id: int
    vote: int  # +1 👍, -1 👎
    question: str
    chunk_ids: list[int]


class UnknownAnswer(LookupError):
    """A vote for an answer this store never recorded (e.g. the database was reset)."""


class VoteStore(Stored):
    tables = (answers, votes)

    def record_answer(self, question: str, chunk_ids: list[int], asked_by: int | None = None) -> int:
        """Remember an answer that carries vote buttons; returns its id (used in the buttons)."""
        with self.db.begin() as db:
            return self.add_answer(db, question, chunk_ids, asked_by)

    @staticmethod
    def add_answer(db: Connection, question: str, chunk_ids: list[int], asked_by: int | None = None) -> int:
        """`record_answer` inside the caller's transaction (bot/groupcommit.py commits many at once)."""
        done = db.execute(_ADD_ANSWER, {"question": question, "chunk_ids": json.dumps(chunk_ids), "asked_by": asked_by,
                                        "created_at": time.time()})
        return int(done.inserted_primary_key[0])  # type: ignore[index]  # an INSERT's key

    def vote(self, answer_id: int, user_id: int, vote: int) -> Vote:
        """Store (or change) `user_id`'s vote on an answer."""
        with self.db.begin() as db:
            row = db.execute(sa.select(answers.c.question, answers.c.chunk_ids)
                             .where(answers.c.id == answer_id)).first()
            if row is None:
                raise UnknownAnswer(answer_id)
            question, chunk_ids = row
            insert = self.db.insert(votes).values(answer_id=answer_id, user_id=user_id, vote=vote, question=question,
                                                  chunk_ids=chunk_ids, voted_at=time.time())
            db.execute(insert.on_conflict_do_update(
                index_elements=[votes.c.answer_id, votes.c.user_id],
                set_={"vote": insert.excluded.vote, "voted_at": insert.excluded.voted_at}))
        return Vote(answer_id, user_id, vote, question, json.loads(chunk_ids))

    def votes(self) -> list[Vote]:
        with self.db.begin() as db:
            rows = db.execute(sa.select(votes.c.answer_id, votes.c.user_id, votes.c.vote, votes.c.question,
                                        votes.c.chunk_ids).order_by(votes.c.voted_at)).all()
        return [Vote(a, u, v, q, json.loads(c)) for a, u, v, q, c in rows]
