"""Feeds and article pages served by aiohttp on 127.0.0.1, for feed tests (nothing leaves loopback)."""

from __future__ import annotations

import asyncio
import gzip
from collections import Counter
from dataclasses import dataclass
from email.utils import parsedate_to_datetime

from aiohttp import web

__all__ = ["FeedServer", "Story", "Trickle"]


@dataclass
class Story:
    slug: str
    title: str
    published: str  # RFC 822, as RSS writes dates
    paragraphs: list[str]
    summary: str = ""
    link: str = ""  # where the item points; default its page here
    author: str = ""


class FeedServer:
    """/rss.xml (title `name`), /page/<slug>.html, and /dead.xml which always answers 500; for hostile
    cases /go/<name> redirects to `redirects[name]` (302; /moved/<name> for good, 301), /slow.xml sends the feed a byte every `drip` seconds,
    /gated.xml answers once `gate` is set and /raw/<name> answers the bytes `raw[name]` as a feed; with
    `gzip` set every answer comes gzip-compressed, whatever the client asked for (as some CDNs do);
    /status/<name> answers the HTTP status and headers `statuses[name]` (a 429 with Retry-After, a 410).
    For added links: /article/<slug>.html is a story's page with its site name, date and author in meta tags,
    /html/<name> answers `html[name]` as a web page."""

    def __init__(self, name: str = "Harbour Gazette", host: str = "127.0.0.1", port: int = 0) -> None:
        self.name, self.host, self.port = name, host, port
        self.stories: list[Story] = []
        self.hits: Counter[str] = Counter()
        self.redirects: dict[str, str] = {}
        self.raw: dict[str, bytes] = {}
        self.html: dict[str, str] = {}
        self.statuses: dict[str, tuple[int, dict[str, str]]] = {}
        self.drip = 0.05
        self.gzip = False
        self.gate: asyncio.Event | None = None
        self.on_rss: asyncio.Event | None = None  # set when /rss.xml is fetched
        self._runner: web.AppRunner | None = None

    def url(self, path: str) -> str:
        return f"http://{self.host}:{self.port}{path}"

    async def __aenter__(self) -> "FeedServer":
        app = web.Application(middlewares=[self._compress])
        app.router.add_get("/rss.xml", self._rss)
        app.router.add_get("/dead.xml", self._dead)
        app.router.add_get("/page/{slug}.html", self._page)
        app.router.add_get("/go/{name}", self._go)
        app.router.add_get("/moved/{name}", self._moved)
        app.router.add_get("/slow.xml", self._slow)
        app.router.add_get("/gated.xml", self._gated)
        app.router.add_get("/raw/{name}", self._raw)
        app.router.add_get("/article/{slug}.html", self._article)
        app.router.add_get("/html/{name}", self._html)
        app.router.add_get("/status/{name}", self._status)
        self.gate, self.on_rss = asyncio.Event(), asyncio.Event()
        self._runner = web.AppRunner(app, access_log=None, handle_signals=False)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.port)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]
        return self

    async def __aexit__(self, *exc) -> None:
        await self._runner.cleanup()

    def xml(self) -> str:
        items = "".join(
            f"<item><title>{s.title}</title><link>{s.link or self.url(f'/page/{s.slug}.html')}</link>"
            f"<guid>{s.slug}</guid><pubDate>{s.published}</pubDate><description>{s.summary}</description></item>"
            for s in self.stories
        )
        return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>{self.name}</title>'
                f"<link>{self.url('/')}</link><description>News</description>{items}</channel></rss>")

    @web.middleware
    async def _compress(self, request: web.Request, handler) -> web.StreamResponse:
        response = await handler(request)
        if self.gzip and isinstance(response, web.Response) and response.body is not None:
            response.body = gzip.compress(response.body)
            response.headers["Content-Encoding"] = "gzip"
        return response

    async def _rss(self, request: web.Request) -> web.Response:
        self.hits["/rss.xml"] += 1
        self.on_rss.set()
        return web.Response(text=self.xml(), content_type="application/rss+xml")

    async def _go(self, request: web.Request) -> web.Response:
        name = request.match_info["name"]
        self.hits[f"/go/{name}"] += 1
        raise web.HTTPFound(self.redirects[name])

    async def _moved(self, request: web.Request) -> web.Response:
        name = request.match_info["name"]
        self.hits[f"/moved/{name}"] += 1
        raise web.HTTPMovedPermanently(self.redirects[name])

    async def _slow(self, request: web.Request) -> web.StreamResponse:
        self.hits["/slow.xml"] += 1
        response = web.StreamResponse(headers={"Content-Type": "application/rss+xml"})
        await response.prepare(request)
        for byte in self.xml().encode():
            await response.write(bytes([byte]))
            await asyncio.sleep(self.drip)
        return response

    async def _gated(self, request: web.Request) -> web.Response:
        self.hits["/gated.xml"] += 1
        await self.gate.wait()
        return web.Response(text=self.xml(), content_type="application/rss+xml")

    async def _raw(self, request: web.Request) -> web.Response:
        name = request.match_info["name"]
        self.hits[f"/raw/{name}"] += 1
        return web.Response(body=self.raw[name], content_type="application/rss+xml")

    async def _status(self, request: web.Request) -> web.Response:
        name = request.match_info["name"]
        self.hits[f"/status/{name}"] += 1
        status, headers = self.statuses[name]
        return web.Response(status=status, headers=headers)

    async def _dead(self, request: web.Request) -> web.Response:
        self.hits["/dead.xml"] += 1
        return web.Response(status=500, text="upstream exploded")

    async def _page(self, request: web.Request) -> web.Response:
        slug = request.match_info["slug"]
        self.hits[f"/page/{slug}"] += 1
        story = next((s for s in self.stories if s.slug == slug), None)
        if story is None:
            raise web.HTTPNotFound()
        body = "".join(f"<p>{p}</p>" for p in story.paragraphs)
        html = (f"<html><head><title>{story.title}</title></head><body><nav>Home | World | Sport</nav>"
                f"<article><h1>{story.title}</h1>{body}</article><footer>© {self.name}</footer></body></html>")
        return web.Response(text=html, content_type="text/html")


    async def _article(self, request: web.Request) -> web.Response:
        slug = request.match_info["slug"]
        self.hits[f"/article/{slug}"] += 1
        story = next((s for s in self.stories if s.slug == slug), None)
        if story is None:
            raise web.HTTPNotFound()
        published = parsedate_to_datetime(story.published).isoformat()
        body = "".join(f"<p>{p}</p>" for p in story.paragraphs)
        html = (f'<html><head><title>{story.title} | {self.name}</title>'
                f'<meta property="og:title" content="{story.title}"><meta property="og:site_name" content="{self.name}">'
                f'<meta property="article:published_time" content="{published}">'
                f'<meta name="author" content="{story.author}"></head><body><nav>Home | World | Sport</nav>'
                f"<article><h1>{story.title}</h1>{body}</article><footer>© {self.name}</footer></body></html>")
        return web.Response(text=html, content_type="text/html")

    async def _html(self, request: web.Request) -> web.Response:
        name = request.match_info["name"]
        self.hits[f"/html/{name}"] += 1
        return web.Response(text=self.html[name], content_type="text/html")


