"""Every question asked in Discord and what it got, kept beside the answers and votes; the team's report.

The log lives in the votes file (`Settings.votes_db`), so a report joins questions, answers and votes in
one query; its table is added with CREATE IF NOT EXISTS, so an older votes file stays readable.
Blocking: call from a thread.
"""

from __future__ import annotations

import re
import time
from contextlib import closing
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone

from index.types import Answer

from .sqlitefile import SqliteFile
from .votes import VoteStore

_SCHEMA = """
CREATE TABLE IF NOT EXISTS questions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    asked_at REAL NOT NULL,
    via TEXT NOT NULL,                -- "ask" (the slash command) or "channel" (team-channel Q&A)
    guild_id INTEGER,
    channel_id INTEGER,
    user_id INTEGER,
    question TEXT NOT NULL,
    question_key TEXT NOT NULL,       -- the question normalised, to group repeats
    decision TEXT NOT NULL,           -- "answer", "unsure" or "not_found"
    confidence REAL NOT NULL,
    top_doc TEXT,                     -- the first quote's document, else the first document considered
    answer_id INTEGER REFERENCES answers(id)  -- the answer its vote buttons carry, when it has them
);
CREATE INDEX IF NOT EXISTS questions_asked_at ON questions (asked_at);
CREATE INDEX IF NOT EXISTS questions_answer ON questions (answer_id);
"""

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

    def rate(self, decision: str) -> float:
        return self.decisions.get(decision, 0) / self.asked if self.asked else 0.0

    def to_json(self) -> dict:
        return {
            "since": self.since, "until": self.until, "asked": self.asked,
            "answered_rate": round(self.rate("answer"), 4), "unsure_rate": round(self.rate("unsure"), 4),
            "not_found_rate": round(self.rate("not_found"), 4), "decisions": self.decisions,
            "gaps": [asdict(g) for g in self.gaps], "disliked": [asdict(d) for d in self.disliked],
        }


def _iso(ts: float) -> str:
    return datetime.fromtimestamp(ts, timezone.utc).isoformat(timespec="seconds")


class QuestionLog(SqliteFile):
    """The question log, in the same SQLite file as the answers and votes it links to."""

    schema = VoteStore.schema + _SCHEMA

    def log(self, asked: Asked, answer: Answer, *, answer_id: int | None = None, at: float | None = None) -> int:
        """Record one question and what it got; returns its id."""
        with closing(self._connect()) as db, db:
            cur = db.execute(
                "INSERT INTO questions (asked_at, via, guild_id, channel_id, user_id, question, question_key, decision,"
                " confidence, top_doc, answer_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (time.time() if at is None else at, asked.via, asked.guild_id, asked.channel_id, asked.user_id,
                 answer.question, question_key(answer.question), answer.decision, float(answer.confidence),
                 top_document(answer), answer_id),
            )
            return int(cur.lastrowid)

    def entries(self) -> list[Logged]:
        """Every logged question, oldest first."""
        with closing(self._connect()) as db:
            rows = db.execute("SELECT id, asked_at, via, guild_id, channel_id, user_id, question, decision, confidence,"
                              " top_doc, answer_id FROM questions ORDER BY id").fetchall()
        return [Logged(i, _iso(at), Asked(via, guild, channel, user), q, d, c, doc, a)
                for i, at, via, guild, channel, user, q, d, c, doc, a in rows]

    def report(self, *, days: float | None = None, guild_id: int | None = None, now: float | None = None,
               top: int = 10) -> QuestionReport:
        """The last `days` (all time when None) in one guild (all when None): decision counts, the `top`
        most-asked unanswered questions and the `top` most 👎'd answers (by votes cast in the period)."""
        now = time.time() if now is None else now
        since = 0.0 if days is None else now - days * 86400
        empty = QuestionReport(since=_iso(since) if days is not None else None, until=_iso(now))
        if not self.path.exists():  # nothing asked yet; a report does not create the file
            return empty
        self.create()  # a votes file from before the log gains the questions table
        where = "asked_at >= ? AND asked_at <= ?" + ("" if guild_id is None else " AND guild_id = ?")
        args = (since, now) + (() if guild_id is None else (guild_id,))
        with closing(self._connect()) as db:
            decisions = dict(db.execute(
                f"SELECT decision, COUNT(*) FROM questions WHERE {where} GROUP BY decision", args).fetchall())
            gaps = db.execute(
                f"""SELECT q.question, g.asks, g.last_asked, q.decision
                    FROM (SELECT question_key, COUNT(*) AS asks, MAX(asked_at) AS last_asked, MAX(id) AS latest
                          FROM questions WHERE decision != 'answer' AND {where}
                          GROUP BY question_key) AS g
                    JOIN questions AS q ON q.id = g.latest
                    ORDER BY g.asks DESC, g.last_asked DESC LIMIT ?""", (*args, top)).fetchall()
            # Answers recorded before the log existed have no question row: they count in the all-guild report.
            in_guild = "" if guild_id is None else " AND q.guild_id = ?"
            disliked = db.execute(
                f"""SELECT a.id, a.question, SUM(v.vote < 0) AS down, SUM(v.vote > 0) AS up, q.decision, q.top_doc
                    FROM votes AS v JOIN answers AS a ON a.id = v.answer_id
                    LEFT JOIN questions AS q ON q.answer_id = a.id
                    WHERE v.voted_at >= ? AND v.voted_at <= ?{in_guild}
                    GROUP BY a.id HAVING down > 0
                    ORDER BY down DESC, MAX(v.voted_at) DESC LIMIT ?""", (*args, top)).fetchall()
        return QuestionReport(
            since=empty.since, until=empty.until, asked=sum(decisions.values()), decisions=decisions,
            gaps=[Gap(question, asks, _iso(last), decision) for question, asks, last, decision in gaps],
            disliked=[Disliked(*row) for row in disliked],
        )
