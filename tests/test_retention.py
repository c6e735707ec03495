"""What members' questions leave behind: kept QUESTION_LOG_DAYS, purged by the bot daily or `newsdesk report --purge`,
and one member's entries deleted on request (`newsdesk report --forget USER_ID`)."""

from __future__ import annotations

import sqlite3
import time

import pytest

from bot import retention
from fakediscord.fixtures import *  # noqa: F403 - fixtures
from bot.conversations import ConversationStore
from bot.questionlog import Asked, QuestionLog
from bot.votes import VoteStore
from newsdesk.settings import Settings
from index.types import Answer, Turn
from newsdesk.cli import main

DAY = 86400
ALICE, BOB = 100, 200


def asked(log: QuestionLog, votes: VoteStore, user: int, question: str, days_ago: float, now: float) -> int:
    """`user` asked `question` `days_ago`: the answer recorded with its vote buttons, the log row, a 👎 by BOB."""
    answer_id = votes.record_answer(question, [1], asked_by=user)
    with sqlite3.connect(votes.db.path) as db:
        db.execute("UPDATE answers SET created_at = ? WHERE id = ?", (now - days_ago * DAY, answer_id))
    log.log(Asked("channel", 1, 10, user), Answer(question=question, decision="not_found",
                                                  confidence=0.1), answer_id=answer_id, at=now - days_ago * DAY)
    votes.vote(answer_id, user_id=BOB, vote=-1)
    with sqlite3.connect(votes.db.path) as db:
        db.execute("UPDATE votes SET voted_at = ? WHERE answer_id = ?", (now - days_ago * DAY, answer_id))
    return answer_id


@pytest.fixture
def site(tmp_path, monkeypatch):
    for var in Settings.variables():
        monkeypatch.delenv(var, raising=False)
    monkeypatch.chdir(tmp_path)
    settings = Settings(data_dir=tmp_path / "data", embedding_model="hash", question_log_days=30)
    settings.data_dir.mkdir()
    log, votes = QuestionLog(settings.votes_db), VoteStore(settings.votes_db)
    log.create()
    now = time.time()
    asked(log, votes, ALICE, "an old question?", 45, now)
    asked(log, votes, ALICE, "a recent question?", 2, now)
    asked(log, votes, BOB, "bob's recent question?", 1, now)
    conversations = ConversationStore(settings.conversations_db)
    conversations.create()
    conversations.record(1, 11, Turn("a recent question?", ("doc-a",)), asked_by=ALICE)
    conversations.record(2, 13, Turn("bob's recent question?", ("doc-b",)), asked_by=BOB)
    with sqlite3.connect(settings.conversations_db) as db:
        db.execute("INSERT INTO turns (message_id, conversation, question, documents, created_at, asked_by) "
                   "VALUES (12, 1, 'an old question?', '[]', ?, ?)", (now - 45 * DAY, ALICE))
    return settings


def questions(settings: Settings) -> list[str]:
    return [e.question for e in QuestionLog(settings.votes_db).entries()]


def test_what_was_asked_before_the_retention_period_is_deleted(site):
    log, turns = retention.purge(site)

    assert (log.questions, log.answers, log.votes, turns) == (1, 1, 1, 1)
    assert questions(site) == ["a recent question?", "bob's recent question?"]
    assert [v.question for v in VoteStore(site.votes_db).votes()] == ["a recent question?", "bob's recent question?"]
    assert ConversationStore(site.conversations_db).conversation_of(12) is None
    assert ConversationStore(site.conversations_db).conversation_of(11) == 1
    assert retention.purge(site) == (retention.Purged(), 0)  # nothing left to delete


def test_one_member_is_forgotten_and_the_others_kept(site):
    gone, turns = retention.forget_member(site, BOB)

    assert (gone.questions, gone.answers) == (1, 1) and gone.votes == 3  # BOB's own question, and every vote BOB cast
    assert questions(site) == ["an old question?", "a recent question?"]
    assert VoteStore(site.votes_db).votes() == []
    assert turns == 1  # the conversation turn BOB asked, which a follow-up would have read his words from
    store = ConversationStore(site.conversations_db)
    assert store.conversation_of(13) is None and store.conversation_of(11) == 1 and store.conversation_of(12) == 1


