"""Questions about who held a post before or after someone, and whether a report names that handover."""

import pytest

from index.answer.question import Question
from index.answer.signals import _unstated
from index.answer.succession import Succession

APPOINTED = ("Tomas Reinholt has been appointed manager of Eastvale Rovers, ending a three-week search for Neil "
             "Brannigan's successor.")


@pytest.mark.parametrize("question, name, after", [
    ("Who replaced Tomas Reinholt as Rovers manager?", "Reinholt", True),
    ("Who succeeded Alan Marchetti as chief executive of St. Brigid's?", "Marchetti", True),
    ("Who was Norvale's chief executive before Ilse Marchetti?", "Marchetti", False),
    ("Who managed the Rovers before Neil Brannigan?", "Brannigan", False),
    ("Who led the Maritime Cooperation Council before Maren Ostrowska?", "Ostrowska", False),
])
def test_a_question_asks_who_came_before_or_after_someone(question, name, after):
    assert Succession.asked_in(question) == Succession(name, after)


@pytest.mark.parametrize("question", ["Who won the MVP award the season before Achterberg?",
                                      "Who replaced the roof?", "Which ships left Tartus?"])
def test_other_questions_ask_about_no_handover(question):
    assert Succession.asked_in(question) is None


def test_a_handover_counts_only_with_the_person_on_the_asked_side():
    successor = Succession.asked_in("Who replaced Tomas Reinholt as Rovers manager?")
    assert not successor.stated_in(APPOINTED)  # Reinholt is Brannigan's successor, not the other way round
    assert not successor.stated_in("Brannigan was replaced by Tomas Reinholt.")
    assert successor.stated_in("Dunmore appointed Lee Cole to succeed Tomas Reinholt.")
    predecessor = Succession.asked_in("Who led the Council before Maren Ostrowska?")
    assert predecessor.stated_in("Ostrowska, 54, will take over on January 1 from Paolo Ferrante.")
    assert not predecessor.stated_in("Ostrowska took over as secretary-general in 2025.")  # from whom: not said


def test_a_handover_no_quoted_passage_names_counts_as_missing():
    assert _unstated(Question("Who replaced Tomas Reinholt as Rovers manager?"), [APPOINTED])
    assert not _unstated(Question("Who did the Rovers appoint as manager?"), [APPOINTED])
