"""One question, read once: `index.answer.question.Question` holds every reading the answer path makes of it."""

from __future__ import annotations

from datetime import date

import pytest

from index.answer import question as question_module
from index.answer.followup import NEW_SUBJECT, POINTS_BACK
from index.answer.question import Question
from index.answer.quote import AnswerType
from index.engine import Engine
from index.errors import EmptyQuestion
from index.ingest.build import ingest
from index.store.lexical import LexicalIndex
from index.text.words import singular, words
from index.types import Answer, Conversation, Turn


@pytest.fixture
def lexical(tmp_path):
    texts = ["Aaron Judge hit his 62nd home run of the season this week.",
             "Barry Bonds holds the major league record of 73 home runs."]
    LexicalIndex.build([1, 2], texts).save(tmp_path)
    return LexicalIndex.load(tmp_path)


def test_a_question_is_normalised_once_and_refused_when_empty():
    assert Question.of("  which ships\n left   Tartus? ").text == "which ships left Tartus?"
    assert str(Question.of("which ships left Tartus?")) == "which ships left Tartus?"
    for wordless in (" \n ", "?", " ?!… ", "—"):  # nothing to search for: said so, not "not in the corpus"
        with pytest.raises(EmptyQuestion):
            Question.of(wordless)
    assert Question.of("¿Qué pasó?").text == "¿Qué pasó?" and Question.of("Що сталося?").text == "Що сталося?"


def test_what_a_question_asks_for_is_read_from_it():
    q = Question("What did the club's manager say about the Rovers' Lisbon defeat in 2023?")
    assert q.speaker is not None and q.speaker.head == "manager"
    assert q.names == ["Rovers", "Lisbon", "2023"]
    assert Question("Before Calloway, who had been the club's most expensive signing?").names == ["Calloway"]
    assert q.capitalised == {"rovers", "lisbon"}  # as a quote's words are read: "Rovers'" is "Rovers"
    which = Question("Which Russian warships left Tartus this week?")
    assert which.focus == ["warships"] and which.answer_type.name and not which.answer_type.number
    assert Question("How many sirens did the county put up?").answer_type.counted == "siren"


@pytest.mark.parametrize("question, counted", [
    ("How much weight can the Old Mill Bridge take since the repairs?", "weight"),  # "a 20-ton weight limit"
    ("How much wheat did the ship have on board?", "wheat"),
    ("How much did the bridge cost?", ""), ("How much more does each trip cost?", ""),
    ("How much of the order has he paid back?", ""),
])
def test_how_much_of_a_thing_is_a_quantity_of_it(question, counted):
    assert Question(question).answer_type.counted == counted


def test_a_quantity_is_offered_next_to_its_thing():
    weight = Question("How much weight can the Old Mill Bridge take since the repairs?").answer_type
    assert weight.counts("The bridge now has a 20-ton weight limit, up from 10 tons before it closed.")
    assert not weight.counts("Replacing the bridge outright would cost an estimated $11 million.")


def test_the_asked_clause_is_the_question_after_the_scene_and_carries_the_weight(lexical):
    q = Question("Aaron Judge hit a record 62nd home run this week. Who holds the record with 73 home runs?",
                 lexical=lexical)
    assert q.asked_clause == "Who holds the record with 73 home runs?"
    judge = lexical.terms(["Judge"])[0][0]
    assert q.weights(context_share=0.3)[judge] == pytest.approx(q.terms[judge] * 0.3)
    assert q.weights(context_share=1.0) == q.terms


def test_words_the_corpus_never_uses_are_named(lexical):
    assert Question("Did Barry Bonds hit a home run in Zanzibar?", lexical=lexical).unseen == ["Zanzibar"]


def test_time_words_count_from_the_asking_date():
    q = Question("Which ships left Tartus this week?", as_of=date(2024, 12, 11))
    assert (q.window.since, q.window.until) == (date(2024, 12, 4), date(2024, 12, 11))  # its last seven days
    assert Question("Which ships left Tartus?", as_of=date(2024, 12, 11)).window is None


def test_a_follow_up_is_read_in_its_conversation():
    talk = Conversation().then(Turn.of(Answer("Which ships left Tartus?", "answer", documents=["d1"]),
                                       "Which ships left Tartus?"))
    back = Question("when did they leave?", context=talk)
    assert back.follow_up.kind == POINTS_BACK
    reading = back.reading()
    assert reading.text == "when did they leave? (ships left Tartus)" and reading.message == "when did they leave?"
    assert Question("what about the air base?", context=talk).follow_up.kind == NEW_SUBJECT
    assert Question("Which ships left Tartus?").follow_up is None  # outside a conversation


def test_each_reading_is_made_once_and_kept():
    q = Question("How much did the new bridge over the Ashby River cost?")
    assert q.answer_type is q.answer_type and q.names is q.names and q.words is q.words
    assert q.answer_type == AnswerType.of(q.text) and q.answer_type.money


def test_one_word_pattern_and_one_singulariser():
    assert words("which ship’s crew left U.S. waters?") == ["which", "ship’s", "crew", "left", "U", "S", "waters"]
    assert words("AT&T paid $1.5bn", "’'&.-") == ["AT&T", "paid", "1.5bn"]
    assert words("'Squid Game's' U.S.", "&-", "’'.") == ["Squid", "Game's", "U.S"]
    assert singular("Ships") == singular("ship’s") == singular("ship") == "ship"
    assert singular("boss") == "boss" and singular("bus") == "bus"  # not a plural's "s"
    assert singular("bus", any_s=True) == "bu"  # the rule follow-ups were measured with


def test_the_engine_reads_a_question_once_however_many_searches_it_makes(settings, sample_corpus, monkeypatch):
    ingest(settings, [sample_corpus])
    engine = Engine.open(settings)
    made = {"normalised": 0, "typed": 0}
    normalize, of = question_module.normalize_question, AnswerType.of.__func__

    def counted_normalize(text):
        made["normalised"] += 1
        return normalize(text)

    def counted_of(cls, text):
        made["typed"] += 1
        return of(cls, text)

    monkeypatch.setattr(question_module, "normalize_question", counted_normalize)
    monkeypatch.setattr(AnswerType, "of", classmethod(counted_of))
    # a window the question names that holds no answer: searched inside it, then in the whole corpus
    engine.ask("What did Peskov say about the bases in Syria last week?", as_of=date(2025, 6, 1))
    assert made == {"normalised": 1, "typed": 1}
    parsed = Question.of("What did Peskov say about the bases in Syria?")
    assert engine.ask(parsed).quotes == engine.ask(parsed.text).quotes
