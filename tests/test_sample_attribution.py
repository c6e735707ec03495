"""Quotes name who said them, with the real model over the sample article: a generic or pronoun speaker
is credited to the name the article gave before. The decision may hedge, so quotes and nearest both count."""

import pytest

pytestmark = pytest.mark.model


def shown(answer, words):
    """The quote (answer or nearest passage) that contains `words`."""
    found = [q for q in answer.quotes + answer.nearest if words in q.text]
    assert found, [q.text for q in answer.quotes + answer.nearest]
    return found[0]


def test_the_airlift_is_credited_to_the_intelligence_agency_named_before(real_engine):
    quote = shown(real_engine.ask("What is Russia transferring by military aircraft?"), "by military aircraft")
    assert quote.text.endswith("the intelligence agency adds.")
    assert quote.attribution == "Ukrainian intelligence (GUR)"


def test_the_warships_leaving_tartus_are_credited_to_ukrainian_intelligence(real_engine):
    quote = shown(real_engine.ask("Which ships left the port of Tartus?"), "Admiral Hryhorovych")
    assert "left the Syrian port of Tartus" in quote.text
    assert quote.attribution == "Ukrainian intelligence (GUR)"


def test_the_quote_on_regional_partners_is_credited_to_peskov(real_engine):
    quote = shown(real_engine.ask("What did Peskov say about contacts with regional partners?"),
                  "We consult with regional partners")
    assert quote.attribution == "Peskov"
