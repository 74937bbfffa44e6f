"""Poll feeds: fetch, parse with feedparser, read new entries' pages, hand them to a sink.

One feed's failure (unreachable, 404, timeout, not a feed) is recorded on that feed and
retried with exponential backoff; it never stops the others. An entry whose page cannot
be read falls back to the text the feed itself carries.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from kg.core.errors import ArticleTooLargeError, FeedError, NewsKGError
from kg.core.limits import MAX_ARTICLE_CHARS
from kg.core.models import Article
from kg.feeds.fetch import Fetcher, is_public_host
from kg.feeds.pages import extract_page, paragraphs
from kg.feeds.sink import ArticleSink, SinkOutcome
from kg.feeds.state import FeedRecord, FeedStore
from kg.ingest.dedup import canonical_url
from kg.ingest.parsing import check_article_size

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class PollResult:
    """The outcome of polling one feed.

    Attributes:
        feed_url: the feed.
        error: why the poll failed, or None.
        not_modified: the server answered 304 to the conditional GET.
        new_entries: entries not seen before.
        outcomes: what the sink made of each article handed to it.
        page_errors: entries whose page could not be read (their feed text was used).
        retry_in_s: after a failure, the backoff until the next attempt.
    """

    feed_url: str
    error: str | None = None
    not_modified: bool = False
    new_entries: int = 0
    outcomes: tuple[SinkOutcome, ...] = ()
    page_errors: tuple[str, ...] = field(default_factory=tuple)
    retry_in_s: float | None = None

    def count(self, status: str) -> int:
        """How many articles ended with this sink status."""
        return sum(1 for o in self.outcomes if o.status == status)


@dataclass(frozen=True, slots=True)
class _Entry:
    key: str  # canonical URL, or the entry id for an entry without a link
    link: str | None
    title: str
    text: str
    published: date | None


class FeedPoller:
    """Polls the feeds in a :class:`FeedStore` and ingests what is new through a sink.

    Args:
        store: feed state.
        fetcher: HTTP client for feeds and pages.
        sink: where new articles go.
        retry_base_s: the first retry's delay after a failure; it doubles per failure.
        max_backoff_s: the longest delay between retries.
        fetch_pages: read each new entry's page (else only the feed's own text).
        lease_s: how long a claim on a feed holds while it is polled.
        max_entries: at most this many new entries are taken per poll, oldest first
            as listed; the rest wait for the next poll.
        max_article_chars: a longer article is rejected, like any other input.
    """

    def __init__(
        self,
        store: FeedStore,
        fetcher: Fetcher,
        sink: ArticleSink,
        *,
        retry_base_s: float = 60.0,
        max_backoff_s: float = 6 * 3600.0,
        fetch_pages: bool = True,
        lease_s: float = 600.0,
        max_entries: int = 50,
        max_article_chars: int = MAX_ARTICLE_CHARS,
    ) -> None:
        self.store = store
        self.fetcher = fetcher
        self.sink = sink
        self.retry_base_s = retry_base_s
        self.max_backoff_s = max_backoff_s
        self.fetch_pages = fetch_pages
        self.lease_s = lease_s
        self.max_entries = max_entries
        self.max_article_chars = max_article_chars

    def poll_due(self) -> list[PollResult]:
        """Poll the feeds that are due now, claiming one at a time.

        Claiming one feed per poll (not all due feeds at once) lets two watchers share
        the work, and keeps a long round from outliving the leases of its last feeds.
        """
        results: list[PollResult] = []
        polled: set[str] = set()
        while claimed := self.store.claim(lease_s=self.lease_s, limit=1):
            (feed,) = claimed
            if feed.url in polled:  # due again within this round: leave it for the next
                self.store.release(feed)
                break
            polled.add(feed.url)
            results.append(self.poll(feed))
        return results

    def poll_all(self) -> list[PollResult]:
        """Poll every feed once, due or not (``kg watch --once``)."""
        feeds = self.store.claim(lease_s=self.lease_s, due_only=False)
        return [self.poll(feed) for feed in feeds]

    def poll(self, feed: FeedRecord) -> PollResult:
        """Poll one feed; any failure is recorded on the feed and returned, not raised."""
        try:
            return self._poll(feed)
        except NewsKGError as exc:
            error = exc.reason if isinstance(exc, FeedError) and exc.url == feed.url else str(exc)
        except Exception as exc:  # a bug or a library surprise must not stop the other feeds
            log.debug("polling %s failed", feed.url, exc_info=True)  # the trace, for -v runs
            error = f"unexpected error: {type(exc).__name__}: {exc}"
        delay = self.store.record_failure(
            feed.url, error, base_s=self.retry_base_s, max_s=self.max_backoff_s
        )
        return PollResult(feed.url, error=error, retry_in_s=delay)

    def _poll(self, feed: FeedRecord) -> PollResult:
        fetched = self.fetcher.get(feed.url, etag=feed.etag, last_modified=feed.last_modified)
        if fetched.not_modified:
            self.store.record_success(
                feed.url,
                title=None,
                etag=fetched.etag,
                last_modified=fetched.last_modified,
                ingested=0,
            )
            return PollResult(feed.url, not_modified=True)
        title, entries = parse_entries(fetched.content, feed.url, fetched.charset)
        fresh_keys = set(self.store.unseen(e.key for e in entries)[: self.max_entries])
        fresh = [e for e in entries if e.key in fresh_keys]
        articles: list[Article] = []
        page_errors: list[str] = []
        too_large: dict[int, SinkOutcome] = {}
        for number, entry in enumerate(fresh):
            article, page_error = self._article(entry, title, feed.url)
            if page_error:
                page_errors.append(page_error)
            try:
                check_article_size(article.body, entry.link or entry.key, self.max_article_chars)
            except ArticleTooLargeError as exc:
                too_large[number] = SinkOutcome("rejected", detail=str(exc))
                continue
            articles.append(article)
        sunk = self.sink.ingest(articles) if articles else []
        if len(sunk) != len(articles):
            raise NewsKGError(
                f"the sink returned {len(sunk)} outcomes for {len(articles)} articles"
            )
        answers = iter(sunk)
        outcomes = [too_large.get(n) or next(answers) for n in range(len(fresh))]
        settled = [
            (entry.key, outcome.status, outcome.article_id)
            for entry, outcome in zip(fresh, outcomes, strict=True)
            if outcome.settled
        ]
        self.store.mark_seen(feed.url, settled)
        failed = [o.detail for o in outcomes if not o.settled]
        if failed:
            # The articles that could not be stored stay unseen; the feed backs off.
            raise NewsKGError(f"{len(failed)} article(s) could not be ingested: {failed[0]}")
        self.store.record_success(
            feed.url,
            title=title,
            etag=fetched.etag,
            last_modified=fetched.last_modified,
            ingested=sum(1 for o in outcomes if o.status == "stored"),
        )
        return PollResult(
            feed.url,
            new_entries=len(fresh),
            outcomes=tuple(outcomes),
            page_errors=tuple(page_errors),
        )

    def _article(self, entry: _Entry, source: str | None, feed_url: str) -> tuple[Article, str]:
        """The entry as an article: its page's main text when readable, else the feed's."""
        title, body, published, url = entry.title, entry.text, entry.published, entry.link
        page_error = ""
        if self.fetch_pages and entry.link:
            try:
                # The feed's author picks the links: a public feed must not make us read
                # (and publish through the API) pages on this machine or its network. A
                # feed the operator added on a local host may link to local pages.
                local_feed = not is_public_host(feed_url)
                if not local_feed and not is_public_host(entry.link):
                    raise FeedError(entry.link, "not fetched: the host is not a public address")
                page = self.fetcher.get(entry.link)
                if not local_feed and not is_public_host(page.url):
                    raise FeedError(page.url, "not read: a redirect led to a non-public address")
                if page.content_type and not _is_markup(page.content_type):
                    raise FeedError(entry.link, f"not an HTML page ({page.content_type})")
                content = extract_page(page.text(), page.url)
                url = canonical_url(page.url)  # where the redirects led
                if content is not None and len(content.text) >= len(body):
                    body = content.text
                    title = title or content.title or ""
                    published = published or content.published
                elif content is None:
                    page_error = f"{entry.link}: no main text found on the page"
            except FeedError as exc:
                page_error = str(exc)
        return (
            Article(
                title=title or body[:80],
                body=body,
                published=published,
                url=url,
                source=source,
                origin=f"feed:{feed_url}",
            ),
            page_error,
        )


def _is_markup(media_type: str) -> bool:
    return "html" in media_type or media_type.endswith("xml") or media_type == "text/plain"


def parse_entries(
    content: bytes, feed_url: str, charset: str | None = None
) -> tuple[str | None, list[_Entry]]:
    """Parse a feed document into (feed title, entries with a title or text).

    Raises:
        FeedError: the document is not a readable RSS or Atom feed.
    """
    import feedparser  # imported here: only feeds need it

    headers = {"content-type": f"application/xml; charset={charset}"} if charset else None
    parsed: Any = feedparser.parse(content, response_headers=headers)
    if not parsed.get("version") and not parsed.entries:
        problem = parsed.get("bozo_exception") or "no RSS or Atom elements found"
        raise FeedError(feed_url, f"not a readable RSS/Atom feed: {problem}")
    entries = _entries(parsed.entries)
    if parsed.get("bozo") and not entries:
        # Malformed XML that still yielded entries is read (feedparser is lenient on
        # purpose); malformed XML with nothing usable in it is an error on the feed.
        raise FeedError(feed_url, f"not a readable RSS/Atom feed: {parsed.get('bozo_exception')}")
    title = parsed.feed.get("title")
    return (" ".join(title.split()) if title else None), entries


def _entries(items: Any) -> list[_Entry]:
    entries = []
    for item in items:
        link = item.get("link")
        key = canonical_url(link) if link else item.get("id")
        contents = item.get("content")
        raw = contents[0].get("value", "") if contents else item.get("summary", "")
        text = paragraphs(_html_to_text(raw))
        title = " ".join((item.get("title") or "").split())
        if not key or not (title or text):
            continue
        stamp = item.get("published_parsed") or item.get("updated_parsed")
        entries.append(
            _Entry(
                key=key,
                link=link,
                title=title,
                text=text,
                published=date(*stamp[:3]) if stamp else None,
            )
        )
    return entries


def _html_to_text(fragment: str) -> str:
    """Text of a feed's HTML summary; paragraphs and line breaks become new lines."""
    if "<" not in fragment:
        return fragment
    from lxml import html as lxml_html  # trafilatura's dependency

    try:
        root = lxml_html.fragment_fromstring(fragment, create_parent="div")
    except Exception:  # lxml raises several types for junk; the fragment is then plain text
        return fragment
    for element in root.iter("p", "br", "div", "li"):
        element.tail = "\n" + (element.tail or "")
    return str(root.text_content())


def run_forever(
    poller: FeedPoller,
    *,
    on_result: Callable[[PollResult], None],
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.time,
    idle_s: float = 30.0,
) -> None:
    """Poll due feeds until interrupted, sleeping until the next one is due.

    ``idle_s`` caps each sleep, so feeds added meanwhile by ``kg feeds add`` are noticed.
    """
    while True:
        for result in poller.poll_due():
            on_result(result)
        due = poller.store.next_due()
        wait = idle_s if due is None else min(idle_s, max(0.5, due - clock()))
        sleep(wait)
