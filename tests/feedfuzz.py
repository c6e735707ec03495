"""Hostile feed bodies for the feed parser, and the property they are held to (tests/test_feeds_fuzz.py in CI,
scripts/fuzz_feeds.py for longer runs).

The property: `sources.feeds.read_feed`, its items read to the end, raises nothing but FeedError, opens no
file (an audit hook watches Python's `open`, and a canary feed on disk, named by the bodies, must never show
up in the items), connects nowhere and takes well under a second.
"""

from __future__ import annotations

import atexit
import os
import shutil
import sys
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

from hypothesis import example, strategies as st

from sources.feeds import FeedError, read_feed

__all__ = ["CANARY", "CANARY_SECRET", "FEED_URL", "FOUND", "Parsed", "feeds", "headers", "read_hostile", "warm_up",
           "with_found"]

FEED_URL = "https://news.example/rss.xml"
CANARY_SECRET = "canary-3f9c1e-the-intranet-admin-password"
_CANARY_DIR = Path(tempfile.mkdtemp(prefix="newsdesk-fuzz-"))
atexit.register(shutil.rmtree, _CANARY_DIR, True)
CANARY = _CANARY_DIR / "intranet.xml"
CANARY.write_text(
    f'<?xml version="1.0"?><rss version="2.0"><channel><title>{CANARY_SECRET}</title><item><title>{CANARY_SECRET}'
    f"</title><link>https://intranet.example/a</link><description>{CANARY_SECRET}</description></item></channel></rss>",
    encoding="utf-8")

# --- what the parser may not do: open a file, reach the network ------------------------------------------------
_CODE = tuple({str(Path(p).resolve()) for p in [sys.prefix, sys.base_prefix, *sys.path] if p and Path(p).is_dir()})
_CODE_FILES = (".py", ".pyc", ".so", ".pth")  # a lazy import (an encoding's codec, say) is not a read of data
_NETWORK = {"socket.connect", "socket.getaddrinfo", "socket.gethostbyname", "urllib.Request", "http.client.connect",
            "subprocess.Popen", "os.system"}
_watch = threading.local()


def _audit(event: str, args: tuple) -> None:
    seen = getattr(_watch, "seen", None)
    if seen is None:
        return
    if event == "open" and not isinstance(args[0], int):
        path = os.path.abspath(os.fsdecode(args[0]))
        if not (path.endswith(_CODE_FILES) and path.startswith(_CODE)):
            seen.append(f"open {path}")
    elif event in _NETWORK:
        seen.append(f"{event} {args[:2]!r}")


sys.addaudithook(_audit)  # for the life of the process, but it only records while a parse is watched


@dataclass
class Parsed:
    title: str | None
    items: list
    refused: str | None  # the FeedError's message, when read_feed refused the body


def read_hostile(body: bytes, response_headers: dict[str, str]) -> Parsed:
    """`read_feed` under watch, every item made; AssertionError when the property does not hold."""
    _watch.seen = seen = []
    try:
        title, items = read_feed(body, dict(response_headers), FEED_URL)
        parsed = Parsed(title, list(items), None)
    except FeedError as exc:
        parsed = Parsed(None, [], str(exc))
    finally:
        _watch.seen = None
    assert not seen, f"the feed parser reached outside its input: {seen}"
    if parsed.refused is not None:
        assert parsed.refused and "\n" not in parsed.refused
    found = repr((parsed.title, [vars(item) for item in parsed.items]))
    assert CANARY_SECRET not in found, "the canary file's text is in the parsed feed"
    return parsed


def warm_up() -> None:
    """One parse of every kind before watching: feedparser's first call imports what it needs."""
    for body in (CANARY.read_bytes(), _ATOM.format(entries="", lang="en").encode(), b"\xff\xfe<", b"<html>"):
        try:
            list(read_feed(body, {"content-type": "application/rss+xml"}, FEED_URL)[1])
        except FeedError:
            pass


# --- hostile bodies --------------------------------------------------------------------------------------------
PATHS = [str(CANARY), f"file://{CANARY}", f" {CANARY}\n", "/etc/passwd", "/proc/self/environ", "/dev/zero",
         "file:///etc/passwd", "http://127.0.0.1:9/feed.xml", "https://169.254.169.254/latest/meta-data/",
         "ftp://127.0.0.1/feed.xml", "feed://127.0.0.1:9/rss", "../../../../etc/passwd", "~/.ssh/id_rsa"]
