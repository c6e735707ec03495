"""Feeds that keep the corpus fresh: RSS/Atom polled, each new item's page fetched, its main text written
to CORPUS_DIR/feeds/ as a Markdown document with front matter, then ingested like any other file.

The followed feeds and the items already taken live in DATA_DIR/feeds.sqlite, or the shared DATABASE_URL
(not in the index: they survive rebuilds). An item is taken once, by its guid within its feed and by its link across
feeds. A feed that fails is retried after FEED_POLL_MINUTES × 2^(failures-1), at most a day, and never holds
up the others. Blocking: call from a thread.
"""

from __future__ import annotations

import calendar
import hashlib
import io
import logging
import os
import re
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Callable, Iterator
from urllib.parse import urljoin, urlparse

import sqlalchemy as sa

from newsdesk.database import Database
from index.errors import NewsdeskError, named
from index.ingest.clean import text_of_html
from .fetch import Fetched, FetchError, Guard, HttpStatus, fetch
from .fetch import check_url as fetch_url_checked
from newsdesk.settings import Settings
from index.types import IngestReport

log = logging.getLogger(__name__)

FEEDS_FOLDER = "feeds"  # under CORPUS_DIR
MAX_BYTES = 5 * 1024 * 1024  # a feed or page larger than this is refused
MAX_BACKOFF = timedelta(days=1)
MAX_ITEM_ATTEMPTS = 3  # an item whose page and summary give no text is given up after this many polls
PAGE_WORKERS = 4  # item pages fetched at once, per feed
FEED_WORKERS = 4  # feeds polled at once

_METADATA = sa.MetaData()
feeds_table = sa.Table(
    "feeds", _METADATA,
    sa.Column("url", sa.Text, primary_key=True),
    sa.Column("title", sa.Text),
    sa.Column("added_at", sa.Text, nullable=False),
    sa.Column("last_polled_at", sa.Text),
    sa.Column("last_ok_at", sa.Text),
    sa.Column("next_poll_at", sa.Text),
    sa.Column("failures", sa.Integer, nullable=False, server_default="0"),
    sa.Column("last_error", sa.Text),
    sa.Column("etag", sa.Text),
    sa.Column("modified", sa.Text),
)
items_table = sa.Table(
    "items", _METADATA,
    sa.Column("feed_url", sa.Text, primary_key=True),
    sa.Column("guid", sa.Text, primary_key=True),
    sa.Column("link", sa.Text),
    sa.Column("title", sa.Text),
    sa.Column("date", sa.Text),
    sa.Column("path", sa.Text),
    sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
    sa.Column("taken_at", sa.Text),
)
sa.Index("items_link", items_table.c.link)


class FeedError(NewsdeskError):
    """A feed that cannot be added, removed or read; the message says why."""


@dataclass
class Feed:
    url: str
    title: str = ""
    added_at: str = ""
    last_polled_at: str | None = None
    last_ok_at: str | None = None
    next_poll_at: str | None = None
    failures: int = 0
    last_error: str | None = None
    etag: str | None = None
    modified: str | None = None
    items: int = 0

    def to_json(self) -> dict:
        d = asdict(self)
        d.pop("etag"), d.pop("modified")
        return d


Fetch = Callable[[str, float, dict[str, str]], Fetched]


def fetcher(settings: Settings) -> Fetch:
    """The guarded GET (sources/fetch.py) with the settings' allow-list and the feed byte cap."""
    guard = Guard.of(settings.feed_allow_networks)

    def get(url: str, timeout: float, headers: dict[str, str]) -> Fetched:
        return fetch(url, guard=guard, timeout=timeout, max_bytes=MAX_BYTES, headers=headers)

    return get


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _stamp(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).isoformat(timespec="seconds")


def check_url(url: str) -> str:
    """A feed URL as the guarded fetch accepts it (`fetch.check_url`), or a FeedError that says so."""
    try:
        return fetch_url_checked(url)
    except FetchError as exc:
        raise FeedError(f"not a feed to follow: {exc}") from None


