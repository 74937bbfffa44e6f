"""The storage ports, and the narrow read port of search.

Adapters implement them; nothing else talks to a database.

Each consumer depends on the narrowest port it needs: the ingest pipeline on
:class:`ArticleWriter` and :class:`VectorStore`, the API on :class:`GraphReader`, the RDF
export on :class:`GraphExporter`, wiring and health checks on :class:`GraphAdmin`. Records
go in and records come out (:mod:`kg.core.records`, :mod:`kg.core.models`): no query text
and no untyped rows cross a port.

Constructors of adapters do no I/O: they connect lazily, and create schema only in
:meth:`GraphAdmin.bootstrap` / :meth:`VectorStore.bootstrap`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Protocol

from kg.core.filters import MAX_PATH_LENGTH
from kg.core.models import GraphRows, VectorFilter, VectorHit, VectorPoint
from kg.core.records import (
    ActionEvidence,
    ActionRecord,
    ActionRole,
    ArticleRecord,
    ArticleWrite,
    DeleteResult,
    EntityMatch,
    EntityRecord,
    GraphPath,
    Neighbor,
    Page,
    Participants,
    PassageRecord,
    RelatedEntity,
    Role,
    RoleRecord,
    ScoredPassage,
    SearchScope,
)

# --- vectors ---


class VectorStore(Protocol):
    """Passage embeddings, keyed by passage id."""

    def bootstrap(self, dimension: int) -> None:
        """Create the collection if missing; raise VectorSizeMismatchError if its size differs."""
        ...

    def upsert(self, points: Sequence[VectorPoint]) -> None:
        """Insert or replace points by id."""
        ...

    def search(
        self, vector: Sequence[float], limit: int, flt: VectorFilter | None = None
    ) -> list[VectorHit]:
        """Nearest points by cosine similarity, best first."""
        ...

    def retrieve(self, ids: Sequence[str]) -> list[VectorHit]:
        """Points by id (score 0); unknown ids are skipped."""
        ...

    def delete(self, ids: Sequence[str]) -> None:
        """Remove points by id; unknown ids are ignored."""
        ...

    def count(self) -> int:
        """Number of points stored."""
        ...

    def ping(self) -> None:
        """Raise ServiceUnavailableError if the store cannot answer."""
        ...

    def close(self) -> None: ...


# --- graph: ingest (ArticleWriter) ---


class ArticleWriter(Protocol):
    """The graph as the ingest pipeline sees it: whole articles, written atomically.

    Every method raises :class:`~kg.core.errors.ServiceUnavailableError` when the graph
    cannot be reached, and :class:`~kg.core.errors.GraphQueryError` when it refuses a
    statement; a write that raises wrote nothing.
    """

    def article_exists(self, article_id: str) -> bool:
        """Whether an article with this id is stored."""
        ...

    def replace_article(self, rows: GraphRows, article_id: str) -> ArticleWrite:
        """Store one article's rows in place of what the graph held for it: all or nothing.

        In ONE write transaction: whether the article exists is decided, the previous
        version (its passages, actions, the roles only it stated and the entities nothing
        else supports) is deleted, and every node and relationship of ``rows`` is merged.
        Concurrent replacements of the same article are serialised, so the graph ends up
        holding exactly one copy.

        Args:
            rows: The article's nodes and relationships; they must include the article node.
            article_id: The article's id.

        Returns:
            Whether the article existed, and the ids of its previous passages.

        Raises:
            GraphWriteError: the rows hold a label or relationship type outside the ontology,
                a relationship whose ends are neither in ``rows`` nor in the graph, or no
                node for the article.
        """
        ...

    def existing_articles(self, article_ids: Sequence[str]) -> set[str]:
        """The ids among ``article_ids`` of the articles that are stored."""
        ...

    def replace_articles(self, batch: Sequence[tuple[GraphRows, str]]) -> list[ArticleWrite]:
        """:meth:`replace_article` for many articles in ONE write transaction: all or
        nothing. Each article is replaced whole; a node that several of them write is
        merged as successive replacements would merge it.

        Args:
            batch: ``(rows, article_id)`` pairs, each article id once.

        Returns:
            One :class:`ArticleWrite` per pair, in order.

        Raises:
            GraphWriteError: as :meth:`replace_article`, for any of the articles.
        """
        ...

    def delete_article(self, article_id: str) -> DeleteResult | None:
        """Delete an article, its passages and actions, the roles only it stated and the
        entities nothing else supports, in one transaction. None when it does not exist."""
        ...

    def link_duplicate(self, copy_id: str, original_id: str) -> None:
        """Record that the stored article ``copy_id`` is a near-duplicate of ``original_id``.

        Raises:
            GraphWriteError: either article is not stored; nothing was written.
        """
        ...


# --- graph: API reads (GraphReader) ---


class GraphReader(Protocol):
    """Typed reads of the graph for the API.

    Batch getters take many ids and cost one round trip, so the GraphQL DataLoaders can
    answer a whole request level with one query; ids not found are absent from their result
    (or map to an empty tuple or page where the method says every id is a key).
    """

    def entities_by_ids(self, ids: Sequence[str]) -> dict[str, EntityRecord]:
        """Entities by id."""
        ...

    def articles_by_ids(self, ids: Sequence[str]) -> dict[str, ArticleRecord]:
        """Articles by id."""
        ...

    def passages_by_ids(self, ids: Sequence[str]) -> dict[str, PassageRecord]:
        """Passages by id."""
        ...

    def actions_by_ids(self, ids: Sequence[str]) -> dict[str, ActionRecord]:
        """Actions by id."""
        ...

    def participants_by_action_ids(self, ids: Sequence[str]) -> dict[str, Participants]:
        """Actors, targets, places and sources of each action (each sorted by name, id)."""
        ...

    def roles_by_holder_ids(self, ids: Sequence[str]) -> dict[str, tuple[RoleRecord, ...]]:
        """The roles each entity holds (every requested id is a key)."""
        ...

    def actions_by_entity_ids(
        self,
        ids: Sequence[str],
        roles: Sequence[ActionRole] = ("actor", "target"),
        offset: int = 0,
        limit: int = 10,
    ) -> dict[str, Page[ActionRecord]]:
        """A page of the actions each entity takes part in (in ``roles``), newest first."""
        ...

    def mentions_by_entity_ids(
        self, ids: Sequence[str], limit: int = 10
    ) -> dict[str, tuple[PassageRecord, ...]]:
        """Passages mentioning each entity, newest article first."""
        ...

    def related_by_entity_ids(
        self, ids: Sequence[str], limit: int = 10
    ) -> dict[str, tuple[RelatedEntity, ...]]:
        """Entities sharing actions with each entity, most shared first."""
        ...

    def passages_by_article_ids(self, ids: Sequence[str]) -> dict[str, tuple[PassageRecord, ...]]:
        """Each article's passages in body order."""
        ...

    def entities_by_article_ids(self, ids: Sequence[str]) -> dict[str, tuple[EntityRecord, ...]]:
        """Entities each article mentions, most mentioned first."""
        ...

    def actions_by_article_ids(self, ids: Sequence[str]) -> dict[str, tuple[ActionRecord, ...]]:
        """Actions each article reports, in body order."""
        ...

    def duplicate_of_by_ids(self, ids: Sequence[str]) -> dict[str, str]:
        """The original of each article in ``ids`` that is a near-duplicate copy."""
        ...

    def entities_page(
        self,
        search: str | None = None,
        type: str | None = None,
        offset: int = 0,
        limit: int = 20,
    ) -> Page[EntityRecord]:
        """Entities by name, or by fulltext relevance when ``search`` is given; ``type`` is a
        label (``"Organization"`` also lists armed groups, governments...)."""
        ...

    def resolve_entity(self, key: str) -> EntityRecord | None:
        """The entity a user's key denotes: by id, else exact name, else alias (the most
        mentioned wins a tie), else the best fulltext match. None when nothing matches."""
        ...

    def entities_by_fulltext(self, lucene: str, limit: int) -> tuple[EntityMatch, ...]:
        """Entities whose name or aliases match a Lucene query, best first."""
        ...

    def actions_page(
        self,
        actor_ids: Sequence[str] | None = None,
        target_ids: Sequence[str] | None = None,
        types: Sequence[str] | None = None,
        date_from: date | None = None,
        date_to: date | None = None,
        offset: int = 0,
        limit: int = 20,
        *,
        actor_code: str | None = None,
        target_code: str | None = None,
        actor_sector: str | None = None,
    ) -> Page[ActionRecord]:
        """Actions matching every given filter, newest first (undated last), then by id.

        ``actor_code``/``target_code`` match a participant's CAMEO code by prefix ("COL"
        finds "COLMIL"); ``actor_sector`` matches an actor's sector ("MIL" in "COLMIL").

        Raises:
            InvalidQueryError: ``date_from`` is after ``date_to``.
        """
        ...

    def articles_page(
        self,
        date_from: date | None = None,
        date_to: date | None = None,
        offset: int = 0,
        limit: int = 20,
    ) -> Page[ArticleRecord]:
        """Articles published in the range, newest first (undated last).

        Raises:
            InvalidQueryError: ``date_from`` is after ``date_to``.
        """
        ...

    def neighbors(self, entity_id: str, depth: int = 1, limit: int = 50) -> tuple[Neighbor, ...]:
        """Entities linked to ``entity_id`` through shared actions or roles, within ``depth``.

        Raises:
            InvalidQueryError: ``depth`` is not in 1..MAX_NEIGHBOR_DEPTH.
            NotFoundError: no entity has this id.
        """
        ...

    def shortest_path(
        self, from_id: str, to_id: str, max_length: int = MAX_PATH_LENGTH
    ) -> GraphPath | None:
        """The shortest path between two entities over action and role links, at most
        ``max_length`` entity-to-entity hops; None when there is none that short.

        Raises:
            InvalidQueryError: ``max_length`` is not in 1..MAX_PATH_LENGTH.
            NotFoundError: either entity does not exist.
        """
        ...


