"""The ports of events across articles (one event, many reports): kept up to date by ingest,
read by the API. Adapters: :mod:`kg.graph.events`."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Protocol

from kg.core.records import EventRecord, EventUpdate


class EventIndex(Protocol):
    """Events across articles (:mod:`kg.core.event_merge`), kept up to date after each
    article write. Raises like :class:`ArticleWriter`."""

    def events_of_articles(self, article_ids: Sequence[str]) -> tuple[str, ...]:
        """The ids of the events the articles' actions report (read before a replacement
        or deletion, so the pass after it can recompute or remove them)."""
        ...

    def refresh(
        self,
        article_ids: Sequence[str],
        embeddings: Mapping[str, Sequence[float]],
        previous: Sequence[str] = (),
    ) -> EventUpdate:
        """Recompute, in one transaction, the events of the articles' actions, of the
        actions that could report the same events (by type and participant, within the date
        window) and of the events in ``previous``; an event left without reports is deleted.

        Args:
            article_ids: The articles just written (none after a deletion).
            embeddings: Evidence embeddings of their actions, by action id.
            previous: Events their actions reported before the write.
        """
        ...


class EventReader(Protocol):
    """Events as the API reads them."""

    def events_by_action_ids(self, ids: Sequence[str]) -> dict[str, EventRecord]:
        """The event each action reports; actions without one are absent."""
        ...
