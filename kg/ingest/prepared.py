"""What the ingest stages hand each other and report: plain, frozen, picklable records.

:class:`PreparedArticle` is what :meth:`~kg.ingest.pipeline.IngestPipeline.prepare` makes
and :meth:`~kg.ingest.pipeline.IngestPipeline.store` writes; it crosses process (and Ray)
boundaries, so it holds data only.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from kg.core.models import Article, GraphRows, ParsedDocument, VectorPoint
from kg.core.records import ArticleWrite
from kg.vectors.payload import PassagePayload

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


Outcome = PreparedArticle | IngestFailure
"""What preparing one article gives: the prepared article, or why it was rejected."""

Stored = ArticleReport | IngestFailure
"""What storing one prepared article gives: what was stored, or why it was not."""


def batched(
    articles: Iterable[Article], max_articles: int, max_chars: int
) -> Iterator[list[Article]]:
    """Group articles into batches of at most ``max_articles`` articles and, unless one
    article alone is longer, ``max_chars`` characters of text. Reads the input lazily."""
    batch: list[Article] = []
    size = 0
    for article in articles:
        if batch and (len(batch) >= max_articles or size + len(article.body) > max_chars):
            yield batch
            batch, size = [], 0
        batch.append(article)
        size += len(article.body)
    if batch:
        yield batch


def failure(article: Article, exc: Exception) -> IngestFailure:
    return IngestFailure(origin=article.origin or article.title, error=str(exc))


def stored_report(prepared: PreparedArticle, written: ArticleWrite) -> ArticleReport:
    article = prepared.article
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


def unique_runs(prepared: Sequence[PreparedArticle]) -> list[list[PreparedArticle]]:
    """Consecutive runs in which no article id repeats (a repeat starts a new run)."""
    runs: list[list[PreparedArticle]] = []
    seen: set[str] = set()
    for item in prepared:
        if not runs or item.article.id in seen:
            runs.append([])
            seen = set()
        runs[-1].append(item)
        seen.add(item.article.id)
    return runs
