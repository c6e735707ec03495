"""One guarded HTTP GET for feeds and their pages: every hop checked, the connection pinned, a total deadline.

Each hop (the URL, then every redirect) is resolved once; the hop is refused when its host does not
resolve or any of its addresses is loopback, private, link-local or reserved (unless in the allow-list),
and the connection goes to the very address that was checked (no second lookup: DNS rebinding cannot
slip an internal address in between). The whole fetch, redirects and slow bodies included, ends at one
deadline, whatever the response's framing: at the deadline the connection's socket is shut down through a
handle of our own (http.client hands a close-delimited response's socket over to the response and forgets
it). The body is read up to a byte cap and asked for uncompressed; a server that compresses it all the same
(gzip or deflate, as many CDNs do) has it decompressed, within the same cap.

Plain `http.client` rather than urllib or httpx: both resolve the host again inside the connection, and
pinning the address needs the hook `http.client` exposes (`_create_connection`), for HTTP and HTTPS alike.
"""

from __future__ import annotations

import email.utils
import http.client
import ipaddress
import socket
import ssl
import threading
import time
import zlib
from dataclasses import dataclass, field
from datetime import timezone
from typing import Iterable
from urllib.parse import urljoin, urlsplit

from index.errors import NewsdeskError, named
from index.limits import MAX_URL_CHARS

USER_AGENT = "newsdesk/0.1 (news digest; feed reader)"
MAX_REDIRECTS = 5
_REDIRECTS = {301, 302, 303, 307, 308}
_CHUNK = 64 * 1024


class FetchError(NewsdeskError):
    """A fetch that was refused or failed; the message says which URL and why."""


class AddressRefused(FetchError):
    """A hop to a host that does not resolve (`address` None), or resolves to an address fetches may not reach."""

    def __init__(self, message: str, host: str, address: str | None = None) -> None:
        super().__init__(message)
        self.host, self.address = host, address


class UrlTooLong(FetchError):
    """A URL of `length` characters, beyond MAX_URL_CHARS (`limit`): a paste gone wrong, not fetched."""

    def __init__(self, message: str, length: int, limit: int) -> None:
        super().__init__(message)
        self.length, self.limit = length, limit


class TooLarge(FetchError):
    """A body beyond the byte cap (`limit` bytes)."""

    def __init__(self, message: str, limit: int) -> None:
        super().__init__(message)
        self.limit = limit


class HttpStatus(FetchError):
    """The server answered with an HTTP error (`status` 400 or more, and its `reason`); `retry_after`: the seconds
    its Retry-After header asks the client to wait (429, 503), None when it sends none that reads."""

    def __init__(self, message: str, status: int, reason: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.status, self.reason, self.retry_after = status, reason, retry_after


class TimedOut(FetchError):
    """No (complete) answer within `seconds`."""

    def __init__(self, message: str, seconds: float) -> None:
        super().__init__(message)
        self.seconds = seconds


class TooManyRedirects(FetchError):
    """More than `limit` redirects."""

    def __init__(self, message: str, limit: int) -> None:
        super().__init__(message)
        self.limit = limit


@dataclass(frozen=True)
class Fetched:
    status: int
    body: bytes
    headers: dict[str, str]
    url: str
    moved: str | None = None  # where the URL now lives, when every redirect to `url` was permanent (301, 308)


@dataclass(frozen=True)
class Guard:
    """Which addresses a fetch may connect to: public ones, plus the networks in `allow` (FEED_ALLOW_NETWORKS)."""

    allow: tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...] = field(default_factory=tuple)

    @classmethod
    def of(cls, networks: Iterable[str]) -> "Guard":
        try:
            return cls(tuple(ipaddress.ip_network(n.strip(), strict=False) for n in networks if n.strip()))
        except ValueError as exc:
            raise FetchError(f"FEED_ALLOW_NETWORKS: {exc}") from None

    def allowed(self, address: str) -> bool:
        ip = ipaddress.ip_address(address.split("%")[0])
        return ip.is_global or any(ip in net for net in self.allow)

    def pin(self, host: str, port: int) -> str:
        """The checked address to connect to for `host`; raises FetchError when it is not to be fetched."""
        try:
            found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
            addresses = list(dict.fromkeys(str(info[4][0]) for info in found))
        except (OSError, UnicodeError) as exc:
            raise AddressRefused(f"{host}: does not resolve ({exc})", host) from None
        refused = [a for a in addresses if not self.allowed(a)]
        if refused or not addresses:
            raise AddressRefused(f"{host}: refused, internal address {refused[0] if refused else '(none)'}", host,
                                 refused[0] if refused else "(none)")
        return addresses[0]


