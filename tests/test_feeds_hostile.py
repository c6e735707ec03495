"""Hostile feeds on loopback servers: redirects into the local network, rebinding DNS, floods, slow and stuck feeds,
feeds naming local files.

The feed servers are on 127.0.0.1, allowed by FEED_ALLOW_NETWORKS; 127.0.0.2 stands for the internal network.
"""

from __future__ import annotations

import asyncio
import dataclasses
import socket
import time
from datetime import datetime, timezone

import frontmatter
import pytest

from feedserver import GRAIN, FeedServer, Story, Trickle
from sources.feeds import FeedStore, poll
from sources.fetch import FetchError, Guard, fetch

pytestmark = pytest.mark.timeout(60)
NOW = datetime(2024, 12, 11, 9, 0, tzinfo=timezone.utc)
SECRET = "The internal admin password is hunter2, the operator said on Wednesday."


@pytest.fixture
def settings(settings):
    return dataclasses.replace(settings, feed_allow_networks=("127.0.0.1/32",))


@pytest.fixture
async def internal():
    """A server on the 'internal network' (127.0.0.2, not allowed), holding text that must never get in."""
    async with FeedServer("Intranet", host="127.0.0.2") as s:
        s.stories.append(Story("secret", "Admin notes", "Wed, 11 Dec 2024 08:00:00 GMT", [SECRET]))
        yield s


@pytest.fixture
async def server():
    async with FeedServer() as s:
        yield s


async def test_an_item_that_redirects_into_the_internal_network_is_not_fetched(settings, server, internal):
    server.redirects["story"] = internal.url("/page/secret.html")
    server.stories.append(dataclasses.replace(GRAIN, link=server.url("/go/story")))
    feeds = FeedStore(settings.feeds_db)
    feeds.add(server.url("/rss.xml"))
    report = await asyncio.to_thread(poll, settings, feeds, now=NOW)
    [path] = report.written  # the item is kept, from the feed's own summary
    assert frontmatter.load(path).content.strip() == GRAIN.summary
    assert server.hits["/go/story"] == 1 and internal.hits["/page/secret"] == 0


async def test_a_feed_that_redirects_into_the_internal_network_fails_and_nothing_is_read(settings, server, internal):
    server.redirects["feed"] = internal.url("/rss.xml")
    feeds = FeedStore(settings.feeds_db)
    feeds.add(server.url("/go/feed"))
    report = await asyncio.to_thread(poll, settings, feeds, now=NOW)
    assert report.new_items == 0 and internal.hits["/rss.xml"] == 0
    [failure] = report.failed
    assert "127.0.0.2: refused, internal address 127.0.0.2" in failure


async def test_the_connection_goes_to_the_address_that_was_checked(server, monkeypatch):
    """DNS rebinding: the name answers 127.0.0.1 when checked, then 127.0.0.2; the fetch must not look again."""
    server.stories.append(GRAIN)
    async with FeedServer("Intranet", host="127.0.0.2", port=server.port) as internal:
        answers = iter(["127.0.0.1"] + ["127.0.0.2"] * 5)
        real = socket.getaddrinfo

        def rebinding(host, port, *args, **kwargs):
            if host == "news.rebind.test":
                return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (next(answers), port))]
            return real(host, port, *args, **kwargs)

        monkeypatch.setattr(socket, "getaddrinfo", rebinding)
        got = await asyncio.to_thread(fetch, f"http://news.rebind.test:{server.port}/rss.xml",
                                      guard=Guard.of(["127.0.0.1/32"]), timeout=5, max_bytes=1 << 20)
    assert b"Harbour Gazette" in got.body
    assert server.hits["/rss.xml"] == 1 and internal.hits["/rss.xml"] == 0


def test_a_host_that_does_not_resolve_is_refused():
    with pytest.raises(FetchError, match="does not resolve"):
        Guard().pin("no-such-host.invalid", 80)
    with pytest.raises(FetchError, match="not an http"):
        fetch("file:///etc/passwd", guard=Guard(), timeout=1, max_bytes=10)


async def test_a_feed_of_thousands_of_items_gives_them_a_few_per_poll(settings, server):
    settings = dataclasses.replace(settings, feed_max_items=40)
    server.stories[:] = [Story(f"s{i}", f"Story {i}", "Wed, 11 Dec 2024 08:00:00 GMT", [],
                               summary=f"Short item number {i} of the flood.") for i in range(1_000)]
    feeds = FeedStore(settings.feeds_db)
    feeds.add(server.url("/rss.xml"))
    first = await asyncio.to_thread(poll, settings, feeds, now=NOW, force=True)
    second = await asyncio.to_thread(poll, settings, feeds, now=NOW, force=True)
    assert (first.new_items, second.new_items) == (40, 40)
    assert len(set(first.written) | set(second.written)) == 80


