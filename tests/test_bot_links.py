"""Adding links from Discord, through the fake Discord: /add by an editor, refused for members and for internal
addresses, and a 📥 reaction on a message with two links. The pages are served on 127.0.0.1 (allowed, as in the
feed tests)."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import pytest

from bot.cogs.links import ASK_AN_EDITOR
from fakediscord.fixtures import *  # noqa: F403 - fixtures
from fakediscord.fixtures import make_engine, running_bot
from fakediscord.server import MESSAGE, is_ephemeral
from feedserver import FeedServer, Story
from sources.links import LinkLog
from test_bot_digest import digest_command

pytestmark = pytest.mark.timeout(90)
NO_PINGS = {"parse": []}
BOT_CORPUS = Path(__file__).parent / "data" / "botcorpus"
LIGHTHOUSE = Story(
    slug="gull-lighthouse", title="Gull Island lighthouse to be restored", published="Tue, 11 Feb 2025 07:00:00 GMT",
    author="Ana Lima",
    paragraphs=["The Gull Island lighthouse will be restored by a team of stonemasons from Porto, the maritime "
                "heritage trust said on Tuesday, after storms cracked its lantern room last winter.",
                "The restoration is expected to cost 1.8 million euros and to take two summers, the trust said."])
FERRY = Story(
    slug="night-ferry", title="Night ferry to the islands returns in May", published="Wed, 12 Feb 2025 07:00:00 GMT",
    paragraphs=["The night ferry to the outer islands will sail again from 1 May, the ferry company said on "
                "Wednesday, with two crossings a week until the end of September."])


@pytest.fixture
async def pages():
    async with FeedServer() as server:
        server.stories += [LIGHTHOUSE, FERRY]
        server.redirects["metadata"] = "http://169.254.169.254/latest/meta-data/"
        yield server


@pytest.fixture
def own(fake, bot_settings, tmp_path):
    """An engine on its own copy of the bot corpus (links are added to it), editors named by role."""
    corpus = tmp_path / "corpus"
    shutil.copytree(BOT_CORPUS, corpus)
    engine = make_engine(tmp_path, corpus)
    settings = dataclasses.replace(bot_settings, index_dir=engine.settings.index_dir, corpus_dir=corpus,
                                   editor_role_ids=frozenset({fake.editor_role_id}),
                                   feed_allow_networks=("127.0.0.1/32",))
    return settings, engine


async def test_an_editor_adds_a_link_which_is_then_quoted_and_in_the_digest(fake, own, pages):
    settings, engine = own
    url = pages.url("/article/gull-lighthouse.html")
    async with running_bot(fake, settings, engine):
        add = await fake.slash("add", user=fake.editor, url=url, note="heritage desk")
        reply = await add.reply(timeout=30)
        ask = await (await fake.slash("ask", question="Who will restore the Gull Island lighthouse?")).reply()
        digest = await (await digest_command(fake, "show")).reply()  # what was ingested in the last day

    assert add.deferred and not is_ephemeral(reply) and reply["allowed_mentions"] == NO_PINGS
    assert reply["content"] == (f"📥 Added **{LIGHTHOUSE.title}** · 2025-02-11 · Harbour Gazette: now searchable. <{url}>")
    quoted = ask["embeds"][0]["fields"][0]["value"]
    assert "stonemasons from **Porto**" in quoted and f"({url})" in quoted  # the answer's word in bold and "2025-02-11 · Harbour Gazette" in quoted
    [entry] = LinkLog(settings.links_db).entries()
    assert (entry["url"], entry["added_by"], entry["note"], entry["outcome"]) == (
        url, f"editor ({fake.editor['id']})", "heritage desk", "added")
    assert (settings.corpus_dir / entry["doc_id"]).is_file()  # kept in the corpus: a rebuild keeps it
    assert any(LIGHTHOUSE.title in f["name"] for f in digest["embeds"][0]["fields"])


async def test_a_member_who_is_not_an_editor_is_told_privately(fake, own, pages):
    settings, engine = own
    async with running_bot(fake, settings, engine):
        add = await fake.slash("add", url=pages.url("/article/gull-lighthouse.html"))
        reply = await add.reply()
    assert add.callback["type"] == MESSAGE and is_ephemeral(reply) and reply["content"] == ASK_AN_EDITOR
    assert not pages.hits, "nothing fetched"
    assert LinkLog(settings.links_db).entries() == []


async def test_a_link_to_an_internal_address_is_refused_in_one_line(fake, own, pages):
    settings, engine = own
    url = pages.url("/go/metadata")  # redirects to the cloud metadata address
    async with running_bot(fake, settings, engine):
        reply = await (await fake.slash("add", user=fake.admin, url=url)).reply(timeout=30)  # admins always may
    assert reply["content"] == (f"Not added <{url}>: refused address: 169.254.169.254 is an internal address "
                                "(169.254.169.254)")
    assert pages.hits["/go/metadata"] == 1
    assert [e["outcome"] for e in LinkLog(settings.links_db).entries()] == ["refused"]


async def test_an_inbox_reaction_adds_both_links_of_a_message(fake, own, pages):
    settings, engine = own
    first, second = pages.url("/article/gull-lighthouse.html"), pages.url("/article/night-ferry.html")
    async with running_bot(fake, settings, engine) as bot:
        message = await fake.say(f"Two for the islands page: {first} and <{second}>")
        other = await fake.say(f"Worth a look: {first}")
        await fake.react(other, "📥")  # alice is no editor: nothing happens
        await fake.react(message, "📥", user=fake.editor)
        [reply] = await fake.wait_for(lambda: fake.posts_in(fake.general_id), 30, "the reply to the 📥")
        await fake.wait_for(lambda: bot.summary and FERRY.title in {t[1] for t in bot.summary.titles}, 10,
                            "the summary refreshed")

    assert str(reply["message_reference"]["message_id"]) == message["id"]
    assert reply["allowed_mentions"] == {**NO_PINGS, "replied_user": False}  # corpus text pings nobody
    assert reply["content"].splitlines() == [
        f"📥 Added **{LIGHTHOUSE.title}** · 2025-02-11 · Harbour Gazette: now searchable. <{first}>",
        f"📥 Added **{FERRY.title}** · 2025-02-12 · Harbour Gazette: now searchable. <{second}>"]
    assert {e["note"] for e in LinkLog(settings.links_db).entries()} == {"📥 on a message by alice in #general"}
    assert len(fake.posts_in(fake.general_id)) == 1, "the member's 📥 added nothing"


def test_a_page_title_cannot_ping_or_format_the_reply():
    from bot.render import added_text
    from sources.links import Added

    text = added_text([Added("https://example.org/a", "added", title="@everyone **Breaking** <@123456789012345678>",
                             date="2025-02-11", source="Gazette_"),
                       Added("javascript:alert(1)", "refused", reason="not an http(s) link")])
    assert text.splitlines() == [
        "📥 Added **@\u200beveryone \\*\\*Breaking\\*\\* <@\u200b123456789012345678>** · 2025-02-11 · Gazette\\_: now "
        "searchable. <https://example.org/a>",
        "Not added javascript:alert(1): not an http(s) link"]