def check_url(url: str) -> str:
    """`url` stripped, if it is an http(s) URL with a host, of at most MAX_URL_CHARS; else FetchError (UrlTooLong)."""
    url = (url or "").strip()
    if len(url) > MAX_URL_CHARS:
        raise UrlTooLong(f"the URL {named(url)!r} is {len(url):,} characters long: at most {MAX_URL_CHARS:,}",
                         len(url), MAX_URL_CHARS)
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise FetchError(f"{named(url)!r} is not an http(s) URL")
    return url


class _Cutoff:
    """Shuts down the connection's socket `seconds` from now: a read blocked on it, or one more trickled
    byte, ends there. It keeps its own handle on the socket (a dup: shutdown acts on the connection, not on
    one descriptor), so it holds during the TLS handshake, the headers and any body, whoever owns the
    socket by then."""

    def __init__(self, seconds: float) -> None:
        self._lock = threading.Lock()
        self._handle: socket.socket | None = None
        self._expired = False
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True

    def __enter__(self) -> "_Cutoff":
        self._timer.start()
        return self

    def __exit__(self, *exc) -> None:
        self._timer.cancel()
        with self._lock:
            if self._handle is not None:
                self._handle.close()
                self._handle = None

    def hold(self, sock: socket.socket) -> None:
        """Called once the socket is connected; shut at once if the deadline passed while connecting."""
        with self._lock:
            self._handle = sock.dup()
            if self._expired:
                _shut(self._handle)

    def _expire(self) -> None:
        with self._lock:
            self._expired = True
            if self._handle is not None:
                _shut(self._handle)


def _shut(sock: socket.socket) -> None:
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:  # already closed by the peer
        pass


def _connection(url: str, address: str, timeout: float, cutoff: _Cutoff) -> http.client.HTTPConnection:
    parts = urlsplit(url)
    host = parts.hostname or ""  # check_url refused a URL without one
    https = parts.scheme == "https"
    port = parts.port or (443 if https else 80)
    conn = (http.client.HTTPSConnection(host, port, timeout=timeout, context=ssl.create_default_context())
            if https else http.client.HTTPConnection(host, port, timeout=timeout))

    def connect(_address, *args, **kwargs) -> socket.socket:
        # The socket goes to the checked address; TLS still verifies the certificate against the host name.
        sock = socket.create_connection((address, port), *args, **kwargs)
        cutoff.hold(sock)
        return sock

    conn._create_connection = connect  # type: ignore[attr-defined]  # http.client's private hook, stable since 3.x
    return conn


