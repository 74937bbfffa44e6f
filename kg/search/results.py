"""Public types of hybrid search. Frozen dataclasses; the API layers build on them.

Every hit carries ``why``: which retriever found it, at which rank, with which raw score,
and (for the graph retriever) the graph path that led to it, so results explain themselves.
"""

from __future__ import annotations

from dataclasses import dataclass

from kg.core.records import EntityRecord, PassageRecord, Role

RETRIEVER_VECTOR = "vector"
RETRIEVER_FULLTEXT = "fulltext"
RETRIEVER_GRAPH = "graph"
RETRIEVERS: tuple[str, ...] = (RETRIEVER_VECTOR, RETRIEVER_FULLTEXT, RETRIEVER_GRAPH)
# An action's evidence passage ranked among the fused passages (actions only).
RETRIEVER_EVIDENCE = "evidence"
# Role consistency: what the passage's actions say of the query's entities' roles (passages).
RETRIEVER_ROLE = "role"
# Ranked by source count: rank among the events, score the event's distinct sources (actions).
RETRIEVER_SOURCES = "sources"

ORDER_RELEVANCE = "relevance"
ORDER_SOURCE_COUNT = "source_count"
SEARCH_ORDERS: tuple[str, ...] = (ORDER_RELEVANCE, ORDER_SOURCE_COUNT)
"""How a search orders its actions: by relevance, or one per event, most sources first."""


@dataclass(frozen=True, slots=True)
class Why:
    """Provenance of a hit: one retriever's vote.

    Attributes:
        retriever: ``"vector"``, ``"fulltext"`` or ``"graph"``; for actions also
            ``"evidence"`` (its evidence passage's rank and score among the fused passages)
            and ``"sources"`` (ordered by source count: its event's rank, score its number
            of distinct sources); for passages also ``"role"`` (see
            :mod:`kg.search.roles`: rank before the role check, score the factor applied,
            path the action that decided it).
        rank: 1-based rank of the hit in that retriever's list.
        score: The retriever's raw score (cosine, Lucene BM25, or graph score).
        path: For the graph retriever, the path that reached the hit, alternating node and
            relationship labels, e.g. ``("Entity:National Liberation Army", "HAS_TARGET",
            "Action:ACCUSE", "EVIDENCED_BY", "Passage:3")``.
    """

    retriever: str
    rank: int
    score: float
    path: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class QueryEntity:
    """An entity the query names, resolved to a graph node.

    Attributes:
        entity: The resolved node, as the lookup read it (the APIs show it without
            reading it again).
        span: The query text that named it.
        role: The role the query asks about (``"target"`` for "against X").
        score: Resolution confidence in [0, 1]; exact name/alias matches score 1.
    """

    entity: EntityRecord
    span: str
    role: Role
    score: float


@dataclass(frozen=True, slots=True)
class QueryUnderstanding:
    """What the query was understood to ask.

    Attributes:
        query: The raw query.
        entities: Entities named in the query, with their roles.
        event_types: PLOVER types named by event words ("attacks" -> ASSAULT).
        event_words: The words that triggered ``event_types``, in order.
        role_spans: Surface spans with the role their wording implies, before resolution
            (e.g. ``(("the ELN", "target"),)`` for "actions against the ELN").
        pairwise: "between X and Y": the actions asked about involve all named entities.
        order_by_sources: The query asks for the most widely reported actions first ("most
            reported", "by number of sources").
        order_words: The phrases that asked for it, as written.
    """

    query: str
    entities: tuple[QueryEntity, ...] = ()
    event_types: tuple[str, ...] = ()
    event_words: tuple[str, ...] = ()
    role_spans: tuple[tuple[str, Role], ...] = ()
    pairwise: bool = False
    order_by_sources: bool = False
    order_words: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class PassageHit:
    """A fused passage result: the passage as a retriever read it, its score and why."""

    passage: PassageRecord
    score: float
    why: tuple[Why, ...]

    @property
    def passage_id(self) -> str:
        return self.passage.id

    @property
    def article_id(self) -> str:
        return self.passage.article_id

    @property
    def text(self) -> str:
        return self.passage.text

    @property
    def start(self) -> int:
        return self.passage.start

    @property
    def end(self) -> int:
        return self.passage.end


@dataclass(frozen=True, slots=True)
class ActionHit:
    """An action involving the query's entities in the asked role (hydrated by the API)."""

    action_id: str
    score: float
    why: tuple[Why, ...]


@dataclass(frozen=True, slots=True)
class SearchResult:
    """Everything one search returns, before hydration (see :mod:`kg.search.view`).

    Attributes:
        query: The query, trimmed.
        passages: Fused passages, best first.
        entities: The entities the query names (those of ``understanding``), in query order.
        actions: Actions ranked by graph evidence and by their evidence passage's rank, or
            (``order_by`` ``source_count``) one per event, most distinct sources first.
        understanding: How the query was understood.
        order_by: How the actions are ordered (one of :data:`SEARCH_ORDERS`).
        include_duplicates: Whether near-duplicate copies were searched too.
    """

    query: str
    passages: tuple[PassageHit, ...]
    entities: tuple[EntityRecord, ...]
    actions: tuple[ActionHit, ...]
    understanding: QueryUnderstanding
    order_by: str = ORDER_RELEVANCE
    include_duplicates: bool = False
