"""The ingest pipeline, in two stages.

1. :meth:`IngestPipeline.prepare`: split -> extract -> resolve -> map to RDF + validate ->
   embed. Pure CPU work that reads no store, so it gives the same result whatever the graph
   holds (ingest is order-independent: the same articles make the same graph in any order)
   and it can run anywhere: in this process, in worker processes or on a Ray cluster. Its
   result, :class:`PreparedArticle`, is plain picklable data.
2. :meth:`IngestPipeline.store`: the writes, in an order that keeps search whole through a
   crash: the vectors first (a vector hit is only shown through its graph passage), then the
   graph in one transaction (an article appears whole or not at all), then the stale
   vectors of a replaced version are deleted. Whatever a crash leaves between the two
   stores (orphan or outdated vectors) is found and mended by ``kg check``.

A bad article is rejected with its reason and leaves the stores as they were.
"""

from __future__ import annotations

import bisect
import dataclasses
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from kg.core.config import Settings
from kg.core.errors import NewsKGError, NotFoundError, ValidationFailedError
from kg.core.identity import role_iri
from kg.core.models import Article, GraphRows, ParsedDocument, VectorPoint
from kg.core.ports import ArticleWriter, VectorStore
from kg.extraction.entities.resolution import KnownEntity, add_known_mentions
from kg.extraction.extractor import Extractor
from kg.ingest.splitting import split_passages
from kg.rdf.mapping import document_triples, triples_to_rows
from kg.rdf.ontology import load_ontology
from kg.rdf.triples import Triples
from kg.vectors.payload import PassagePayload

log = logging.getLogger(__name__)

# Extracted records that can be left out alone when they fail the shapes; the article,
# its passages and its entities cannot.
DROPPABLE_KINDS = frozenset({"Action", "Role"})


@dataclass(frozen=True, slots=True)
class ArticleReport:
    """What ingesting one article stored."""

    article_id: str
    article_iri: str
    title: str
    passages: int
    entities: int
    actions: int
    created: bool
    dropped: tuple[str, ...] = ()  # records left out, with the SHACL reason


@dataclass(frozen=True, slots=True)
class IngestFailure:
    """An article that was rejected, and why."""

    origin: str
    error: str


@dataclass(frozen=True, slots=True)
class IngestReport:
    """The outcome of a batch: what was stored and what was rejected."""

    articles: tuple[ArticleReport, ...] = ()
    failures: tuple[IngestFailure, ...] = field(default_factory=tuple)


@dataclass(frozen=True, slots=True)
class DeleteReport:
    """What deleting an article removed."""

    article_id: str
    passages_removed: int
    nodes_removed: int


def passage_points(doc: ParsedDocument, vectors: Sequence[tuple[float, ...]]) -> list[VectorPoint]:
    """Vector points for a document's passages; the payload links back to the graph."""
    article = doc.article
    entity_ids = {e.key: e.id for e in doc.extraction.entities}
    mentions = sorted(doc.extraction.mentions, key=lambda m: m.start)
    starts = [m.start for m in mentions]
    points = []
    for passage, vector in zip(doc.passages, vectors, strict=True):
        inside = mentions[
            bisect.bisect_left(starts, passage.start) : bisect.bisect_left(starts, passage.end)
        ]
        mentioned = sorted({entity_ids[m.entity_key] for m in inside if m.entity_key in entity_ids})
        payload = PassagePayload(
            passage_id=passage.id,
            passage_iri=passage.iri,
            article_id=article.id,
            article_iri=article.iri,
            index=passage.index,
            start=passage.start,
            end=passage.end,
            text=passage.text,
            entity_ids=tuple(mentioned),
            published=article.published,
            source=article.source,
            title=article.title,
            url=article.url,
        )
        points.append(VectorPoint(id=passage.id, vector=vector, payload=payload.to_dict()))
    return points


@dataclass(frozen=True, slots=True)
class PreparedArticle:
    """An article ready to store: what :meth:`IngestPipeline.prepare` computed.

    Attributes:
        doc: The article, its passages and its (validated) extraction.
        rows: The graph rows of the validated RDF.
        points: One vector point per passage.
        dropped: Extracted records left out because they failed the shapes, with why.
    """

    doc: ParsedDocument
    rows: GraphRows
    points: tuple[VectorPoint, ...]
    dropped: tuple[str, ...] = ()

    @property
    def article(self) -> Article:
        """The article."""
        return self.doc.article


class PassageEmbedder(Protocol):
    """What ingest needs of :class:`kg.vectors.embedder.Embedder`."""

    def embed(self, texts: Sequence[str]) -> list[tuple[float, ...]]:
        """One vector per text, in input order."""
        ...