def backoff(failures: int, interval: timedelta) -> timedelta:
    """How long a feed that failed `failures` times in a row waits: the interval, doubled each time."""
    return min(MAX_BACKOFF, interval * 2 ** max(0, failures - 1))


class FeedStore:
    """The followed feeds and the items taken from them; short transactions, any thread may call."""

    def __init__(self, db: Database | Path) -> None:
        self.db = Database.of(db)
        self.db.create(feeds_table, items_table)

    def add(self, url: str, *, now: datetime | None = None) -> Feed:
        url = check_url(url)
        with self.db.begin() as db:
            db.execute(self.db.insert(feeds_table).values(url=url, added_at=_stamp(now or _now()))
                       .on_conflict_do_nothing(index_elements=[feeds_table.c.url]))
        return self.feed(url)

    def remove(self, url: str) -> None:
        with self.db.begin() as db:
            if db.execute(feeds_table.delete().where(feeds_table.c.url == url.strip())).rowcount == 0:
                raise FeedError(f"not following {named(url)!r} (see `newsdesk feeds list`)")

    def feeds(self) -> list[Feed]:
        f, i = feeds_table.c, items_table.c
        items = (sa.select(sa.func.count()).where(i.feed_url == f.url, i.path.is_not(None))
                 .scalar_subquery().label("items"))
        with self.db.begin() as db:
            rows = db.execute(sa.select(feeds_table, items).order_by(f.added_at, f.url)).mappings().all()
        return [Feed(**r) for r in rows]

    def feed(self, url: str) -> Feed:
        found = [f for f in self.feeds() if f.url == url]
        if not found:
            raise FeedError(f"not following {named(url)!r}")
        return found[0]

    def due(self, now: datetime) -> list[Feed]:
        return [f for f in self.feeds() if not f.next_poll_at or f.next_poll_at <= _stamp(now)]

    def succeeded(self, feed: Feed, now: datetime, next_poll: datetime, *, title: str | None,
                  etag: str | None, modified: str | None) -> None:
        f = feeds_table.c
        with self.db.begin() as db:
            db.execute(feeds_table.update().where(f.url == feed.url).values(
                title=sa.func.coalesce(title, f.title), last_polled_at=_stamp(now), last_ok_at=_stamp(now),
                next_poll_at=_stamp(next_poll), failures=0, last_error=None, etag=etag, modified=modified))

    def move(self, old: str, new: str) -> bool:
        """Follow the feed at `new`, where `old` moved for good, with the items taken from it; False (nothing
        changed) when `new` is followed already."""
        f, i = feeds_table.c, items_table.c
        with self.db.begin() as db:
            if db.execute(sa.select(f.url).where(f.url == new)).first():
                return False
            db.execute(items_table.delete().where(  # left by a feed once followed at `new`, then removed
                i.feed_url == new, i.guid.in_(sa.select(i.guid).where(i.feed_url == old))))
            db.execute(items_table.update().where(i.feed_url == old).values(feed_url=new))
            db.execute(feeds_table.update().where(f.url == old).values(url=new))
        return True

    def failed(self, feed: Feed, now: datetime, error: str, interval: timedelta,
               wait_at_least: timedelta = timedelta(0)) -> Feed:
        """Record one more failure; the next poll after the backoff, or `wait_at_least` (Retry-After) if longer."""
        failures = feed.failures + 1
        next_poll = now + max(backoff(failures, interval), min(wait_at_least, MAX_BACKOFF))
        with self.db.begin() as db:
            db.execute(feeds_table.update().where(feeds_table.c.url == feed.url).values(
                last_polled_at=_stamp(now), next_poll_at=_stamp(next_poll), failures=failures, last_error=error[:500]))
        return Feed(**{**asdict(feed), "failures": failures, "next_poll_at": _stamp(next_poll), "last_error": error})

    def taken(self, feed_url: str, guid: str, link: str) -> bool:
        """Whether the item was already taken (or given up), by guid in this feed or by link anywhere."""
        i = items_table.c
        same = sa.and_(i.feed_url == feed_url, i.guid == guid)
        if link:
            same = sa.or_(same, i.link == link)
        with self.db.begin() as db:
            row = db.execute(sa.select(sa.literal(1)).where(
                same, sa.or_(i.path.is_not(None), i.attempts >= MAX_ITEM_ATTEMPTS)).limit(1)).first()
        return row is not None

    def take(self, feed_url: str, guid: str, *, link: str, title: str, day: str | None, path: str | None,
             now: datetime) -> None:
        """Record an item written to `path`, or (path None) one more failed attempt at it."""
        insert = self.db.insert(items_table).values(feed_url=feed_url, guid=guid, link=link, title=title, date=day,
                                                    path=path, attempts=1, taken_at=_stamp(now))
        with self.db.begin() as db:
            db.execute(insert.on_conflict_do_update(
                index_elements=[items_table.c.feed_url, items_table.c.guid],
                set_={"path": insert.excluded.path, "attempts": items_table.c.attempts + 1,
                      "taken_at": insert.excluded.taken_at, "title": insert.excluded.title,
                      "date": insert.excluded.date}))


