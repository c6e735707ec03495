"""Feeds from an aiohttp server on 127.0.0.1: items written and ingested once, dead feeds backed off, the watch."""

from __future__ import annotations

import asyncio
import dataclasses
import json
import logging
import os
import time
from datetime import date, datetime, timedelta, timezone

import frontmatter
import pytest

from feedserver import GRAIN, FeedServer, Story
from index.engine import Engine
from sources.feeds import FeedError, FeedStore, backoff, poll, refresh
from sources.watch import CorpusWatch
from newsdesk.cli import main

pytestmark = pytest.mark.timeout(60)
NOW = datetime(2024, 12, 11, 9, 0, tzinfo=timezone.utc)


@pytest.fixture
def settings(settings):
    """The feed servers live on 127.0.0.1, which fetches refuse unless allowed."""
    return dataclasses.replace(settings, feed_allow_networks=("127.0.0.1/32",))


@pytest.fixture
async def server():
    async with FeedServer() as s:
        s.stories.append(GRAIN)
        yield s


async def test_a_new_item_is_written_ingested_once_and_in_the_digest_with_its_date_and_source(settings, server):
    feeds = FeedStore(settings.feeds_db)
    feeds.add(server.url("/rss.xml"))
    report = await asyncio.to_thread(refresh, settings, feeds, now=NOW)
    assert report.polled == 1 and report.new_items == 1 and report.failed == []
    assert report.ingest.added == 1
    [path] = report.written
    post = frontmatter.load(path)
    assert post["title"] == GRAIN.title and post["source"] == "Harbour Gazette" and post["url"].endswith("grain-quay.html")
    assert str(post["date"]) == "2024-12-11"
    assert "doubling the port's capacity" in post.content and "Home | World" not in post.content  # main text only

    digest = Engine.open(settings).digest(since=date(2024, 12, 11))
    [entry] = digest.entries
    assert (entry.title, entry.date, entry.source) == (GRAIN.title, "2024-12-11", "Harbour Gazette")
    assert entry.lead_quote.startswith("A new grain quay opened at the harbour on Wednesday")
    assert entry.attribution == "the harbour master"

    # the same item is never taken twice, even when the feed is fetched again
    again = await asyncio.to_thread(refresh, settings, feeds, now=NOW + timedelta(hours=1), force=True)
    assert again.polled == 1 and again.new_items == 0 and again.ingest is None
    assert server.hits["/page/grain-quay"] == 1
    [feed] = feeds.feeds()
    assert feed.items == 1 and feed.title == "Harbour Gazette" and feed.failures == 0


async def test_a_feed_is_polled_when_due_only(settings, server):
    settings = dataclasses.replace(settings, feed_poll_minutes=15)
    feeds = FeedStore(settings.feeds_db)
    feeds.add(server.url("/rss.xml"))
    await asyncio.to_thread(poll, settings, feeds, now=NOW)
    assert (await asyncio.to_thread(poll, settings, feeds, now=NOW + timedelta(minutes=14))).polled == 0
    server.stories.append(Story("pier", "Pier repairs finished", "Thu, 12 Dec 2024 10:00:00 GMT",
                                ["The repairs of the northern pier were finished ahead of schedule, the harbour master said "
                                 "on Thursday, and ferries will return to it next week."]))
    later = await asyncio.to_thread(poll, settings, feeds, now=NOW + timedelta(minutes=15))
    assert later.polled == 1 and later.new_items == 1


async def test_a_dead_feed_is_retried_with_backoff_and_logged_without_stopping_the_others(settings, server, caplog):
    feeds = FeedStore(settings.feeds_db)
    dead = server.url("/dead.xml")
    feeds.add(dead)
    feeds.add(server.url("/rss.xml"))
    caplog.set_level(logging.WARNING, logger="sources.feeds")

    first = await asyncio.to_thread(poll, settings, feeds, now=NOW)
    assert first.new_items == 1 and len(first.failed) == 1 and "HTTP Error 500" in first.failed[0]
    assert any(dead in r.getMessage() and "1 in a row" in r.getMessage() for r in caplog.records)
    failing = next(f for f in feeds.feeds() if f.url == dead)
    assert failing.failures == 1 and failing.next_poll_at == (NOW + timedelta(minutes=15)).isoformat()

    # not before its time; then again, and the wait doubles
    await asyncio.to_thread(poll, settings, feeds, now=NOW + timedelta(minutes=10))
    assert server.hits["/dead.xml"] == 1
    await asyncio.to_thread(poll, settings, feeds, now=NOW + timedelta(minutes=15))
    assert server.hits["/dead.xml"] == 2
    failing = next(f for f in feeds.feeds() if f.url == dead)
    assert failing.failures == 2 and failing.next_poll_at == (NOW + timedelta(minutes=45)).isoformat()
    assert any("2 in a row" in r.getMessage() for r in caplog.records)
    assert backoff(20, timedelta(minutes=15)) == timedelta(days=1)


