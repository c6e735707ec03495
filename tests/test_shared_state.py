"""The bot's stores on each database they run on: a SQLite file (the default) and PostgreSQL (DATABASE_URL)."""

from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta, timezone

import pytest
import sqlalchemy as sa
from pydantic import SecretStr

from bot.conversations import ConversationStore
from bot.questionlog import Asked, QuestionLog
from bot.schedule import Schedule
from bot.subscriptions import SubscriptionStore
from bot.votes import VoteStore
from newsdesk.database import Database, open_database
from index.errors import BadSetting
from sources.feeds import FeedStore
from index.types import Answer, Conversation, Turn
from pgserver import PgServer

UTC = timezone.utc
SNOWFLAKE = 1_234_567_890_123_456_789  # Discord ids need 64 bits


@pytest.fixture(scope="module")
def postgres():
    why = PgServer.why_not()
    if why:
        pytest.skip(why)
    with PgServer() as server:
        yield server


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request, tmp_path) -> Database:
    if request.param == "sqlite":
        database = Database.sqlite(tmp_path / "state.sqlite")
    else:
        database = Database(request.getfixturevalue("postgres").new_database())
    yield database
    database.dispose()


def answer(question: str, decision: str) -> Answer:
    return Answer(question=question, decision=decision, confidence=0.4)


def test_votes_and_the_question_report(db):
    votes, log = VoteStore(db), QuestionLog(db)
    log.create()
    first = votes.record_answer("Who won?", [3, 4], asked_by=SNOWFLAKE)
    votes.vote(first, SNOWFLAKE, 1)
    votes.vote(first, SNOWFLAKE, -1)  # changed their mind: one vote per person per answer
    votes.vote(first, 42, -1)
    log.log(Asked("ask", SNOWFLAKE, SNOWFLAKE, SNOWFLAKE), answer("Who won?", "answer"), answer_id=first)
    for wording in ("When is the ferry back?", "when is the ferry back", "Any strikes?"):
        log.log(Asked("channel", SNOWFLAKE, 7, 8), answer(wording, "not_found"))

    report = log.report(days=1, guild_id=SNOWFLAKE)

    assert [(v.user_id, v.vote) for v in votes.votes()] == [(SNOWFLAKE, -1), (42, -1)]
    assert report.asked == 4 and report.decisions == {"answer": 1, "not_found": 3}
    assert [(g.question, g.asks) for g in report.gaps] == [("when is the ferry back", 2), ("Any strikes?", 1)]
    [disliked] = report.disliked
    assert (disliked.answer_id, disliked.down, disliked.up, disliked.decision) == (first, 2, 0, "answer")
    assert log.entries()[0].asked.user_id == SNOWFLAKE
    assert log.report(days=1, guild_id=99).asked == 0


def test_a_digest_slot_is_claimed_once(db):
    subs = SubscriptionStore(db)
    subs.create()
    now = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
    subs.subscribe(SNOWFLAKE, SNOWFLAKE, Schedule.parse("09:00", "Europe/Paris", "mon-fri"), by=1, now=now)
    slot = datetime(2026, 3, 3, 8, 0, tzinfo=UTC)

    assert subs.claim(SNOWFLAKE, slot) is True
    assert subs.claim(SNOWFLAKE, slot) is False  # a second claimant (another process) loses
    assert subs.claim(SNOWFLAKE, slot - timedelta(days=1)) is False  # an older slot never again
    subs.release(SNOWFLAKE, slot, None)  # the post failed: the slot is free again
    assert subs.claim(SNOWFLAKE, slot) is True
    subs.covered(SNOWFLAKE, slot)
    [sub] = subs.all(guild_id=SNOWFLAKE)
    assert (sub.last_slot, sub.last_until, sub.schedule.describe()) == (slot, slot, "09:00 Europe/Paris (mon-fri)")
    assert subs.unsubscribe(SNOWFLAKE) and subs.all() == []