@dataclass
class PollReport:
    """What one round of polling did; `ingest` is set when new items were ingested."""

    polled: int = 0
    new_items: int = 0
    written: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    moved: list[str] = field(default_factory=list)  # "OLD -> NEW": feeds that moved for good, followed at NEW now
    ingest: IngestReport | None = None
    seconds: float = 0.0

    def to_json(self) -> dict:
        d = asdict(self)
        d["ingest"] = self.ingest.to_json() if self.ingest else None
        return d


def _entry_date(entry) -> date | None:
    """The item's date; None when it gives none the calendar holds (feedparser reads `<pubDate>0000` as year 0)."""
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        parsed = entry.get(key)
        if parsed:
            try:
                return datetime.fromtimestamp(calendar.timegm(parsed), timezone.utc).date()
            except (ValueError, OverflowError):
                return None
    return None


def slug(text: str, limit: int = 60) -> str:
    """`text` as a file name part: lower-case ASCII words joined by '-', at most `limit` characters."""
    words = re.sub(r"[^\w]+", "-", text.casefold(), flags=re.ASCII).strip("-")
    return words[:limit].rstrip("-") or "item"


@dataclass
class _Item:
    guid: str
    link: str
    title: str
    day: date | None
    source: str
    author: str
    summary: str


def _items(parsed, feed_url: str) -> Iterator[_Item]:
    """The feed's items, in its order, made one at a time (a huge feed costs only the items looked at)."""
    feed_title = _text(parsed.feed, "title")
    for entry in parsed.entries:
        link = (entry.get("link") or "").strip()
        if entry.get("links"):  # a <link> of its own, which may be relative to the feed ("/news/1042.html")
            link = urljoin(feed_url, link)
        # feedparser gives the guid ("1042", "urn:...") as the link of an item without one; a link's tracking
        # parameters (utm_source=...) differ from feed to feed for the same story
        link = _canonical(link) if page_allowed(link) else ""
        summary_html = ""
        if entry.get("content"):
            summary_html = entry["content"][0].get("value") or ""
        summary_html = summary_html or entry.get("summary") or ""
        guid = (entry.get("id") or link or hashlib.sha256(
            f"{entry.get('title')}|{summary_html}".encode()).hexdigest()).strip()
        source = ((entry.get("source") or {}).get("title") or feed_title or urlparse(link or feed_url).hostname or "")
        yield _Item(guid=guid, link=link, title=_text(entry, "title"), day=_entry_date(entry),
                    source=source.strip(), author=(entry.get("author") or "").strip(),
                    summary=text_of_html(summary_html))


def _text(holder, key: str) -> str:
    """A feed's or item's `key` (title) as plain text: RSS titles and Atom ones of type html/xhtml hold markup
    and entities ("A &amp;amp; B", "Ferry <b>strike</b> ends"), which feedparser leaves in."""
    value = holder.get(key) or ""
    if (holder.get(f"{key}_detail") or {}).get("type") in ("text/html", "application/xhtml+xml"):
        value = text_of_html(value)
    return " ".join(value.split())


