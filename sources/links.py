"""Links someone adds by hand (`newsdesk add URL`, Discord's /add and 📥): each page fetched through the guarded
fetcher (sources/fetch.py: every hop's address checked, FEED_TIMEOUT_SECONDS, MAX_BYTES), its main text extracted
with trafilatura as the HTML reader does, and kept as a Markdown file with front matter under CORPUS_DIR/links/,
so a rebuild keeps it; then the corpus is ingested and the page is searchable.

A link is refused with one line saying why: not an http(s) link, a refused address, too big, not an article (no
web page, or no main text on it), or a duplicate of a document already held (the same URL, or the same text),
which is named. Every link asked for is logged in DATA_DIR/links.sqlite (or DATABASE_URL): who, when, the URL,
the note, what became of it. Blocking: call from a thread.
"""

from __future__ import annotations

import getpass
import hashlib
import logging
import os
import re
import threading
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Literal, Sequence
from urllib.parse import urlsplit, urlunsplit

import sqlalchemy as sa

from newsdesk.database import Database, open_database
from index.errors import BadDate, BadDocument, named
from index.ingest.parse import parse_file
from newsdesk.settings import Settings
from index.store.documents import Store
from index.types import Document, DocumentRecord, IngestReport
from index.store.versions import current_version

from .feeds import MAX_BYTES, fetcher, meta_date, page_meta, slug
from .fetch import (AddressRefused, FetchError, HttpStatus, TimedOut, TooLarge, TooManyRedirects, UrlTooLong,
                    check_url)

log = logging.getLogger(__name__)

LINKS_FOLDER = "links"  # under CORPUS_DIR
MAX_LINKS = 10  # links taken from one request or message; the rest are not added (and the reply says so)
MIN_WORDS = 20  # a page with less main text than this is not an article (a front page, a login wall, a video)
_PAGE_TYPES = {"text/html", "application/xhtml+xml"}
# A page a link was redirected to that asks to sign in rather than shows the article: a password field, or a path
# named for signing in or subscribing.
_PASSWORD_FIELD = re.compile(rb"<input\b[^>]*\btype\s*=\s*[\"']?password\b", re.IGNORECASE)
_SIGN_IN_PATH = re.compile(r"/(?:log-?in|sign-?in|sign-?on|auth|oauth2?|authorize|account|accounts|sso|subscribe|"
                           r"subscription|register|paywall)(?:[/.;]|$)", re.IGNORECASE)
_URL_IN_TEXT = re.compile(r"<?(https?://[^\s<>]+[^\s<>.,;:!?)\]'\"”’])>?", re.IGNORECASE)
_ONE_AT_A_TIME = threading.Lock()  # two adds of the same page in one process: the second sees the first's file

Outcome = Literal["added", "duplicate", "refused"]
# Why a link was not added, for a front end that words it in its own language (bot/words.py) from `Added.facts`;
# `Added.reason` is the English line (the CLI's, the log's).
Why = Literal["not_a_link", "too_long", "unresolved", "internal_address", "too_big", "http_status", "timed_out",
              "redirects", "fetch_failed", "not_a_page", "sign_in", "no_main_text", "not_an_article", "held",
              "held_in_batch", "too_many"]

_METADATA = sa.MetaData()
links_table = sa.Table(
    "links", _METADATA,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("url", sa.Text, nullable=False),
    sa.Column("added_by", sa.Text, nullable=False),
    sa.Column("added_at", sa.Text, nullable=False),
    sa.Column("note", sa.Text),
    sa.Column("outcome", sa.Text, nullable=False),
    sa.Column("reason", sa.Text),
    sa.Column("doc_id", sa.Text),
    sa.Column("title", sa.Text),
)


