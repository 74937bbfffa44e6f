"""HTTP for feeds and pages: timeouts, conditional GET, a polite pace per host, decoding.

Every failure becomes a :class:`kg.errors.FeedError` with a short reason ("timed out
after 10 s", "HTTP 404 Not Found", "cannot connect: ..."), never an httpx traceback.
"""

from __future__ import annotations

import ipaddress
import re
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

import httpx

from kg.core.errors import FeedError

_META_CHARSET = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-:.]+)""", re.IGNORECASE
)
_XML_ENCODING = re.compile(rb"""^<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_\-.]+)""")


@dataclass(frozen=True, slots=True)
class FetchResult:
    """A response worth reading, or a "not modified" answer to a conditional GET.

    Attributes:
        url: the URL finally answered, after redirects.
        status: the HTTP status (200, or 304 when ``not_modified``).
        content: the body's bytes (empty when not modified).
        charset: the charset named by the ``Content-Type`` header, if any.
        content_type: the media type, without parameters.
        etag: the ``ETag`` header, for the next conditional GET.
        last_modified: the ``Last-Modified`` header, likewise.
    """

    url: str
    status: int
    content: bytes
    charset: str | None = None
    content_type: str | None = None
    etag: str | None = None
    last_modified: str | None = None

    @property
    def not_modified(self) -> bool:
        """True when the server said the resource has not changed (304)."""
        return self.status == 304

    def text(self) -> str:
        """The body decoded: header charset, else a ``<meta>``/XML declaration, else
        UTF-8, else windows-1252 (which decodes any byte, as browsers fall back to)."""
        return decode(self.content, self.charset)


def decode(content: bytes, charset: str | None = None) -> str:
    """Decode an HTML or XML document by the charset its server or its markup declares."""
    head = content[:4096]
    candidates = [charset]
    for pattern in (_XML_ENCODING, _META_CHARSET):
        match = pattern.search(head)
        if match:
            candidates.append(match.group(1).decode("ascii", "ignore"))
    candidates.append("utf-8")
    for name in candidates:
        if not name:
            continue
        # Browsers read a page labelled ISO-8859-1 as windows-1252; so do we, so that
        # curly quotes in 0x80-0x9F come out as quotes rather than control characters.
        if name.lower().replace("_", "-") in ("iso-8859-1", "latin-1", "latin1", "us-ascii"):
            name = "windows-1252"
        try:
            return content.decode(name)
        except (LookupError, UnicodeDecodeError):
            continue
    return content.decode("windows-1252", errors="replace")


class HostPacer:
    """At least ``delay_s`` between the starts of two requests to one host, across threads.

    Args:
        delay_s: the minimum gap per host.
        clock: monotonic time source.
        sleep: how to wait; tests pass a fake.
    """

    def __init__(
        self,
        delay_s: float,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.delay_s = delay_s
        self.clock = clock
        self.sleep = sleep
        self._next: dict[str, float] = {}
        self._lock = threading.Lock()

    def wait(self, url: str) -> float:
        """Block until a request to ``url``'s host may start; return how long it waited."""
        host = (urlsplit(url).hostname or "").lower()
        with self._lock:
            now = self.clock()
            start = max(now, self._next.get(host, now))
            self._next[host] = start + self.delay_s
        waited = start - now
        if waited > 0:
            self.sleep(waited)
        return waited


class Fetcher:
    """GETs feeds and pages.

    Args:
        timeout_s: connect, read, write and pool timeouts, each.
        user_agent: the ``User-Agent`` header.
        host_delay_s: minimum gap between two requests to one host.
        max_bytes: larger bodies are refused.
        transport: an httpx transport, for tests.
        pacer: shares a pace between fetchers; one is made from ``host_delay_s`` if None.
    """

    def __init__(
        self,
        *,
        timeout_s: float = 10.0,
        user_agent: str = "newskg-feeds/0.1",
        host_delay_s: float = 1.0,
        max_bytes: int = 5_000_000,
        transport: httpx.BaseTransport | None = None,
        pacer: HostPacer | None = None,
    ) -> None:
        self.timeout_s = timeout_s
        self.max_bytes = max_bytes
        self.pacer = pacer or HostPacer(host_delay_s)
        self._client = httpx.Client(
            timeout=httpx.Timeout(timeout_s),
            follow_redirects=True,
            max_redirects=5,
            headers={"User-Agent": user_agent},
            transport=transport,
        )

    def close(self) -> None:
        """Close the connection pool."""
        self._client.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def get(
        self, url: str, *, etag: str | None = None, last_modified: str | None = None
    ) -> FetchResult:
        """GET ``url``, conditionally when ``etag`` or ``last_modified`` is given.

        Raises:
            FeedError: the URL is not http(s), the host cannot be reached, the request
                timed out, the server answered with an error status, or the body is too
                large.
        """
        if urlsplit(url).scheme not in ("http", "https"):
            raise FeedError(url, "not an http(s) URL")
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        self.pacer.wait(url)
        try:
            with self._client.stream("GET", url, headers=headers) as response:
                if response.status_code == 304:
                    return FetchResult(
                        str(response.url),
                        304,
                        b"",
                        etag=response.headers.get("ETag") or etag,
                        last_modified=response.headers.get("Last-Modified") or last_modified,
                    )
                if response.status_code >= 400:
                    reason = response.reason_phrase or "error"
                    raise FeedError(
                        url, f"HTTP {response.status_code} {reason}", status=response.status_code
                    )
                content = self._read_capped(url, response)
        except httpx.TimeoutException as exc:
            raise FeedError(url, f"timed out after {self.timeout_s:g} s") from exc
        except httpx.TooManyRedirects as exc:
            raise FeedError(url, "too many redirects") from exc
        except httpx.ConnectError as exc:
            raise FeedError(url, f"cannot connect: {_short(exc)}") from exc
        except httpx.HTTPError as exc:
            raise FeedError(url, f"request failed: {_short(exc)}") from exc
        media = response.headers.get("Content-Type", "").split(";")[0].strip().lower()
        return FetchResult(
            url=str(response.url),
            status=response.status_code,
            content=content,
            charset=response.charset_encoding,
            content_type=media or None,
            etag=response.headers.get("ETag"),
            last_modified=response.headers.get("Last-Modified"),
        )

    def _read_capped(self, url: str, response: httpx.Response) -> bytes:
        chunks: list[bytes] = []
        size = 0
        for chunk in response.iter_bytes():
            size += len(chunk)
            if size > self.max_bytes:
                raise FeedError(url, f"larger than {self.max_bytes} bytes")
            chunks.append(chunk)
        return b"".join(chunks)


def _short(exc: Exception) -> str:
    return str(exc) or type(exc).__name__


def is_public_host(url: str) -> bool:
    """Whether every address ``url``'s host resolves to is a public (global) one.

    Loopback, private, link-local (cloud metadata at 169.254.169.254), multicast and
    reserved addresses are not public. A host that does not resolve counts as public: its
    fetch then fails with its own error ("cannot connect").
    """
    host = urlsplit(url).hostname
    if not host:
        return False
    try:
        infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    except (OSError, UnicodeError):
        return True
    for info in infos:
        address = ipaddress.ip_address(str(info[4][0]).split("%")[0])
        if not address.is_global or address.is_multicast:
            return False
    return True
