"""A business period's shorthand in a question is read as reports write it: "Q3 2023" as "the third quarter of 2023"."""

import pytest

from index.answer.question import Question
from index.text.periods import spelled_out

WRITTEN_OUT = [
    ("Why did Norvale cut its forecast after Q3 2023?",
     "Why did Norvale cut its forecast after the third quarter of 2023?"),
    ("What revenue did Norvale report for FY2024?", "What revenue did Norvale report for fiscal 2024?"),
    ("FY24 results?", "fiscal 2024 results?"),
    ("What happened in H1 2024?", "What happened in the first half of 2024?"),
    ("Were sales up in Q4?", "Were sales up in the fourth quarter?"),
    ("How were 3Q23 sales?", "How were third quarter of 2023 sales?"),
    ("What was the Q4'23 margin?", "What was the fourth quarter of 2023 margin?"),
    ("Was the H1 dividend raised?", "Was the first half dividend raised?"),
    ("Q3 1999 sales?", "third quarter of 1999 sales?"),
]
LEFT_ALONE = ["Was the Audi Q3 recalled?", "How many H1N1 cases?", "What is Q3?", "Who owns the Audi Q3 2024 fleet?",
              "which ships left Tartus?", "Where is gate Q14?", "Did the H-1B rules change?"]


@pytest.mark.parametrize("asked,read", WRITTEN_OUT)
def test_quarters_halves_and_fiscal_years_are_written_out(asked, read):
    assert spelled_out(asked) == read


@pytest.mark.parametrize("asked", LEFT_ALONE)
def test_a_model_a_strain_or_a_code_is_left_alone(asked):
    assert spelled_out(asked) == asked


def test_the_question_is_searched_written_out_and_shown_as_asked():
    q = Question.of("Why did Norvale cut its forecast after Q3 2023?")

    assert q.text == "Why did Norvale cut its forecast after the third quarter of 2023?"
    assert q.message == "Why did Norvale cut its forecast after Q3 2023?"  # the answer's `asked`: titles, the log
    assert "Q3" not in q.names
    assert Question.of("which ships left Tartus?").message is None


def test_a_long_text_of_shorthand_is_read_whole():
    assert spelled_out("Q3 " * 20_000).count("Q3") == 20_000  # no year, no period word: left alone
