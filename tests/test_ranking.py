"""How the engine orders what it finds: newer news first among equals, and time windows kept when unsure."""

from datetime import date

import pytest

from index.engine import Engine
from index.ingest import ingest

AS_OF = date(2022, 6, 15)


@pytest.fixture
def engine(settings):
    def write(name: str, day: str, title: str, body: str) -> None:
        (settings.corpus_dir / name).write_text(f"---\ntitle: {title}\ndate: {day}\n---\n{body}\n")

    write("old-bridge.md", "2021-11-02", "Bridge vote", "The council voted to build a new bridge over the Ash river.")
    write("new-bridge.md", "2022-06-12", "Bridge vote", "The council voted to build a new bridge over the Ash river.")
    write("heron.md", "2022-06-14", "Rare bird", "A rare heron was spotted at the lake, rangers reported.")
    write("mayor.md", "2022-06-13", "Mayor's week", "The mayor opened a bakery and cut a ribbon on Monday.")
    write("ferry.md", "2022-02-01", "Ferry timetable",
          "The ferry across the Ash river now sails every hour, the harbour master announced.")
    ingest(settings, [settings.corpus_dir], progress=False)
    return Engine.open(settings)


def test_of_two_equal_reports_the_newer_ranks_first(engine):
    answer = engine.ask("What did the council vote to build over the Ash river?", as_of=AS_OF)
    assert answer.quotes[0].date == "2022-06-12"
    assert answer.quotes[1].date == "2021-11-02"


def test_recency_does_not_outrank_relevance(engine):
    answer = engine.ask("How often does the ferry across the Ash river sail?", as_of=AS_OF)
    assert answer.quotes[0].title == "Ferry timetable"


def test_without_a_sure_answer_the_window_s_nearest_passages_are_offered(engine):
    answer = engine.ask("Which painter won the art prize this week?", as_of=AS_OF)
    assert not answer.answered
    assert (answer.since, answer.until) == ("2022-06-08", "2022-06-15")
    assert answer.nearest and all("2022-06-08" <= q.date <= "2022-06-15" for q in answer.nearest)
