"""The Neo4j adapter of the :class:`~kg.core.ports.GraphStore` port."""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any, TypeVar

import neo4j
from neo4j import GraphDatabase
from neo4j.exceptions import (
    AuthError,
    ConnectionPoolError,
    DriverError,
    Neo4jError,
    SessionExpired,
    TransientError,
)
from neo4j.exceptions import ServiceUnavailable as Neo4jServiceUnavailable

from kg.core.config import Settings
from kg.core.errors import GraphQueryError, GraphWriteError, ServiceUnavailableError
from kg.core.models import GraphRows, NodeRow, RelRow
from kg.graph import cypher
from kg.rdf.ontology import Ontology, load_ontology

_T = TypeVar("_T")
_SERVICE = "neo4j"
_BATCH = 1000  # rows per UNWIND: keeps parameter maps small for big multi-article writes
_INDEX_TIMEOUT_SECONDS = 120
_RETRY_SECONDS = 10.0  # bound on transient-error retries, so callers fail fast when down
# Neo4j cannot serve us (down, unreachable, busy, or our credentials are refused). Any other
# Neo4jError is Neo4j refusing one query; other DriverErrors are bugs and propagate as is.
_OUTAGES = (Neo4jServiceUnavailable, SessionExpired, ConnectionPoolError, TransientError, AuthError)


