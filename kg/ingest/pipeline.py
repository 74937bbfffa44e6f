"""The ingest pipeline, in two stages, for one article or a batch.

1. :meth:`IngestPipeline.prepare` / :meth:`IngestPipeline.prepare_many`: split -> extract
   -> map to RDF + validate -> embed. Pure CPU work that reads no store, so it gives the
   same result whatever the graph holds (ingest is order-independent: the same articles
   make the same graph in any order) and it can run anywhere: in this process, in worker
   processes (:mod:`kg.ingest.workers`) or on a Ray cluster. Its result,
   :class:`PreparedArticle`, is plain picklable data. A batch is parsed with one
   ``nlp.pipe`` and embedded with one call; each article is validated on its own, so a
   failing article or record is attributed to that article alone.
2. :meth:`IngestPipeline.store` / :meth:`IngestPipeline.store_many`: the writes, in an order
   that keeps search whole through a crash: the vectors first (a vector hit is only shown
   through its graph passage), then the graph in one transaction (an article, or a batch
   of them, appears whole or not at all; each article replaces its previous version
   whole), then the stale vectors of replaced versions are deleted. When a batch's
   transaction fails, its articles are stored one by one, so one bad article does not lose
   the others. Whatever a crash leaves between the two stores (orphan or outdated
   vectors) is found and mended by ``kg check``.

:meth:`IngestPipeline.ingest` streams: it reads its input in bounded batches, so memory
stays flat however many articles come.

A bad article is rejected with its reason and leaves the stores as they were.
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING

from kg.core.config import Settings
from kg.core.errors import NewsKGError, NotFoundError
from kg.core.event_ports import EventIndex
from kg.core.models import Article, ParsedDocument
from kg.core.ports import ArticleWriter, VectorStore
from kg.extraction.entities.resolution import add_known_mentions
from kg.extraction.extractor import Extractor, extract_many
from kg.ingest.event_pass import EventPass
from kg.ingest.evidence import embed_documents
from kg.ingest.prepared import (
    ArticleReport,
    DeleteReport,
    IngestFailure,
    IngestReport,
    Outcome,
    PassageEmbedder,
    PreparedArticle,
    Stored,
    batched,
    failure,
    passage_points,
    stored_passages,
    stored_report,
    unique_runs,
)
from kg.ingest.splitting import split_passages
from kg.ingest.validation import validated
from kg.rdf.mapping import triples_to_rows
from kg.rdf.ontology import load_ontology
from kg.rdf.triples import Triples

if TYPE_CHECKING:
    from kg.ingest.workers import PreparePool

log = logging.getLogger(__name__)


class IngestPipeline:
    """Turns articles into graph nodes and passage vectors.

    Args:
        writer: the graph, as whole-article writes (bootstrapped by the caller).
        vectors: the vector store (bootstrapped by the caller).
        embedder: the passage embedder.
        extractor: entity and action extractor.
        settings: newskg settings (passage size, batch sizes).
        events: the events across articles, refreshed after each write; None: no events.
        workers: processes that prepare articles in :meth:`ingest` (1: this process).
            They are built from ``settings`` (the same extractor and embedder as
            :func:`kg.services.build_services` builds), started on the first input of
            more than one batch, and stopped by :meth:`close`.
    """

    def __init__(
        self,
        writer: ArticleWriter,
        vectors: VectorStore,
        embedder: PassageEmbedder,
        extractor: Extractor,
        settings: Settings,
        events: EventIndex | None = None,
        *,
        workers: int = 1,
    ) -> None:
        self.after_write = EventPass(events)
        self.writer = writer
        self.vectors = vectors
        self.embedder = embedder
        self.extractor = extractor
        self.settings = settings
        self.workers = max(1, workers)
        self._pool: PreparePool | None = None

    # ------------------------------------------------------------------ prepare

    def parse(self, article: Article) -> ParsedDocument:
        """Split and extract; names resolve within the article and against the gazetteers
        only, never against what the graph happens to hold (that would make the result
        depend on the order articles arrive in)."""
        return self.parse_many([article])[0]

    def parse_many(self, articles: Sequence[Article]) -> list[ParsedDocument]:
        """:meth:`parse` for each article, with one extractor call for the batch."""
        extractions = extract_many(self.extractor, [(a.body, a.published) for a in articles])
        docs = []
        for article, extraction in zip(articles, extractions, strict=True):
            passages = split_passages(article, self.settings.passage_max_chars)
            # The document's own entities name its other mentions too, so that a name the
            # model missed ("the US" once "United States" is resolved) links on the first
            # ingest.
            extraction = add_known_mentions(extraction, article.body)
            docs.append(ParsedDocument(article=article, passages=passages, extraction=extraction))
        return docs

    def prepare(self, article: Article) -> PreparedArticle:
        """Everything before the writes: parse, validate, map to rows, embed.

        Raises:
            ValidationFailedError: the article cannot be stored as it is.
        """
        (outcome,) = self._prepare_batch([article])
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    def prepare_many(self, articles: Sequence[Article]) -> list[Outcome]:
        """:meth:`prepare` for a batch: one ``nlp.pipe`` and one embedding call for all.

        Returns:
            One outcome per article, in order: the prepared article, or an
            :class:`IngestFailure` saying why it was rejected.
        """
        return [
            failure(article, outcome) if isinstance(outcome, Exception) else outcome
            for article, outcome in zip(articles, self._prepare_batch(articles), strict=True)
        ]

    def _prepare_batch(self, articles: Sequence[Article]) -> list[PreparedArticle | NewsKGError]:
        try:
            docs: list[ParsedDocument | NewsKGError] = (
                [self.parse(articles[0])] if len(articles) == 1 else list(self.parse_many(articles))
            )
        except NewsKGError:
            if len(articles) == 1:
                raise
            docs = []  # find the article the extractor fails on: one by one
            for article in articles:
                try:
                    docs.append(self.parse(article))
                except NewsKGError as exc:
                    docs.append(exc)
        checked: list[tuple[ParsedDocument, Triples, tuple[str, ...]] | NewsKGError] = []
        for doc in docs:
            try:
                checked.append(doc if isinstance(doc, NewsKGError) else validated(doc))
            except NewsKGError as exc:
                checked.append(exc)
        # One embedding call for the batch: every passage, with each action's evidence
        # pooled from its passage's tokens (for the event merge, which the writer runs; a
        # Ray worker hands them over with the rest).
        good = [c for c in checked if not isinstance(c, NewsKGError)]
        embedded = iter(embed_documents(self.embedder, [c[0] for c in good]))
        ontology = load_ontology()
        outcomes: list[PreparedArticle | NewsKGError] = []
        for item in checked:
            if isinstance(item, NewsKGError):
                outcomes.append(item)
                continue
            doc, rdf, dropped = item
            passage_vectors, evidence_vectors = next(embedded)
            outcomes.append(
                PreparedArticle(
                    doc=doc,
                    rows=triples_to_rows(rdf, ontology),
                    points=tuple(passage_points(doc, passage_vectors)),
                    dropped=dropped,
                    evidence_vectors=tuple(evidence_vectors.items()),
                )
            )
        return outcomes

    # ------------------------------------------------------------------ store

    def ingest_article(self, article: Article) -> ArticleReport:
        """Ingest one article: all of it is stored, or nothing is.

        Raises:
            ValidationFailedError: the extracted records do not conform to the shapes.
            ServiceUnavailableError: a store cannot be reached.
        """
        return self.store(self.prepare(article))

    def store(self, prepared: PreparedArticle) -> ArticleReport:
        """Write a prepared article: vectors, then the graph in one transaction, then the
        removal of a replaced version's stale vectors.

        Raises:
            ServiceUnavailableError: a store cannot be reached; the stores are as before
                for a new article (its vectors are taken back), and an old version stays
                whole in the graph for a replaced one.
        """
        article = prepared.article
        points = list(prepared.points)
        existed_before = self.writer.article_exists(article.id)
        previous = self.after_write.previous([article.id]) if existed_before else ()
        self.vectors.upsert(points)
        try:
            # An article seen before is replaced whole, in one transaction, so an updated
            # story leaves no stale passage, action or mention behind, and two concurrent
            # ingests of it leave one copy.
            written = self.writer.replace_article(prepared.rows, article.id)
        except Exception:
            if not existed_before:  # take back the vectors nothing in the graph shows
                self.vectors.delete([p.id for p in points])
            raise
        self.vectors.delete(sorted(set(written.removed_passage_ids) - {p.id for p in points}))
        events = self.after_write.refresh([article.id], dict(prepared.evidence_vectors), previous)
        report = stored_report(prepared, written, events)
        self.after_write.notify(report)
        return report

    def store_many(self, prepared: Sequence[PreparedArticle]) -> list[Stored]:
        """Write a batch: all vectors in one upsert, the graph in one transaction (each
        article replaced whole), then the stale vectors in one delete.

        When the batch's transaction fails, each article is stored alone with
        :meth:`store`, so one bad article is reported and the others are stored.
        An article twice in the batch is stored twice, in order (the later one wins).

        Returns:
            One result per prepared article, in order: its report, or why it failed.
        """
        results: list[Stored] = []
        for run in unique_runs(prepared):
            results += self._store_run(run)
        return results

    def _store_run(self, run: Sequence[PreparedArticle]) -> list[Stored]:
        if len(run) == 1:
            return [self._store_alone(p) for p in run]
        points = [point for p in run for point in p.points]
        ids = [p.article.id for p in run]
        try:
            previous = self.after_write.previous(ids)
            self.vectors.upsert(points)
            written = self.writer.replace_articles([(p.rows, p.article.id) for p in run])
        except Exception as exc:  # noqa: BLE001 - any failure: store them one by one
            log.warning(
                "a batch of %d articles failed (%s); storing them one by one", len(run), exc
            )
            return [self._store_alone(p) for p in run]
        removed = {pid for w in written for pid in w.removed_passage_ids}
        self.vectors.delete(sorted(removed - {p.id for p in points}))
        # One events pass for the batch; its update is reported on the batch's first article.
        vectors = {a: v for p in run for a, v in p.evidence_vectors}
        events = self.after_write.refresh(ids, vectors, previous)
        reports: list[Stored] = [
            stored_report(p, w, events if i == 0 else None)
            for i, (p, w) in enumerate(zip(run, written, strict=True))
        ]
        for report in reports:
            self.after_write.notify(report)
        return reports

    def _store_alone(self, prepared: PreparedArticle) -> Stored:
        try:
            return self.store(prepared)
        except NewsKGError as exc:
            log.warning("rejected %s: %s", prepared.article.origin or prepared.article.title, exc)
            return failure(prepared.article, exc)

    # ------------------------------------------------------------------ streams

    def ingest(self, articles: Iterable[Article], progress: bool = False) -> IngestReport:
        """Ingest many articles; a rejected one is reported and does not stop the rest.

        The input is read lazily, in batches; see :meth:`ingest_iter`.
        """
        reports: list[ArticleReport] = []
        failures: list[IngestFailure] = []
        for result in self.ingest_iter(articles, progress=progress):
            if isinstance(result, IngestFailure):
                failures.append(result)
            else:
                reports.append(result)
        return IngestReport(articles=tuple(reports), failures=tuple(failures))

    def ingest_iter(
        self,
        articles: Iterable[Article],
        progress: bool = False,
        on_batch: Callable[[int], None] | None = None,
    ) -> Iterator[Stored]:
        """Ingest a stream of articles, yielding each one's result as its batch is stored.

        Batches of ``settings.ingest_batch_articles`` articles (bounded in characters by
        ``settings.ingest_batch_chars``) are prepared with :meth:`prepare_many`, in the
        worker processes when there are several and the input is longer than one batch
        (at most two batches per worker in flight), and stored with :meth:`store_many`.
        Memory is bounded by the batches in flight, whatever the input's length.

        Args:
            articles: Any iterable; it is read as batches are needed.
            progress: Show a progress bar (no total: the input is not counted first).
            on_batch: Called with the size of each stored batch.
        """
        settings = self.settings
        batches = batched(articles, settings.ingest_batch_articles, settings.ingest_batch_chars)
        bar = None
        if progress:
            from tqdm import tqdm

            bar = tqdm(desc="ingest", unit="article")
        try:
            for outcomes in self._prepared_batches(batches):
                ready = [o for o in outcomes if isinstance(o, PreparedArticle)]
                stored = iter(self.store_many(ready))
                for outcome in outcomes:
                    if isinstance(outcome, IngestFailure):
                        log.warning("rejected %s: %s", outcome.origin, outcome.error)
                        yield outcome
                    else:
                        yield next(stored)
                if bar is not None:
                    bar.update(len(outcomes))
                if on_batch is not None:
                    on_batch(len(outcomes))
        finally:
            if bar is not None:
                bar.close()

    def _prepared_batches(self, batches: Iterator[list[Article]]) -> Iterator[list[Outcome]]:
        first = next(batches, None)
        if first is None:
            return
        second = next(batches, None)
        if second is None or self.workers <= 1:  # one batch: not worth starting processes
            for batch in itertools.chain([first], [] if second is None else [second], batches):
                yield self.prepare_many(batch)
            return
        yield from self.pool().map_bounded(itertools.chain([first, second], batches))

    def pool(self) -> PreparePool:
        """The worker processes (started on first use)."""
        if self._pool is None:
            from kg.ingest.workers import PreparePool

            self._pool = PreparePool(self.settings, self.workers)
        return self._pool

    def close(self) -> None:
        """Stop the worker processes, if any were started."""
        if self._pool is not None:
            self._pool.close()
            self._pool = None

    # ------------------------------------------------------------------ delete

    def delete_article(self, article_id: str) -> DeleteReport:
        """Delete an article, its passages (graph and vectors) and nodes nothing else supports.

        Raises:
            NotFoundError: no article has this id.
        """
        previous = self.after_write.previous([article_id])
        deleted = self.writer.delete_article(article_id)
        if deleted is None:
            raise NotFoundError("article", article_id)
        self.vectors.delete(deleted.passage_ids)
        return DeleteReport(
            article_id=article_id,
            passages_removed=len(deleted.passage_ids),
            nodes_removed=deleted.nodes_removed,
            events=self.after_write.refresh([], {}, previous),
        )


__all__ = [
    "ArticleReport",
    "PreparedArticle",
    "DeleteReport",
    "IngestFailure",
    "IngestPipeline",
    "IngestReport",
    "Outcome",
    "PassageEmbedder",
    "Stored",
    "batched",
    "passage_points",
    "stored_passages",
]
