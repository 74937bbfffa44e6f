"""What follows a graph write: the events around the written articles are recomputed, and
listeners (live updates) hear of each stored article.

Both run after the article's own transaction has committed, so neither can lose an article:
a failing event pass is logged and left to the next write around the same events, and a
failing listener is logged.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence

from kg.core.errors import NewsKGError
from kg.core.event_ports import EventIndex
from kg.core.records import EventUpdate

log = logging.getLogger(__name__)

Listener = Callable[..., None]


class EventPass:
    """The events pass and the listeners of one pipeline.

    Args:
        events: The events across articles; None: no events are kept.
    """

    def __init__(self, events: EventIndex | None) -> None:
        self.events = events
        self._listeners: list[Listener] = []

    def previous(self, article_ids: Sequence[str]) -> tuple[str, ...]:
        """The events the articles' actions report now (read before they are replaced or
        deleted, so the pass after the write can recompute or remove them)."""
        if self.events is None or not article_ids:
            return ()
        return self.events.events_of_articles(article_ids)

    def refresh(
        self,
        article_ids: Sequence[str],
        vectors: Mapping[str, Sequence[float]],
        previous: Sequence[str],
    ) -> EventUpdate:
        """Recompute the events around the articles, in one transaction."""
        if self.events is None or (not article_ids and not previous):
            return EventUpdate()
        try:
            return self.events.refresh(article_ids, vectors, previous)
        except NewsKGError:
            log.exception("events not refreshed around articles %s", list(article_ids)[:5])
            return EventUpdate()

    def add_listener(self, listener: Listener) -> None:
        """Call ``listener`` with the report of every article stored from now on."""
        self._listeners.append(listener)

    def remove_listener(self, listener: Listener) -> None:
        """Stop calling ``listener``; unknown listeners are ignored."""
        if listener in self._listeners:
            self._listeners.remove(listener)

    def notify(self, report: object) -> None:
        """Tell every listener; a listener that raises is logged and does not fail ingest."""
        for listener in list(self._listeners):
            try:
                listener(report)
            except Exception:  # a subscriber's bug must not fail a stored article
                log.exception("ingest listener failed for %s", report)