def _canonical(link: str) -> str:
    """`link` without tracking parameters (utm_*, fbclid, ...) and with its host in lower case (courlan, which
    trafilatura uses for the same), so one story linked from two feeds is one item."""
    from courlan import normalize_url

    try:
        return normalize_url(link)
    except Exception:  # courlan on a link it cannot take apart (a bad port, an odd IPv6 host): as it is
        return link


class _Claims:
    """The links taken by the feeds polled in one round (at once, in threads): an item that two of them carry is
    taken by the first to reach it, not by both before either has recorded it."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._links: set[str] = set()

    def claim(self, link: str) -> bool:
        if not link:
            return True
        with self._lock:
            if link in self._links:
                return False
            self._links.add(link)
            return True


def read_feed(body: bytes, headers: dict[str, str], feed_url: str) -> tuple[str | None, Iterator[_Item]]:
    """The feed's title and its items, parsed from `body` in memory; FeedError when it is not RSS/Atom. Links
    relative to the feed (`/news/1042.html`) are read against `feed_url`, where the feed was fetched from.

    feedparser takes a bytes or str argument for a file name or a URL when it can (a feed whose body is
    `/etc/passwd` would be read from that file): the body goes in as a stream, which it only reads."""
    import feedparser

    try:
        parsed = feedparser.parse(io.BytesIO(body), response_headers=headers)
    except Exception as exc:  # a bulkhead around feedparser alone, which should mark a malformed feed `bozo`
        # but raises on some (kurtmckee/feedparser#591, #599): &#x110000; or &#xD800;, a backslash in a DOCTYPE
        # entity, a GeoRSS srsName that is not a number or a gml:pos outside georss:where, ...
        log.warning("feedparser %s raised on the feed %s", feedparser.__version__, feed_url, exc_info=True)
        raise FeedError(f"feedparser cannot read it: {type(exc).__name__}: {_first_line(exc)}") from exc
    if not parsed.entries and (parsed.bozo or not parsed.get("version")):
        if advertised := _advertised_feeds(body, feed_url):  # the site's page pasted instead of its feed
            raise FeedError(f"not an RSS/Atom feed but a web page; the feed it names: {advertised[0]} "
                            f"(newsdesk feeds add {advertised[0]})")
        raise FeedError(f"not an RSS/Atom feed: {_first_line(parsed.get('bozo_exception') or 'no entries')}")
    return _text(parsed.feed, "title") or None, _items(parsed, feed_url)


_FEED_TYPES = {"application/rss+xml", "application/atom+xml", "application/feed+json", "application/rdf+xml"}


def _advertised_feeds(body: bytes, page_url: str) -> list[str]:
    """The http(s) feeds an HTML page names in its <link rel="alternate" type="application/rss+xml" href=...>."""
    import lxml.html

    try:
        root = lxml.html.document_fromstring(body[:MAX_BYTES])
    except Exception:  # lxml raises several types on what is not HTML at all
        return []
    found = [urljoin(page_url, link.get("href", "").strip()) for link in root.iter("link")
             if "alternate" in (link.get("rel") or "").lower().split()
             and (link.get("type") or "").split(";")[0].strip().lower() in _FEED_TYPES and link.get("href")]
    return [url for url in dict.fromkeys(found) if page_allowed(url)]


def _first_line(reason: object) -> str:
    return (str(reason).splitlines() or [type(reason).__name__])[0][:200]


def page_allowed(link: str) -> bool:
    """An item's page is fetched when it is http(s); where it may connect is the fetch guard's call."""
    try:
        fetch_url_checked(link)
    except FetchError:
        return False
    return True


def _page_text(item: _Item, fetch: Fetch, timeout: float, start_by: float) -> tuple[str, dict] | None:
    """The main text of the item's page (trafilatura) and what the page says of itself; ("", {}) if none,
    None when the page was not started by `start_by` (monotonic seconds): the item waits for the next poll."""
    if not item.link or not page_allowed(item.link):
        return "", {}
    if time.monotonic() >= start_by:
        return None
    try:
        page = fetch(item.link, timeout, {})
    except Exception as exc:  # refused, network, HTTP, size, deadline: the feed's summary is used instead
        log.info("Feed item page %s not fetched: %s", item.link, exc)
        return "", {}
    meta = page_meta(page.body.decode("utf-8", errors="replace"), item.link)
    text = "\n\n".join(line.strip() for line in (meta.get("text") or "").splitlines() if line.strip())
    return text, meta


def page_meta(page: str | bytes, url: str) -> dict:
    """A web page's main text (a paragraph a line) and what it says of itself (title, date, sitename, author),
    as trafilatura extracts them; {} when it finds no main text. Feed items' pages and added links alike."""
    import trafilatura

    extracted = trafilatura.bare_extraction(page, url=url, with_metadata=True, include_comments=False)
    if extracted is None or isinstance(extracted, dict):  # (a dict only when asked for one: as_dict=True)
        return extracted or {}
    return extracted.as_dict()


