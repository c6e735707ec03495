"""How the engine orders what it finds: newer news first among equals, and time windows kept when unsure."""

from datetime import date

import pytest

from index.engine import Engine
from index.ingest.build import ingest
from newsdesk.settings import Settings

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
    ingest(settings, [settings.corpus_dir])
    return Engine.open(settings)


def test_of_two_equal_reports_the_newer_ranks_first_and_the_sentence_is_quoted_once(engine):
    answer = engine.ask("What did the council vote to build over the Ash river?", as_of=AS_OF)
    assert answer.documents[:2] == ["new-bridge.md", "old-bridge.md"]
    assert answer.quotes[0].date == "2022-06-12"
    assert [q.text for q in answer.quotes].count(answer.quotes[0].text) == 1


def test_recency_does_not_outrank_relevance(engine):
    answer = engine.ask("How often does the ferry across the Ash river sail?", as_of=AS_OF)
    assert answer.quotes[0].title == "Ferry timetable"


ROUNDUP_STORIES = [
    "Wheat exports through the port fell by a third this spring, traders said, as insurers raised premiums and ships "
    "waited for weeks at anchor outside the harbour before loading grain for buyers abroad.",
    "The lottery jackpot grew to a record sum after nobody matched all six numbers for the ninth draw in a row, and "
    "sales of tickets doubled at newsagents across the region.",
    "A marathon closed roads across the city centre on Sunday morning as thousands of runners set off from the park, "
    "and buses were diverted until the afternoon.",
    "Rail workers agreed a new pay deal after months of strikes, their union said, ending a dispute that had "
    "cancelled trains on most weekends since the winter.",
]


def test_an_article_about_the_question_outranks_a_roundup_that_mentions_it(settings):
    bridge = ("The council voted to build a new bridge over the Ash river. The bridge over the Ash river will be built "
              "by the council after the vote, and the council said the new bridge should open in two years.")
    roundup = [s + " " + s for s in ROUNDUP_STORIES]  # each story a passage of its own
    roundup.insert(2, bridge)
    article = ["Councillors backed plans for a new crossing of the Ash river on Tuesday, voting nine to two.",
               "The bridge will carry trams and cyclists over the river, the council said, and building work starts "
               "next spring.", "The old ferry across the Ash will stop once the bridge opens."]
    for name, title, paragraphs in (("roundup.md", "Five things to know", roundup),
                                    ("bridge.md", "Ash river crossing approved", article)):
        body = "\n\n".join(paragraphs)
        (settings.corpus_dir / name).write_text(f"---\ntitle: {title}\ndate: 2022-06-12\n---\n{body}\n")
    ingest(settings, [settings.corpus_dir])

    answer = Engine.open(settings).ask("What did the council vote to build over the Ash river?", as_of=AS_OF)
    titles = [q.title for q in answer.quotes]
    assert titles[0] == "Ash river crossing approved" and "Five things to know" in titles


def test_without_a_sure_answer_the_window_s_closest_passages_are_offered(engine):
    answer = engine.ask("Which painter opened the gallery this week?", as_of=AS_OF)
    assert answer.decision == "unsure" and not answer.answered
    assert (answer.since, answer.until) == ("2022-06-08", "2022-06-15")
    assert answer.nearest and all("2022-06-08" <= q.date <= "2022-06-15" for q in answer.nearest)


def test_a_question_about_what_the_corpus_never_mentions_is_not_found(engine):
    answer = engine.ask("Which painter won the art prize this week?", as_of=AS_OF)
    assert answer.decision == "not_found" and not answer.nearest and not answer.quotes
    assert answer.missing == ["painter", "won", "art", "prize"]


def test_an_answer_from_outside_the_week_asked_about_says_so(engine):
    later = date(2022, 9, 1)  # "this week" is late August: nothing then, the ferry report answers from February
    answer = engine.ask("How often does the ferry across the Ash river sail this week?", as_of=later)
    assert answer.answered and answer.quotes[0].title == "Ferry timetable"
    assert answer.outside == ("2022-08-25", "2022-09-01")
    assert answer.to_json()["outside_asked_dates"] == {"since": "2022-08-25", "until": "2022-09-01"}

    within = engine.ask("What did the council vote to build over the Ash river this week?", as_of=AS_OF)
    assert within.answered and within.quotes[0].date == "2022-06-12" and within.outside is None
    assert engine.ask("How often does the ferry across the Ash river sail?", as_of=later).outside is None



def test_no_sentence_is_shown_in_two_quotes(tmp_path, real_encoder):
    """The second sentence's "the break" looks back to the first, which is quoted already: it is shown alone."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "warehouse.md").write_text(
        "---\ntitle: Northway Freight opens warehouse on former Calloway site\ndate: 2024-10-02\n---\n"
        "Northway Freight opened its warehouse on Depot Street on Tuesday, bringing 400 jobs to the former Calloway "
        "site.\n\nUnder the deal, Northway pays 30 percent of its full tax bill in the first year, rising in steps to "
        "the full amount in the eleventh year.\n\nCritics, including Council member Theo Brannigan, argued that the "
        "break was too generous for a company of Northway's size.\n")
    settings = Settings(index_dir=tmp_path / "index", data_dir=tmp_path, corpus_dir=corpus)
    ingest(settings, [corpus], encoder=real_encoder)
    answer = Engine.open(settings, encoder=real_encoder).ask(
        "What kind of tax break did the town give the Northway warehouse?")
    first, second = answer.quotes[:2]
    assert first.text.startswith("Under the deal") and second.text.startswith("Critics")
    assert first.end <= second.start