class Neo4jGraphStore:
    """The knowledge graph in Neo4j. Connects lazily; the constructor does no I/O.

    Args:
        uri: Bolt URI, e.g. ``bolt://localhost:7687``.
        user: User name.
        password: Password.
        database: Database name.
        ontology: The ontology deriving the schema; defaults to :func:`load_ontology`.
    """

    def __init__(
        self,
        uri: str,
        user: str,
        password: str,
        database: str = "neo4j",
        ontology: Ontology | None = None,
    ) -> None:
        self._uri = uri
        self._auth = (user, password)
        self._database = database
        self._ontology = ontology
        self._driver: neo4j.Driver | None = None
        self._lock = threading.Lock()

    # ------------------------------------------------------------------ plumbing

    @property
    def ontology(self) -> Ontology:
        """The ontology the schema and writes are derived from."""
        if self._ontology is None:
            self._ontology = load_ontology()
        return self._ontology

    def _get_driver(self) -> neo4j.Driver:
        with self._lock:
            if self._driver is None:
                try:
                    self._driver = GraphDatabase.driver(
                        self._uri,
                        auth=self._auth,
                        max_transaction_retry_time=_RETRY_SECONDS,
                        # Warnings about labels or keys absent from a young graph are noise.
                        notifications_disabled_classifications=["UNRECOGNIZED"],
                    )
                except (DriverError, Neo4jError, ValueError) as exc:
                    raise ServiceUnavailableError(_SERVICE, f"{self._uri}: {exc}") from exc
            return self._driver

    @contextmanager
    def _session(self) -> Iterator[neo4j.Session]:
        """A session whose failures are newskg errors.

        Raises:
            ServiceUnavailableError: Neo4j is down, unreachable, overloaded or refuses the
                credentials.
            GraphQueryError: Neo4j refused a query (syntax, constraint, procedure failure).
        """
        try:
            with self._get_driver().session(database=self._database) as session:
                yield session
        except _OUTAGES as exc:
            raise ServiceUnavailableError(_SERVICE, _describe(exc)) from exc
        except Neo4jError as exc:  # ClientError, DatabaseError: this query, not the service
            raise GraphQueryError(exc.code or type(exc).__name__, _message(exc)) from exc

    def _write_tx(self, work: Callable[[neo4j.ManagedTransaction], _T]) -> _T:
        with self._session() as session:
            return session.execute_write(work)

    # ------------------------------------------------------------------ port

    def bootstrap(self) -> None:
        """Create the uniqueness constraints and fulltext indexes (idempotent), then wait
        until every index is online."""
        statements = cypher.constraint_statements(self.ontology)
        statements += cypher.fulltext_index_statements(self.ontology)
        with self._session() as session:
            for statement in statements:
                # Schema statements cannot share a transaction with each other's writes.
                session.run(statement).consume()
            session.run(cypher.AWAIT_INDEXES, {"timeout_seconds": _INDEX_TIMEOUT_SECONDS}).consume()

    def write(self, rows: GraphRows, *, replacing: str | None = None) -> tuple[str, ...]:
        """MERGE all nodes, then all relationships, in one transaction: all or nothing.

        Args:
            rows: The nodes and relationships to write.
            replacing: An article id to delete first, in the same transaction, with its
                passages, actions and the entities only it supported.

        Returns:
            The ids of the passages deleted by ``replacing`` (empty without it).

        Raises:
            GraphWriteError: a label set or relationship type is not in the ontology, or a
                relationship names a node that is neither in ``rows`` nor in the graph;
                nothing was written.
            GraphQueryError: Neo4j refused a statement (e.g. a uniqueness constraint);
                nothing was written.
            ServiceUnavailableError: Neo4j cannot be reached; nothing was written.
        """
        node_batches = self._node_batches(rows.nodes)
        rel_batches = self._rel_batches(rows.relationships)

        removed: list[str] = []

        def work(tx: neo4j.ManagedTransaction) -> None:
            removed.clear()  # the driver may retry the whole function
            if replacing is not None:
                record = tx.run(cypher.DELETE_ARTICLE, {"id": replacing}).single()
                if record is not None:
                    removed.extend(record["passage_ids"])
            for query, batch in node_batches + rel_batches:
                written = tx.run(query, {"rows": batch}).single(strict=True)["written"]
                if written != len(batch):
                    # Raising rolls the whole transaction back.
                    raise GraphWriteError(
                        f"wrote {written} of {len(batch)} rows: relationship ends missing",
                        query=query,
                        written=written,
                        expected=len(batch),
                    )

        if node_batches or rel_batches or replacing is not None:
            self._write_tx(work)
        return tuple(removed)

    def _node_batches(self, nodes: tuple[NodeRow, ...]) -> list[tuple[str, list[dict[str, Any]]]]:
        grouped: dict[tuple[str, ...], list[dict[str, Any]]] = defaultdict(list)
        for node in nodes:
            props = {k: v for k, v in node.properties.items() if v is not None}
            grouped[node.labels].append({"id": node.id, "iri": node.iri, "props": props})
        batches = []
        for labels, items in sorted(grouped.items()):
            try:
                spec = self.ontology.class_for_labels(labels)
                query = cypher.merge_nodes_query(spec, self.ontology)
            except ValueError as exc:  # the ontology's allow-list refuses these labels
                raise GraphWriteError(str(exc), expected=len(items)) from exc
            batches += [(query, items[i : i + _BATCH]) for i in range(0, len(items), _BATCH)]
        return batches

    def _rel_batches(self, rels: tuple[RelRow, ...]) -> list[tuple[str, list[dict[str, Any]]]]:
        grouped: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for rel in rels:
            grouped[rel.type].append({"start": rel.start_id, "end": rel.end_id})
        batches = []
        for rel_type, items in sorted(grouped.items()):
            spec = self.ontology.relationships.get(rel_type)
            if spec is None:
                raise GraphWriteError(
                    f"relationship type {rel_type!r} is not in the ontology", expected=len(items)
                )
            try:
                query = cypher.merge_relationships_query(spec, self.ontology)
            except ValueError as exc:  # the ontology's allow-list refuses a name
                raise GraphWriteError(str(exc), expected=len(items)) from exc
            batches += [(query, items[i : i + _BATCH]) for i in range(0, len(items), _BATCH)]
        return batches

    def run_read(self, query: str, params: Mapping[str, Any]) -> list[dict[str, Any]]:
        """Run a read query in a read transaction; records as dicts."""
        with self._session() as session:
            return session.execute_read(_collect, query, dict(params))

    def run_write(self, query: str, params: Mapping[str, Any]) -> list[dict[str, Any]]:
        """Run a write query in one write transaction; records as dicts."""
        with self._session() as session:
            return session.execute_write(_collect, query, dict(params))

    def ping(self) -> None:
        """Raise ServiceUnavailableError unless Neo4j answers a trivial query."""
        # An auto-commit query: managed transactions would retry for _RETRY_SECONDS.
        with self._session() as session:
            session.run(cypher.PING).consume()

    def close(self) -> None:
        """Close the driver, if one was opened."""
        with self._lock:
            if self._driver is not None:
                self._driver.close()
                self._driver = None


def _collect(
    tx: neo4j.ManagedTransaction, query: str, params: dict[str, Any]
) -> list[dict[str, Any]]:
    return [record.data() for record in tx.run(query, params)]


def _message(exc: DriverError | Neo4jError) -> str:
    return getattr(exc, "message", None) or str(exc)


def _describe(exc: DriverError | Neo4jError) -> str:
    code = getattr(exc, "code", None)
    message = _message(exc)
    return f"{code}: {message}" if code else f"{type(exc).__name__}: {message}"


def graph_store_from_settings(settings: Settings) -> Neo4jGraphStore:
    """The Neo4j graph store configured by ``settings`` (no connection is opened)."""
    return Neo4jGraphStore(
        uri=settings.neo4j_uri,
        user=settings.neo4j_user,
        password=settings.neo4j_password.get_secret_value(),
        database=settings.neo4j_database,
    )