async def test_a_feed_that_asks_to_wait_with_retry_after_is_not_polled_before_then(settings, server):
    server.statuses["busy"] = (429, {"Retry-After": "7200"})  # two hours, longer than the 15-minute backoff
    server.statuses["down"] = (503, {"Retry-After": "Wed, 11 Dec 2024 09:05:00 GMT"})  # shorter: the backoff holds
    feeds = FeedStore(settings.feeds_db)
    busy, down = feeds.add(server.url("/status/busy")).url, feeds.add(server.url("/status/down")).url
    report = await asyncio.to_thread(poll, settings, feeds, now=NOW)
    assert report.failed == [f"{busy}: HTTP Error 429: Too Many Requests",
                             f"{down}: HTTP Error 503: Service Unavailable"]
    waits = {f.url: f.next_poll_at for f in feeds.feeds()}
    assert waits == {busy: (NOW + timedelta(hours=2)).isoformat(), down: (NOW + timedelta(minutes=15)).isoformat()}
    await asyncio.to_thread(poll, settings, feeds, now=NOW + timedelta(minutes=30))
    assert server.hits["/status/busy"] == 1 and server.hits["/status/down"] == 2


async def test_a_feed_gone_for_good_is_tried_once_a_day_and_says_how_to_stop_following_it(settings, server):
    server.statuses["gone"] = (410, {})
    feeds = FeedStore(settings.feeds_db)
    gone = feeds.add(server.url("/status/gone")).url
    report = await asyncio.to_thread(poll, settings, feeds, now=NOW)
    assert report.failed == [f"{gone}: HTTP Error 410: Gone: the feed is gone; `newsdesk feeds remove {gone}` stops "
                             "following it"]
    [feed] = feeds.feeds()
    assert feed.next_poll_at == (NOW + timedelta(days=1)).isoformat() and "feeds remove" in feed.last_error


def rss(title: str, items: str) -> bytes:
    return f'<rss version="2.0"><channel><title>{title}</title><link>/</link>{items}</channel></rss>'.encode()


async def test_items_with_bare_guids_relative_links_or_markup_in_titles_are_each_taken_as_written(settings, server):
    # two CMS feeds numbering their items alike, without links; one links its pages relative to itself
    server.raw["port"] = rss("Port Authority News", "<item><guid>1042</guid><title>Fees &amp;amp; dues unchanged"
                             "</title><description>Harbour fees and dues will stay unchanged next year, the port "
                             "authority said on Tuesday.</description></item>")
    server.raw["city"] = rss("City Hall", "<item><guid>1042</guid><title>Bridge vote</title><description>The city "
                             "council approved the bridge contract on Monday, the mayor said.</description></item>"
                             "<item><guid>1043</guid><link>/page/grain-quay.html</link><title>Grain quay</title>"
                             "</item>")
    server.raw["wire"] = (b'<feed xmlns="http://www.w3.org/2005/Atom"><title>Wire</title><id>urn:wire</id><entry>'
                          b'<id>urn:wire:7</id><title type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">Ferry '
                          b'<b>strike</b> ends</div></title><updated>2024-12-10T09:00:00Z</updated><summary>The ferry '
                          b'strike ended on Tuesday after workers accepted a new pay offer.</summary></entry></feed>')
    feeds = FeedStore(settings.feeds_db)
    for name in ("port", "city", "wire"):
        feeds.add(server.url(f"/raw/{name}"))
    report = await asyncio.to_thread(poll, settings, feeds, now=NOW)
    assert report.failed == [] and report.new_items == 4
    posts = {post["title"]: post for post in map(frontmatter.load, report.written)}
    assert sorted(posts) == ["Bridge vote", "Fees & dues unchanged", "Ferry strike ends", "Grain quay"]
    assert posts["Bridge vote"]["url"] == posts["Fees & dues unchanged"]["url"] == ""  # no page, not "1042"
    assert posts["Grain quay"]["url"] == server.url("/page/grain-quay.html")
    assert "doubling the port's capacity" in posts["Grain quay"].content  # its page, fetched


