"""The storage ports, and the narrow read port of search.

Adapters implement them; nothing else talks to a database.

Each consumer depends on the narrowest port it needs: the ingest pipeline on
:class:`ArticleWriter` and :class:`VectorStore`, the API on :class:`GraphReader`
(:mod:`kg.core.graph_reader`), the RDF
export on :class:`GraphExporter`, wiring on :class:`GraphAdmin`, ``kg check`` on
:class:`ConsistencyGraph`. Records go in and records come out (:mod:`kg.core.records`,
:mod:`kg.core.models`): no query text and no untyped rows cross a port.

Constructors of adapters do no I/O: they connect lazily, and create schema only in
:meth:`GraphAdmin.bootstrap` / :meth:`VectorStore.bootstrap`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Protocol

from kg.core.models import GraphPage, GraphRows, VectorFilter, VectorHit, VectorPoint, VectorScan
from kg.core.records import (
    ActionEvidence,
    ActionRecord,
    ArticleRecord,
    ArticleWrite,
    CheckScope,
    DeleteResult,
    EntityEvidence,
    EntityMatch,
    EntityRecord,
    EventRecord,
    Participants,
    PassageContext,
    PassageRecord,
    PassageRole,
    Role,
    ScoredPassage,
    SearchScope,
    StoredPassage,
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

    def scan(self, offset: str | None, limit: int, flt: VectorFilter | None = None) -> VectorScan:
        """Up to ``limit`` points with payloads in id order from ``offset`` (None: the start)."""
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


# --- graph: export and operations (GraphExporter, GraphAdmin) ---


class GraphExporter(Protocol):
    """The whole graph, as rows, for the RDF export."""

    def export_page(self, after: str, limit: int) -> GraphPage:
        """Up to ``limit`` nodes with ids after ``after`` (ascending) and their outgoing
        relationships; ``""`` starts, the page's ``last_id`` continues."""
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


# --- consistency of the two stores (ConsistencyGraph) ---


class ConsistencyGraph(Protocol):
    """The graph reads of ``kg check``: articles in pages, passages as payloads repeat them."""

    def article_ids_after(self, scope: CheckScope, after: str | None, limit: int) -> list[str]:
        """At most ``limit`` ids of articles in ``scope``, in id order, after ``after``."""
        ...

    def stored_passages(self, article_ids: Sequence[str]) -> list[StoredPassage]:
        """These articles' passages with article and mentioned entities, in body order."""
        ...

    def existing_passage_ids(self, ids: Sequence[str]) -> frozenset[str]:
        """The ids among ``ids`` of passages stored in an article."""
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

    def entity_evidence(
        self,
        entities: Sequence[tuple[str, Role]],
        scope: SearchScope,
        action_limit: int,
        passage_limit: int,
        near: Sequence[str] = (),
    ) -> list[EntityEvidence]:
        """For each (entity id, role), in order, in one read: the actions in which the
        entity plays the role (most confident then latest first, at most ``action_limit``
        rows) and the passages mentioning it (latest article first, at most
        ``passage_limit``). An entity in too many actions (mentioned too often) to walk
        them all (an adapter's bound, so that the read does not grow with the graph) gets
        only those evidenced by (those among) ``near``, the passages other retrievers
        found."""
        ...

    def evidence_context(
        self,
        entities: Sequence[tuple[str, Role]],
        scope: SearchScope,
        action_limit: int,
        passage_limit: int,
        near: Sequence[str],
        also: Sequence[str],
        roles_of: Sequence[str],
        events: bool = False,
    ) -> tuple[list[EntityEvidence], PassageContext]:
        """:meth:`entity_evidence` and, in the same read, :meth:`passage_context` (no
        texts, no actions; the parts ``roles_of`` play) of the passages it reached and of
        ``also``; with ``events``, each action's event (``EntityEvidence.events``)."""
        ...

    def actions_of_types(
        self, types: Sequence[str], scope: SearchScope, limit: int, near: Sequence[str] = ()
    ) -> list[ActionEvidence]:
        """Actions of the given PLOVER types, most confident then latest first; when the
        types have too many actions to walk (as for :meth:`entity_evidence`), only those
        evidenced by ``near``."""
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

    def copy_article_ids(self) -> frozenset[str]:
        """The ids of the near-duplicate copies (articles ``DUPLICATE_OF`` another)."""
        ...

    def events(self, action_ids: Sequence[str]) -> dict[str, EventRecord]:
        """The event each action reports (its source count, its reports); others are absent."""
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

    def passage_roles(
        self, passage_ids: Sequence[str], entity_ids: Sequence[str]
    ) -> list[PassageRole]:
        """The parts (actor, target) the entities play in the actions the passages evidence."""
        ...

    def passage_context(
        self,
        passage_ids: Sequence[str],
        entity_ids: Sequence[str],
        texts: bool = True,
        actions: SearchScope | None = None,
    ) -> PassageContext:
        """In one read: the passages by id (only when ``texts``: else the caller has
        them), their articles, the parts (actor, target) the entities play in the actions
        they evidence (as :meth:`passage_roles`), and with ``actions`` the actions they
        evidence in that scope (as :meth:`actions_of_passages`), with records,
        participants and events."""
        ...