@dataclass
class Added:
    """What became of one link: added (now searchable), a duplicate of a document already held, or refused."""

    url: str
    outcome: Outcome
    reason: str = ""  # why, when not added: one line, in English
    why: Why | None = None  # the kind of reason, with what it names in `facts`
    facts: dict[str, str | int | float] = field(default_factory=dict)
    doc_id: str = ""  # the document it became, or the one it duplicates
    title: str = ""
    date: str | None = None
    source: str = ""

    @property
    def added(self) -> bool:
        return self.outcome == "added"

    def line(self) -> str:
        """One line for a person: what was added, or why not."""
        if self.added:
            return (f"added “{self.title}” · {self.date or 'undated'} · {self.source or 'unknown source'}: "
                    "now searchable")
        return f"not added {self.url}: {self.reason}"

    def to_json(self) -> dict:
        return asdict(self)


class LinkLog:
    """Every link asked for, with who asked, when, and its outcome; short transactions, any thread may call."""

    def __init__(self, db: Database | Path) -> None:
        self.db = Database.of(db)
        self.db.create(links_table)

    def record(self, added: Added, *, who: str, note: str, at: datetime) -> None:
        with self.db.begin() as db:
            db.execute(links_table.insert().values(
                url=added.url[:4096], added_by=who, added_at=at.astimezone(timezone.utc).isoformat(timespec="seconds"),
                note=note or None, outcome=added.outcome, reason=added.reason or None, doc_id=added.doc_id or None,
                title=added.title or None))

    def entries(self, limit: int = 100) -> list[dict]:
        """The latest links asked for, newest first."""
        with self.db.begin() as db:
            rows = db.execute(sa.select(links_table).order_by(links_table.c.id.desc()).limit(limit)).mappings().all()
        return [dict(r) for r in rows]


def links_in(text: str) -> list[str]:
    """The http(s) links in a message, in order, each once (Discord's <url> form, which hides a preview, too)."""
    return list(dict.fromkeys(m.group(1) for m in _URL_IN_TEXT.finditer(text or "")))


def command_line_user() -> str:
    """Who adds from the shell: the system user."""
    try:
        return f"{getpass.getuser()} (command line)"
    except Exception:  # no user name in this environment (a container without one)
        return "command line"


def add_links(settings: Settings, urls: list[str], *, who: str, note: str = "",
              fetch: Callable | None = None, reindex: Callable[[], IngestReport] | None = None,
              now: datetime | None = None) -> list[Added]:
    """Fetch each link, keep its page under CORPUS_DIR/links/, ingest the corpus (through `reindex`, e.g. the running
    engine's, else an ingest of CORPUS_DIR) and say what became of each; every one is logged."""
    settings.require_writer("add links")
    now = now or datetime.now(timezone.utc)
    fetch = fetch or fetcher(settings)
    log_db = LinkLog(open_database(settings, settings.links_db))
    results: list[Added] = []
    written: dict[int, tuple[Path, Document]] = {}
    with _ONE_AT_A_TIME:
        held = _HeldDocuments(settings)
        try:
            for url in urls[:MAX_LINKS]:
                page = _take(settings, url, who=who, note=note, now=now, fetch=fetch, held=held,
                             batch=[doc for _, doc in written.values()])
                if isinstance(page, Added):
                    results.append(page)
                else:
                    written[len(results)] = page
                    results.append(Added(url, "added", doc_id=page[1].id))
        finally:
            held.close()
        if written:
            report = (reindex or (lambda: _ingest(settings)))()
            skipped = {Path(s.path).resolve(): s.reason for s in report.skipped}
            for i, (path, doc) in written.items():
                if (reason := skipped.get(path.resolve())) is not None:
                    path.unlink(missing_ok=True)  # kept only when the index takes it
                    results[i] = Added(urls[i], "refused", reason=reason, why="not_an_article",
                                       facts={"detail": reason})
                else:
                    results[i] = Added(urls[i], "added", doc_id=doc.id, title=doc.title,
                                       date=doc.date.isoformat() if doc.date else None, source=doc.source)
    for url in urls[MAX_LINKS:]:
        results.append(Added(url, "refused", reason=f"more than {MAX_LINKS} links at once; add it on its own",
                             why="too_many", facts={"limit": MAX_LINKS}))
    for added in results:
        log_db.record(added, who=who, note=note, at=now)
        log.debug("Link %s by %s: %s", added.outcome, who, added.line())
    return results


