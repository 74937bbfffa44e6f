"""Feed-test helpers: a local HTTP server with scripted routes, and an in-memory sink.

The server is a threaded ``http.server`` on 127.0.0.1, port 0, started by the test: no
network is needed. Each route can answer slowly, redirect, or honour ``ETag`` and
``Last-Modified`` the way a real feed host does.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from kg.core.models import Article
from kg.feeds.sink import SinkOutcome

PAGES = Path(__file__).resolve().parent / "data" / "pages"


@dataclass
class Route:
    """What the server answers on one path."""

    body: bytes = b""
    status: int = 200
    content_type: str = "text/html; charset=utf-8"
    delay_s: float = 0.0
    etag: str | None = None
    last_modified: str | None = None
    location: str | None = None  # answer with a redirect to this path


@dataclass
class Served:
    """A running server: its routes (editable while it runs) and the requests it saw."""

    base: str
    routes: dict[str, Route]
    requests: list[tuple[str, dict[str, str]]] = field(default_factory=list)

    def url(self, path: str) -> str:
        return f"{self.base}{path}"

    def hits(self, path: str) -> list[dict[str, str]]:
        return [headers for p, headers in self.requests if p == path]


@contextmanager
def serve(routes: dict[str, Route]) -> Iterator[Served]:
    """Serve ``routes`` on a free loopback port until the block ends."""
    served = Served(base="", routes=routes)

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
            served.requests.append((self.path, {k.lower(): v for k, v in self.headers.items()}))
            # Like most sites, the query (utm_ and friends) does not change the page.
            route = served.routes.get(self.path) or served.routes.get(self.path.split("?")[0])
            if route is None:
                self._answer(404, b"not found", "text/plain")
                return
            if route.delay_s:
                time.sleep(route.delay_s)
            if route.location is not None:
                self.send_response(route.status if route.status in (301, 302, 307) else 302)
                self.send_header("Location", route.location)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            if route.etag and self.headers.get("If-None-Match") == route.etag:
                self._answer(304, b"", route.content_type, route)
                return
            if (
                route.last_modified
                and not route.etag
                and self.headers.get("If-Modified-Since") == route.last_modified
            ):
                self._answer(304, b"", route.content_type, route)
                return
            self._answer(route.status, route.body, route.content_type, route)

        def _answer(
            self, status: int, body: bytes, content_type: str, route: Route | None = None
        ) -> None:
            try:
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                if route and route.etag:
                    self.send_header("ETag", route.etag)
                if route and route.last_modified:
                    self.send_header("Last-Modified", route.last_modified)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if body:
                    self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (a timeout test): nothing to answer

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    served.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield served
    finally:
        server.shutdown()
        server.server_close()


def rss(
    items: Sequence[tuple[str, str, str]],
    title: str = "Test Wire",
    pub_date: str = "Mon, 12 Jan 2026 08:30:00 GMT",
) -> bytes:
    """An RSS 2.0 document of (title, link, summary) items, each published ``pub_date``."""
    body = "".join(
        f"<item><title>{t}</title><link>{link}</link><guid>{link}</guid>"
        f"<description><![CDATA[{summary}]]></description>"
        f"<pubDate>{pub_date}</pubDate></item>"
        for t, link, summary in items
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>{title}</title><link>http://example.org/</link>"
        f"<description>test</description>{body}</channel></rss>"
    ).encode()


def atom(
    items: Sequence[tuple[str, str, str]],
    title: str = "Test Atom",
    updated: str = "2026-01-13T09:00:00Z",
) -> bytes:
    """An Atom 1.0 document of (title, link, content) entries, each updated ``updated``."""
    body = "".join(
        f'<entry><title>{t}</title><link href="{link}"/><id>{link}</id>'
        f"<updated>{updated}</updated>"
        f'<content type="html"><![CDATA[{content}]]></content></entry>'
        for t, link, content in items
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        f"<title>{title}</title><id>urn:test</id><updated>2026-01-13T09:00:00Z</updated>"
        f"{body}</feed>"
    ).encode()


def page(name: str) -> bytes:
    """A test page's bytes, as stored (some are not UTF-8)."""
    return (PAGES / f"{name}.html").read_bytes()


def gold(name: str) -> str:
    """A test page's hand-written main text."""
    return (PAGES / f"{name}.gold.txt").read_text(encoding="utf-8").strip()


class FakeSink:
    """An in-memory :class:`kg.feeds.sink.ArticleSink`: keeps what it is given.

    ``fail`` makes it answer ``failed`` (a store is down) for every article.
    """

    def __init__(self, *, fail: bool = False) -> None:
        self.articles: list[Article] = []
        self.batches = 0
        self.fail = fail

    def ingest(self, articles: Sequence[Article]) -> list[SinkOutcome]:
        self.batches += 1
        if self.fail:
            return [SinkOutcome("failed", detail="Neo4j is unavailable: test") for _ in articles]
        self.articles.extend(articles)
        return [SinkOutcome("stored", article_id=a.id) for a in articles]
