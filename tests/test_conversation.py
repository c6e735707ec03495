"""Follow-up questions read in their conversation, and reports that differ or agree (no model needed)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from bot.conversations import ConversationStore
from bot.render import answer_embed
from index.answer.disagree import compare, counts
from index.answer.question import Question
from index.answer.followup import NEW_SUBJECT, OWN_SUBJECT, POINTS_BACK, depends, read
from index.types import Answer, Conversation, Quote, Turn
from newsdesk.cli import main

REPO = Path(__file__).resolve().parent.parent

TARTUS = Conversation((Turn("Which ships left Tartus?", ("doc-1",)),))


# --------------------------------------------------------------------------- follow-ups
@pytest.mark.parametrize("message", ["What date was that?", "Who says so?", "When did they leave?", "How many ships?"])
def test_a_message_that_points_back_is_read_with_the_conversations_terms(message):
    assert depends(message)
    follow = read(message, TARTUS)
    assert follow.kind == POINTS_BACK
    assert follow.question.startswith(message) and "Tartus" in follow.carried
    assert follow.documents == {"doc-1"}


@pytest.mark.parametrize("message", ["What about the cargo ship?", "and the bases?", "And the air base?",
                                     "and the cargo ship's fleet?", "Which fleet is the cargo ship from?",
                                     "What did they take from the air base?", "what did Ankara say?",
                                     "What is Russia moving from Khmeimim?"])
def test_a_message_turning_to_a_new_subject_is_asked_without_the_old_terms_in_the_conversations_documents(message):
    follow = read(message, TARTUS)
    assert follow.kind == NEW_SUBJECT
    assert follow.question == message and follow.carried == ()
    assert follow.documents == {"doc-1"}


@pytest.mark.parametrize("message", ["What did the Kremlin's press secretary say about the Russian bases?",
                                     "Who approved the city budget for next year?"])
def test_a_message_that_names_its_own_subject_is_asked_as_it_is(message):
    assert not depends(message)
    follow = read(message, TARTUS)
    assert follow.kind == OWN_SUBJECT and follow.question == message and follow.carried == ()
    assert not follow.documents


def test_without_a_conversation_nothing_is_a_follow_up():
    assert read("What date was that?", None) is None
    assert read("What date was that?", Conversation()) is None


def test_words_the_message_already_has_are_not_added_again():
    follow = read("How many ships?", TARTUS)
    assert follow.carried == ("left", "Tartus")  # "ships" is already there
    assert follow.question == "How many ships? (left Tartus)"


def test_the_topic_is_the_last_question_that_stood_alone_and_the_window_is_kept():
    talk = Conversation((
        Turn("Which ships left Tartus?", ("doc-1",)),
        Turn("What did Peskov say about Turkey?", ("doc-2",), date(2024, 12, 1), date(2024, 12, 9)),
        Turn("When did he say it?", ("doc-2",), date(2024, 12, 1), date(2024, 12, 9)),
    ))
    follow = read("Who else says so?", talk)
    assert follow.carried == ("Peskov", "Turkey")
    assert follow.documents == {"doc-2"}
    assert (follow.since, follow.until) == (date(2024, 12, 1), date(2024, 12, 9))


# --------------------------------------------------------------------------- disagreement
@pytest.mark.parametrize("text, subject, value, written", [
    ("At least 30 people were killed in the blast, officials said.", "dead", 30, "30 people were killed"),
    ("The death toll rose to 42, the ministry said.", "dead", 42, "toll rose to 42"),
    ("Rescuers counted 42 dead.", "dead", 42, "42 dead"),
    ("Gunmen killed at least 30 people.", "dead", 30, "killed at least 30 people"),
    ("Twelve passengers were injured.", "injured", 12, "Twelve passengers were injured"),
    ("The plant will cut 1,200 jobs by 2025.", "job", 1200, "1,200 jobs"),
    ("The project costs $5 million.", "dollars", 5e6, "$5 million"),
])
def test_counts_say_what_a_number_counts(text, subject, value, written):
    [(s, v, start, end)] = counts(text)
    assert (s, v, text[start:end]) == (subject, value, written)


def test_years_days_and_times_are_not_counts():
    assert counts("On December 8, 2024 at 10:30 the ships left.") == []


def quote(text, doc, day, source, attribution="", story="Lindholm"):
    """A report of one story (its title names it: without passage vectors, a shared name is what links reports)."""
    return Quote(text=text, doc_id=doc, title=f"The {story} ferry", date=day, source=source, url="",
                 attribution=attribution or source, score=1.0, start=0, end=len(text))


def test_reports_giving_different_figures_differ_oldest_first():
    quotes = [quote("The death toll reached 42, the ministry said.", "b", "2025-03-04", "National Wire"),
              quote("At least 30 people were killed, the coast guard said.", "a", "2025-03-02", "Coastal Herald")]
    [c] = compare(quotes, Question("How many people died when the ferry capsized?"))
    assert c.verdict == "differ" and c.subject == "dead"
    assert [(x.value, x.date) for x in c.claims] == [("30 people were killed", "2025-03-02"),
                                                    ("toll reached 42", "2025-03-04")]


def test_reports_giving_the_same_figure_agree():
    quotes = [quote("Twelve passengers were injured.", "a", "2025-05-10", "City News"),
              quote("The fire brigade said 12 people were injured.", "b", "2025-05-10", "Evening Post"),
              quote("The crash injured 12 passengers.", "c", "2025-05-12", "Radio North")]
    [c] = compare(quotes, Question("How many people were hurt in the tram crash?"))
    assert c.verdict == "agree" and c.subject == "injured"
    assert [x.doc_id for x in c.claims] == ["a", "b", "c"]


def test_one_report_alone_or_things_the_question_is_not_about_are_not_compared():
    assert compare([quote("30 people were killed.", "a", "2025-01-01", "A"),
                    quote("42 people were killed.", "a", "2025-01-02", "A")], Question("How many died?")) == []
    buses = [quote("The city ordered 30 buses.", "a", "2025-04-01", "A"),
             quote("The city ordered 42 buses.", "b", "2025-04-03", "B")]
    assert compare(buses, Question("What did the city order?")) == []
    assert [c.verdict for c in compare(buses, Question("How many buses did the city order?"))] == ["differ"]


def test_a_report_stating_several_values_is_left_out():
    quotes = [quote("The death toll rose from 3 to 5 overnight.", "a", "2025-06-01", "A"),
              quote("Five people died in the floods.", "b", "2025-06-03", "B")]
    assert compare(quotes, Question("How many people died in the floods?")) == []


def test_the_shell_marks_the_newest_report_as_discord_does_and_strips_terminal_escapes(capsys):
    from newsdesk.cli import _print_answer

    differing = [quote("At least 30 people were killed.", "a", "2025-03-02", "Coastal \x1b[31mHerald"),
                 quote("The death toll reached 42.", "b", "2025-03-04", "National Wire")]
    agreeing = [quote("At least 30 people were killed.", "a", "2025-03-02", "A"),
                quote("Officials said 30 people were killed.", "b", "2025-03-04", "B")]
    for quotes, head, source in ((differing, "Sources differ, oldest first (dead):", "Coastal Herald"),
                                 (agreeing, "2 reports agree (dead):", "A")):
        _print_answer(Answer("How many people died?", "answer", quotes,
                             comparisons=compare(quotes, Question("How many people died?"))))
        out = capsys.readouterr().out
        assert head in out and "\x1b" not in out
        older, newer = [line for line in out.splitlines() if line.startswith("  “")]
        assert older.endswith(f"2025-03-02 · {source}")  # a source that is its own attribution is named once
        assert newer.endswith("(newest)")  # like the Discord field, whether the reports agree or not


def test_dates_are_compared_when_the_question_asks_when():
    quotes = [quote("The summit will open on March 3.", "a", "2025-01-05", "A"),
              quote("The summit will now open on March 5.", "b", "2025-02-20", "B")]
    [c] = compare(quotes, Question("When will the summit open?"))
    assert c.subject == "date" and [x.value for x in c.claims] == ["March 3", "March 5"]
    assert compare(quotes, Question("Where will the summit open?")) == []


def test_the_embed_shows_differing_reports_side_by_side_with_the_newest_marked():
    quotes = [quote("At least 30 people were killed.", "a", "2025-03-02", "Coastal **Herald**"),
              quote("The death toll reached 42.", "b", "2025-03-04", "National Wire")]
    answer = Answer("How many people died?", "answer", quotes,
                    comparisons=compare(quotes, Question("How many people died?")))
    embed = answer_embed(answer).to_dict()
    field = embed["fields"][0]
    assert field["name"].startswith("⚠️ Sources differ (dead)")
    first, second = field["value"].splitlines()
    assert "30 people were killed" in first and "2025-03-02" in first and "Coastal \\*\\*Herald\\*\\*" in first
    assert "toll reached 42" in second and second.endswith("**(newest)**")
    assert len(embed["fields"]) == 3  # then the two quotes


def test_a_follow_up_is_titled_as_asked_and_says_how_it_was_read():
    answer = Answer("What date was that? (ships left Tartus)", asked="What date was that?", reading=POINTS_BACK)
    embed = answer_embed(answer).to_dict()
    assert embed["title"] == "What date was that?"
    assert embed["description"].startswith("*Read as: What date was that? (ships left Tartus) (pointing back")

    turned = Answer("And the air base?", reading=NEW_SUBJECT, within=True)
    assert answer_embed(turned).to_dict()["description"].startswith(
        "*Read as a new subject, answered from this conversation's documents*")


# --------------------------------------------------------------------------- the bot's memory of conversations
def test_the_conversation_store_keeps_each_conversations_latest_turns(tmp_path):
    store = ConversationStore(tmp_path / "conversations.sqlite")
    store.create()
    store.record(100, 1, Turn("Which ships left Tartus?", ("doc-1",)))
    store.record(100, 2, Turn("What date was that?", ("doc-1", "doc-2"), date(2024, 12, 8), date(2024, 12, 15)))
    store.record(200, 3, Turn("Who approved the budget?", ("doc-3",)))

    assert store.conversation_of(2) == 100 and store.conversation_of(99) is None
    talk = store.context(100)
    assert [t.question for t in talk.turns] == ["Which ships left Tartus?", "What date was that?"]
    assert talk.turns[1] == Turn("What date was that?", ("doc-1", "doc-2"), date(2024, 12, 8), date(2024, 12, 15))
    assert store.context(300) == Conversation()


# --------------------------------------------------------------------------- the CLI
def test_ask_after_a_previous_question_reads_the_follow_up_in_its_context(settings, sample_corpus, monkeypatch, capsys):
    monkeypatch.setenv("EMBEDDING_MODEL", "hash")
    monkeypatch.setenv("INDEX_DIR", str(settings.index_dir))
    monkeypatch.chdir(settings.data_dir.parent)
    assert main(["ingest", str(sample_corpus)]) == 0
    capsys.readouterr()

    assert main(["ask", "What date was that?", "--after", "Which ships left Tartus?", "--json"]) == 0
    answer = json.loads(capsys.readouterr().out)
    assert answer["asked"] == "What date was that?"
    assert answer["question"] == "What date was that? (ships left Tartus)"

    assert main(["ask", "What did Peskov say?", "--after", "Which ships left Tartus?", "--json"]) == 0
    assert "asked" not in json.loads(capsys.readouterr().out)


# --------------------------------------------------------------------------- the follow-up evaluation
def test_every_shipped_follow_up_pair_is_well_formed_and_reads_as_a_follow_up():
    from index.eval.followups import load_pairs

    pairs = load_pairs(REPO / "eval" / "followups.jsonl")
    assert len(pairs) >= 20 and len({p.id for p in pairs}) == len(pairs)
    for p in pairs:
        assert p.first.endswith("?") and p.followup.endswith("?")
        assert depends(p.followup), p.followup  # the follow-up leans on its first question


def test_the_follow_up_evaluation_compares_asking_alone_and_in_context(settings, sample_corpus, tmp_path):
    from index.engine import Engine
    from index.eval.evaluate import EvalQuestion
    from index.eval.followups import FollowUpPair, evaluate_followups
    from index.ingest.build import ingest

    ingest(settings, [sample_corpus])
    engine = Engine.open(settings)
    doc = engine.summary().titles[0][0]
    questions = {"q1": EvalQuestion("q1", "unused", ("December 8",), frozenset({doc}), date(2024, 12, 10))}
    results = evaluate_followups(engine, [FollowUpPair("q1", "Which ships left Tartus?", "What date was that?")], questions)

    assert [r.name for r in results] == ["first question", "follow-up alone", "follow-up in context"]
    assert all(r.pairs == 1 for r in results)
    assert results[2].per_pair[0]["question"] == "What date was that? (ships left Tartus)"
    assert results[2].hits5 == 1.0
