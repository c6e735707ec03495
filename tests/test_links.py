"""Links added by hand: fetched from a page server on 127.0.0.1 (allowed like the feed tests), kept under
CORPUS_DIR/links/, logged, searchable; refused with one line when they cannot be (address, size, not an article,
duplicate)."""

from __future__ import annotations

import asyncio
import dataclasses
import json
from datetime import datetime, timezone

import frontmatter
import pytest

from feedserver import GRAIN, FeedServer, Story
from index.engine import Engine
from index.ingest.build import ingest
from newsdesk.cli import main
from sources.links import LinkLog, add_links, links_in

pytestmark = pytest.mark.timeout(60)
NOW = datetime(2025, 2, 12, 9, 30, tzinfo=timezone.utc)
PIER = Story(
    slug="pier-closes", title="Northern pier to close for repairs", published="Mon, 10 Feb 2025 08:00:00 GMT",
    author="Ana Lima",
    paragraphs=["The northern pier will close for repairs on 3 March, the harbour master said on Monday, after "
                "divers found cracks in the piles that carry its deck.",
                "Ferries to the islands will use the southern quay while the work goes on, and the port authority "
                "will publish a new timetable for the crossings by the end of February."])


@pytest.fixture
def settings(settings):
    """The page server lives on 127.0.0.1, which fetches refuse unless allowed."""
    return dataclasses.replace(settings, feed_allow_networks=("127.0.0.1/32",))


@pytest.fixture
async def server():
    async with FeedServer() as s:
        s.stories += [PIER, GRAIN]
        s.redirects["metadata"] = "http://169.254.169.254/latest/meta-data/"
        yield s


def add(settings, *urls, **kwargs):
    return asyncio.to_thread(add_links, settings, list(urls), who=kwargs.pop("who", "alice"), now=NOW, **kwargs)


async def test_a_link_is_kept_logged_and_searchable(settings, server):
    url = server.url("/article/pier-closes.html")
    [added] = await add(settings, url, note="for the port story")

    assert added.outcome == "added"
    assert (added.title, added.date, added.source) == (PIER.title, "2025-02-10", "Harbour Gazette")
    assert added.line() == f"added “{PIER.title}” · 2025-02-10 · Harbour Gazette: now searchable"
    assert added.doc_id.startswith("links/127-0-0-1/2025-02-10-northern-pier-to-close-for-repairs-")
    post = frontmatter.load(settings.corpus_dir / added.doc_id)
    assert (post["url"], post["author"], post["added_by"], post["note"]) == (url, "Ana Lima", "alice", "for the port story")
    assert post.content.startswith("The northern pier will close") and "Home | World" not in post.content

    answer = Engine.open(settings).ask("When will the northern pier close?")
    quote = (answer.quotes or answer.nearest)[0]
    assert quote.doc_id == added.doc_id and quote.url == url  # the quote links to the page

    [entry] = LinkLog(settings.links_db).entries()
    assert (entry["url"], entry["added_by"], entry["added_at"], entry["outcome"], entry["doc_id"]) == (
        url, "alice", "2025-02-12T09:30:00+00:00", "added", added.doc_id)

    ingest(settings, [settings.corpus_dir])  # a rebuild keeps it: it is a file of the corpus
    assert Engine.open(settings).summary().documents == 1


async def test_a_link_already_held_is_named_not_added_again(settings, server):
    [first] = await add(settings, server.url("/article/pier-closes.html"))
    [again] = await add(settings, server.url("/article/pier-closes.html#comments"), who="bob")
    assert again.outcome == "duplicate" and server.hits["/article/pier-closes"] == 1  # known before any fetch
    assert again.reason == f"already held as “{PIER.title}” (Harbour Gazette · 2025-02-10), {first.doc_id}"

    [same_text] = await add(settings, server.url("/page/pier-closes.html"))  # the same story at another address
    assert same_text.outcome == "duplicate" and same_text.doc_id == first.doc_id
    assert [e["outcome"] for e in LinkLog(settings.links_db).entries()] == ["duplicate", "duplicate", "added"]


