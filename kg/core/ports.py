"""The storage ports, and the narrow read port of search.

Adapters implement them; nothing else talks to a database.

Constructors of adapters do no I/O: connect lazily, and create schema only in
:meth:`bootstrap`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Protocol

from kg.core.models import GraphRows, VectorFilter, VectorHit, VectorPoint
from kg.core.records import (
    ActionEvidence,
    ActionRecord,
    ArticleRecord,
    EntityMatch,
    EntityRecord,
    Participants,
    PassageRecord,
    Role,
    ScoredPassage,
    SearchScope,
)


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


class GraphStore(Protocol):
    """The knowledge graph. Writes are whole-document transactions."""

    def bootstrap(self) -> None:
        """Create constraints and indexes derived from the ontology (idempotent)."""
        ...

    def write(self, rows: GraphRows, *, replacing: str | None = None) -> tuple[str, ...]:
        """MERGE all nodes and relationships in one transaction: all or nothing.

        With ``replacing`` (an article id), that article and what only it supported are
        deleted first, in the same transaction, so an updated article leaves nothing stale;
        the ids of the passages deleted that way are returned.
        """
        ...

    def run_read(self, query: str, params: Mapping[str, Any]) -> list[dict[str, Any]]:
        """Run a read query from :mod:`kg.graph.cypher` and return its records as dicts."""
        ...

    def run_write(self, query: str, params: Mapping[str, Any]) -> list[dict[str, Any]]:
        """Run a write query from :mod:`kg.graph.cypher` in one transaction."""
        ...

    def ping(self) -> None:
        """Raise ServiceUnavailableError if the database cannot answer."""
        ...

    def close(self) -> None: ...


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