async def test_a_story_carried_by_two_feeds_polled_together_is_taken_once(settings, server):
    page = server.url("/page/grain-quay.html")
    for name in ("wire", "regional"):  # each tags the link for its own analytics
        server.raw[name] = rss(name, f"<item><guid>{name}-77</guid><title>{GRAIN.title}</title>"
                                     f"<link>{page}?utm_source={name}&amp;utm_medium=rss</link></item>")
    feeds = FeedStore(settings.feeds_db)
    feeds.add(server.url("/raw/wire")), feeds.add(server.url("/raw/regional"))
    first = await asyncio.to_thread(poll, settings, feeds, now=NOW)
    again = await asyncio.to_thread(poll, settings, feeds, now=NOW + timedelta(hours=1), force=True)
    assert (first.new_items, again.new_items, server.hits["/page/grain-quay"]) == (1, 0, 1)
    assert frontmatter.load(first.written[0])["url"] == page


async def test_a_feed_that_moved_for_good_is_followed_at_its_new_address(settings, server):
    server.redirects["old-rss"] = server.url("/rss.xml")
    server.redirects["for-now"] = server.url("/rss.xml")
    feeds = FeedStore(settings.feeds_db)
    old = feeds.add(server.url("/moved/old-rss")).url  # 301
    report = await asyncio.to_thread(poll, settings, feeds, now=NOW)
    assert report.new_items == 1 and report.moved == [f"{old} -> {server.url('/rss.xml')}"]
    [feed] = feeds.feeds()
    assert (feed.url, feed.items) == (server.url("/rss.xml"), 1)  # with the items taken from it

    await asyncio.to_thread(poll, settings, feeds, now=NOW + timedelta(hours=1))
    assert server.hits["/moved/old-rss"] == 1 and server.hits["/rss.xml"] == 2

    feeds.remove(feed.url)
    feeds.add(server.url("/go/for-now"))  # 302: moved for now only
    await asyncio.to_thread(poll, settings, feeds, now=NOW + timedelta(hours=2))
    assert [f.url for f in feeds.feeds()] == [server.url("/go/for-now")]


async def test_unreachable_and_non_feeds_fail_cleanly(settings, server):
    feeds = FeedStore(settings.feeds_db)
    feeds.add(server.url("/page/grain-quay.html"))  # HTML, not a feed
    feeds.add("http://127.0.0.1:9/rss.xml")  # nothing listens on the discard port
    report = await asyncio.to_thread(poll, settings, feeds, now=NOW)
    assert len(report.failed) == 2
    assert any("not an RSS/Atom feed" in f for f in report.failed)
    assert any("Connection refused" in f or "URLError" in f for f in report.failed)
    with pytest.raises(FeedError):
        feeds.add("ftp://example.org/feed")


async def test_a_site_page_followed_instead_of_its_feed_fails_naming_the_feed_it_advertises(settings, server):
    server.html["home"] = ('<html><head><title>Harbour Gazette</title><link rel="alternate" type="application/rss+xml" '
                           'title="Harbour Gazette" href="/rss.xml"></head><body><p>Latest news</p></body></html>')
    feeds = FeedStore(settings.feeds_db)
    feeds.add(server.url("/html/home"))
    [failure] = (await asyncio.to_thread(poll, settings, feeds, now=NOW)).failed
    assert failure == (f"{server.url('/html/home')}: not an RSS/Atom feed but a web page; the feed it names: "
                       f"{server.url('/rss.xml')} (newsdesk feeds add {server.url('/rss.xml')})")


async def test_an_item_without_a_page_falls_back_to_the_feed_summary(settings, server):
    server.stories[:] = [Story("gone", "Harbour fees unchanged", "Tue, 10 Dec 2024 07:00:00 GMT", [],
                               summary="&lt;p&gt;Harbour fees will stay unchanged next year, the port authority said on Tuesday.&lt;/p&gt;")]
    feeds = FeedStore(settings.feeds_db)
    feeds.add(server.url("/rss.xml"))
    report = await asyncio.to_thread(poll, settings, feeds, now=NOW)  # the page answers 404
    [path] = report.written
    post = frontmatter.load(path)
    assert post.content.strip() == "Harbour fees will stay unchanged next year, the port authority said on Tuesday."


async def test_a_feed_served_gzip_compressed_though_not_asked_for_is_read(settings, server):
    server.gzip = True  # a CDN compressing the feed and its pages whatever the client asked
    feeds = FeedStore(settings.feeds_db)
    feeds.add(server.url("/rss.xml"))
    report = await asyncio.to_thread(poll, settings, feeds, now=NOW)
    assert report.failed == [] and report.new_items == 1
    assert "doubling the port's capacity" in frontmatter.load(report.written[0]).content  # the page, decompressed

    server.raw["bomb"] = b"<rss version='2.0'>" + b" " * 6_000_000 + b"</rss>"  # 6 MB once decompressed, 6 KB sent
    feeds.add(server.url("/raw/bomb"))
    report = await asyncio.to_thread(poll, settings, feeds, now=NOW + timedelta(hours=1))
    assert report.failed == [f"{server.url('/raw/bomb')}: larger than 5,242,880 bytes once decompressed"]