async def test_refusals_are_one_line_each_and_nothing_is_kept(settings, server):
    server.html["front"] = "<html><body><nav>Home | World</nav><p>Subscribe to read.</p></body></html>"
    server.html["huge"] = "<html><body><p>" + "word " * 1_200_000 + "</p></body></html>"
    server.raw["feed"] = b"<rss version='2.0'><channel><title>x</title></channel></rss>"
    results = await add(settings, server.url("/go/metadata"), server.url("/html/huge"), server.url("/raw/feed"),
                        server.url("/html/front"), server.url("/page/missing.html"), "ftp://example.org/file",
                        "https://example.org/" + "a" * 100_000)
    assert [r.outcome for r in results] == ["refused"] * 7
    assert [r.reason for r in results] == [
        "refused address: 169.254.169.254 is an internal address (169.254.169.254)",
        "too big: the page is larger than 5 MB",
        "not an article: it is application/rss+xml, not a web page",
        "not an article: no main text on the page (6 words)",
        "could not fetch it: HTTP Error 404: Not Found",
        "not an http(s) link",
        "too long: a link of 100,020 characters (at most 2,048)",  # a paste gone wrong: not fetched, not echoed
    ]
    assert all("\n" not in r.line() and len(r.line()) < 300 for r in results)
    assert not (settings.corpus_dir / "links").exists() or not any((settings.corpus_dir / "links").rglob("*.md"))
    assert len(LinkLog(settings.links_db).entries()) == 7


SIGN_IN = ("<html><head><title>Sign in | Harbour Gazette</title></head><body><form><label>Email</label><input "
           "name=email><label>Password</label><input type=password name=pw><button>Sign in</button></form><p>Subscribe "
           "to the Harbour Gazette for full access to all our reporting, archives and newsletters, from one euro a "
           "week for the first three months; cancel any time.</p></body></html>")


async def test_a_link_that_redirects_to_a_sign_in_page_is_refused_and_a_plain_redirect_is_followed(settings, server):
    server.html["login"] = server.html["welcome"] = SIGN_IN
    server.redirects["story"] = server.url("/html/login?next=/story")  # named for signing in
    server.redirects["member-story"] = server.url("/html/welcome")  # a password field
    server.redirects["short"] = server.url("/article/pier-closes.html")  # a short link to the article itself
    walled, member, short = await add(settings, server.url("/go/story"), server.url("/go/member-story"),
                                      server.url("/go/short"))
    assert walled.line() == (f"not added {server.url('/go/story')}: not an article: it leads to a sign-in page "
                             f"({server.url('/html/login?next=/story')})")
    assert (member.outcome, member.why) == ("refused", "sign_in")
    assert short.outcome == "added" and short.title == PIER.title


async def test_two_links_of_one_request_are_both_added_in_one_ingest(settings, server):
    results = await add(settings, server.url("/article/pier-closes.html"), server.url("/article/grain-quay.html"))
    assert [r.outcome for r in results] == ["added", "added"]
    assert Engine.open(settings).summary().documents == 2


def test_links_are_read_from_a_message_each_once():
    text = ("Two stories: https://example.org/a?x=1, and <https://example.org/b>. Again https://example.org/a?x=1 "
            "(see https://example.org/c).")
    assert links_in(text) == ["https://example.org/a?x=1", "https://example.org/b", "https://example.org/c"]
    assert links_in("no links, only example.org and ftp://x") == []


async def test_cli_add_prints_a_line_per_link_logs_it_and_the_digest_lists_it(settings, server, monkeypatch, capsys):
    for key, value in (("DATA_DIR", settings.data_dir), ("CORPUS_DIR", settings.corpus_dir),
                       ("INDEX_DIR", settings.index_dir), ("EMBEDDING_MODEL", "hash"),
                       ("FEED_ALLOW_NETWORKS", "127.0.0.1/32")):
        monkeypatch.setenv(key, str(value))
    code = await asyncio.to_thread(main, ["add", server.url("/article/pier-closes.html"), "--note", "port"])
    out, err = capsys.readouterr()
    assert code == 0 and out.splitlines() == [f"added “{PIER.title}” · 2025-02-10 · Harbour Gazette: now searchable",
                                              "1 added"]
    code = await asyncio.to_thread(main, ["add", server.url("/go/metadata"), server.url("/article/pier-closes.html")])
    out, err = capsys.readouterr()
    assert code == 1 and out.strip() == "1 already held, 1 refused"
    assert err.splitlines() == [
        f"not added {server.url('/go/metadata')}: refused address: 169.254.169.254 is an internal address (169.254.169.254)",
        f"not added {server.url('/article/pier-closes.html')}: already held as “{PIER.title}” (Harbour Gazette · "
        "2025-02-10), " + LinkLog(settings.links_db).entries()[-1]["doc_id"]]
    [entry] = json.loads((await asyncio.to_thread(main, ["digest", "--json"]), capsys.readouterr().out)[1])["entries"]
    assert (entry["title"], entry["date"], entry["url"]) == (PIER.title, "2025-02-10",
                                                            server.url("/article/pier-closes.html"))
    assert LinkLog(settings.links_db).entries()[0]["added_by"].endswith("(command line)")
