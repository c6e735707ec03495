"""The answer decision's pieces: names the quotes must mention, and thresholds with room on both sides."""

from index.answer.decide import balanced_threshold, pick_threshold
from index.answer.question import Question
from index.answer.signals import missing_names


def test_a_name_abbreviated_in_the_question_is_found_written_out_or_dotted():
    question = Question("NASA made history after its first launch from a commercial spaceport outside the US. "
                        "Where was it?")
    assert missing_names(question, "NASA launched a rocket from Australia, the first from a U.S. partner.") == []
    assert missing_names(question, "NASA, the United States space agency, launched from Australia.") == []
    assert missing_names(question, "NASA launched a rocket from Australia.") == ["US"]


def test_names_and_years_the_quotes_never_mention_are_missing():
    question = Question("Which high-profile Republican announced a 2024 White House bid?")
    assert missing_names(question, "Donald Trump said he will run for the White House in 2024.") == ["Republican"]
    assert missing_names(question, "The Republican Trump announced a White House bid.") == ["2024"]


def test_the_answer_threshold_sits_midway_in_the_gap_it_may_move_through():
    confidences = [(0.2, "off_domain"), (0.4, "off_domain"), (0.45, "made_up"),
                   (0.5, "answerable"), (0.7, "answerable"), (0.9, "answerable")]
    # refusing every unanswerable question needs a threshold above 0.45; any up to 0.5 answers the same three
    assert pick_threshold(confidences, {"off_domain": 1.0, "made_up": 1.0}) == (0.45 + 0.5) / 2
    # a lower target is met from 0.4 on, but the same answerable questions are answered up to 0.5: the two
    # unanswerable ones inside that gap are refused too
    assert pick_threshold(confidences, {"off_domain": 0.5, "made_up": 0.0}) == (0.2 + 0.5) / 2


def test_a_target_no_threshold_meets_refuses_everything():
    assert pick_threshold([(0.9, "off_domain"), (0.5, "answerable")], {"off_domain": 1.0}) > 0.5


def test_a_balanced_threshold_answers_and_refuses_most_with_off_domain_refused_in_every_corpus():
    confidences = [(0.9, "answerable", 1.0, "a"), (0.6, "answerable", 1.0, "a"), (0.5, "near", 1.0, "a"),
                   (0.3, "off_domain", 1.0, "a"), (0.8, "answerable", 1.0, "b"), (0.55, "off_domain", 1.0, "b")]
    # 0.5 would answer more, but corpus b's off-domain question at 0.55 must be refused there too
    t = balanced_threshold(confidences, {"off_domain": 1.0})
    assert 0.55 < t <= 0.6
    # without the floor the near question at 0.5 is still refused: answering 0.6 costs nothing
    assert 0.5 < balanced_threshold(confidences, {}) <= 0.6