class IngestPipeline:
    """Turns articles into graph nodes and passage vectors.

    Args:
        writer: the graph, as whole-article writes (bootstrapped by the caller).
        vectors: the vector store (bootstrapped by the caller).
        embedder: the passage embedder.
        extractor: entity and action extractor.
        settings: newskg settings (passage size).
    """

    def __init__(
        self,
        writer: ArticleWriter,
        vectors: VectorStore,
        embedder: PassageEmbedder,
        extractor: Extractor,
        settings: Settings,
    ) -> None:
        self.writer = writer
        self.vectors = vectors
        self.embedder = embedder
        self.extractor = extractor
        self.settings = settings

    # ------------------------------------------------------------------ stages

    def parse(self, article: Article) -> ParsedDocument:
        """Split and extract; names resolve within the article and against the gazetteers
        only, never against what the graph happens to hold (that would make the result
        depend on the order articles arrive in)."""
        passages = split_passages(article, self.settings.passage_max_chars)
        extraction = self.extractor.extract(article.body, article.published)
        # The document's own entities name its other mentions too, so that a name the model
        # missed ("the US" once "United States" is resolved) links on the first ingest.
        own = {
            alias.lower(): KnownEntity(key=e.key, name=e.name, type=e.type)
            for e in extraction.entities
            for alias in (e.name, *e.aliases)
        }
        extraction = add_known_mentions(extraction, article.body, own)
        return ParsedDocument(article=article, passages=passages, extraction=extraction)

    def prepare(self, article: Article) -> PreparedArticle:
        """Everything before the writes: parse, validate, map to rows, embed.

        Raises:
            ValidationFailedError: the article cannot be stored as it is.
        """
        doc, rdf, dropped = self._validated(self.parse(article))
        rows = triples_to_rows(rdf, load_ontology())
        points = passage_points(doc, self.embedder.embed([p.text for p in doc.passages]))
        return PreparedArticle(doc=doc, rows=rows, points=tuple(points), dropped=dropped)

    def _validated(self, doc: ParsedDocument) -> tuple[ParsedDocument, Triples, tuple[str, ...]]:
        """Map to RDF and check the shapes.

        An extracted action or role that fails is left out whole and reported; anything
        else failing (the article, a passage, an entity) rejects the article.

        Raises:
            ValidationFailedError: the article cannot be stored as it is.
        """
        ontology = load_ontology()
        rdf = document_triples(doc)
        violations = ontology.check(rdf)
        if not violations:
            return doc, rdf, ()
        if any(not v.kinds or not set(v.kinds) <= DROPPABLE_KINDS for v in violations):
            raise ValidationFailedError(doc.article.id, [v.message for v in violations])
        bad = {v.focus for v in violations}
        extraction = doc.extraction
        kept = dataclasses.replace(
            extraction,
            actions=tuple(a for a in extraction.actions if a.iri_in(doc.article.iri) not in bad),
            roles=tuple(
                r
                for r in extraction.roles
                if role_iri(r.holder_key, r.title, r.organization_key) not in bad
            ),
        )
        doc = dataclasses.replace(doc, extraction=kept)
        rdf = document_triples(doc)
        remaining = ontology.check(rdf)
        if remaining:
            raise ValidationFailedError(doc.article.id, [v.message for v in remaining])
        for v in violations:
            log.warning("left out of %s: %s", doc.article.origin or doc.article.id, v.message)
        return doc, rdf, tuple(v.message for v in violations)

    # ------------------------------------------------------------------ public

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
        return ArticleReport(
            article_id=article.id,
            article_iri=article.iri,
            title=article.title,
            passages=len(prepared.doc.passages),
            entities=len(prepared.doc.extraction.entities),
            actions=len(prepared.doc.extraction.actions),
            created=not written.existed,
            dropped=prepared.dropped,
        )

    def ingest(self, articles: Iterable[Article], progress: bool = False) -> IngestReport:
        """Ingest many articles; a rejected one is reported and does not stop the batch."""
        items = list(articles)
        reports: list[ArticleReport] = []
        failures: list[IngestFailure] = []
        iterator: Iterable[Article] = items
        if progress:
            from tqdm import tqdm

            iterator = tqdm(items, desc="ingest", unit="article")
        for article in iterator:
            try:
                reports.append(self.ingest_article(article))
            except NewsKGError as exc:
                log.warning("rejected %s: %s", article.origin or article.title, exc)
                failures.append(
                    IngestFailure(origin=article.origin or article.title, error=str(exc))
                )
        return IngestReport(articles=tuple(reports), failures=tuple(failures))

    def delete_article(self, article_id: str) -> DeleteReport:
        """Delete an article, its passages (graph and vectors) and nodes nothing else supports.

        Raises:
            NotFoundError: no article has this id.
        """
        deleted = self.writer.delete_article(article_id)
        if deleted is None:
            raise NotFoundError("article", article_id)
        self.vectors.delete(deleted.passage_ids)
        return DeleteReport(
            article_id=article_id,
            passages_removed=len(deleted.passage_ids),
            nodes_removed=deleted.nodes_removed,
        )


__all__ = [
    "ArticleReport",
    "PreparedArticle",
    "DeleteReport",
    "IngestFailure",
    "IngestPipeline",
    "IngestReport",
    "PassageEmbedder",
    "passage_points",
]
