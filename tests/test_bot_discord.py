"""The real bot against a fake Discord on 127.0.0.1: what users do, and what goes over the wire."""

from __future__ import annotations

import pytest

from fakediscord.fixtures import *  # noqa: F403 - fixtures
from fakediscord.fixtures import running_bot
from fakediscord.server import is_ephemeral

pytestmark = pytest.mark.timeout(60)

NO_PINGS = {"parse": []}


async def test_ask_answers_with_quotes_as_an_embed(fake, bot_settings, engine):
    async with running_bot(fake, bot_settings, engine):
        ask = await fake.slash("ask", question="when will the northern pier close?")
        reply = await ask.reply()

    assert ask.deferred  # the engine runs after the defer
    [embed] = reply["embeds"]
    assert embed["title"] == "when will the northern pier close?"
    [field] = embed["fields"]
    assert field["value"].startswith("> ")
    assert "northern pier" in field["value"]
    assert "2024-12-10" in field["value"] and "Port Authority Bulletin" in field["value"]
    assert "(https://example.org/harbour-notice)" in field["value"]  # the title links to the document
    assert reply["allowed_mentions"] == NO_PINGS
    assert [b["emoji"]["name"] for row in reply["components"] for b in row["components"]] == ["👍", "👎"]
