"""Quote selection reads what kind of answer a question asks for."""

import pytest

from index.quote import AnswerType, focus_words


@pytest.mark.parametrize("question, sentence, offered", [
    ("Approximately how many customers were without power due to Hurricane Ian?",
     "About 2.5 million customers lost power.", True),
    ("Approximately how many customers were without power due to Hurricane Ian?",
     "Hurricane Ian left customers without power across Florida.", False),
    ("What percentage of plastic is recycled, according to the EPA?", "Only 9% is recycled, the EPA said.", True),
    ("Liz Truss became the new prime minister of which country this week?",
     "Truss is the new leader of the United Kingdom.", True),
    ("Liz Truss became the new prime minister of which country this week?",
     "Liz Truss became prime minister on Tuesday.", False),  # a weekday is not a name
    ("Who won the vote in Moldova?", "The result surprised everyone.", False),
])
def test_a_sentence_offers_the_kind_of_answer_asked_for(question, sentence, offered):
    assert AnswerType.of(question).offered_by(sentence) is offered


def test_questions_without_an_answer_type_expect_nothing():
    expects = AnswerType.of("Tell me about the port of Tartus.")
    assert not expects.number and not expects.name and not expects.offered_by("Tartus is in Syria, 2024.")


def test_focus_words_stop_at_the_verb_or_a_name():
    assert focus_words("which ships left Tartus?") == ["ships"]
    assert focus_words("Which wildly popular show was green lit?") == ["wildly", "popular", "show"]
