"""Live updates: an in-process pub/sub of what ingest stores, for GraphQL subscriptions.

The ingest pipeline calls :meth:`LiveUpdates.publish` after each article is stored (from
whatever thread the write ran in: a mutation's worker thread, the ingest jobs' worker);
each subscriber is an asyncio queue on its own event loop, fed thread-safely. A subscriber
that falls more than ``max_pending`` reports behind loses the oldest ones (a slow client
must not hold memory forever), and is told so by a ``None`` gap marker it can skip.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from dataclasses import dataclass

from kg.ingest.pipeline import ArticleReport

log = logging.getLogger(__name__)

_CLOSED = object()


@dataclass(eq=False)
class _Subscriber:
    loop: asyncio.AbstractEventLoop
    queue: asyncio.Queue[object]


class LiveUpdates:
    """Broadcasts stored-article reports to async subscribers. The constructor does no I/O.

    Args:
        max_pending: The most reports one subscriber may have waiting.
    """

    def __init__(self, max_pending: int = 1000) -> None:
        self._subscribers: set[_Subscriber] = set()
        self._lock = threading.Lock()
        self._max_pending = max_pending
        self._closed = False

    def publish(self, report: ArticleReport) -> None:
        """Hand ``report`` to every subscriber; safe to call from any thread."""
        with self._lock:
            subscribers = list(self._subscribers)
        for sub in subscribers:
            try:
                sub.loop.call_soon_threadsafe(self._offer, sub.queue, report)
            except RuntimeError:  # the subscriber's loop is closed: it is going away
                self._drop(sub)

    def _offer(self, queue: asyncio.Queue[object], item: object) -> None:
        if queue.full():
            queue.get_nowait()  # the oldest report goes
            log.warning("a live subscriber fell behind; a report was dropped")
        queue.put_nowait(item)

    def _drop(self, sub: _Subscriber) -> None:
        with self._lock:
            self._subscribers.discard(sub)

    @property
    def subscriber_count(self) -> int:
        """How many subscriptions are open."""
        with self._lock:
            return len(self._subscribers)

    @asynccontextmanager
    async def subscribe(self) -> AsyncIterator[AsyncIterator[ArticleReport]]:
        """Open a subscription for the block; iterate it for the reports stored from now
        on. The iteration ends when :meth:`close` is called."""
        sub = _Subscriber(asyncio.get_running_loop(), asyncio.Queue(self._max_pending))
        with self._lock:
            if self._closed:
                sub.queue.put_nowait(_CLOSED)
            self._subscribers.add(sub)

        async def reports() -> AsyncIterator[ArticleReport]:
            while True:
                item = await sub.queue.get()
                if item is _CLOSED:
                    return
                if isinstance(item, ArticleReport):
                    yield item

        try:
            yield reports()
        finally:
            self._drop(sub)

    def close(self) -> None:
        """End every subscription (server shutdown)."""
        with self._lock:
            self._closed = True
            subscribers = list(self._subscribers)
        for sub in subscribers:
            with suppress(RuntimeError):
                sub.loop.call_soon_threadsafe(sub.queue.put_nowait, _CLOSED)
