"""Every question asked in Discord and what it got, kept beside the answers and votes; the team's report.

The log lives beside the answers and votes (the votes file `Settings.votes_db`, or DATABASE_URL), so a
report joins questions, answers and votes in one query; its table is made when missing, so an older votes
file stays readable.
Blocking: call from a thread.
"""

from __future__ import annotations

import re
import time
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from index.types import ANSWER, NOT_FOUND, UNSURE, Answer, Decision

from .stored import Stored
from .votes import ID, METADATA, answers, votes

questions = sa.Table(
    "questions", METADATA,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("asked_at", sa.Float, nullable=False),
    sa.Column("via", sa.Text, nullable=False),  # "ask" (the slash command) or "channel" (team-channel Q&A)
    sa.Column("guild_id", ID),
    sa.Column("channel_id", ID),
    sa.Column("user_id", ID),
    sa.Column("question", sa.Text, nullable=False),  # as asked
    sa.Column("question_key", sa.Text, nullable=False),  # the question normalised, to group repeats
    sa.Column("decision", sa.Text, nullable=False),  # index.types.Decision: "answer", "unsure" or "not_found"
    sa.Column("confidence", sa.Float, nullable=False),
    sa.Column("top_doc", sa.Text),  # the first quote's document, else the first document considered
    sa.Column("answer_id", sa.Integer, sa.ForeignKey("answers.id")),  # the answer its vote buttons carry
    sqlite_autoincrement=True,
)
sa.Index("questions_asked_at", questions.c.asked_at)
sa.Index("questions_answer", questions.c.answer_id)
_ADD = questions.insert()  # built once: values given per execution

_NOT_WORD = re.compile(r"[^\w]+")


def question_key(question: str) -> str:
    """What repeats of a question share: case, punctuation and spacing left out."""
    return " ".join(_NOT_WORD.sub(" ", question.casefold()).split())


def top_document(answer: Answer) -> str | None:
    shown = answer.quotes or answer.nearest
    if shown:
        return shown[0].doc_id
    return answer.documents[0] if answer.documents else None


@dataclass(frozen=True)
class Asked:
    """Where a question came from."""

    via: str  # "ask" or "channel"
    guild_id: int | None
    channel_id: int | None
    user_id: int | None


@dataclass(frozen=True)
class Logged:
    """One logged question."""

    id: int
    asked_at: str
    asked: Asked
    question: str
    decision: str
    confidence: float
    top_doc: str | None
    answer_id: int | None


@dataclass(frozen=True)
class Gap:
    """A question the corpus did not answer, with how often it was asked (any wording that normalises alike)."""

    question: str  # its latest wording
    asks: int
    last_asked: str
    decision: str  # the latest decision


@dataclass(frozen=True)
class Disliked:
    """An answer someone voted 👎, with its question."""

    answer_id: int
    question: str
    down: int
    up: int
    decision: str | None  # None for an answer recorded before questions were logged
    top_doc: str | None


@dataclass
class QuestionReport:
    """Questions asked over a period: how they were decided, the corpus's gaps and the 👎'd answers."""

    since: str | None  # None: all time
    until: str
    asked: int = 0
    decisions: dict[str, int] = field(default_factory=dict)
    gaps: list[Gap] = field(default_factory=list)
    disliked: list[Disliked] = field(default_factory=list)

    def rate(self, decision: Decision) -> float:
        return self.decisions.get(decision, 0) / self.asked if self.asked else 0.0

    def to_json(self) -> dict:
        return {
            "since": self.since, "until": self.until, "asked": self.asked,
            "answered_rate": round(self.rate(ANSWER), 4), "unsure_rate": round(self.rate(UNSURE), 4),
            "not_found_rate": round(self.rate(NOT_FOUND), 4), "decisions": self.decisions,
            "gaps": [asdict(g) for g in self.gaps], "disliked": [asdict(d) for d in self.disliked],
        }


@dataclass(frozen=True)
class Purged:
    """What a purge deleted: logged questions, answers (with their question text and asker) and votes."""

    questions: int = 0
    answers: int = 0
    votes: int = 0

    def __str__(self) -> str:
        return f"{self.questions} question(s), {self.answers} answer(s), {self.votes} vote(s)"


def _iso(ts: float) -> str:
    return datetime.fromtimestamp(ts, timezone.utc).isoformat(timespec="seconds")


