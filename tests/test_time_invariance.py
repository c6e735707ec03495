"""Time matters only when a question asks for it: with the real model, a question without time words gets the same
decision and the same first quote asked the day after its article or two years later, with or without twenty
newer, unrelated articles beside it."""

from datetime import date
from pathlib import Path

import pytest
from engines import engine_over

from index.engine import Engine

pytestmark = pytest.mark.model

DATA = Path(__file__).parent / "data" / "invariance"
QUESTIONS = [  # (question, the article it is about), none naming a time
    ("How much is a single adult fare on the island boat?", "ferry-line"),
    ("What is the catamaran called?", "ferry-line"),
    ("Where will the primary school kids have lessons while the building is fixed?", "school-roof"),
    ("What turned up in the mud at the harbour?", "harbour-dredging"),
    ("Which councillor opposed turning the grain store into a library?", "library-vote"),
    ("How many households will the offshore turbines supply?", "wind-farm"),
    ("What started the blaze at the bakery?", "bakery-fire"),
    ("What did the fishermen's leader say about the turbines?", "wind-farm"),
    ("What did harbour master Elsa Varga say about the wreck?", "harbour-dredging"),  # nobody of that name: refused
]


@pytest.fixture(scope="module")
def archive(tmp_path_factory, real_encoder):
    return engine_over(tmp_path_factory.mktemp("archive"), [DATA / "base"], real_encoder)


@pytest.fixture(scope="module")
def archive_with_newer_news(tmp_path_factory, real_encoder):
    return engine_over(tmp_path_factory.mktemp("grown"), [DATA / "base", DATA / "newer"], real_encoder)


def _asked(engine: Engine, as_of: date) -> list[tuple[str, str | None, str | None]]:
    out = []
    for question, _ in QUESTIONS:
        answer = engine.ask(question, as_of=as_of)
        first = (answer.quotes or answer.nearest or [None])[0]
        out.append((answer.decision, first and first.doc_id, first and first.text))
    return out


def test_no_decision_and_no_first_quote_moves_with_the_asking_date_or_newer_news(archive, archive_with_newer_news):
    day_after = _asked(archive, date(2024, 12, 4))
    two_years_later = _asked(archive, date(2026, 12, 4))
    grown_two_years_later = _asked(archive_with_newer_news, date(2026, 12, 4))

    assert two_years_later == day_after
    assert grown_two_years_later == day_after
    answered = [(doc, about) for (decision, doc, _), (_, about) in zip(day_after, QUESTIONS) if decision == "answer"]
    assert len(answered) >= 4 and all(doc == about for doc, about in answered)
    assert day_after[-1][0] != "answer"  # the harbour master quoted is Piet Lindqvist


def test_a_question_that_asks_for_the_latest_still_prefers_newer_reports(archive_with_newer_news):
    answer = archive_with_newer_news.ask("What is the latest news from Port Ardent?", as_of=date(2026, 12, 4))
    shown = answer.quotes or answer.nearest
    assert shown and shown[0].date == "2024-12-03"  # the bakery fire, the newest Port Ardent report
