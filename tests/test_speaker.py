"""Whose words a question asks for, and whether a quoted sentence carries them."""

import pytest

from index.answer.speaker import Speaker

ARTICLE = ("Rovers manager Tom Reilly said the injury was serious. Jane Ode, the club's physio, agreed. "
           "“He will be out for six weeks,” Reilly said.")


@pytest.mark.parametrize("question, words, named", [
    ("What did the club's manager say about the injury?", {"club", "manager"}, False),
    ("How did the fire chief explain the cause?", {"fire", "chief"}, False),
    ("What was the mayor's reaction to the vote?", {"mayor"}, False),
    ("What did Peskov say about regional partners?", {"peskov"}, True),
])
def test_a_question_names_its_speaker_by_role_or_by_name(question, words, named):
    speaker = Speaker.asked_in(question)
    assert speaker.words == words and speaker.named is named


@pytest.mark.parametrize("question", ["Which ships left Tartus?", "Why did the council vote against the plan?",
                                      "What did you say?"])
def test_other_questions_ask_for_nobody_s_words(question):
    assert Speaker.asked_in(question) is None


def test_a_role_is_matched_through_the_name_the_article_gives_it():
    manager = Speaker.asked_in("What did the club's manager say about the injury?")
    aliases = manager.aliases(ARTICLE)
    assert aliases == {"tom", "reilly"}
    assert manager.says("“He will be out for six weeks,” Reilly said.", "Reilly", aliases)
    assert not manager.says("Jane Ode, the club's physio, agreed.", "Jane Ode", aliases)


REPORT = ("“We grew in a difficult market,” said chief executive Ilse Marchetti. "
          "Chief financial officer Henrik Soll said component costs had peaked. “The second half is always our "
          "busiest,” he said.")


@pytest.mark.parametrize("question", ["Why is the second half busiest, according to its finance chief?",
                                      "What did Norvale's CFO say about the second half?"])
def test_an_office_is_found_under_any_of_its_names(question):
    finance_chief = Speaker.asked_in(question)
    assert not finance_chief.named
    aliases = finance_chief.aliases(REPORT)
    assert aliases == {"henrik", "soll"}
    assert finance_chief.says("“The second half is always our busiest,” he said.", "Henrik Soll", aliases)
    assert not finance_chief.says("“We grew in a difficult market,” said chief executive Ilse Marchetti.",
                                  "Ilse Marchetti", aliases)


def test_a_name_beside_an_office_is_still_a_name():
    assert Speaker.asked_in("What did CEO Ilse Marchetti say about the recall?").named
