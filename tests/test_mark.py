"""The answer at a glance: which words of a quote `index.answer.mark` marks as answering the question."""

from __future__ import annotations

import re
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from index.store.lexical import Terms
from index.answer.mark import Marker, pieces
from index.answer.question import Question

TERMS = Terms()


def marked(question: str, sentence: str) -> list[str]:
    return [sentence[a:b] for a, b in Marker.of(Question(question))(sentence)]


@pytest.mark.parametrize("question, sentence, answer", [
    ("When did the frigate leave the port?",
     'In particular, on December 8, the frigate "Admiral Hryhorovych" left the Syrian port of Tartus.', ["December 8"]),
    ("When did the bus line to the warehouse start?",
     "Route 9 starts on Monday, November 11, connecting the transit center with the warehouse.", ["Monday, November 11"]),
    ("When does the recall phone line close?",
     "The phone line will stay open until the end of 2025, the company said.", ["until the end of 2025"]),
    ("What year did the Old Mill Bridge go up?",
     "The bridge, built in 1938, carried an average of 11,400 vehicles a day.", ["1938"]),
    ("How many flood sirens did the county put up?",
     "In 2023 the county installed eight new sirens along the river at a cost of $120,000.", ["eight"]),
    ("How much oil leaked from the tanker?",
     "The coast guard estimated that about 120 tonnes of oil had leaked.", ["about 120 tonnes"]),
    ("How much did Calloway cost the Rovers?",
     "Eastvale Rovers have signed winger Rhys Calloway for a fee of £1.2 million, the club confirmed on Tuesday.",
     ["£1.2 million"]),
    ("After the slowdown, what did Norvale lower its sales target to?",  # "what … to" says nothing; "target" is a sum
     "Norvale now expects sales of between £640 million and £660 million.", []),
    ("What did the east wing end up costing?",
     "The east wing cost $241 million in the end, up from $180 million.", ["$241 million", "$180 million"]),
    ("Which council member was the only one to oppose the contract?",
     "Council member Frank Dusek cast the lone no vote, Mayor Gloria Ashdown said.", ["Frank Dusek"]),
    ("Who replaced Ilse Marchetti as chief executive?",
     "Rowan Ashdown today became chief executive, succeeding Ilse Marchetti.", ["Rowan Ashdown"]),
    ("Which company built the North Stand?",
     "The stand was built by the contractor Brennock Construction, the club said.", ["Brennock Construction"]),
    ("Which vessels sailed out of Tartus?",
     'On December 8 the frigate "Admiral Hryhorovych" and the cargo ship "Engineer Trubin" left Tartus.',
     ["Admiral Hryhorovych", "Engineer Trubin"]),
    ("Which ships left Tartus?",  # it speaks of warships but names none: the places and people are not the answer
     "After the loss of Damascus, the Russian military withdrew warships from the base in Tartus, GUR reports.", []),
    ("Where is the fastener work going once the factory shuts?",
     "It will move the work to a newer plant in Monterrey, Mexico, and to its factory in Greenville, South Carolina.",
     ["Monterrey, Mexico", "Greenville, South Carolina"]),
    ("Where was the hiring fair held?",
     "More than 300 people came to the hiring fair at the Millbrook Armory on Saturday.", ["Millbrook Armory"]),
    ("What did the mayor say about whether families would be made to sell?",
     '"We are not going to force anyone out of their home," Mayor Gloria Ashdown said.',
     ["We are not going to force anyone out of their home"]),
    ("What did the insurer say about the clean-up?",
     "The underwriter has agreed to pay for the operation, a spokesman said.",
     ["The underwriter has agreed to pay for the operation"]),
    ("Why did the bridge reopening slip?",
     "The bridge will not reopen this fall because the new steel beams arrived nearly five months late.",
     ["because the new steel beams arrived nearly five months late"]),
])
def test_the_words_that_answer_are_marked(question, sentence, answer):
    assert marked(question, sentence) == answer


@pytest.mark.parametrize("question, sentence", [
    ("When did the frigate leave the port?", "The frigate left the port of Tartus under escort."),  # no date in it
    ("How many ships left the port?", "Several ships left the port of Tartus."),  # no figure
    ("Who signed the contract?", "the contract was signed at dawn without ceremony."),  # no name
    ("What did the council do about the library?", "The council voted to restore Sunday hours on March 3."),  # no type
    ("Where did the ships go?", "The ships left on December 8."),
])
def test_nothing_is_marked_when_nothing_of_the_asked_kind_is_there(question, sentence):
    assert marked(question, sentence) == []


@pytest.mark.parametrize("question, sentence, answer", [
    ("When in 2024 did the frigate leave?", "The frigate left on December 8, 2024.", ["December 8"]),
    ("Who did Calloway replace on the wing?", "Winger Rhys Calloway replaced Tom Ashby in the 60th minute.", ["Tom Ashby"]),
    ("How many goals did Akinde score in the 2-1 win?", "Akinde scored twice in the 2-1 win, his 14th goal of the season.",
     ["14th"]),
    ("What did the fire chief say about the flood?",
     '"This flood was the worst I have seen," the fire chief said.', ["worst I have seen"]),
])
def test_a_word_of_the_question_is_never_marked(question, sentence, answer):
    assert marked(question, sentence) == answer


WORDS = ["the", "port", "Tartus", "December", "8", "2024", "ships", "left", "Frank", "Dusek", "said", "$4.2", "million",
         "in", "Monterrey", "Mexico", "“", "”", '"', ",", ".", "because", "of", "forty", "percent", "Council", "member",
         "when", "who", "how", "many", "much", "where", "why", "what", "did", "say", "@everyone", "<@123>", "**"]
QUESTIONS = ["When did the ships leave {}?", "How many {} left?", "How much did {} cost?", "Who {} the port?",
             "Where did {} go?", "What did {} say?", "Why did {} leave?", "Which company {}?"]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(WORDS), max_size=40), st.sampled_from(QUESTIONS), st.lists(st.sampled_from(WORDS), max_size=4))
def test_marks_are_whole_words_in_order_and_none_is_a_word_of_the_question(words, template, asked):
    question, text = template.format(" ".join(asked)), " ".join(words)
    spans = Marker.of(Question(question))(text)
    own = {w for w in re.findall(r"[^\W_]+", question.casefold())} - TERMS.stopwords
    assert list(spans) == sorted(spans)
    for (a, b), after in zip(spans, [*spans[1:], (len(text) + 1, 0)]):
        assert 0 <= a < b <= after[0]
        assert text[a:b] == text[a:b].strip() and text[a:b]
        assert not {w for w in re.findall(r"[^\W_]+", text[a:b].casefold())} & own


def test_marking_a_huge_hostile_quote_is_bounded():
    text = ("“" + "1,1.1 December 8 Frank Dusek because " * 5_000) * 2
    start = time.perf_counter()
    Marker.of(Question("What did Frank say, and when?"))(text)
    Marker.of(Question("How many were there?"))(text)
    assert time.perf_counter() - start < 2


def test_pieces_show_the_text_with_its_spacing_collapsed_cut_at_the_marks():
    text = "  On\nDecember   8, the frigate\tleft.  "
    start = text.index("December")
    assert pieces(text, [(start, start + len("December   8"))]) == [
        ("On ", False), ("December 8", True), (", the frigate left.", False)]
    assert pieces(text, []) == [("On December 8, the frigate left.", False)]
    assert pieces("abc", [(0, 2), (1, 3), (5, 9)]) == [("ab", True), ("c", False)]  # overlapping, outside: left out
