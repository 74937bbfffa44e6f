"""The :class:`~kg.feeds.sink.ArticleSink` that ingests through a running ``kg serve``.

While the server runs it owns the embedded vector store, so ``kg watch`` hands its
articles to the server's ingest jobs instead of opening the stores itself. Duplicates are
still decided here, from the local dedup state, before anything is sent.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Sequence
from typing import TYPE_CHECKING, Protocol

from kg.core.errors import AuthenticationError, NewsKGError, ServiceUnavailableError
from kg.core.models import Article, GraphRows, RelRow
from kg.feeds.sink import SinkOutcome

if TYPE_CHECKING:
    from kg.core.ports import GraphStore
    from kg.ingest.dedup import DedupDecision, Deduplicator
    from kg.ingest.server_client import ServerIngestReport

log = logging.getLogger(__name__)


class IngestClient(Protocol):
    """What :class:`kg.ingest.server_client.ServerIngest` offers."""

    def run(self, records: Sequence[Article]) -> ServerIngestReport:
        """Send the articles to one job and wait until the server has handled them."""
        ...


class ServerSink:
    """Ingests through the server's ingest jobs, skipping and linking duplicates.

    Args:
        client: the server's ingest client.
        dedup: the deduplicator, or None to send everything.
        graph: where a near-duplicate's ``DUPLICATE_OF`` link is written (Neo4j is a
            server, so this process may write to it), or None.
    """

    def __init__(
        self,
        client: IngestClient,
        dedup: Deduplicator | None = None,
        graph: GraphStore | None = None,
    ) -> None:
        self.client = client
        self.dedup = dedup
        self.graph = graph

    def ingest(self, articles: Sequence[Article]) -> list[SinkOutcome]:
        """Send each article that is not a copy; one outcome per article.

        One job per article, in order, so that a copy later in the batch is recognised
        against an original stored earlier in it (feed batches are small).
        """
        return [self._one(article) for article in articles]

    def _one(self, article: Article) -> SinkOutcome:
        decision = self.dedup.check(article) if self.dedup else None
        if decision is not None and not decision.store:
            return SinkOutcome(
                "duplicate", article_id=decision.original_id, detail=decision.kind.replace("_", " ")
            )
        outcome = self._send(article)
        if decision is not None and outcome.status == "stored":
            outcome = self._record(decision, outcome)
        return outcome

    def _send(self, article: Article) -> SinkOutcome:
        try:
            report = self.client.run([article])
        except (ServiceUnavailableError, AuthenticationError) as exc:
            return SinkOutcome("failed", detail=str(exc))
        if report.stored == 1:
            return SinkOutcome("stored", article_id=article.id)
        detail = "; ".join(report.errors) or f"the server's ingest job ended {report.state}"
        if report.state == "failed":
            # The whole job failed (the server's stores, not this article): retry later.
            return SinkOutcome("failed", detail=detail)
        return SinkOutcome("rejected", detail=detail)

    def _record(self, decision: DedupDecision, outcome: SinkOutcome) -> SinkOutcome:
        assert self.dedup is not None  # a decision exists only with a deduplicator
        self.dedup.record(decision)
        if decision.kind != "near_duplicate" or decision.original_id is None:
            return outcome
        if self.graph is not None:
            link = RelRow("DUPLICATE_OF", decision.article_id, decision.original_id)
            try:
                self.graph.write(GraphRows(nodes=(), relationships=(link,)))
            except NewsKGError as exc:
                log.warning("could not link %s: %s", decision.article_id, exc)
        return dataclasses.replace(outcome, duplicate_of=decision.original_id)
