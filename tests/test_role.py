"""The role a question asks a person by, and whether a report names it."""

import pytest

from index.answer.question import Question
from index.answer.role import Role
from index.answer.signals import _unstated

STAND = ("Fiona Garside, the club's chief operating officer, said the design had been shaped by what supporters "
         "have told us for years.")


@pytest.mark.parametrize("question, phrase", [
    ("Which architect designed the Opole factory?", "architect"),
    ("Who was the architect behind the North Stand design?", "architect"),
    ("Who refereed the Rovers' Crown Cup semi-final?", "referee"),
    ("Who did Mayor Solberg hire as the town's grants manager?", "grants manager"),
    ("Who replaced Tomas Reinholt as Rovers manager?", "rovers manager"),
    ("Who was Calloway Fasteners' chief executive when the plant closed?", "chief executive"),
])
def test_a_question_asks_a_person_by_role(question, phrase):
    assert Role.asked_in(question).phrase == phrase


@pytest.mark.parametrize("question", [
    "What did the mayor say about the vote?",  # whose words: index.answer.speaker
    "Who is the boss of the company that sued Norvale?",  # too loose a word: a report says "chief executive"
    "Who won the race for mayor?", "Which council member voted no?", "Which firm is building the stand?",
])
def test_other_questions_ask_by_no_role(question):
    assert Role.asked_in(question) is None


def test_a_role_is_named_in_any_of_its_forms():
    assert Role.asked_in("Which architect designed it?").named_in("The architects, Pemberton Stahl, said …")
    ceo = Role.asked_in("Who was Norvale's CEO before Ilse Marchetti?")
    assert ceo.named_in("Ilse Marchetti, its chief executive since 2015, will retire.")
    assert not ceo.named_in("Chief financial officer Henrik Soll said costs had peaked.")


def test_a_role_is_named_by_its_kin_too():
    lawyer = Role.asked_in("Which lawyer is representing Pontus Meridian?")
    assert lawyer.named_in("The company's counsel, Selim Ozan, said the detention was illegal.")
    assert Role.asked_in("Who was the architect behind the stand?").named_in("The stand was designed by Halden Moss.")


def test_a_role_no_quoted_passage_names_counts_as_missing():
    assert _unstated(Question("Who was the architect behind the North Stand design?"), [STAND])
    assert not _unstated(Question("Who was the architect behind the North Stand design?"),
                             [STAND, "The stand was designed by architects Halden Moss."])
    assert not _unstated(Question("What did the club say about the stand's design?"), [STAND])