async def test_a_feed_sending_a_byte_at_a_time_is_given_up_at_the_deadline(settings, server):
    """The timeout is for the whole fetch: each byte arriving in time does not keep it going."""
    settings = dataclasses.replace(settings, feed_timeout_seconds=1.0)
    server.stories.append(GRAIN)
    server.drip = 0.02  # ~1,000 bytes: 20 s in all, every read well within 1 s
    feeds = FeedStore(settings.feeds_db)
    feeds.add(server.url("/slow.xml"))
    report = await asyncio.to_thread(poll, settings, feeds, now=NOW)
    [failure] = report.failed
    assert "no complete answer within 1 s" in failure


async def test_a_stuck_feed_does_not_hold_up_the_others(settings, server):
    """The stuck feed answers only once the other one was fetched: polled one after another, it never would."""
    settings = dataclasses.replace(settings, feed_timeout_seconds=10.0)
    server.stories.append(GRAIN)
    async with FeedServer("Quay Times") as other:
        other.stories.append(dataclasses.replace(GRAIN, slug="quay"))
        feeds = FeedStore(settings.feeds_db)
        feeds.add(server.url("/gated.xml"))
        feeds.add(other.url("/rss.xml"))

        async def open_gate() -> None:
            await other.on_rss.wait()
            server.gate.set()

        opener = asyncio.create_task(open_gate())
        report = await asyncio.to_thread(poll, settings, feeds, now=NOW)
        await opener
    assert report.failed == [] and report.new_items == 2


async def test_a_feed_whose_body_names_a_local_file_is_parsed_as_text_and_the_file_never_read(settings, server,
                                                                                              tmp_path):
    local = tmp_path / "intranet.xml"
    async with FeedServer("Intranet") as intranet:
        intranet.stories.append(Story("secret", "Admin notes", "Wed, 11 Dec 2024 08:00:00 GMT", [], summary=SECRET))
        local.write_text(intranet.xml(), encoding="utf-8")
    server.raw["named"] = str(local).encode()
    server.raw["passwd"] = b"/etc/passwd"
    feeds = FeedStore(settings.feeds_db)
    feeds.add(server.url("/raw/named"))
    feeds.add(server.url("/raw/passwd"))
    report = await asyncio.to_thread(poll, settings, feeds, now=NOW)
    assert report.new_items == 0 and len(report.failed) == 2
    assert all("not an RSS/Atom feed" in failure for failure in report.failed)
    assert not any("hunter2" in p.read_text() for p in settings.corpus_dir.rglob("*") if p.is_file())


async def test_a_feed_trickling_until_its_connection_closes_is_given_up_at_the_deadline(settings, server):
    """HTTP/1.0 without a length: the body ends when the connection does, which a byte every 20 ms puts off
    for 20 s; the poll, every feed in it waiting, ends at FEED_TIMEOUT_SECONDS."""
    settings = dataclasses.replace(settings, feed_timeout_seconds=1.0)
    server.stories.append(GRAIN)
    async with Trickle(server.xml().encode(), every=0.02) as trickle:
        feeds = FeedStore(settings.feeds_db)
        feeds.add(trickle.url("/feed.xml"))
        feeds.add(server.url("/rss.xml"))
        started = time.monotonic()
        report = await asyncio.wait_for(asyncio.to_thread(poll, settings, feeds, now=NOW), 1.0 + 1.5)
        assert time.monotonic() - started < 1.0 + 1.5
    [failure] = report.failed
    assert failure.startswith(trickle.url("/feed.xml")) and "no complete answer within 1 s" in failure
    assert report.new_items == 1


async def test_item_pages_that_trickle_hold_their_feed_no_longer_than_twice_the_deadline(settings, server):
    """Twelve items whose pages each trickle for 10 s: a page fetch ends at FEED_TIMEOUT_SECONDS, and pages
    not started within it wait for the next poll (four at a time, all twelve would take three rounds)."""
    settings = dataclasses.replace(settings, feed_timeout_seconds=1.0)
    page = b"<html><body><article><p>" + b"Slow words. " * 90 + b"</p></article></body></html>"
    async with Trickle(page, every=0.01) as trickle:
        server.stories[:] = [Story(f"s{i}", f"Story {i}", "Wed, 11 Dec 2024 08:00:00 GMT", [],
                                   summary=f"Story {i} in short.", link=trickle.url(f"/page/{i}")) for i in range(12)]
        feeds = FeedStore(settings.feeds_db)
        feeds.add(server.url("/rss.xml"))
        started = time.monotonic()
        report = await asyncio.wait_for(asyncio.to_thread(poll, settings, feeds, now=NOW), 2 * 1.0 + 0.5)
        assert time.monotonic() - started < 2 * 1.0 + 0.5
    assert report.failed == [] and 0 < report.new_items == sum(trickle.hits.values()) < 12
    assert all(frontmatter.load(path).content.strip().endswith("in short.") for path in report.written)
