"""Reports differ only about the same thing: the rule of index.answer.disagree on written examples (no model)."""

from __future__ import annotations

import numpy as np
import pytest

from index.answer.disagree import ONE_STORY, compare, counts
from index.answer.question import Question
from index.types import Quote

TARTUS = ("In particular, on December 8, the frigate \"Admiral Hryhorovych\" of the Black Sea Fleet and the cargo "
          "ship \"Engineer Trubin\" of the Northern Fleet left the Syrian port of Tartus.")
CONSTANTA = ("On November 20, the tankers \"Sea Lark\" and \"Northern Star\" left the port of Constanta for Piraeus, "
             "the port authority said.")


def report(text, doc, day, title, chunk=-1):
    return Quote(text=text, doc_id=doc, title=title, date=day, source=f"{doc} wire", url="", attribution=f"{doc} wire",
                 score=1.0, chunk_id=chunk, start=0, end=len(text))


def alike(cosine: float) -> dict[int, np.ndarray]:
    """Unit vectors for chunks 1 and 2 whose cosine is `cosine` (what the index stores for two passages)."""
    return {1: np.array([1.0, 0.0]), 2: np.array([cosine, np.sqrt(1 - cosine ** 2)])}


def verdicts(quotes, question, vectors=None):
    return [(c.subject, c.verdict, [x.value for x in c.claims])
            for c in compare(quotes, Question(question), None, vectors)]


def test_the_same_ship_leaving_on_two_dates_differs():
    later = report("The frigate \"Admiral Hryhorovych\" sailed out of Tartus on December 9, ship-tracking data showed.",
                   "b", "2024-12-10", "Russian frigate sails from Syria", chunk=2)
    quotes = [report(TARTUS, "a", "2024-12-09", "The Kremlin is in a panic over its military bases in Syria", 1), later]
    expected = [("date", "differ", ["December 8", "December 9"])]
    assert verdicts(quotes, "When did the frigate leave Tartus?") == expected  # a name in common links them
    assert verdicts(quotes, "When did the frigate leave Tartus?", alike(0.7)) == expected


@pytest.mark.parametrize("vectors", [None, alike(0.31), alike(0.9)])
def test_two_stories_dates_are_not_set_against_each_other(vectors):
    """The issue's case: ships leaving Tartus and tankers leaving Constanta each have a date; the sentences name
    different ships and ports, so even passages the encoder calls alike are not one thing."""
    quotes = [report(TARTUS, "a", "2024-12-09", "The Kremlin is in a panic over its military bases in Syria", 1),
              report(CONSTANTA, "b", "2024-11-21", "Tankers quit Constanta as the strike spreads", 2)]
    assert verdicts(quotes, "When did the ships leave?", vectors) == []


def test_the_same_toll_updated_differs_oldest_first():
    quotes = [report("The death toll from the Lake Tana ferry disaster rose to 42 as divers recovered more bodies.",
                     "b", "2025-03-04", "Lake Tana ferry toll rises", 2),
              report("At least 30 people were killed, the regional coast guard said.", "a", "2025-03-02",
                     "Ferry capsizes on Lake Tana", 1)]
    question = "How many people died when the ferry capsized?"
    assert verdicts(quotes, question, alike(0.68)) == [
        ("dead", "differ", ["30 people were killed", "toll from the Lake Tana ferry disaster rose to 42"])]
    [c] = compare(quotes, Question(question), None, alike(0.68))
    assert [x.date for x in c.claims] == ["2025-03-02", "2025-03-04"] and c.claims[-1] is c.newest
    assert compare(quotes, Question(question)) != []  # without vectors, the titles' shared name (Tana) links them


def test_passages_of_two_stories_are_not_compared_even_with_the_same_kind_of_value():
    quotes = [report("A ferry overloaded with traders capsized, and 30 people died, officials said.", "a",
                     "2024-07-03", "Ferry capsizes on Lake Kivu", 1),
              report("A ferry sank in heavy seas on Monday, killing 42 people.", "b", "2024-08-19",
                     "Ferry sinks off Sulawesi", 2)]
    question = "How many people died when the ferry sank?"
    assert verdicts(quotes, question, alike(ONE_STORY - 0.1)) == []
    assert verdicts(quotes, question) == []  # nothing named in common either
    assert [v for _, v, _ in verdicts(quotes, question, alike(ONE_STORY + 0.1))] == ["differ"]


def test_reports_months_apart_must_name_something_in_common():
    early = report("The death toll reached at least 311 early Tuesday.", "a", "2015-10-27", "Quake rocks the region", 1)
    late = report("The quake near the city of Khost killed more than 1,000 people.", "b", "2022-06-22",
                  "Deadliest quake in decades", 2)
    assert verdicts([early, late], "What is the earthquake's death toll?", alike(0.75)) == []


def test_values_in_one_sentence_keep_their_own_places():
    """"76 in Florida and four in North Carolina" are two things; each is read with the words up to the next."""
    florida = report("Officials say the storm killed at least 76 people in Florida.", "a", "2022-10-02", "Ian", 1)
    carolina = report("Four people died in North Carolina, the governor said.", "b", "2022-10-01", "Ian", 2)
    assert verdicts([florida, carolina], "How many people did the storm kill?", alike(0.86)) == []


@pytest.mark.parametrize("text, value, written", [
    ("Updates as recovery begins:\n\nTwenty-one people are dead in the county.", 21, "Twenty-one people are dead"),
    ("The number of workers injured in the plant fire has risen to 19, the company said.", 19,
     "injured in the plant fire has risen to 19"),
])
def test_counts_read_past_a_heading_colon_and_a_long_way_back_to_the_toll(text, value, written):
    [(_, v, start, end)] = counts(text)
    assert (v, text[start:end]) == (value, written)


def test_magnitudes_and_parts_of_a_count_are_not_counts_and_a_rise_states_two_values():
    assert counts("A magnitude 7.0 earthquake and a 7.4-magnitude quake struck.") == []
    assert [v for _, v, *_ in counts("Twelve workers were injured, two of them seriously.")] == [12]
    assert [(s, v) for s, v, *_ in counts("The death toll rose from 3 to 5 overnight.")] == [("dead", 3), ("dead", 5)]
