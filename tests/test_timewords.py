"""Time words become date bounds relative to the asking date."""

from datetime import date

import pytest

from index.answer.timewords import asks_earliest, resolve

AS_OF = date(2022, 6, 16)


@pytest.mark.parametrize("question, since, until, vague", [
    ("What happened this week in Kyiv?", "2022-06-09", "2022-06-16", False),
    ("What did the court rule yesterday?", "2022-06-15", "2022-06-16", False),
    ("What did the court rule the day before yesterday?", "2022-06-13", "2022-06-15", False),
    ("What happened over the weekend?", "2022-06-10", "2022-06-13", False),  # Saturday 11, Sunday 12 June
    ("Who scored at the weekend?", "2022-06-10", "2022-06-13", False),
    ("Which ships left on December 8?", "2021-12-08", "2021-12-15", False),
    ("Which ships left Tartus on December 8, 2020?", "2020-12-08", "2020-12-15", False),
    ("What happened since February 30, 2020?", "2020-02-01", "2020-03-07", False),  # no such day: its month
    ("Who won the vote in November?", "2021-11-01", "2021-12-07", False),
    ("What did the Fed decide in May?", "2022-05-01", "2022-06-07", False),
    ("Which show was recently renewed?", "2022-05-16", "2022-06-16", True),
    ("Who is now in charge of the port?", "2022-05-16", "2022-06-16", True),
    ("Which airlines currently fly to Kyiv?", "2022-05-16", "2022-06-16", True),
    ("Who is the current manager of the club?", "2022-05-16", "2022-06-16", True),
    ("Who won the election in 2020?", "2020-01-01", "2020-12-31", False),
    ("What did the Fed announce on Tuesday?", "2022-06-13", "2022-06-16", False),  # AS_OF is a Thursday
    ("Which state flooded early Thursday?", "2022-06-15", "2022-06-16", False),
    ("Who resigned last Thursday?", "2022-06-08", "2022-06-16", False),
    ("Who won the title in early 2021?", "2021-01-01", "2021-05-07", False),  # a part of a year: its months
    ("What did the mill make in mid-2020?", "2020-05-01", "2020-09-07", False),
    ("Who was sacked at the end of 2021?", "2021-10-01", "2022-01-07", False),
    ("Who signed in the summer of 2021?", "2021-06-01", "2021-09-07", False),
    ("Who signed last summer?", "2021-06-01", "2021-09-07", False),  # summer 2022 is not over
    ("Who signed last spring?", "2022-03-01", "2022-06-07", False),
    ("What happened in winter 2021?", "2021-01-01", "2022-01-07", False),  # a winter spans two years: its year
    ("How many titles were banned over the last year?", "2021-06-15", "2022-06-16", False),  # the past 12 months
    ("Who won the vote a year ago?", "2021-03-17", "2021-09-15", False),
    ("What has changed since 2020?", "2020-01-01", "2022-06-16", False),
])
def test_windows(question, since, until, vague):
    w = resolve(question, AS_OF)
    assert (w.since.isoformat(), w.until.isoformat(), w.vague) == (since, until, vague)


def test_no_time_words_no_window():
    assert resolve("Which ships left Tartus?", AS_OF) is None


@pytest.mark.parametrize("question", ["When did Sunday service resume at the main library?",
                                      "What did the library director say about Sunday hours?",
                                      "Which columnist writes for the Sunday Times?",
                                      "How much did shoppers spend on Black Friday?"])
def test_a_weekday_naming_a_kind_of_thing_is_no_date(question):
    assert resolve(question, AS_OF) is None


@pytest.mark.parametrize("question", ["Will the stand be finished by the end of 2023?",  # a deadline, not a report
                                      "Which city saw rents rise most compared to a year ago?",  # a comparison
                                      "Are prices higher than a year ago?",
                                      "Who wrote about the fall of Rome?"])
def test_a_deadline_or_a_comparison_is_no_date_of_a_report(question):
    assert resolve(question, AS_OF) is None


def test_window_never_reaches_past_the_asking_date():
    assert resolve("What happened on June 15?", AS_OF).until == AS_OF


@pytest.mark.parametrize("question", [
    "What was the original estimate for the bridge repairs?",
    "How many units did the original recall notice say were affected?",
    "What was the North Stand originally expected to cost?",
    "What was the coast guard's initial estimate of the oil lost?",
    "When the bridge was first shut, how much did the town think fixing it would cost?",
    "How much did the town initially expect the repairs to cost?",
])
def test_a_question_asking_for_the_first_report_of_a_figure_asks_for_the_earliest(question):
    assert asks_earliest(question)


@pytest.mark.parametrize("question", [
    "What is the latest estimate for the bridge repairs?",
    "Which item did Taco Bell bring back after its initial return was hampered by high demand?",
    "Who was the first woman to lead the council?",
    "Which original member of the band died this week?",
])
def test_a_first_of_something_else_is_not_a_first_report(question):
    assert not asks_earliest(question)
