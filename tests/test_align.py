"""The answering sentence of a paraphrased question (issue 24): the asked words no candidate sentence holds are looked
for in other words (index.answer.align), with the real all-MiniLM-L6-v2 model."""

from dataclasses import replace
from pathlib import Path

import pytest
from engines import engine_over

from index.answer.align import WordVectors, absent, aligned_share, asked_words
from index.answer.sentences import SentenceModel
from index.engine import Engine

pytestmark = pytest.mark.model

DATA = Path(__file__).parent / "data" / "align"
ALIGNED = 0.2314  # the feature's weight as scripts/fit_sentences.py fitted it (measured, not shipped: docs/quality.md)


def test_the_asked_words_are_the_clause_s_content_words_without_its_names():
    assert asked_words("Who was the architect behind the North Stand design?", ["North Stand"]) == [
        "architect", "behind", "design"]
    assert asked_words("How much did Calloway cost the Rovers?", ["Calloway", "Rovers"]) == ["cost"]


def test_only_the_asked_words_no_sentence_holds_are_looked_for_in_other_words():
    sentences = ["The project is estimated to cost £38 million.", "Brennock Construction will build the stand."]
    assert absent(["costs", "architect", "building"], sentences) == ["architect"]


def test_a_sentence_that_states_the_asked_relation_in_other_words_aligns(real_encoder):
    vectors = WordVectors(real_encoder)
    paid = "Eastvale Rovers have signed winger Rhys Calloway from Carrow Vale for a fee of £1.2 million."
    scored = "Calloway scored eleven goals for Carrow Vale last season."
    assert aligned_share(["cost"], [paid, scored], vectors) == [1.0, 0.0]
    assert aligned_share([], [paid, scored], vectors) == [0.0, 0.0]  # nothing missing: nothing to tell apart


def test_a_word_s_vector_does_not_depend_on_what_was_encoded_before(real_encoder):
    fresh = WordVectors(real_encoder)(["replacement", "nurses"])
    warmed = WordVectors(real_encoder)
    warmed(["agency", "strike", "unrelated", "words", "first"])
    assert (warmed(["replacement", "nurses"]) == fresh).all()


@pytest.fixture(scope="module")
def desk(tmp_path_factory, real_encoder) -> Engine:
    return engine_over(tmp_path_factory.mktemp("align"), DATA, real_encoder)


def weighing_the_alignment(engine: Engine) -> SentenceModel:
    return replace(engine.sentence_model, weights={**engine.sentence_model.weights, "aligned": ALIGNED})


def test_a_paraphrased_question_gets_the_sentence_that_answers_it_in_other_words_first(desk):
    """"design" is in no sentence of the story: weighed, the alignment puts first the one whose "drawings" say it,
    not the lede that names the stand."""
    shipped = desk.sentence_model
    desk.sentence_model = weighing_the_alignment(desk)
    try:
        answer = desk.ask("Whose design is the new stand?")
        fee = desk.ask("How much was the fee for Calloway?")  # nothing missing: nothing moved
    finally:
        desk.sentence_model = shipped
    assert answer.decision == "answer"
    assert answer.quotes[0].doc_id == "north-stand"
    assert answer.quotes[0].text.startswith("The drawings are the work of Mira Castell")
    assert fee.quotes[0].text.startswith("The club paid a fee of £1.2 million")


def test_the_shipped_model_does_not_weigh_it_and_quotes_the_lede_first(desk):
    assert "aligned" not in desk.sentence_model.weights
    first = desk.ask("Whose design is the new stand?").quotes[0]
    assert "Eastvale Rovers unveiled plans" in first.text
