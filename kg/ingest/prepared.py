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
from kg.core.records import ArticleRecord, ArticleWrite, EventUpdate, PassageRecord, StoredPassage
from kg.vectors.payload import passage_point

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
    events: EventUpdate = field(default_factory=EventUpdate)  # events made or changed


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
    events: EventUpdate = field(default_factory=EventUpdate)  # events changed or removed


def stored_passages(doc: ParsedDocument) -> list[StoredPassage]:
    """A document's passages as the graph will hold them: with their article and the
    entities each mentions (what the vector payload repeats, see ``kg check``).

    Mentions are found by bisection, so a long article costs in proportion to its length.
    """
    article = doc.article
    record = ArticleRecord(
        id=article.id,
        iri=article.iri,
        title=article.title,
        published=article.published,
        url=article.url,
        source=article.source,
        section=article.section,
    )
    entity_ids = {e.key: e.id for e in doc.extraction.entities}
    mentions = sorted(doc.extraction.mentions, key=lambda m: m.start)
    starts = [m.start for m in mentions]
    out = []
    for passage in doc.passages:
        inside = mentions[
            bisect.bisect_left(starts, passage.start) : bisect.bisect_left(starts, passage.end)
        ]
        mentioned = sorted({entity_ids[m.entity_key] for m in inside if m.entity_key in entity_ids})
        stored = PassageRecord(
            id=passage.id,
            iri=passage.iri,
            article_id=article.id,
            index=passage.index,
            text=passage.text,
            start=passage.start,
            end=passage.end,
        )
        out.append(StoredPassage(passage=stored, article=record, entity_ids=tuple(mentioned)))
    return out


def passage_points(doc: ParsedDocument, vectors: Sequence[tuple[float, ...]]) -> list[VectorPoint]:
    """Vector points for a document's passages; the payload links back to the graph."""
    return [
        passage_point(stored, vector)
        for stored, vector in zip(stored_passages(doc), vectors, strict=True)
    ]


@dataclass(frozen=True, slots=True)
class PreparedArticle:
    """An article ready to store: what :meth:`IngestPipeline.prepare` computed.

    Attributes:
        doc: The article, its passages and its (validated) extraction.
        rows: The graph rows of the validated RDF.
        points: One vector point per passage.
        dropped: Extracted records left out because they failed the shapes, with why.
        evidence_vectors: The embedding of each action's evidence text, by action id (for
            the event merge, which the writer runs).
    """

    doc: ParsedDocument
    rows: GraphRows
    points: tuple[VectorPoint, ...]
    dropped: tuple[str, ...] = ()
    evidence_vectors: tuple[tuple[str, tuple[float, ...]], ...] = ()

    @property
    def article(self) -> Article:
        """The article."""
        return self.doc.article


class PassageEmbedder(Protocol):
    """What ingest needs of :class:`kg.vectors.embedder.Embedder`."""

    def embed(self, texts: Sequence[str]) -> list[tuple[float, ...]]:
        """One vector per text, in input order."""
        ...

    def embed_spans(
        self, texts: Sequence[str], spans: Sequence[Sequence[tuple[int, int]]]
    ) -> tuple[list[tuple[float, ...]], list[list[tuple[float, ...] | None]]]:
        """The texts' vectors, and per text one vector (or None) per character span, from
        one forward pass (:func:`kg.ingest.evidence.embed_documents`)."""
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
    """Why an article was rejected, named by its origin."""
    return IngestFailure(origin=article.origin or article.title, error=str(exc))


def stored_report(
    prepared: PreparedArticle, written: ArticleWrite, events: EventUpdate | None = None
) -> ArticleReport:
    """The report of a stored article."""
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
        events=events if events is not None else EventUpdate(),
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
