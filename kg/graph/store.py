"""The Neo4j connection the graph adapters share: driver, sessions, retries, error mapping.

No port exposes a Cypher string or a raw record: the adapters (:mod:`kg.graph.writes`,
:mod:`kg.graph.reads`, :mod:`kg.graph.admin`, and search's own) turn records into rows and
rows into records on top of :class:`Neo4jConnection`, whose query helpers are for them.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any, Protocol, TypeVar

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
from kg.core.errors import GraphQueryError, ServiceUnavailableError

_T = TypeVar("_T")
_SERVICE = "neo4j"
_RETRY_SECONDS = 10.0  # bound on transient-error retries, so callers fail fast when down
# Neo4j cannot serve us (down, unreachable, busy, or our credentials are refused). Any other
# Neo4jError is Neo4j refusing one query; other DriverErrors are bugs and propagate as is.
_OUTAGES = (Neo4jServiceUnavailable, SessionExpired, ConnectionPoolError, TransientError, AuthError)

Row = dict[str, Any]
"""One Neo4j record as a dict, for adapters only: it never crosses a port."""


class CypherReader(Protocol):
    """What the read adapters need of a connection: one read query, its records as dicts."""

    def run_read(self, query: str, params: Mapping[str, Any]) -> list[Row]:
        """Run ``query`` in a read transaction and return its records."""
        ...


class Neo4jConnection:
    """One Neo4j driver and database, shared by the adapters. Connects lazily.

    The constructor does no I/O. Every failure leaves as a newskg error:

    - :class:`~kg.core.errors.ServiceUnavailableError`: Neo4j is down, unreachable,
      overloaded or refuses the credentials;
    - :class:`~kg.core.errors.GraphQueryError`: Neo4j refused a query (syntax, constraint,
      procedure failure).

    Args:
        uri: Bolt URI, e.g. ``bolt://localhost:7687``.
        user: User name.
        password: Password.
        database: Database name.
    """

    def __init__(self, uri: str, user: str, password: str, database: str = "neo4j") -> None:
        self._uri = uri
        self._auth = (user, password)
        self._database = database
        self._driver: neo4j.Driver | None = None
        self._lock = threading.Lock()

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
    def session(self) -> Iterator[neo4j.Session]:
        """A session whose failures are newskg errors (see the class docstring)."""
        try:
            with self._get_driver().session(database=self._database) as session:
                yield session
        except _OUTAGES as exc:
            raise ServiceUnavailableError(_SERVICE, _describe(exc)) from exc
        except Neo4jError as exc:  # ClientError, DatabaseError: this query, not the service
            raise GraphQueryError(exc.code or type(exc).__name__, _message(exc)) from exc

    def execute_write(self, work: Callable[[neo4j.ManagedTransaction], _T]) -> _T:
        """Run ``work`` in one write transaction, retried on transient errors (deadlocks).

        ``work`` may run more than once, so it must not keep state across attempts.
        """
        with self.session() as session:
            return session.execute_write(work)

    def execute_read(self, work: Callable[[neo4j.ManagedTransaction], _T]) -> _T:
        """Run ``work`` in one read transaction, retried on transient errors."""
        with self.session() as session:
            return session.execute_read(work)

    def run_read(self, query: str, params: Mapping[str, Any]) -> list[Row]:
        """Run a read query in a read transaction; records as dicts."""
        with self.session() as session:
            return session.execute_read(_collect, query, dict(params))

    def run_write(self, query: str, params: Mapping[str, Any]) -> list[Row]:
        """Run a write query in one write transaction; records as dicts."""
        with self.session() as session:
            return session.execute_write(_collect, query, dict(params))

    def run_auto(self, query: str, params: Mapping[str, Any] | None = None) -> None:
        """Run one auto-commit statement and discard its records.

        For schema statements (which cannot share a transaction with writes) and probes
        (a managed transaction would retry an outage for ``_RETRY_SECONDS``).
        """
        with self.session() as session:
            session.run(query, dict(params or {})).consume()

    def close(self) -> None:
        """Close the driver, if one was opened. A later call reconnects."""
        with self._lock:
            if self._driver is not None:
                self._driver.close()
                self._driver = None


def _collect(tx: neo4j.ManagedTransaction, query: str, params: dict[str, Any]) -> list[Row]:
    return [record.data() for record in tx.run(query, params)]


def _message(exc: DriverError | Neo4jError) -> str:
    return getattr(exc, "message", None) or str(exc)


def _describe(exc: DriverError | Neo4jError) -> str:
    code = getattr(exc, "code", None)
    message = _message(exc)
    return f"{code}: {message}" if code else f"{type(exc).__name__}: {message}"


def connection_from_settings(settings: Settings) -> Neo4jConnection:
    """The Neo4j connection configured by ``settings`` (no connection is opened)."""
    return Neo4jConnection(
        uri=settings.neo4j_uri,
        user=settings.neo4j_user,
        password=settings.neo4j_password.get_secret_value(),
        database=settings.neo4j_database,
    )
