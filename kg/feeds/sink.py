"""The narrow port between the feed poller and ingest.

The poller hands batches of :class:`kg.models.Article` to an :class:`ArticleSink` and
gets one :class:`SinkOutcome` per article back. :class:`PipelineSink` is the in-process
adapter; :class:`kg.feeds.server_sink.ServerSink` hands the articles to a running
``kg serve`` instead. The poller knows neither.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal, Protocol

from kg.core.errors import NewsKGError, ServiceUnavailableError
from kg.core.models import Article, GraphRows, RelRow

if TYPE_CHECKING:
    from kg.core.ports import GraphStore
    from kg.ingest.dedup import Deduplicator
    from kg.ingest.pipeline import IngestPipeline

log = logging.getLogger(__name__)

OutcomeStatus = Literal["stored", "duplicate", "rejected", "failed"]


@dataclass(frozen=True, slots=True)
class SinkOutcome:
    """What became of one article handed to a sink.

    Attributes:
        status: ``stored``; ``duplicate`` (already there, not stored again); ``rejected``
            (the article itself is unacceptable: retrying will not help); ``failed`` (a
            store was unreachable: retry later).
        article_id: the stored article's id, or the original's for a duplicate.
        duplicate_of: for a stored near-duplicate, the id of the article it copies.
        detail: why, for ``duplicate``, ``rejected`` and ``failed``.
    """

    status: OutcomeStatus
    article_id: str | None = None
    duplicate_of: str | None = None
    detail: str = ""

    @property
    def settled(self) -> bool:
        """Whether the article is done with (not to be tried again)."""
        return self.status != "failed"


class ArticleSink(Protocol):
    """Somewhere articles go to be ingested."""

    def ingest(self, articles: Sequence[Article]) -> list[SinkOutcome]:
        """Ingest a batch; one outcome per article, in order. Raises nothing per article."""
        ...


class PipelineSink:
    """Ingests with the in-process pipeline, skipping and linking duplicates.

    Args:
        pipeline: the bootstrapped ingest pipeline.
        dedup: the deduplicator, or None to store everything.
        graph: where a near-duplicate's ``DUPLICATE_OF`` link to its original is written;
            None keeps the link in the dedup state only.
    """

    def __init__(
        self,
        pipeline: IngestPipeline,
        dedup: Deduplicator | None = None,
        graph: GraphStore | None = None,
    ) -> None:
        self.pipeline = pipeline
        self.dedup = dedup
        self.graph = graph

    def ingest(self, articles: Sequence[Article]) -> list[SinkOutcome]:
        """Ingest each article unless it duplicates a stored one."""
        return [self._one(article) for article in articles]

    def _one(self, article: Article) -> SinkOutcome:
        decision = self.dedup.check(article) if self.dedup else None
        if decision is not None and not decision.store:
            return SinkOutcome(
                "duplicate", article_id=decision.original_id, detail=decision.kind.replace("_", " ")
            )
        try:
            report = self.pipeline.ingest_article(article)
        except ServiceUnavailableError as exc:
            return SinkOutcome("failed", detail=str(exc))
        except NewsKGError as exc:
            log.warning("rejected %s: %s", article.url or article.title, exc)
            return SinkOutcome("rejected", detail=str(exc))
        original = None
        if self.dedup is not None and decision is not None:
            self.dedup.record(decision)
            if decision.kind == "near_duplicate":
                original = decision.original_id
        if original is not None and self.graph is not None:
            link = RelRow(type="DUPLICATE_OF", start_id=report.article_id, end_id=original)
            try:
                self.graph.write(GraphRows(nodes=(), relationships=(link,)))
            except NewsKGError as exc:
                # The copy is stored and the link kept in the dedup state; a missing
                # original (deleted meanwhile) or an outage only loses the graph edge.
                log.warning("could not link %s to %s: %s", report.article_id, original, exc)
        return SinkOutcome("stored", article_id=report.article_id, duplicate_of=original)
