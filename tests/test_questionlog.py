"""The question log and its report, on a SQLite file as the bot writes it (no Discord)."""

import sqlite3
import time

from bot.questionlog import Asked, QuestionLog, question_key
from bot.votes import VoteStore
from index.types import Answer, Quote

DAY = 86400
HERE = Asked("ask", guild_id=1, channel_id=10, user_id=100)


def answer(question, decision, doc="doc-a"):
    quote = Quote(text="…", doc_id=doc, title="t", date=None, source="s", url="", attribution="", score=1.0)
    shown = [quote] if decision in ("answer", "unsure") else []
    return Answer(question=question, decision=decision, shown=shown, confidence=0.5)


def test_a_question_is_logged_with_where_it_came_from_and_what_it_got(tmp_path):
    log = QuestionLog(tmp_path / "votes.sqlite")
    log.create()
    log.log(HERE, answer("Which ships left Tartus?", "answer", doc="doc-t"), answer_id=7)

    [entry] = log.entries()
    assert entry.asked == HERE and entry.question == "Which ships left Tartus?"
    assert (entry.decision, entry.confidence, entry.top_doc, entry.answer_id) == ("answer", 0.5, "doc-t", 7)


def test_the_report_counts_decisions_and_groups_unanswered_questions_by_their_normalised_text(tmp_path):
    log = QuestionLog(tmp_path / "votes.sqlite")
    log.create()
    now = time.time()
    log.log(HERE, answer("Which ships left Tartus?", "answer"), at=now - 60)
    for text in ("Who won the 2018 World Cup?", "who won the 2018 world cup", "Who  won the 2018 World-Cup ?!"):
        log.log(HERE, answer(text, "not_found"), at=now - 30)
    log.log(HERE, answer("What did Peskov say?", "unsure"), at=now - 20)
    log.log(HERE, answer("An old question?", "not_found"), at=now - 40 * DAY)

    report = log.report(days=7, now=now)
    assert report.asked == 5 and report.decisions == {"answer": 1, "not_found": 3, "unsure": 1}
    assert (report.rate("answer"), report.rate("not_found"), report.rate("unsure")) == (0.2, 0.6, 0.2)
    assert [(g.question, g.asks, g.decision) for g in report.gaps] == [
        ("Who  won the 2018 World-Cup ?!", 3, "not_found"), ("What did Peskov say?", 1, "unsure")]
    assert question_key("Who  won the 2018 World-Cup ?!") == "who won the 2018 world cup"
    assert log.report(days=None, now=now).asked == 6


def test_a_thumbs_down_answer_is_reported_with_its_question_and_only_to_its_guild(tmp_path):
    log, votes = QuestionLog(tmp_path / "votes.sqlite"), VoteStore(tmp_path / "votes.sqlite")
    log.create()
    liked, disliked = (votes.record_answer(q, [1]) for q in ("Which ships left Tartus?", "Where do the troops go?"))
    log.log(HERE, answer("Which ships left Tartus?", "answer"), answer_id=liked)
    log.log(HERE, answer("Where do the troops go?", "answer", doc="doc-x"), answer_id=disliked)
    votes.vote(liked, user_id=5, vote=1)
    votes.vote(disliked, user_id=5, vote=-1)
    votes.vote(disliked, user_id=6, vote=-1)

    [down] = log.report(days=7).disliked
    assert (down.question, down.down, down.up, down.decision, down.top_doc) == ("Where do the troops go?", 2, 0, "answer", "doc-x")
    assert log.report(days=7, guild_id=1).disliked == [down]
    assert log.report(days=7, guild_id=2).disliked == [] and log.report(days=7, guild_id=2).asked == 0


def test_a_votes_file_from_before_the_log_stays_readable(tmp_path):
    path = tmp_path / "votes.sqlite"
    old = VoteStore(path)
    old.create()
    answer_id = old.record_answer("Which ships left Tartus?", [3])
    old.vote(answer_id, user_id=5, vote=-1)
    assert "questions" not in {r[0] for r in sqlite3.connect(path).execute("SELECT name FROM sqlite_master")}

    [down] = QuestionLog(path).report(days=7).disliked
    assert (down.question, down.down, down.decision) == ("Which ships left Tartus?", 1, None)
    assert [v.question for v in old.votes()] == ["Which ships left Tartus?"]


def test_no_file_yet_is_an_empty_report_and_creates_nothing(tmp_path):
    report = QuestionLog(tmp_path / "votes.sqlite").report(days=7)
    assert report.asked == 0 and report.gaps == [] and report.to_json()["answered_rate"] == 0.0
    assert not (tmp_path / "votes.sqlite").exists()
