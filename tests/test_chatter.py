"""A question posted in a team channel is read without the chat around it (index.text.chatter)."""

from __future__ import annotations

import pytest

from index.text.chatter import unframed


@pytest.mark.parametrize("said, asked", [
    ("hey, who replaced Tomas Reinholt?", "who replaced Tomas Reinholt?"),
    ("hi all, does anyone know what reason Calloway gave?", "what reason Calloway gave?"),
    ("Quick question: what did the mayor say?", "what did the mayor say?"),
    ("newsdesk, which ships left Tartus?", "which ships left Tartus?"),
    ("@newsdesk which ships left Tartus?", "which ships left Tartus?"),
    ("which ships left Tartus? thanks!", "which ships left Tartus?"),
    ("Who won the derby, anyone?", "Who won the derby?"),
    ("What year did the bridge go up?? 🙏", "What year did the bridge go up?"),
    ("sorry if this was asked before, but which firm is building the stand?", "which firm is building the stand?"),
    ("can someone remind me: why did the plant close?", "why did the plant close?"),
    ("btw who lost?", "who lost?"),
    ("Who won? (for the 6pm bulletin)", "Who won?"),
    ("Which ships left Tartus? I need it for the 6pm bulletin.", "Which ships left Tartus?"),
    ("Привіт всім, хто замінив Рейнгольта? дякую!", "хто замінив Рейнгольта?"),
    ("Подскажите, пожалуйста, кто победил?", "кто победил?"),
])
def test_the_chat_around_a_question_is_set_aside(said, asked):
    assert unframed(said) == asked


@pytest.mark.parametrize("question", [
    "Did police charge anyone?",  # "anyone" asked about, not a nudge
    "Okay Computer was released when?",  # a greeting's word starting a name
    "Good Morning America aired what?",
    "Hello Kitty maker Sanrio earned how much?",
    "Wait times rose how much?",
    "Please Please Me was released when?",
    "So who replaced him?",  # "so", "and", "but" mark a follow-up: kept
    "Who won? The final was on Sunday.",  # what follows the question mark says more
    "Who won? (the final)",
    "Q3 revenue?",
])
def test_a_question_without_chat_is_kept_as_it_is(question):
    assert unframed(question) == question


@pytest.mark.parametrize("chatter", ["hey", "thanks!", "🙏", "?"])
def test_chatter_alone_is_kept_for_the_question_readers_to_refuse(chatter):
    assert unframed(chatter) == chatter
