"""A Ukrainian /ask answered from an English report, over the fake Discord with the real bot and the real
multilingual model (multilingual-e5-small): the bot's own words in Ukrainian, the quote in English as written."""

from __future__ import annotations

import dataclasses

import pytest
from engines import engine_over
from fakediscord.fixtures import fake, running_bot  # noqa: F401 - fixture

from index.engine import Engine
from tests.conftest import REPO

pytestmark = [pytest.mark.model, pytest.mark.timeout(300)]

ENGLISH = REPO / "eval" / "corpora" / "multilingual" / "docs" / "en"
SHIPS_EN = "In particular, on December 8, the frigate"


@pytest.fixture(scope="module")
def english_desk(tmp_path_factory) -> Engine:
    """The English reports of the multilingual corpus, ingested with multilingual-e5-small."""
    from index.encode.embed import load_encoder

    return engine_over(tmp_path_factory.mktemp("english-e5"), ENGLISH, load_encoder("multilingual-e5-small"),
                       embedding_model="multilingual-e5-small")


async def test_a_ukrainian_ask_is_answered_from_an_english_report_in_ukrainian(fake, english_desk, tmp_path):
    settings = dataclasses.replace(english_desk.settings, data_dir=tmp_path, discord_token=fake.token,
                                   discord_api_base=fake.api_base, dev_guild_id=fake.guild_id)
    async with running_bot(fake, settings, english_desk):
        ask = await fake.slash("ask", question="Які кораблі покинули Тартус?", locale="uk")
        reply = await ask.reply(timeout=120)

    [embed] = reply["embeds"]
    assert embed["title"] == "Які кораблі покинули Тартус?"
    footer = embed["footer"]["text"]  # answered (blue, quotes), in Ukrainian; a past question searched up to today
    assert embed["color"] == 0x3498DB and footer.startswith("Дослівні цитати з корпусу · пошук до ")
    assert footer.endswith(" · чи це було корисно?")
    top = embed["fields"][0]["value"]
    assert top.startswith("> ") and SHIPS_EN in top  # the English sentence as written
    assert "Admiral Hryhorovych" in top
    assert top.endswith("· англійською")  # named in Ukrainian as English