def _write(folder: Path, item: _Item, body: str, meta: dict, feed_url: str, now: datetime) -> Path:
    """The item as Markdown with front matter, written atomically (a dot-file until complete)."""
    import frontmatter

    day = item.day or meta_date(meta) or now.date()
    front = {
        "title": item.title or meta.get("title") or "",
        "date": day.isoformat(),
        "source": item.source or meta.get("sitename") or "",
        "url": item.link,
        "author": item.author or meta.get("author") or "",
        "feed": feed_url,
        "guid": item.guid,
    }
    if not item.day and not meta_date(meta):
        front["date_from"] = "fetched"  # neither the feed nor the page gave a date
    host = slug(urlparse(feed_url).hostname or "feed", 40)
    tag = hashlib.sha256(item.guid.encode()).hexdigest()[:8]
    name = f"{day.isoformat()}-{slug(front['title'] or 'item', 50)}-{tag}.md"
    path = folder / host / name
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{name}.tmp")
    tmp.write_text(frontmatter.dumps(frontmatter.Post(body, None, **front)) + "\n", encoding="utf-8")
    os.replace(tmp, path)
    return path


def meta_date(meta: dict) -> date | None:
    """The day a page's metadata (`page_meta`) gives, if it reads as one."""
    try:
        return date.fromisoformat(str(meta.get("date"))[:10]) if meta.get("date") else None
    except ValueError:
        return None


def poll_feed(feed: Feed, store: FeedStore, folder: Path, *, now: datetime, timeout: float, fetch: Fetch,
              max_items: int = 50, claims: _Claims | None = None
              ) -> tuple[list[Path], str | None, str | None, str | None, str | None]:
    """Fetch one feed and write up to `max_items` new items (the rest wait for the next poll); returns
    (written paths, feed title, etag, last-modified, the URL it moved to for good or None).

    Each fetch ends within `timeout`, and item pages are started only during one `timeout` after the feed
    was read (the others wait for the next poll): one feed's fetches take at most three times `timeout`,
    however many slow pages its items point at.

    Raises on a feed that cannot be fetched or parsed (the caller records the failure)."""
    headers = {}
    if feed.etag:
        headers["If-None-Match"] = feed.etag
    if feed.modified:
        headers["If-Modified-Since"] = feed.modified
    response = fetch(feed.url, timeout, headers)
    if response.status == 304:
        return [], None, feed.etag, feed.modified, response.moved
    title, items = read_feed(response.body, response.headers, response.url)
    fresh: list[_Item] = []
    for item in items:
        if len(fresh) >= max_items:
            log.info("Feed %s: more than %d new items; the rest wait for the next poll", feed.url, max_items)
            break
        if not store.taken(feed.url, item.guid, item.link) and (claims is None or claims.claim(item.link)):
            fresh.append(item)  # (an item another feed of this round claimed is taken by that one)
    start_by = time.monotonic() + timeout
    with ThreadPoolExecutor(max_workers=PAGE_WORKERS, thread_name_prefix="feed-page") as pool:
        pages = list(pool.map(lambda i: _page_text(i, fetch, timeout, start_by), fresh))
    written = []
    for item, page in zip(fresh, pages):
        if page is None:
            continue
        text, meta = page
        body = text if len(text.split()) >= len(item.summary.split()) else item.summary
        if not body.strip():
            log.warning("Feed item %s: no text in its page nor in the feed; will try again", item.link or item.guid)
            store.take(feed.url, item.guid, link=item.link, title=item.title, day=None, path=None, now=now)
            continue
        path = _write(folder, item, body, meta, feed.url, now)
        store.take(feed.url, item.guid, link=item.link, title=item.title,
                   day=item.day.isoformat() if item.day else None, path=str(path), now=now)
        written.append(path)
    if waiting := sum(page is None for page in pages):
        log.info("Feed %s: %d item pages not started within %g s; they wait for the next poll", feed.url,
                 waiting, timeout)
    return written, title, response.headers.get("etag"), response.headers.get("last-modified"), response.moved