def test_a_conversations_file_from_before_askers_were_kept_gains_the_column_and_keeps_its_turns(tmp_path):
    path = tmp_path / "conversations.sqlite"
    with sqlite3.connect(path) as db:  # the layout newsdesk made until session 38: no asked_by
        db.execute("CREATE TABLE turns (message_id BIGINT NOT NULL PRIMARY KEY, conversation BIGINT NOT NULL, "
                   "question TEXT NOT NULL, documents TEXT NOT NULL, since TEXT, until TEXT, created_at FLOAT NOT NULL)")
        db.execute("INSERT INTO turns VALUES (7, 1, 'which ships left Tartus?', '[\"doc-a\"]', NULL, NULL, 1.0)")
    store = ConversationStore(path)
    store.create()
    store.record(1, 8, Turn("what date was that?", ("doc-a",)), asked_by=ALICE)

    assert [t.question for t in store.context(1).turns] == ["which ships left Tartus?", "what date was that?"]
    assert store.forget_member(ALICE) == 1 and [t.question for t in store.context(1).turns] == [
        "which ships left Tartus?"]  # a turn kept before its asker was: it goes with QUESTION_LOG_DAYS


def test_report_purge_and_forget_from_the_command_line(site, capsys, monkeypatch):
    monkeypatch.setenv("DATA_DIR", str(site.data_dir))
    monkeypatch.setenv("QUESTION_LOG_DAYS", "30")

    assert main(["report", "--purge"]) == 0
    assert capsys.readouterr().out == ("deleted what was asked over 30 days ago: 1 question(s), 1 answer(s), "
                                       "1 vote(s), 1 conversation turn(s)\n")
    assert main(["report", "--forget", str(ALICE)]) == 0
    assert ("deleted member 100's entries: 1 question(s), 1 answer(s), 1 vote(s), 1 conversation turn(s)"
            in capsys.readouterr().out)
    assert questions(site) == ["bob's recent question?"]

    monkeypatch.setenv("QUESTION_LOG_DAYS", "0")
    assert main(["report", "--purge"]) == 2
    assert "QUESTION_LOG_DAYS=0 keeps the question log until purged" in capsys.readouterr().err


async def test_the_running_bot_purges_at_start_and_daily(fake, bot_settings, bot_engine):
    import dataclasses


    settings = dataclasses.replace(bot_settings, question_log_days=30)
    log, votes = QuestionLog(settings.votes_db), VoteStore(settings.votes_db)
    log.create()
    asked(log, votes, ALICE, "an old question?", 45, time.time())

    async with running_bot(fake, settings, bot_engine):
        await fake.wait_for(lambda: not QuestionLog(settings.votes_db).entries(), 10, "the old question to go")


async def test_a_member_forgotten_takes_the_turns_of_what_they_asked_the_bot(fake, bot_settings, bot_engine):
    async with running_bot(fake, bot_settings, bot_engine):
        asked = await fake.slash("ask", question="when will the northern pier close?", user=fake.alice)
        await asked.reply()
        other = await fake.slash("ask", question="who closed the pier?", user=fake.admin)
        await other.reply()
    alice, admin = int(fake.alice["id"]), int(fake.admin["id"])
    with sqlite3.connect(bot_settings.conversations_db) as db:
        askers = sorted(row[0] for row in db.execute("SELECT asked_by FROM turns"))
    assert askers == sorted([alice, admin])

    log, turns = retention.forget_member(bot_settings, alice)
    assert log.questions == 1 and turns == 1
    with sqlite3.connect(bot_settings.conversations_db) as db:
        assert [row[0] for row in db.execute("SELECT asked_by FROM turns")] == [admin]
