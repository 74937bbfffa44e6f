"""``kg feeds add|list|remove`` and ``kg watch``."""

from __future__ import annotations

import contextlib
import re
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Annotated

import typer

from kg.core.config import Settings, get_settings
from kg.core.errors import InvalidQueryError, NewsKGError
from kg.feeds.fetch import Fetcher
from kg.feeds.poller import FeedPoller, PollResult, run_forever
from kg.feeds.state import FeedRecord, FeedStore

feeds_app = typer.Typer(no_args_is_help=True)

_DURATION = re.compile(r"(\d+(?:\.\d+)?)\s*([smhd])")
_UNIT_S = {"s": 1.0, "m": 60.0, "h": 3600.0, "d": 86400.0}


def parse_duration(text: str) -> float:
    """Seconds in ``"15m"``, ``"1h30m"``, ``"45s"``, ``"1d"`` or a bare number of seconds.

    Raises:
        InvalidQueryError: the text is not a duration, or is under ten seconds.
    """
    cleaned = text.strip().lower()
    if re.fullmatch(r"\d+(\.\d+)?", cleaned):
        seconds = float(cleaned)
    elif cleaned and re.fullmatch(rf"(?:{_DURATION.pattern}\s*)+", cleaned):
        seconds = sum(float(n) * _UNIT_S[u] for n, u in _DURATION.findall(cleaned))
    else:
        raise InvalidQueryError("--every", f"{text!r} is not a duration like 15m, 1h or 90s")
    if seconds < 10:
        raise InvalidQueryError("--every", "poll a feed at most every 10 seconds")
    return seconds


def _fail(exc: NewsKGError) -> typer.Exit:
    typer.secho(f"error: {exc}", err=True, fg=typer.colors.RED)
    return typer.Exit(code=1)


def _when(stamp: float | None) -> str:
    if stamp is None:
        return "never"
    return datetime.fromtimestamp(stamp, tz=UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


def _every(seconds: float) -> str:
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds >= size and seconds % size == 0:
            return f"{int(seconds // size)}{unit}"
    return f"{seconds:g}s"


@contextlib.contextmanager
def _store(settings: Settings) -> Iterator[FeedStore]:
    store = FeedStore(settings.feeds_path)
    try:
        yield store
    finally:
        store.close()


@feeds_app.command("add")
def add(
    url: Annotated[str, typer.Argument(help="The RSS or Atom feed's URL")],
    every: Annotated[str | None, typer.Option(help="Poll interval, e.g. 15m, 1h")] = None,
) -> None:
    """Add a feed (or change its interval); it is due at once."""
    settings = get_settings()
    if not url.startswith(("http://", "https://")):
        raise _fail(InvalidQueryError("URL", f"{url!r} is not an http(s) URL"))
    try:
        interval = parse_duration(every) if every else settings.feed_interval_s
    except NewsKGError as exc:
        raise _fail(exc) from exc
    with _store(settings) as store:
        feed = store.add(url, interval)
    typer.echo(f"added {feed.url}, polled every {_every(feed.interval_s)}")


@feeds_app.command("list")
def list_feeds() -> None:
    """List the feeds with their last poll, last error and article count."""
    with _store(get_settings()) as store:
        feeds = store.feeds()
    if not feeds:
        typer.echo("no feeds; add one with: kg feeds add URL")
        return
    for feed in feeds:
        typer.echo(_describe(feed))


def _describe(feed: FeedRecord) -> str:
    lines = [
        feed.url,
        f"  every {_every(feed.interval_s)}; {feed.article_count} article(s)"
        + (f"; {feed.title}" if feed.title else ""),
        f"  last poll: {_when(feed.last_poll)}; next: {_when(feed.next_poll)}",
    ]
    if feed.last_error:
        lines.append(f"  last error: {feed.last_error} ({feed.failures} failure(s) in a row)")
    return "\n".join(lines)


@feeds_app.command("remove")
def remove(url: Annotated[str, typer.Argument(help="The feed's URL, as added")]) -> None:
    """Remove a feed and forget which of its entries were seen."""
    with _store(get_settings()) as store:
        removed = store.remove(url)
    if not removed:
        raise _fail(NewsKGError(f"no feed {url!r}; see kg feeds list"))
    typer.echo(f"removed {url}")


def _report(result: PollResult) -> None:
    if result.error:
        retry = f"; retry in {_every(round(result.retry_in_s or 0))}" if result.retry_in_s else ""
        typer.secho(f"{result.feed_url}: {result.error}{retry}", err=True, fg=typer.colors.YELLOW)
        return
    if result.not_modified:
        typer.echo(f"{result.feed_url}: not modified")
        return
    typer.echo(
        f"{result.feed_url}: {result.new_entries} new, {result.count('stored')} stored, "
        f"{result.count('duplicate')} duplicate(s), {result.count('rejected')} rejected"
    )
    for problem in result.page_errors:
        typer.secho(f"  page not read (feed text used): {problem}", err=True)


def watch(
    once: Annotated[
        bool, typer.Option("--once", help="Poll every feed once, ingest what is new, exit")
    ] = False,
    in_process: Annotated[
        bool,
        typer.Option(
            "--in-process",
            help="Open the stores here even when `kg serve` runs (needs a Qdrant server).",
        ),
    ] = False,
) -> None:
    """Poll every feed on its own schedule and ingest new articles (Ctrl-C stops).

    When `kg serve` runs, new articles are ingested through it (it owns the stores);
    otherwise in this process.
    """
    from kg.ingest.dedup_store import open_deduplicator
    from kg.services import open_article_sink

    settings = get_settings()
    with contextlib.ExitStack() as stack:
        store = stack.enter_context(_store(settings))
        if not store.feeds():
            typer.echo("no feeds; add one with: kg feeds add URL")
            return
        dedup, dedup_store = open_deduplicator(settings)
        stack.callback(dedup_store.close)
        fetcher = stack.enter_context(
            Fetcher(
                timeout_s=settings.feed_timeout_s,
                user_agent=settings.feed_user_agent,
                host_delay_s=settings.feed_host_delay_s,
                max_bytes=settings.feed_max_bytes,
            )
        )
        try:
            sink, where = open_article_sink(settings, dedup, stack, in_process=in_process)
            poller = FeedPoller(
                store,
                fetcher,
                sink,
                retry_base_s=settings.feed_retry_base_s,
                max_backoff_s=settings.feed_max_backoff_s,
                fetch_pages=settings.feed_fetch_pages,
                max_article_chars=settings.max_article_chars,
            )
            typer.echo(f"ingesting {where}", err=True)
            if once:
                results = poller.poll_all()
                for result in results:
                    _report(result)
                if any(r.error for r in results):
                    raise typer.Exit(code=2)
            else:
                typer.echo(f"watching {len(store.feeds())} feed(s); Ctrl-C stops")
                run_forever(poller, on_result=_report, sleep=time.sleep)
        except KeyboardInterrupt:
            typer.echo("stopped")
        except NewsKGError as exc:
            raise _fail(exc) from exc