def poll(settings: Settings, store: FeedStore, *, now: datetime | None = None, force: bool = False,
         fetch: Fetch | None = None) -> PollReport:
    """Poll every due feed (all with `force`), FEED_WORKERS at a time; a failing one is logged and retried
    later with backoff, and a slow one holds up nothing but its own worker."""
    started = time.perf_counter()
    now = now or _now()
    fetch = fetch or fetcher(settings)
    interval = timedelta(minutes=settings.feed_poll_minutes)
    folder = Path(settings.corpus_dir) / FEEDS_FOLDER
    report = PollReport()
    feeds = store.feeds() if force else store.due(now)
    claims = _Claims()

    def one(feed: Feed) -> tuple[Feed, tuple | None, Exception | None]:
        try:
            return feed, poll_feed(feed, store, folder, now=now, timeout=settings.feed_timeout_seconds, fetch=fetch,
                                   max_items=settings.feed_max_items, claims=claims), None
        except Exception as exc:  # any failure of one feed: recorded, logged, the others go on
            return feed, None, exc

    with ThreadPoolExecutor(max_workers=FEED_WORKERS, thread_name_prefix="feed") as pool:
        results = list(pool.map(one, feeds))
    for feed, result, error in results:
        report.polled += 1
        if result is None:
            reason = (str(error) if isinstance(error, NewsdeskError) else f"{type(error).__name__}: {error}")
            reason = reason.removeprefix(f"{feed.url}: ")  # the report line names the feed once
            wait = timedelta(seconds=getattr(error, "retry_after", None) or 0)  # a 429 or 503 saying how long
            if isinstance(error, HttpStatus) and error.status == 410:  # Gone: for good, by the site's own word
                reason, wait = f"{reason}: the feed is gone; `newsdesk feeds remove {feed.url}` stops following it", \
                    MAX_BACKOFF
            failed = store.failed(feed, now, reason, interval, wait)
            log.warning("Feed %s failed (%d in a row); next try after %s: %s", feed.url, failed.failures,
                        failed.next_poll_at, reason)
            report.failed.append(f"{feed.url}: {reason}")
            continue
        written, title, etag, modified, moved = result
        store.succeeded(feed, now, now + interval, title=title, etag=etag, modified=modified)
        if moved and moved != feed.url:
            if store.move(feed.url, moved):
                log.info("Feed %s moved permanently to %s: following it there", feed.url, moved)
                report.moved.append(f"{feed.url} -> {moved}")
            else:
                log.warning("Feed %s moved permanently to %s, which is followed too: `newsdesk feeds remove %s`",
                            feed.url, moved, feed.url)
        report.new_items += len(written)
        report.written += [str(p) for p in written]
    report.seconds = round(time.perf_counter() - started, 3)
    return report


def refresh(settings: Settings, store: FeedStore, *, engine=None, now: datetime | None = None,
            force: bool = False, fetch: Fetch | None = None) -> PollReport:
    """Poll the feeds, then ingest the corpus folder when items were written (through `engine` if given)."""
    report = poll(settings, store, now=now, force=force, fetch=fetch)
    if report.new_items:
        if engine is not None:
            report.ingest = engine.reindex()
        else:
            from index.ingest.build import ingest

            report.ingest = ingest(settings, [Path(settings.corpus_dir)])
    return report
