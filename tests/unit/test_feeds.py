"""Feed polling against a local HTTP server, with an in-memory sink: no Neo4j, no network."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from kg.feeds.fetch import Fetcher, HostPacer
from kg.feeds.poller import FeedPoller, PollResult, run_forever
from kg.feeds.state import FeedStore
from tests.feeds_support import FakeSink, Route, atom, gold, page, rss, serve

SUMMARY = "Short summary from the feed."


class Clock:
    """A settable clock for the feed store."""

    def __init__(self, now: float = 1_800_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.fixture()
def clock() -> Clock:
    return Clock()


@pytest.fixture()
def store(tmp_path: Path, clock: Clock) -> Iterator[FeedStore]:
    feeds = FeedStore(tmp_path / "feeds.sqlite", clock=clock)
    yield feeds
    feeds.close()


@pytest.fixture()
def fetcher() -> Iterator[Fetcher]:
    with Fetcher(timeout_s=0.5, host_delay_s=0.0) as client:
        yield client


def poller(store: FeedStore, fetcher: Fetcher, sink: FakeSink, **kw: object) -> FeedPoller:
    return FeedPoller(store, fetcher, sink, retry_base_s=60.0, max_backoff_s=3600.0, **kw)  # type: ignore[arg-type]


def _news_site() -> dict[str, Route]:
    return {
        "/a/port-strike": Route(page("port-strike")),
        "/a/ceasefire": Route(page("ceasefire-talks")),
    }


def test_rss_entries_are_read_from_their_pages_and_ingested_once(
    store: FeedStore, fetcher: Fetcher
) -> None:
    routes = _news_site()
    with serve(routes) as site:
        routes["/rss"] = Route(
            rss(
                [
                    ("Dock strike", site.url("/a/port-strike?utm_source=rss#top"), SUMMARY),
                    ("Congo talks", site.url("/a/ceasefire"), SUMMARY),
                ]
            ),
            content_type="application/rss+xml",
        )
        store.add(site.url("/rss"), 900)
        sink = FakeSink()
        (result,) = poller(store, fetcher, sink).poll_all()
        assert result.error is None
        assert (result.new_entries, result.count("stored")) == (2, 2)
        strike, talks = sink.articles
        assert strike.body == gold("port-strike")
        assert talks.body == gold("ceasefire-talks")
        assert strike.title == "Dock strike"  # the feed's headline
        assert strike.url == site.url("/a/port-strike")  # canonical: no utm_, no fragment
        assert strike.source == "Test Wire"
        assert strike.published is not None and strike.published.isoformat() == "2026-01-12"

        (again,) = poller(store, fetcher, sink).poll_all()
        assert again.new_entries == 0 and len(sink.articles) == 2
        feed = store.get(site.url("/rss"))
        assert feed is not None
        assert feed.article_count == 2 and feed.last_error is None


def test_atom_feed_text_is_used_without_fetching_pages(store: FeedStore, fetcher: Fetcher) -> None:
    content = "<p>First paragraph of the story.</p><p>Second paragraph, longer.</p>"
    with serve({}) as site:
        site.routes["/atom"] = Route(
            atom([("Atom story", site.url("/a/1"), content)]),
            content_type="application/atom+xml",
        )
        store.add(site.url("/atom"), 900)
        sink = FakeSink()
        (result,) = poller(store, fetcher, sink, fetch_pages=False).poll_all()
        assert result.error is None
        (article,) = sink.articles
        assert article.body == "First paragraph of the story.\n\nSecond paragraph, longer."
        assert article.source == "Test Atom"
        assert not site.hits("/a/1")


def test_conditional_get_sends_etag_and_last_modified(store: FeedStore, fetcher: Fetcher) -> None:
    with serve({}) as site:
        site.routes["/rss"] = Route(
            rss([("One", site.url("/a/1"), SUMMARY)]),
            etag='"v1"',
            last_modified="Mon, 12 Jan 2026 08:30:00 GMT",
        )
        store.add(site.url("/rss"), 900)
        run = poller(store, fetcher, FakeSink(), fetch_pages=False)
        run.poll_all()
        (second,) = run.poll_all()
        assert second.not_modified and second.error is None
        headers = site.hits("/rss")[1]
        assert headers["if-none-match"] == '"v1"'
        assert headers["if-modified-since"] == "Mon, 12 Jan 2026 08:30:00 GMT"


def _unreachable_url() -> str:
    with serve({}) as site:
        return site.url("/gone.rss")  # the server is closed once the block ends


def test_a_failing_feed_is_reported_backs_off_and_does_not_stop_the_others(
    store: FeedStore, fetcher: Fetcher, clock: Clock
) -> None:
    dead = _unreachable_url()
    with serve(_news_site()) as site:
        site.routes.update(
            {
                "/broken.rss": Route(b"<rss><channel><item>oops", content_type="text/xml"),
                "/not-a-feed": Route(b"<html><body>Hello</body></html>"),
                "/slow.rss": Route(rss([]), delay_s=2.0),
                "/good.rss": Route(rss([("Congo talks", site.url("/a/ceasefire"), SUMMARY)])),
            }
        )
        bad = {
            site.url("/broken.rss"): "not a readable RSS/Atom feed",
            site.url("/not-a-feed"): "not a readable RSS/Atom feed",
            site.url("/missing.rss"): "HTTP 404 Not Found",
            site.url("/slow.rss"): "timed out after 0.5 s",
            dead: "cannot connect",
        }
        for url in [*bad, site.url("/good.rss")]:
            store.add(url, 900)
        sink = FakeSink()
        results = {r.feed_url: r for r in poller(store, fetcher, sink).poll_all()}

        assert results[site.url("/good.rss")].count("stored") == 1
        assert len(sink.articles) == 1
        for url, reason in bad.items():
            feed = store.get(url)
            assert feed is not None
            assert feed.last_error is not None and reason in feed.last_error, url
            assert feed.failures == 1
            assert feed.next_poll == clock.now + 60.0
            assert results[url].retry_in_s == 60.0

        # The next failure waits twice as long; a success resets the count.
        clock.now += 61
        results = {r.feed_url: r for r in poller(store, fetcher, sink).poll_due()}
        assert set(results) == set(bad)
        missing = store.get(site.url("/missing.rss"))
        assert missing is not None and missing.failures == 2
        assert missing.next_poll == clock.now + 120.0
        site.routes["/missing.rss"] = Route(rss([]))
        clock.now += 121
        poller(store, fetcher, sink).poll_due()
        healed = store.get(site.url("/missing.rss"))
        assert healed is not None
        assert (healed.failures, healed.last_error) == (0, None)
        assert healed.next_poll == clock.now + 900


def test_a_redirected_page_is_stored_under_the_url_it_ends_at(
    store: FeedStore, fetcher: Fetcher
) -> None:
    with serve(_news_site()) as site:
        site.routes["/short/1"] = Route(location="/a/port-strike", status=301)
        site.routes["/rss"] = Route(rss([("Dock strike", site.url("/short/1"), SUMMARY)]))
        store.add(site.url("/rss"), 900)
        sink = FakeSink()
        poller(store, fetcher, sink).poll_all()
        (article,) = sink.articles
        assert article.url == site.url("/a/port-strike")
        assert article.body == gold("port-strike")


@pytest.mark.parametrize(
    ("content_type", "declared_in"),
    [("text/html", "meta"), ("text/html; charset=windows-1252", "header")],
)
def test_a_page_in_another_encoding_is_decoded(
    store: FeedStore, fetcher: Fetcher, content_type: str, declared_in: str
) -> None:
    body = page("drought-aid-cp1252")
    if declared_in == "header":
        body = body.replace(
            b'<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1">', b""
        )
    with serve({"/a/drought": Route(body, content_type=content_type)}) as site:
        site.routes["/rss"] = Route(rss([("Drought aid", site.url("/a/drought"), SUMMARY)]))
        store.add(site.url("/rss"), 900)
        sink = FakeSink()
        poller(store, fetcher, sink).poll_all()
        (article,) = sink.articles
        assert article.body == gold("drought-aid-cp1252")
        assert "€2 billion" in article.body and "Hélène" in article.body


def test_a_slow_page_falls_back_to_the_feed_text(store: FeedStore, fetcher: Fetcher) -> None:
    with serve({}) as site:
        site.routes["/a/slow"] = Route(page("port-strike"), delay_s=2.0)
        site.routes["/rss"] = Route(rss([("Dock strike", site.url("/a/slow"), SUMMARY)]))
        store.add(site.url("/rss"), 900)
        sink = FakeSink()
        (result,) = poller(store, fetcher, sink).poll_all()
        assert result.error is None
        (article,) = sink.articles
        assert article.body == SUMMARY
        (problem,) = result.page_errors
        assert "timed out" in problem


def test_articles_the_sink_could_not_store_are_tried_again(
    store: FeedStore, fetcher: Fetcher, clock: Clock
) -> None:
    with serve({}) as site:
        site.routes["/rss"] = Route(rss([("One", site.url("/a/1"), SUMMARY)]))
        store.add(site.url("/rss"), 900)
        down = FakeSink(fail=True)
        (result,) = poller(store, fetcher, down, fetch_pages=False).poll_all()
        assert result.error is not None and "could not be ingested" in result.error
        clock.now += 61
        up = FakeSink()
        (result,) = poller(store, fetcher, up, fetch_pages=False).poll_due()
        assert result.error is None and len(up.articles) == 1


def test_state_survives_a_restart_and_two_processes_do_not_poll_one_feed(
    tmp_path: Path, clock: Clock
) -> None:
    path = tmp_path / "var" / "feeds.sqlite"
    first = FeedStore(path, clock=clock)
    first.add("https://example.org/rss", 900)
    first.mark_seen("https://example.org/rss", [("https://example.org/a/1", "stored", "x")])
    first.close()

    again = FeedStore(path, clock=clock)
    other = FeedStore(path, clock=clock)  # a second process on the same file
    try:
        (feed,) = again.feeds()
        assert feed.url == "https://example.org/rss"
        assert again.unseen(["https://example.org/a/1", "https://example.org/a/2"]) == [
            "https://example.org/a/2"
        ]
        assert [f.url for f in again.claim(lease_s=600)] == ["https://example.org/rss"]
        assert other.claim(lease_s=600) == []  # claimed by the first
        assert other.remove("https://example.org/rss")
        assert again.feeds() == []
    finally:
        again.close()
        other.close()


def test_host_pacer_spaces_requests_to_one_host() -> None:
    now = [0.0]
    waits: list[float] = []

    def sleep(seconds: float) -> None:
        waits.append(seconds)
        now[0] += seconds

    pacer = HostPacer(2.0, clock=lambda: now[0], sleep=sleep)
    pacer.wait("http://a.example/1")
    pacer.wait("http://A.example/2")  # same host, other case
    pacer.wait("http://b.example/1")  # another host does not wait
    assert waits == [2.0]


def test_watch_loop_polls_due_feeds_and_sleeps_until_the_next(
    store: FeedStore, fetcher: Fetcher, clock: Clock
) -> None:
    class Stop(Exception):
        pass

    naps: list[float] = []

    def sleep(seconds: float) -> None:
        naps.append(seconds)
        if len(naps) == 2:
            raise Stop
        clock.now += seconds

    with serve({}) as site:
        site.routes["/rss"] = Route(rss([("One", site.url("/a/1"), SUMMARY)]))
        store.add(site.url("/rss"), 120)
        sink = FakeSink()
        results: list[PollResult] = []
        with pytest.raises(Stop):
            run_forever(
                poller(store, fetcher, sink, fetch_pages=False),
                on_result=results.append,
                sleep=sleep,
                clock=clock,
                idle_s=30.0,
            )
    assert [r.count("stored") for r in results] == [1]  # the feed is not due again yet
    assert naps == [30.0, 30.0]  # capped, so feeds added meanwhile are noticed


def test_a_link_to_something_else_than_a_page_uses_the_feed_text(
    store: FeedStore, fetcher: Fetcher
) -> None:
    with serve({"/a/report.pdf": Route(b"%PDF-1.7 ...", content_type="application/pdf")}) as site:
        site.routes["/rss"] = Route(rss([("Report", site.url("/a/report.pdf"), SUMMARY)]))
        store.add(site.url("/rss"), 900)
        sink = FakeSink()
        (result,) = poller(store, fetcher, sink).poll_all()
        assert sink.articles[0].body == SUMMARY
        assert "not an HTML page (application/pdf)" in result.page_errors[0]


def test_an_article_over_the_size_limit_is_rejected_not_sent(
    store: FeedStore, fetcher: Fetcher
) -> None:
    with serve({}) as site:
        site.routes["/rss"] = Route(
            rss([("Long", site.url("/a/1"), "x" * 500), ("Short", site.url("/a/2"), SUMMARY)])
        )
        store.add(site.url("/rss"), 900)
        sink = FakeSink()
        (result,) = poller(
            store, fetcher, sink, fetch_pages=False, max_article_chars=100
        ).poll_all()
        assert [o.status for o in result.outcomes] == ["rejected", "stored"]
        assert "the limit is 100" in result.outcomes[0].detail
        assert [a.title for a in sink.articles] == ["Short"]
        assert store.unseen([site.url("/a/1")]) == []  # not tried again


@pytest.mark.parametrize(
    ("url", "public"),
    [
        ("http://127.0.0.1:7474/browser/", False),
        ("http://169.254.169.254/latest/meta-data/", False),  # cloud metadata
        ("http://10.1.2.3/", False),
        ("http://[::1]/", False),
        ("http://0.0.0.0/", False),
        ("https://8.8.8.8/feed", True),
    ],
)
def test_is_public_host(url: str, public: bool) -> None:
    from kg.feeds.fetch import is_public_host

    assert is_public_host(url) is public


def test_a_public_feed_cannot_make_the_watcher_read_local_pages(
    store: FeedStore, fetcher: Fetcher, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The feed is served on "localhost", played as a public host; its entry links to
    # 127.0.0.1 (this machine, as Neo4j's 7474 or a metadata service would be).
    import kg.feeds.poller as poller_module

    monkeypatch.setattr(
        poller_module, "is_public_host", lambda url: "//localhost:" in url or "//8.8" in url
    )
    routes = _news_site()
    with serve(routes) as site:
        local = site.url("/a/port-strike")
        routes["/rss"] = Route(rss([("Dock strike", local, SUMMARY)]))
        feed = local.replace("127.0.0.1", "localhost").replace("/a/port-strike", "/rss")
        store.add(feed, 900)
        sink = FakeSink()
        (result,) = poller(store, fetcher, sink).poll_all()
        assert site.hits("/a/port-strike") == []  # never requested
        assert any("not a public address" in e for e in result.page_errors), result
        (article,) = sink.articles  # stored from the feed's own text
        assert article.body != gold("port-strike")