# --- graph: export and operations (GraphExporter, GraphAdmin) ---


class GraphExporter(Protocol):
    """The whole graph, as rows, for the RDF export."""

    def export_rows(self) -> GraphRows:
        """Every node and relationship of the ontology."""
        ...


class GraphAdmin(GraphExporter, Protocol):
    """The graph's lifecycle: schema, probes, counts, export, connection."""

    def bootstrap(self) -> None:
        """Create constraints and indexes derived from the ontology (idempotent) and wait
        until every index is online."""
        ...

    def ping(self) -> None:
        """Raise ServiceUnavailableError if the database cannot answer."""
        ...

    def counts_by_label(self) -> Mapping[str, int]:
        """Nodes per ontology label (zero counts included; a node counts under each label)."""
        ...

    def close(self) -> None:
        """Release the connection the graph adapters share."""
        ...


# --- search (SearchGraph) ---


class SearchGraph(Protocol):
    """The graph reads of hybrid search, on typed records (no query language crosses it).

    Every method is a read; ``scope`` restricts dates, action types and a mentioned entity as
    :class:`kg.core.records.SearchScope` says. Lists are best first.
    """

    def resolve_entity(self, key: str) -> EntityRecord | None:
        """The entity an id, a name or an alias denotes (as every API resolves one), or None."""
        ...

    def entities_named(self, names: Sequence[str], limit: int) -> tuple[EntityMatch, ...]:
        """Entities whose name or an alias matches one of ``names`` as a phrase, best first."""
        ...

    def passages_matching(
        self, words: Sequence[str], scope: SearchScope, limit: int
    ) -> list[ScoredPassage]:
        """Passages whose text matches any of ``words`` (BM25), best first."""
        ...

    def entity_actions(
        self, entity_id: str, role: Role, scope: SearchScope, limit: int
    ) -> list[ActionEvidence]:
        """Actions in which the entity plays ``role``, most confident then latest first."""
        ...

    def entity_passages(
        self, entity_id: str, scope: SearchScope, limit: int
    ) -> list[PassageRecord]:
        """Passages mentioning the entity, latest article first."""
        ...

    def actions_of_types(
        self, types: Sequence[str], scope: SearchScope, limit: int
    ) -> list[ActionEvidence]:
        """Actions of the given PLOVER types, most confident then latest first."""
        ...

    def actions_of_passages(
        self, passage_ids: Sequence[str], scope: SearchScope
    ) -> list[ActionEvidence]:
        """Actions evidenced by the given passages (``scope.mention`` is not applied)."""
        ...

    def passages_with_action_types(
        self, passage_ids: Sequence[str], types: Sequence[str]
    ) -> frozenset[str]:
        """The ids among ``passage_ids`` of passages evidencing an action of ``types``."""
        ...

    def passages(self, ids: Sequence[str]) -> dict[str, PassageRecord]:
        """Passages by id; unknown ids are absent."""
        ...

    def articles(self, ids: Sequence[str]) -> dict[str, ArticleRecord]:
        """Articles by id; unknown ids are absent."""
        ...

    def actions(self, ids: Sequence[str]) -> dict[str, ActionRecord]:
        """Actions by id; unknown ids are absent."""
        ...

    def participants(self, action_ids: Sequence[str]) -> dict[str, Participants]:
        """The entities each action involves, by role; actions without any are absent."""
        ...