ODD = ["", "]]>", "<![CDATA[<p>inside</p>]]>", "&amp;", "&bogus;", "&#0;", "&#xD800;", "&#55296;", "&#x110000;",
       "&#xFFFFFFFF;", "&#99999999;",
       "<script>alert(1)</script>", "<p onclick='x()'>p</p>", "<img src='file:///etc/passwd'>", "\x00", "\x1b[2J",
       "\u202eevil", "javascript:alert(1)", "data:text/html,<b>x</b>", "%s%s%n", "{0}", "a" * 3000, "<" * 200,
       "<p>" * 300, "&lt;p&gt;escaped&lt;/p&gt;", "<![CDATA[", "<!--", "<?php ?>", *PATHS]
DATES = ["Wed, 11 Dec 2024 08:00:00 GMT", "Sat, 01 Jan 0001 00:00:00 GMT", "Fri, 31 Dec 9999 23:59:59 -2359",
         "Mon, 31 Dec 9999 23:59:59 +2359", "2024-13-45T99:99:99Z", "99999-01-01T00:00:00Z", "-0001-01-01",
         "0000-00-00", "9999-12-31T23:59:60+14:00", "1e309", "2024-02-30", "Thu, 01 Jan 1970 00:00:00 +9999",
         "Tue, 19 Jan 2038 03:14:08 GMT", "2024-12-11T08:00:00.999999999999Z", "今日"]

odd_text = st.sampled_from(ODD) | st.text(max_size=80)
dates = st.sampled_from(DATES) | st.text(max_size=30) | st.datetimes().map(lambda d: d.isoformat())
hrefs = st.sampled_from(PATHS + ["/relative/page", "page.html", "//127.0.0.1/x", "https://news.example/a",
                                 "http://[::1]:80/", "http://0x7f000001/", ""]) | st.text(max_size=40)


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;")


def _maybe_raw(draw, text: str) -> str:
    """Escaped, as a well-formed feed would carry it, or raw (markup and all), or in CDATA."""
    return draw(st.sampled_from([_esc(text), text, f"<![CDATA[{text}]]>"]))


_RSS = ('<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xml:base="{base}" '
        'xmlns:georss="http://www.georss.org/georss" xmlns:gml="http://www.opengis.net/gml">'
        "<channel><title>{title}</title><link>{link}</link>{items}</channel></rss>")
_ATOM = '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="{lang}"><title>t</title>{entries}</feed>'
_RDF = ('<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/">'
        "<channel><title>r</title></channel>{items}</rdf:RDF>")


@st.composite
def rss_item(draw) -> str:
    parts = []
    for tag, values in (("title", odd_text), ("link", hrefs), ("guid", odd_text), ("pubDate", dates),
                        ("description", odd_text), ("content:encoded", odd_text), ("author", odd_text)):
        if draw(st.booleans()):
            parts.append(f"<{tag}>{_maybe_raw(draw, draw(values))}</{tag}>")
    if draw(st.booleans()):
        parts.append(f'<source url="{_esc(draw(hrefs))}">{_maybe_raw(draw, draw(odd_text))}</source>')
    if draw(st.booleans()):
        parts.append(f'<enclosure url="{_esc(draw(hrefs))}" length="{draw(st.integers())}" type="audio/mpeg"/>')
    if draw(st.booleans()):
        value = draw(st.sampled_from(["45.2 -73.6", "EPSG:4326", "EPSG:abc", "urn:ogc:def:crs:EPSG::x", "3", "x"])
                     | st.text(max_size=20))
        parts.append(draw(st.sampled_from(GEO)).format(_esc(value).replace('"', "&quot;")))
    return f"<item>{''.join(parts)}</item>"


@st.composite
def atom_entry(draw) -> str:
    kind = draw(st.sampled_from(["text", "html", "xhtml", "application/octet-stream"]))
    content = draw(odd_text)
    body = (f'<div xmlns="http://www.w3.org/1999/xhtml">{content}</div>' if kind == "xhtml"
            else _maybe_raw(draw, content))
    return (f'<entry xml:base="{_esc(draw(hrefs))}"><id>{_esc(draw(odd_text))}</id>'
            f"<title type=\"html\">{_maybe_raw(draw, draw(odd_text))}</title>"
            f'<link rel="alternate" href="{_esc(draw(hrefs))}"/><updated>{_esc(draw(dates))}</updated>'
            f"<published>{_esc(draw(dates))}</published><author><name>{_esc(draw(odd_text))}</name></author>"
            f'<content type="{kind}" src="{_esc(draw(hrefs))}">{body}</content>'
            f"<summary>{_maybe_raw(draw, draw(odd_text))}</summary></entry>")