def _ingest(settings: Settings) -> IngestReport:
    from index.ingest.build import ingest

    return ingest(settings, [Path(settings.corpus_dir)])


class _HeldDocuments:
    """The documents the current index version holds, to tell a duplicate (read-only; none before the first ingest)."""

    def __init__(self, settings: Settings) -> None:
        version = current_version(Path(settings.index_dir))
        self.store = Store(version / "store.sqlite", readonly=True) if version else None

    def holding(self, *, urls: Sequence[str] = (), text: str | None = None) -> DocumentRecord | None:
        return self.store.holding(urls=urls, text=text) if self.store else None

    def close(self) -> None:
        if self.store:
            self.store.close()


def _variants(url: str) -> list[str]:
    """`url` as a document may have stored it: as given, without its #fragment, with or without a final '/'."""
    parts = urlsplit(url)
    bare = urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path, parts.query, ""))
    other = bare[:-1] if bare.endswith("/") else bare + "/"
    return list(dict.fromkeys([url, bare, other]))


def _duplicate(url: str, record: DocumentRecord) -> Added:
    what = " · ".join(x for x in (record.source, record.date) if x)
    return Added(url, "duplicate", reason=f"already held as “{record.title}”" + (f" ({what})" if what else "")
                 + f", {record.id}", doc_id=record.id, title=record.title, date=record.date, source=record.source,
                 why="held", facts={"title": record.title, "held": f" ({what})" if what else "", "id": record.id})


