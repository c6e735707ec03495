"""The three questions the engine issue names, answered by the real model over the sample article."""

import pytest

pytestmark = pytest.mark.model


def test_ships_that_left_tartus_are_quoted_with_date_and_attribution(real_engine):
    answer = real_engine.ask("which ships left Tartus?")

    assert answer.answered
    top = answer.quotes[0]
    assert "Admiral Hryhorovych" in top.text and "Engineer Trubin" in top.text
    assert top.date == "2024-12-09"
    assert "Ukrainian intelligence" in top.attribution and "GUR" in top.attribution
    assert top.title == "The Kremlin is in a panic over its military bases in Syria"


def test_peskov_is_quoted_and_credited(real_engine):
    answer = real_engine.ask("What did Peskov say about Russia's military presence in Syria?")

    assert answer.answered
    top = answer.quotes[0]
    assert "military presence in Syria" in top.text
    assert "Peskov" in top.attribution


def test_question_the_corpus_cannot_answer_is_not_answered(real_engine):
    answer = real_engine.ask("Who won the 2018 World Cup?")

    assert answer.decision == "not_found" and not answer.answered
    assert answer.quotes == [] and answer.nearest == []
    assert "World" in answer.missing and "Cup" in answer.missing  # says what the corpus never mentions


def test_every_quote_is_an_exact_substring_of_its_document(real_engine):
    for question in ("which ships left Tartus?", "Who asked Turkey for help?", "What is Russia moving from Khmeimim?"):
        for q in real_engine.ask(question, k=3).quotes:
            doc = real_engine.version.store.document(q.doc_id)
            assert doc.text[q.start:q.end] == q.text


def test_at_most_k_quotes_from_distinct_passages(real_engine):
    answer = real_engine.ask("What did Peskov say?", k=2)

    assert 1 <= len(answer.quotes) <= 2
    assert len({(q.start, q.end) for q in answer.quotes}) == len(answer.quotes)


def test_the_tartus_quote_is_the_one_sentence_that_names_the_ships(real_engine):
    top = real_engine.ask("which ships left Tartus?").quotes[0]
    assert top.text.startswith("In particular, on December 8") and top.text.endswith("Mediterranean Sea.")


def test_a_generic_mention_brings_in_the_sentence_that_names_it(settings, sample_corpus):
    from index.engine import Engine
    from index.ingest.build import ingest

    (sample_corpus / "tv.txt").write_text(
        "date 2022-06-12 “Squid Game” is officially coming back.\n\n"
        "Netflix announced Sunday that the wildly popular South Korean show is green lit for a second season.")
    ingest(settings, [sample_corpus])

    top = Engine.open(settings).ask("Which wildly popular show was green lit for a new season?").quotes[0]
    assert top.text.startswith("“Squid Game” is officially coming back.") and top.text.endswith("second season.")
