"""'Sources differ' with the real model: not between two stories that each carry a date, and a real box for two
reports of one event giving different values — the engine, then the bot over the fake Discord."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import pytest

from fakediscord.fixtures import fake, running_bot  # noqa: F401 - fixture
from index.engine import Engine
from index.ingest.build import ingest
from newsdesk.settings import Settings

pytestmark = [pytest.mark.model, pytest.mark.timeout(180)]

SAMPLE = Path(__file__).resolve().parent.parent / "corpus" / "000_2b7db0b492e10144.txt"
OTHER_SHIPS = """date 2024-11-21
Tankers quit Constanta as the dock strike spreads

Dock workers in Constanta widened their strike on Thursday, and shipping agents began moving cargo to other ports.

On November 20, the tankers "Sea Lark" and "Northern Star" left the port of Constanta for Piraeus without loading, the port authority said.
"""
LATER_REPORT = """date 2024-12-10
Russian frigate sails from Syria a day later than first reported

Ship-tracking data show the Russian frigate "Admiral Hryhorovych" sailed out of the Syrian port of Tartus on December 9, a day later than Ukrainian intelligence first reported.
"""
WHEN = "When did the ships leave?"


@pytest.fixture(scope="module")
def two_stories(tmp_path_factory, real_encoder) -> Engine:
    """The sample article and another short story of ships leaving another port on another date."""
    root = tmp_path_factory.mktemp("two-stories")
    (root / "corpus").mkdir()
    shutil.copy(SAMPLE, root / "corpus" / SAMPLE.name)
    (root / "corpus" / "constanta.txt").write_text(OTHER_SHIPS)
    s = Settings(index_dir=root / "index", data_dir=root, corpus_dir=root / "corpus")
    ingest(s, [root / "corpus"], encoder=real_encoder)
    return Engine.open(s, encoder=real_encoder)


def test_two_stories_each_with_a_date_are_not_set_against_each_other(two_stories):
    answer = two_stories.ask(WHEN)
    quoted = " ".join(q.text for q in answer.quotes or answer.nearest)
    assert "December 8" in quoted and "November 20" in quoted  # both stories' dates are in the answer …
    assert [c for c in answer.comparisons if c.verdict == "differ"] == []  # … and not called a disagreement


def test_two_reports_of_one_departure_with_different_dates_differ(two_stories, tmp_path):
    root = tmp_path
    shutil.copytree(two_stories.settings.corpus_dir, root / "corpus")
    (root / "corpus" / "later.txt").write_text(LATER_REPORT)
    s = Settings(index_dir=root / "index", data_dir=root, corpus_dir=root / "corpus")
    ingest(s, [root / "corpus"], encoder=two_stories.encoder)
    answer = Engine.open(s, encoder=two_stories.encoder).ask("When did the frigate Admiral Hryhorovych leave Tartus?")
    differ = [c for c in answer.comparisons if c.verdict == "differ"]
    assert [(c.subject, [x.value for x in c.claims]) for c in differ] == [("date", ["December 8", "December 9"])]


async def test_no_sources_differ_box_between_two_stories_in_discord(fake, two_stories, tmp_path):
    settings = dataclasses.replace(
        two_stories.settings, data_dir=tmp_path, discord_token=fake.token, discord_api_base=fake.api_base,
        dev_guild_id=fake.guild_id, qa_channel_ids=frozenset({fake.questions_id}), qa_cooldown_seconds=0.0)
    async with running_bot(fake, settings, two_stories):
        reply = await (await fake.slash("ask", question=WHEN)).reply(timeout=60)

    [embed] = reply["embeds"]
    text = "\n".join(f["name"] + "\n" + f["value"] for f in embed["fields"])
    assert "December 8" in text and "November 20" in text
    assert "Sources differ" not in text