PROLOGUES = [
    "", '<?xml version="1.0" encoding="utf-8"?>', '<?xml version="1.0" encoding="utf-16"?>',
    '<?xml version="1.0" encoding="bogus-8"?>', '<?xml version="1.1"?>', '<?xml-stylesheet href="file:///etc/passwd"?>',
    f'<!DOCTYPE rss SYSTEM "file://{CANARY}">',
    f'<!DOCTYPE rss [<!ENTITY canary SYSTEM "file://{CANARY}">]>',
    '<!DOCTYPE rss [<!ENTITY % remote SYSTEM "http://127.0.0.1:9/evil.dtd"> %remote;]>',
    '<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" "http://127.0.0.1:9/rss-0.91.dtd">',
    '<!DOCTYPE rss [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
    '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]>',
    '<!DOCTYPE rss [<!ENTITY copy "&#169;"><!ENTITY x "x">]>',
    '<!DOCTYPE rss [<!ENTITY path "C:\\data\\1"><!ENTITY tab "a\\tb">]>',
]
ENTITY_USES = ["", "&canary;", "&d;", "&copy;", "&x;", "&remote;", "&path;", "&tab;"]
GEO = ['<georss:point>{}</georss:point>', '<georss:where><gml:Point srsName="{}"><gml:pos>1 2</gml:pos></gml:Point>'
       '</georss:where>', '<georss:where><gml:LineString srsDimension="{}"><gml:posList>1 2 3</gml:posList>'
       '</gml:LineString></georss:where>', '<georss:polygon>{}</georss:polygon>']


@st.composite
def feed_document(draw) -> str:
    kind = draw(st.sampled_from(["rss", "atom", "rdf"]))
    if kind == "rss":
        items = "".join(draw(st.lists(rss_item(), max_size=5)))
        doc = _RSS.format(base=_esc(draw(hrefs)), title=_maybe_raw(draw, draw(odd_text)),
                          link=_esc(draw(hrefs)), items=items)
    elif kind == "atom":
        doc = _ATOM.format(lang=_esc(draw(odd_text)[:20]), entries="".join(draw(st.lists(atom_entry(), max_size=5))))
    else:
        doc = _RDF.format(items="".join(draw(st.lists(rss_item(), max_size=5))))
    use = draw(st.sampled_from(ENTITY_USES))
    doc = doc.replace("</title>", f"{use}</title>", 1)
    return draw(st.sampled_from(PROLOGUES)) + doc


@st.composite
def encoded(draw, text: str) -> bytes:
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-16-be", "utf-32", "latin-1", "cp1252"]))
    body = text.encode(encoding, errors="replace")
    mangle = draw(st.sampled_from(["none", "none", "truncate", "flip", "nul"]))
    if body and mangle == "truncate":
        body = body[:draw(st.integers(0, len(body) - 1))]
    elif body and mangle == "flip":
        at = draw(st.integers(0, len(body) - 1))
        body = body[:at] + bytes([body[at] ^ draw(st.integers(1, 255))]) + body[at + 1:]
    elif mangle == "nul":
        body = body.replace(b">", b">\x00", 1)
    return body


# What fuzzing found (feedparser 6.0.14 raising rather than marking the feed `bozo`, upstream #591 and #599; an
# item of year 0) and the bodies naming files: `with_found` has every run of the property try them first.
FOUND = [
    b"<>&#1114112;", b"<>&#xD800;", b"<rss><channel><title>&#xFFFFFFFF;</title></channel></rss>",
    b'<!DOCTYPE rss [<!ENTITY path "C:\\data">]><rss version="2.0"><channel><title>&path;</title></channel></rss>',
    b'<rss version="2.0" xmlns:georss="http://www.georss.org/georss" xmlns:gml="http://www.opengis.net/gml"><channel>'
    b'<item><georss:where><gml:Point srsName="EPSG:abc"><gml:pos>1 2</gml:pos></gml:Point></georss:where></item>'
    b"</channel></rss>",
    b"<entry<published>0000</published<",  # year 0: sources/feeds.py's own _entry_date raised on it
    b'<rss xmlns:gml="http://www.opengis.net/gml"><item><gml:pos>1 2</gml:pos></item></rss>',
    str(CANARY).encode(), f"file://{CANARY}".encode(), b"/etc/passwd",
]


def with_found(test):
    for body in FOUND:
        test = example(body, {"content-type": "application/rss+xml"})(test)
    return test

feeds = st.one_of(
    st.binary(max_size=2000),
    st.sampled_from(PATHS).map(str.encode),
    feed_document().flatmap(encoded),
    st.builds(lambda head, tail: head + tail, st.sampled_from(PATHS).map(str.encode), st.binary(max_size=40)),
)
headers = st.fixed_dictionaries(
    {"content-type": st.sampled_from(["application/rss+xml", "application/atom+xml", "text/xml", "application/xml",
                                      "text/html", "text/plain", "application/octet-stream", "",
                                      "text/xml; charset=utf-16", "application/xml; charset=bogus",
                                      "application/rss+xml; charset=latin-1"])},
    optional={"content-location": hrefs, "content-language": odd_text, "content-encoding": st.sampled_from(
        ["gzip", "deflate", "br", "identity"])},
)
