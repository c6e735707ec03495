"""The answer decision as a user meets it on the sample article, with the real model: answer, unsure, not found."""

import pytest

pytestmark = pytest.mark.model


@pytest.mark.parametrize("question, sentence", [
    ("Where will parts of the Russian troops be moved before going home?",
     "Parts of Russian troops are planned to be moved to regions controlled by Turkey"),
    ("What did Peskov say about contacts with regional partners?", "We consult with regional partners."),
    ("Which fleet does the Engineer Trubin belong to?", "of the Northern Fleet"),
    ("Which Russian warships were withdrawn from Syria?", "the frigate \"Admiral Hryhorovych\""),
])
def test_questions_the_article_answers_are_answered_with_the_sentence(real_engine, question, sentence):
    answer = real_engine.ask(question)

    assert answer.decision == "answer" and answer.answered
    assert sentence in answer.quotes[0].text


@pytest.mark.parametrize("question", ["Who won the 2018 World Cup?", "What is the speed of light in a vacuum?",
                                      "How do I bake sourdough bread?"])
def test_questions_the_corpus_knows_nothing_of_are_not_found(real_engine, question):
    answer = real_engine.ask(question)

    assert answer.decision == "not_found"
    assert not answer.quotes and not answer.nearest and answer.missing


def test_the_json_says_the_decision(real_engine):
    sure = real_engine.ask("which ships left Tartus?").to_json()
    lost = real_engine.ask("What is the speed of light in a vacuum?").to_json()

    assert (sure["decision"], sure["answered"]) == ("answer", True)
    assert (lost["decision"], lost["answered"], lost["nearest"]) == ("not_found", False, [])
    assert lost["missing"] == ["speed", "light", "vacuum"]