def test_conversations(db):
    convos = ConversationStore(db)
    convos.create()
    convos.record(SNOWFLAKE, SNOWFLAKE + 1, Turn("Who?", ("a",)))
    convos.record(SNOWFLAKE, SNOWFLAKE + 1, Turn("Who won?", ("a", "b")))  # the same message: replaced
    assert convos.conversation_of(SNOWFLAKE + 1) == SNOWFLAKE and convos.conversation_of(5) is None
    assert convos.context(SNOWFLAKE) == Conversation((Turn("Who won?", ("a", "b")),))


def test_a_table_made_before_a_column_was_added_gains_it_and_keeps_its_rows(db):
    old = sa.Table("turns", sa.MetaData(),  # the conversation turns as newsdesk made them until askers were kept
                   sa.Column("message_id", sa.BigInteger, primary_key=True, autoincrement=False),
                   sa.Column("conversation", sa.BigInteger, nullable=False), sa.Column("question", sa.Text, nullable=False),
                   sa.Column("documents", sa.Text, nullable=False), sa.Column("since", sa.Text),
                   sa.Column("until", sa.Text), sa.Column("created_at", sa.Float, nullable=False))
    with db.begin() as conn:
        old.create(conn)
        conn.execute(old.insert().values(message_id=1, conversation=SNOWFLAKE, question="Who?", documents='["a"]',
                                         created_at=1.0))
    convos = ConversationStore(db)
    convos.create()
    convos.record(SNOWFLAKE, SNOWFLAKE + 1, Turn("Who won?", ("a", "b")), asked_by=SNOWFLAKE + 7)
    assert convos.context(SNOWFLAKE).turns == (Turn("Who?", ("a",)), Turn("Who won?", ("a", "b")))
    assert convos.forget_member(SNOWFLAKE + 7) == 1 and convos.context(SNOWFLAKE).turns == (Turn("Who?", ("a",)),)


def test_feeds(db):
    feeds = FeedStore(db)
    now = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
    feeds.add("https://example.org/rss", now=now)
    feeds.add("https://example.org/rss", now=now)  # following it already: nothing changes
    feeds.take("https://example.org/rss", "g1", link="https://example.org/1", title="One", day=None, path=None, now=now)
    assert not feeds.taken("https://example.org/rss", "g1", "https://example.org/1")  # one failed attempt
    feeds.take("https://example.org/rss", "g1", link="https://example.org/1", title="One", day="2026-03-02",
               path="feeds/one.md", now=now)
    assert feeds.taken("https://other.org/rss", "x", "https://example.org/1")  # the same link in another feed
    [feed] = feeds.feeds()
    assert (feed.url, feed.items, feed.failures) == ("https://example.org/rss", 1, 0)


def test_database_url_puts_every_store_in_one_database(settings, tmp_path):
    assert open_database(settings, settings.votes_db).path == settings.votes_db  # default: the SQLite file
    shared = dataclasses.replace(settings, database_url=SecretStr(f"sqlite:///{tmp_path}/all.sqlite"))
    assert open_database(shared, shared.feeds_db).path == tmp_path / "all.sqlite"
    assert Database("postgresql://u:secret@db/newsdesk").describe() == "postgresql+psycopg://u:***@db/newsdesk"
    with pytest.raises(BadSetting, match="DATABASE_URL is not a database URL"):
        Database("not a url")


def test_processes_starting_at_once_make_the_tables_once(db):
    """Replicas start together: each makes the tables it needs, none fails on another's CREATE."""
    from concurrent.futures import ThreadPoolExecutor

    starting = [Database(db.url) for _ in range(4)]  # a connection pool each, as separate processes have
    with ThreadPoolExecutor(4) as pool:
        list(pool.map(lambda d: (QuestionLog(d).create(), SubscriptionStore(d).create()), starting))
    for d in starting:
        d.dispose()
    assert VoteStore(db).record_answer("Who?", []) == 1