def fetch(url: str, *, guard: Guard, timeout: float, max_bytes: int, headers: dict[str, str] | None = None) -> Fetched:
    """GET `url` within `timeout` seconds in all; 304 comes back as a status, other HTTP errors raise FetchError."""
    deadline = time.monotonic() + timeout
    redirects, permanent = 0, True
    for _ in range(MAX_REDIRECTS + 1):
        url = check_url(url)
        parts = urlsplit(url)
        address = guard.pin(parts.hostname or "", parts.port or (443 if parts.scheme == "https" else 80))
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise TimedOut(f"{url}: no answer within {timeout:g} s", timeout)
        with _Cutoff(remaining) as cutoff:  # the deadline holds even for a server sending 1 byte/s
            conn = _connection(url, address, remaining, cutoff)
            response = None
            try:
                path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
                conn.request("GET", path, headers={"User-Agent": USER_AGENT, "Accept-Encoding": "identity",
                                                   **(headers or {})})
                response = conn.getresponse()
                location = response.getheader("Location")
                if response.status in _REDIRECTS and location:
                    url = urljoin(url, location)
                    redirects, permanent = redirects + 1, permanent and response.status in (301, 308)
                    continue
                moved = url if redirects and permanent else None
                if response.status == 304:
                    return Fetched(304, b"", {}, url, moved)
                if response.status >= 400:
                    raise HttpStatus(f"{url}: HTTP Error {response.status}: {response.reason}", response.status,
                                     response.reason, retry_after(response.getheader("Retry-After")))
                body = _decoded(_read(response, max_bytes, url), response.getheader("Content-Encoding"),
                                max_bytes, url)
                if time.monotonic() >= deadline:
                    raise TimedOut(f"{url}: no complete answer within {timeout:g} s", timeout)
                return Fetched(response.status, body, {k.lower(): v for k, v in response.getheaders()
                                                       if k.lower() != "content-encoding"}, url, moved)
            except (OSError, http.client.HTTPException) as exc:
                if time.monotonic() >= deadline:
                    raise TimedOut(f"{url}: no complete answer within {timeout:g} s", timeout) from None
                raise FetchError(f"{url}: {type(exc).__name__}: {exc}") from None
            finally:
                if response is not None:
                    response.close()
                conn.close()
    raise TooManyRedirects(f"{url}: more than {MAX_REDIRECTS} redirects", MAX_REDIRECTS)


def retry_after(value: str | None, now: float | None = None) -> float | None:
    """The seconds a Retry-After header asks to wait: delay-seconds or an HTTP-date (RFC 9110 10.2.3); else None."""
    value = (value or "").strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:  # an HTTP-date is GMT
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


def _read(response: http.client.HTTPResponse, max_bytes: int, url: str) -> bytes:
    parts, size = [], 0
    while chunk := response.read1(_CHUNK):
        size += len(chunk)
        if size > max_bytes:
            raise TooLarge(f"{url}: larger than {max_bytes:,} bytes", max_bytes)
        parts.append(chunk)
    return b"".join(parts)



_ZLIB_WBITS = {"gzip": 16 + zlib.MAX_WBITS, "x-gzip": 16 + zlib.MAX_WBITS, "deflate": 32 + zlib.MAX_WBITS}


def _decoded(body: bytes, encoding: str | None, max_bytes: int, url: str) -> bytes:
    """`body` undone of its Content-Encoding (gzip, deflate, or none), at most `max_bytes` once decompressed."""
    for coding in reversed([c.strip().lower() for c in (encoding or "").split(",") if c.strip()]):
        if coding == "identity":
            continue
        if coding not in _ZLIB_WBITS:
            raise FetchError(f"{url}: sent compressed as {coding!r}, which newsdesk does not read")
        wbits = _ZLIB_WBITS[coding]
        try:
            body = _inflate(body, wbits, max_bytes, url)
        except zlib.error:
            if coding != "deflate":
                raise FetchError(f"{url}: a damaged {coding} body") from None
            try:  # "deflate" as some servers send it: the raw stream, without zlib's header
                body = _inflate(body, -zlib.MAX_WBITS, max_bytes, url)
            except zlib.error:
                raise FetchError(f"{url}: a damaged deflate body") from None
    return body


def _inflate(body: bytes, wbits: int, max_bytes: int, url: str) -> bytes:
    inflater = zlib.decompressobj(wbits)
    out = inflater.decompress(body, max_bytes + 1)
    if len(out) > max_bytes:
        raise TooLarge(f"{url}: larger than {max_bytes:,} bytes once decompressed", max_bytes)
    return out + inflater.flush()
