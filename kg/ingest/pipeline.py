"""The ingest pipeline: parse -> split -> extract -> resolve -> map + validate -> load -> embed.

One article is one unit of work. Everything that can fail without side effects
(extraction, SHACL validation, embedding) runs before anything is written, so a bad
article is rejected with its reason and leaves the stores as they were.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from rdflib import Graph

from kg.core.config import Settings
from kg.core.errors import NewsKGError, NotFoundError, ValidationFailedError
from kg.core.identity import role_iri
from kg.core.models import Article, Extraction, ParsedDocument, VectorPoint
from kg.core.ports import GraphStore, VectorStore
from kg.extraction.entities.resolution import (
    KnownEntity,
    add_known_mentions,
    names_to_look_up,
    resolve_against_known,
    uncovered_names,
)
from kg.extraction.extractor import Extractor
from kg.graph import cypher
from kg.ingest.splitting import split_passages
from kg.rdf.mapping import document_to_rdf, rdf_to_rows
from kg.rdf.ontology import load_ontology
from kg.vectors.embedder import Embedder

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
    points = []
    for passage, vector in zip(doc.passages, vectors, strict=True):
        mentioned = sorted(
            {
                entity_ids[m.entity_key]
                for m in doc.extraction.mentions
                if passage.start <= m.start < passage.end and m.entity_key in entity_ids
            }
        )
        payload: dict[str, object] = {
            "passage_id": passage.id,
            "passage_iri": passage.iri,
            "article_id": article.id,
            "article_iri": article.iri,
            "index": passage.index,
            "start": passage.start,
            "end": passage.end,
            "text": passage.text,
            "entity_ids": mentioned,
            "published": article.published.isoformat() if article.published else None,
            "source": article.source,
            "title": article.title,
            "url": article.url,
        }
        if article.published:
            payload["published_day"] = article.published.toordinal()
        points.append(VectorPoint(id=passage.id, vector=vector, payload=payload))
    return points


class IngestPipeline:
    """Turns articles into graph nodes and passage vectors.

    Args:
        graph: the graph store (bootstrapped by the caller).
        vectors: the vector store (bootstrapped by the caller).
        embedder: the passage embedder.
        extractor: entity and action extractor.
        settings: newskg settings (passage size).
    """

    def __init__(
        self,
        graph: GraphStore,
        vectors: VectorStore,
        embedder: Embedder,
        extractor: Extractor,
        settings: Settings,
    ) -> None:
        self.graph = graph
        self.vectors = vectors
        self.embedder = embedder
        self.extractor = extractor
        self.settings = settings

    # ------------------------------------------------------------------ stages

    def prepare(self, article: Article) -> ParsedDocument:
        """Split, extract and resolve against the graph; writes nothing."""
        passages = split_passages(article, self.settings.passage_max_chars)
        extraction = self.extractor.extract(article.body, article.published)
        known = self._known_entities(extraction, article.body)
        extraction = resolve_against_known(extraction, known)
        # The document's own entities count as known too, so that a name the model missed
        # ("the US" once "United States" is resolved) links on the first ingest already,
        # and re-ingesting the article finds nothing new.
        own = {
            alias.lower(): KnownEntity(key=e.key, name=e.name, type=e.type)
            for e in extraction.entities
            for alias in (e.name, *e.aliases)
        }
        extraction = add_known_mentions(extraction, article.body, {**known, **own})
        return ParsedDocument(article=article, passages=passages, extraction=extraction)

    def _known_entities(self, extraction: Extraction, text: str) -> dict[str, KnownEntity]:
        """Graph entities that this document's names may refer to, by lower-cased alias."""
        names = sorted({*names_to_look_up(extraction), *uncovered_names(text, extraction)})
        if not names:
            return {}
        known: dict[str, KnownEntity] = {}
        for row in self.graph.run_read(cypher.ENTITIES_BY_ALIAS, {"names": names}):
            entity = KnownEntity(key=row["key"], name=row["name"], type=row["type"])
            for alias in [row["name"], *(row.get("aliases") or [])]:
                known.setdefault(alias.lower(), entity)
        return known

    def _validated(self, doc: ParsedDocument) -> tuple[ParsedDocument, Graph, tuple[str, ...]]:
        """Map to RDF and check the shapes.

        An extracted action or role that fails is left out whole and reported; anything
        else failing (the article, a passage, an entity) rejects the article.

        Raises:
            ValidationFailedError: the article cannot be stored as it is.
        """
        ontology = load_ontology()
        rdf = document_to_rdf(doc)
        violations = ontology.violations(rdf)
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
        rdf = document_to_rdf(doc)
        remaining = ontology.validate(rdf)
        if remaining:
            raise ValidationFailedError(doc.article.id, remaining)
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
        doc, rdf, dropped = self._validated(self.prepare(article))
        rows = rdf_to_rows(rdf, load_ontology())
        points = passage_points(doc, self.embedder.embed([p.text for p in doc.passages]))
        existed = bool(self.graph.run_read(cypher.ARTICLE_EXISTS, {"id": article.id}))
        # An article seen before is replaced whole, so an updated story (same URL, new text)
        # or a better extractor leaves no stale passage, action or mention behind.
        removed = self.graph.write(rows, replacing=article.id if existed else None)
        try:
            self.vectors.upsert(points)
            self.vectors.delete(sorted(set(removed) - {p.id for p in points}))
        except Exception:
            # Keep the two stores consistent: a new article whose vectors failed is removed.
            if not existed:
                self._delete_graph(article.id)
            raise
        return ArticleReport(
            article_id=article.id,
            article_iri=article.iri,
            title=article.title,
            passages=len(doc.passages),
            entities=len(doc.extraction.entities),
            actions=len(doc.extraction.actions),
            created=not existed,
            dropped=dropped,
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

    def _delete_graph(self, article_id: str) -> tuple[list[str], int]:
        rows = self.graph.run_write(cypher.DELETE_ARTICLE, {"id": article_id})
        if not rows:
            return [], 0
        return list(rows[0]["passage_ids"]), int(rows[0]["nodes_removed"])

    def delete_article(self, article_id: str) -> DeleteReport:
        """Delete an article, its passages (graph and vectors) and nodes nothing else supports.

        Raises:
            NotFoundError: no article has this id.
        """
        if not self.graph.run_read(cypher.ARTICLE_EXISTS, {"id": article_id}):
            raise NotFoundError("article", article_id)
        passage_ids, removed = self._delete_graph(article_id)
        self.vectors.delete(passage_ids)
        return DeleteReport(
            article_id=article_id, passages_removed=len(passage_ids), nodes_removed=removed
        )


__all__ = [
    "ArticleReport",
    "DeleteReport",
    "IngestFailure",
    "IngestPipeline",
    "IngestReport",
    "passage_points",
]