def _take(settings: Settings, url: str, *, who: str, note: str, now: datetime, fetch: Callable,
          held: _HeldDocuments, batch: list[Document]) -> Added | tuple[Path, Document]:
    """The link's page written under CORPUS_DIR/links/ (path, document as ingest will read it), or why not."""
    try:
        url = check_url(url)
    except UrlTooLong as exc:
        return Added(named(url.strip()), "refused", reason=f"too long: a link of {exc.length:,} characters (at most "
                     f"{exc.limit:,})", why="too_long", facts={"length": exc.length, "limit": exc.limit})
    except FetchError:
        return Added(url[:500], "refused", reason="not an http(s) link", why="not_a_link")
    if record := held.holding(urls=_variants(url)):
        return _duplicate(url, record)
    try:
        page = fetch(url, settings.feed_timeout_seconds, {"Accept": "text/html,application/xhtml+xml"})
    except AddressRefused as exc:
        if exc.address is None:
            return Added(url, "refused", reason=f"refused address: {exc.host} does not resolve", why="unresolved",
                         facts={"host": exc.host})
        return Added(url, "refused", reason=f"refused address: {exc.host} is an internal address ({exc.address})",
                     why="internal_address", facts={"host": exc.host, "address": exc.address})
    except TooLarge:
        return Added(url, "refused", reason=f"too big: the page is larger than {MAX_BYTES // 2**20} MB", why="too_big",
                     facts={"mb": MAX_BYTES // 2**20})
    except FetchError as exc:
        return _not_fetched(url, exc)
    kind = (page.headers.get("content-type") or "text/html").split(";")[0].strip().lower()
    if kind not in _PAGE_TYPES:
        return Added(url, "refused", reason=f"not an article: it is {kind[:80]}, not a web page", why="not_a_page",
                     facts={"kind": kind[:80]})
    if _sign_in_wall(url, page.url, page.body):
        return Added(url, "refused", reason=f"not an article: it leads to a sign-in page ({named(page.url)})",
                     why="sign_in", facts={"page": named(page.url)})
    meta = page_meta(page.body, page.url)
    words = len((meta.get("text") or "").split())
    if words < MIN_WORDS:
        return Added(url, "refused", reason=f"not an article: no main text on the page ({words} words)",
                     why="no_main_text", facts={"words": words})
    if record := held.holding(urls=_variants(page.url) + _variants(meta.get("url") or "")):
        return _duplicate(url, record)
    return _write(settings, url, page.url, meta, who=who, note=note, now=now, held=held, batch=batch)


def _sign_in_wall(asked: str, final: str, body: bytes) -> bool:
    """Whether the link was redirected to another page that asks to sign in (a login or subscription wall): its
    text ("Subscribe for full access…") is no article, however long."""
    was, now = urlsplit(asked), urlsplit(final)
    if (was.netloc.lower(), was.path.rstrip("/")) == (now.netloc.lower(), now.path.rstrip("/")):
        return False
    return bool(_SIGN_IN_PATH.search(now.path) or _PASSWORD_FIELD.search(body))


def _not_fetched(url: str, exc: FetchError) -> Added:
    """A fetch that failed, its reason typed by what the fetcher raised."""
    said = str(exc).removeprefix(url + ": ")
    refused = Added(url, "refused", reason=f"could not fetch it: {said}", why="fetch_failed", facts={"detail": said})
    if isinstance(exc, HttpStatus):
        refused.why, refused.facts = "http_status", {"status": exc.status, "detail": exc.reason}
    elif isinstance(exc, TimedOut):
        refused.why, refused.facts = "timed_out", {"seconds": exc.seconds}
    elif isinstance(exc, TooManyRedirects):
        refused.why, refused.facts = "redirects", {"limit": exc.limit}
    return refused


def _write(settings: Settings, url: str, final_url: str, meta: dict, *, who: str, note: str, now: datetime,
           held: _HeldDocuments, batch: list[Document]) -> Added | tuple[Path, Document]:
    """The page as Markdown with front matter under CORPUS_DIR/links/<host>/, read back as ingest will read it
    (a page it would refuse is not kept) and written atomically; or why not."""
    import frontmatter

    day = meta_date(meta)
    front = {"title": meta.get("title") or "", "date": (day or now.date()).isoformat(),
             "source": meta.get("sitename") or urlsplit(final_url).hostname or "", "url": final_url,
             "author": meta.get("author") or "", "added_by": who,
             "added_at": now.astimezone(timezone.utc).isoformat(timespec="seconds")}
    if not day:
        front["date_from"] = "added"  # the page gave no date
    if note:
        front["note"] = note
    lines = [line.strip() for line in (meta.get("text") or "").splitlines() if line.strip()]
    if lines and lines[0].casefold() == front["title"].strip().casefold():
        lines = lines[1:]  # the headline again, as the page's <h1>
    body = "\n\n".join(lines)
    host = slug(urlsplit(final_url).hostname or "link", 40)
    digest = hashlib.sha256(final_url.encode()).hexdigest()[:8]
    name = f"{front['date']}-{slug(front['title'] or 'page', 50)}-{digest}.md"
    corpus = Path(settings.corpus_dir)
    path = corpus / LINKS_FOLDER / host / name
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{name}")  # hidden from an ingest walking the folder meanwhile
    tmp.write_text(frontmatter.dumps(frontmatter.Post(body, None, **front)) + "\n", encoding="utf-8")
    try:
        [doc] = [d for d in parse_file(tmp, path.relative_to(corpus).as_posix(), settings.limits)
                 if isinstance(d, Document)]
    except (BadDocument, BadDate, ValueError) as exc:
        tmp.unlink(missing_ok=True)
        return Added(url, "refused", reason=f"not an article: {exc}", why="not_an_article", facts={"detail": str(exc)})
    record = held.holding(text=doc.text)
    twin = next((d for d in batch if d.text == doc.text), None)
    if record or twin:
        tmp.unlink(missing_ok=True)
        if record:
            return _duplicate(url, record)
        assert twin is not None
        return Added(url, "duplicate", reason=f"the same page as another link just added, {twin.id}", doc_id=twin.id,
                     why="held_in_batch", facts={"id": twin.id})
    os.replace(tmp, path)
    return path, doc


def summary(results: list[Added]) -> str:
    """How many were added, held already, refused."""
    counts = {o: sum(r.outcome == o for r in results) for o in ("added", "duplicate", "refused")}
    return ", ".join(f"{n} {o if o != 'duplicate' else 'already held'}" for o, n in counts.items() if n)


__all__ = ["Added", "LinkLog", "LINKS_FOLDER", "MAX_LINKS", "add_links", "command_line_user", "links_in", "summary"]
