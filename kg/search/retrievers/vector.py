"""The vector retriever: Qdrant's nearest passages to the query's embedding."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from kg.core.models import VectorFilter, VectorHit
from kg.core.ports import SearchGraph, VectorStore
from kg.core.records import PassageContext, PassageRecord, SearchScope
from kg.search.fusion import Ranked
from kg.search.retrievers import Retrieved
from kg.vectors.payload import PassagePayload


class QueryEmbedder(Protocol):
    """What search needs of :class:`kg.vectors.embedder.Embedder`."""

    def embed_query(self, text: str) -> tuple[float, ...]: ...


@dataclass(frozen=True, slots=True)
class VectorRetrieved(Retrieved):
    """The vector retriever's passages, and what the read that checked them brought:
    their articles and whatever else the caller asked of it (roles, actions), so that
    these need no read after fusion."""

    context: PassageContext = field(default_factory=PassageContext)


def shown(hits: list[VectorHit], stored: Mapping[str, PassageRecord]) -> list[VectorHit]:
    """The hits whose point agrees with its graph passage (same article and text).

    The vectors are written before the graph, so a crash between the two (see ``kg check``)
    can leave points of an article the graph lacks, or of a version it never took: those are
    not shown, and search never returns half a stored article.

    Args:
        hits: The vector store's hits.
        stored: The graph's passages of (at least) the hits, by id.
    """
    return [
        hit
        for hit in hits
        if (p := stored.get(hit.id)) is not None
        and p.article_id == hit.payload.get("article_id")
        and p.text == hit.payload.get("text")
    ]


def passage_of(payload: PassagePayload) -> PassageRecord:
    """The passage a point's payload describes (no graph read needed to show it)."""
    return PassageRecord(
        id=payload.passage_id,
        iri=payload.passage_iri,
        article_id=payload.article_id,
        index=payload.index,
        text=payload.text,
        start=payload.start,
        end=payload.end,
    )


def retrieve_vector(
    vectors: VectorStore,
    embedder: QueryEmbedder,
    graph: SearchGraph,
    query: str,
    scope: SearchScope,
    depth: int,
    *,
    copies: Callable[[], frozenset[str]] | None = None,
    context: Callable[[Sequence[str]], PassageContext] | None = None,
) -> VectorRetrieved:
    """Nearest passages by cosine similarity, within the scope.

    Dates, the mentioned entity and the near-duplicate copies to leave out (unless
    ``scope.include_duplicates``; the graph names them) are payload filters in Qdrant;
    action types are not in the payload, so the hits are kept only if the graph says they
    evidence such an action.

    Args:
        vectors: The passage vector store.
        embedder: Embeds the query.
        graph: Names the near-duplicate copies; checks the hits (one read, which also
            brings their articles and roles); checks action types (only when
            ``scope.types`` is set).
        query: The query text.
        scope: Dates, types and mentioned entity.
        depth: How many hits to ask for.
        copies: The near-duplicate copies' article ids, when the caller read them already
            (e.g. while the query was embedded); default: ``graph.copy_article_ids()``.
        context: Reads the hits' passages, with what else the caller needs of them
            (:meth:`~kg.core.ports.SearchGraph.passage_context`: roles, actions), in the
            read that checks them; default: the passages and their articles.
    """
    vector = embedder.embed_query(query)
    # Near-duplicate copies are left out in Qdrant itself, so the `depth` nearest points
    # are originals (a post-filter would let copies eat the top of the list).
    excluded: frozenset[str] = frozenset()
    if not scope.include_duplicates:
        excluded = copies() if copies is not None else graph.copy_article_ids()
    flt = VectorFilter(
        entity_ids=(scope.mention,) if scope.mention else (),
        published_from=scope.from_date,
        published_to=scope.to_date,
        exclude_article_ids=tuple(sorted(excluded)),
    )
    found = vectors.search(vector, depth, flt)
    read = PassageContext()
    if found:
        ids = [hit.id for hit in found]
        read = context(ids) if context is not None else graph.passage_context(ids, ())
    hits = shown(found, read.passages)
    passages = {hit.id: passage_of(PassagePayload.from_dict(hit.payload, hit.id)) for hit in hits}
    ranked = [Ranked(hit.id, round(hit.score, 6)) for hit in hits]
    if scope.types and ranked:
        keep = graph.passages_with_action_types([r.key for r in ranked], scope.types)
        ranked = [r for r in ranked if r.key in keep]
    return VectorRetrieved(tuple(ranked), passages, read)
