"""The two storage ports. Adapters implement them; nothing else talks to a database.

Constructors of adapters do no I/O: connect lazily, and create schema only in
:meth:`bootstrap`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Protocol

from kg.core.models import GraphRows, VectorFilter, VectorHit, VectorPoint


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