class QuestionLog(Stored):
    """The question log, in the same database as the answers and votes it links to."""

    tables = (answers, votes, questions)

    def log(self, asked: Asked, answer: Answer, *, answer_id: int | None = None, at: float | None = None) -> int:
        """Record one question and what it got; returns its id."""
        with self.db.begin() as db:
            return self.add(db, asked, answer, answer_id=answer_id, at=at)

    @staticmethod
    def add(db: Connection, asked: Asked, answer: Answer, *, answer_id: int | None = None,
            at: float | None = None) -> int:
        """`log` inside the caller's transaction (bot/groupcommit.py commits many at once)."""
        question = answer.asked or answer.question  # as asked, not a follow-up's reading of it
        done = db.execute(_ADD, dict(
            asked_at=time.time() if at is None else at, via=asked.via, guild_id=asked.guild_id,
            channel_id=asked.channel_id, user_id=asked.user_id, question=question,
            question_key=question_key(question), decision=answer.decision,
            confidence=float(answer.confidence), top_doc=top_document(answer), answer_id=answer_id))
        return int(done.inserted_primary_key[0])  # type: ignore[index]  # an INSERT's key

    def entries(self) -> list[Logged]:
        """Every logged question, oldest first."""
        q = questions.c
        with self.db.begin() as db:
            rows = db.execute(sa.select(q.id, q.asked_at, q.via, q.guild_id, q.channel_id, q.user_id, q.question,
                                        q.decision, q.confidence, q.top_doc, q.answer_id).order_by(q.id)).all()
        return [Logged(i, _iso(at), Asked(via, guild, channel, user), text, d, c, doc, a)
                for i, at, via, guild, channel, user, text, d, c, doc, a in rows]

    def report(self, *, days: float | None = None, guild_id: int | None = None, now: float | None = None,
               top: int = 10) -> QuestionReport:
        """The last `days` (all time when None) in one guild (all when None): decision counts, the `top`
        most-asked unanswered questions and the `top` most 👎'd answers (by votes cast in the period)."""
        now = time.time() if now is None else now
        since = 0.0 if days is None else now - days * 86400
        empty = QuestionReport(since=_iso(since) if days is not None else None, until=_iso(now))
        if not self.db.exists():  # nothing asked yet; a report does not create the file
            return empty
        self.create()  # a votes file from before the log gains the questions table
        q, a, v = questions.c, answers.c, votes.c
        period = [q.asked_at >= since, q.asked_at <= now] + ([] if guild_id is None else [q.guild_id == guild_id])
        grouped = (sa.select(q.question_key, sa.func.count().label("asks"), sa.func.max(q.asked_at).label("last_asked"),
                             sa.func.max(q.id).label("latest"))
                   .where(q.decision != ANSWER, *period).group_by(q.question_key).subquery("g"))
        gaps = (sa.select(q.question, grouped.c.asks, grouped.c.last_asked, q.decision)
                .join_from(questions, grouped, q.id == grouped.c.latest)
                .order_by(grouped.c.asks.desc(), grouped.c.last_asked.desc()).limit(top))
        # Answers recorded before the log existed have no question row: they count in the all-guild report.
        down = sa.func.sum(sa.case((v.vote < 0, 1), else_=0))
        up = sa.func.sum(sa.case((v.vote > 0, 1), else_=0))
        disliked = (sa.select(a.id, a.question, down, up, sa.func.max(q.decision), sa.func.max(q.top_doc))
                    .select_from(votes.join(answers, a.id == v.answer_id).outerjoin(questions, q.answer_id == a.id))
                    .where(v.voted_at >= since, v.voted_at <= now,
                           *([] if guild_id is None else [q.guild_id == guild_id]))
                    .group_by(a.id, a.question).having(down > 0)
                    .order_by(down.desc(), sa.func.max(v.voted_at).desc()).limit(top))
        with self.db.begin() as db:
            decisions: dict[str, int] = dict(db.execute(
                sa.select(q.decision, sa.func.count()).where(*period).group_by(q.decision)).all())
            gap_rows, disliked_rows = db.execute(gaps).all(), db.execute(disliked).all()
        return QuestionReport(
            since=empty.since, until=empty.until, asked=sum(decisions.values()), decisions=decisions,
            gaps=[Gap(question, asks, _iso(last), decision) for question, asks, last, decision in gap_rows],
            disliked=[Disliked(*row) for row in disliked_rows],
        )

    def purge(self, *, older_than_days: float, now: float | None = None) -> Purged:
        """Delete what members asked more than `older_than_days` ago: questions, the answers recorded for them and
        the votes on those answers (QUESTION_LOG_DAYS; `newsdesk report --purge`)."""
        cutoff = (time.time() if now is None else now) - older_than_days * 86400
        return self._delete(questions.c.asked_at < cutoff, answers.c.created_at < cutoff, votes.c.voted_at < cutoff)

    def forget_member(self, user_id: int) -> Purged:
        """Delete everything one member left: the questions they asked, the answers they were given (and the votes
        on those), their votes on other answers (`newsdesk report --forget USER_ID`)."""
        return self._delete(questions.c.user_id == user_id, answers.c.asked_by == user_id, votes.c.user_id == user_id)

    def _delete(self, question_rows, answer_rows, vote_rows) -> Purged:
        if not self.db.exists():
            return Purged()
        self.create()
        q, a, v = questions.c, answers.c, votes.c
        with self.db.begin() as db:
            gone_answers = sa.select(a.id).where(answer_rows).scalar_subquery()
            n_votes = db.execute(votes.delete().where(sa.or_(vote_rows, v.answer_id.in_(gone_answers)))).rowcount
            n_questions = db.execute(
                questions.delete().where(sa.or_(question_rows, q.answer_id.in_(gone_answers)))).rowcount
            n_answers = db.execute(answers.delete().where(answer_rows)).rowcount
        return Purged(n_questions, n_answers, n_votes)