class Trickle:
    """A bare HTTP/1.0 server on 127.0.0.1 that answers every GET with `body`, one byte every `every` seconds,
    on a close-delimited response (no Content-Length, no chunks: the body ends when the connection does)."""

    def __init__(self, body: bytes, every: float, host: str = "127.0.0.1") -> None:
        self.body, self.every, self.host = body, every, host
        self.hits: Counter[str] = Counter()
        self._server: asyncio.Server | None = None
        self._serving: set[asyncio.Task] = set()

    def url(self, path: str) -> str:
        return f"http://{self.host}:{self.port}{path}"

    async def __aenter__(self) -> "Trickle":
        self._server = await asyncio.start_server(self._serve, self.host, 0)
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    async def __aexit__(self, *exc) -> None:
        self._server.close()
        for task in list(self._serving):  # a client still reading sees the end of the body at once
            task.cancel()
        await asyncio.gather(*self._serving, return_exceptions=True)
        await self._server.wait_closed()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        self._serving.add(task)
        try:
            request = await reader.readuntil(b"\r\n\r\n")
            self.hits[request.split()[1].decode()] += 1
            writer.write(b"HTTP/1.0 200 OK\r\nContent-Type: application/rss+xml\r\n\r\n")
            for byte in self.body:
                writer.write(bytes([byte]))
                await writer.drain()
                await asyncio.sleep(self.every)
        except (ConnectionError, asyncio.IncompleteReadError):
            pass  # the client gave up: what a trickle is for
        finally:
            self._serving.discard(task)
            writer.close()


GRAIN = Story(
    slug="grain-quay",
    title="New grain quay opens at the harbour",
    published="Wed, 11 Dec 2024 08:00:00 GMT",
    paragraphs=[
        "A new grain quay opened at the harbour on Wednesday, doubling the port's capacity for bulk carriers, "
        "the harbour master said at the opening ceremony.",
        "The quay, built over two years, can load three ships at once and will handle most of the region's "
        "wheat and barley exports, according to the port authority.",
        "Farmers' groups welcomed the opening, saying that shorter waiting times would cut their costs.",
    ],
    summary="A new grain quay opened at the harbour.",
)
