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
    conversations.record(1, 11, Turn("a recent question?", ("doc-a",)))
    with sqlite3.connect(settings.conversations_db) as db:
        db.execute("INSERT INTO turns VALUES (12, 1, 'an old question?', '[]', NULL, NULL, ?)", (now - 45 * DAY,))
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
    gone = retention.forget_member(site, BOB)

    assert (gone.questions, gone.answers) == (1, 1) and gone.votes == 3  # BOB's own question, and every vote BOB cast
    assert questions(site) == ["an old question?", "a recent question?"]
    assert VoteStore(site.votes_db).votes() == []


def test_report_purge_and_forget_from_the_command_line(site, capsys, monkeypatch):
    monkeypatch.setenv("DATA_DIR", str(site.data_dir))
    monkeypatch.setenv("QUESTION_LOG_DAYS", "30")

    assert main(["report", "--purge"]) == 0
    assert capsys.readouterr().out == ("deleted what was asked over 30 days ago: 1 question(s), 1 answer(s), "
                                       "1 vote(s), 1 conversation turn(s)\n")
    assert main(["report", "--forget", str(ALICE)]) == 0
    assert "deleted member 100's entries: 1 question(s), 1 answer(s), 1 vote(s)" in capsys.readouterr().out
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