def test_cli_feeds_add_list_remove(settings, monkeypatch, capsys):
    monkeypatch.setenv("DATA_DIR", str(settings.data_dir))
    monkeypatch.setenv("CORPUS_DIR", str(settings.corpus_dir))
    assert main(["feeds", "add", "https://example.org/rss.xml"]) == 0
    assert main(["feeds", "list", "--json"]) == 0
    out = capsys.readouterr().out
    assert '"url": "https://example.org/rss.xml"' in out and '"failures": 0' in out
    assert main(["feeds", "remove", "https://example.org/rss.xml"]) == 0
    assert main(["feeds", "remove", "https://example.org/rss.xml"]) == 2
    assert "not following" in capsys.readouterr().err


def test_a_feed_url_pasted_at_length_is_refused_in_one_short_line(settings, monkeypatch, capsys):
    monkeypatch.setenv("DATA_DIR", str(settings.data_dir))
    monkeypatch.setenv("CORPUS_DIR", str(settings.corpus_dir))
    pasted = "https://example.org/rss.xml?" + "q" * 100_000
    assert main(["feeds", "add", pasted]) == 2
    err = capsys.readouterr().err
    assert err.startswith("newsdesk: not a feed to follow: the URL 'https://example.org/rss.xml?qqq")
    assert "is 100,028 characters long: at most 2,048" in err and len(err) < 300
    assert main(["feeds", "add", "not a url " * 10_000]) == 2 and len(capsys.readouterr().err) < 300
    assert main(["feeds", "remove", pasted]) == 2
    assert "not following 'https://example.org/rss.xml?qqq" in (err := capsys.readouterr().err) and len(err) < 300
    assert main(["feeds", "list", "--json"]) == 0 and capsys.readouterr().out.strip() == "[]"


def test_the_folder_watch_waits_for_a_settled_change(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.md").write_text("---\ntitle: A\n---\nText.")
    watch = CorpusWatch(corpus, since=time.time() + 60)  # the index is newer than every file
    assert watch.changed() is False
    (corpus / "b.txt").write_text("New text dropped in.")
    (corpus / ".partial.txt").write_text("hidden files are not documents")
    assert watch.changed() is False  # just seen: maybe still being written
    assert watch.changed() is True  # the same on the next look: ingest it
    watch.ingested()
    assert watch.changed() is False

    stale = CorpusWatch(corpus, since=time.time() - 3600)  # files changed while nobody watched
    stale.changed()
    assert stale.changed() is True
    os.remove(corpus / "b.txt")
    assert watch.changed() is False and watch.changed() is True  # removals count too


async def test_cli_feeds_poll_writes_ingests_and_the_digest_shows_it(settings, server, monkeypatch, capsys):
    for key, value in (("DATA_DIR", settings.data_dir), ("CORPUS_DIR", settings.corpus_dir),
                       ("INDEX_DIR", settings.index_dir), ("EMBEDDING_MODEL", "hash"),
                       ("FEED_ALLOW_NETWORKS", "127.0.0.1/32")):
        monkeypatch.setenv(key, str(value))
    assert await asyncio.to_thread(main, ["feeds", "add", server.url("/rss.xml")]) == 0
    capsys.readouterr()
    assert await asyncio.to_thread(main, ["feeds", "poll", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["new_items"] == 1 and report["ingest"]["added"] == 1 and report["failed"] == []
    assert await asyncio.to_thread(main, ["digest", "--json"]) == 0  # ingested in the last 24 hours
    [entry] = json.loads(capsys.readouterr().out)["entries"]
    assert (entry["title"], entry["date"], entry["source"]) == (GRAIN.title, "2024-12-11", "Harbour Gazette")


def test_item_pages_are_fetched_only_over_http_and_not_from_internal_addresses():
    from sources.feeds import page_allowed
    from sources.fetch import FetchError, Guard

    assert page_allowed("http://127.0.0.1:8000/story.html") and not page_allowed("file:///etc/passwd")
    for url in ("http://169.254.169.254/latest/meta-data/", "http://10.0.0.5/intranet", "http://127.0.0.1:8000/"):
        with pytest.raises(FetchError, match="refused, internal address"):
            Guard().pin(url.split("/")[2].split(":")[0], 80)
    assert Guard.of(["127.0.0.1/32"]).pin("127.0.0.1", 80) == "127.0.0.1"
