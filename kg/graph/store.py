"""The Neo4j connection the graph adapters share: driver, sessions, retries, error mapping.

No port exposes a Cypher string or a raw record: the adapters (:mod:`kg.graph.writes`,
:mod:`kg.graph.reads`, :mod:`kg.graph.admin`, and search's own) turn records into rows and
rows into records on top of :class:`Neo4jConnection`, whose query helpers are for them.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
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

from kg.core.breaker import CircuitBreaker
from kg.core.config import Settings
from kg.core.errors import GraphQueryError, ServiceUnavailableError

_T = TypeVar("_T")
_SERVICE = "neo4j"
# Neo4j cannot serve us (down, unreachable, busy, or our credentials are refused). Any other
# Neo4jError is Neo4j refusing one query; other DriverErrors are bugs and propagate as is.
_OUTAGES = (Neo4jServiceUnavailable, SessionExpired, ConnectionPoolError, TransientError, AuthError)
# Of those, the ones that say the server is unreachable and open the circuit breaker: a
# deadlock (TransientError) or a wrong password is no reason to refuse other calls.
_DOWN = (Neo4jServiceUnavailable, SessionExpired, ConnectionPoolError)


@dataclass(frozen=True, slots=True)
class Timeouts:
    """How long a call may wait on Neo4j (seconds).

    Attributes:
        connect: Opening one connection (TCP and Bolt handshake); every call.
        read_acquire: A read waiting for a pooled (or new) connection.
        read_retry: How long a read transaction retries transient failures; short, since
            reads serve API requests.
        write_retry: How long a write transaction retries (deadlocks while ingesting).
    """

    connect: float = 1.0
    read_acquire: float = 1.5
    read_retry: float = 0.2
    write_retry: float = 10.0


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
        timeouts: Bounded waits; reads fail within about a second when Neo4j is down.
        breaker: Refuses calls at once while Neo4j is known down; a private one by default.
    """

    def __init__(
        self,
        uri: str,
        user: str,
        password: str,
        database: str = "neo4j",
        *,
        timeouts: Timeouts | None = None,
        breaker: CircuitBreaker | None = None,
    ) -> None:
        self._uri = uri
        self._auth = (user, password)
        self._database = database
        self._timeouts = timeouts or Timeouts()
        self.breaker = breaker or CircuitBreaker(_SERVICE)
        self._driver: neo4j.Driver | None = None
        self._lock = threading.Lock()

    def _get_driver(self) -> neo4j.Driver:
        with self._lock:
            if self._driver is None:
                try:
                    self._driver = GraphDatabase.driver(
                        self._uri,
                        auth=self._auth,
                        max_transaction_retry_time=self._timeouts.write_retry,
                        connection_timeout=self._timeouts.connect,
                        # Warnings about labels or keys absent from a young graph are noise.
                        notifications_disabled_classifications=["UNRECOGNIZED"],
                    )
                except (DriverError, Neo4jError, ValueError) as exc:
                    raise ServiceUnavailableError(_SERVICE, f"{self._uri}: {exc}") from exc
            return self._driver

    @contextmanager
    def session(self, *, read: bool = False, probe: bool = False) -> Iterator[neo4j.Session]:
        """A session whose failures are newskg errors (see the class docstring).

        Args:
            read: Use the read waits (short acquisition and retry times, see
                :class:`Timeouts`) instead of the driver's write defaults.
            probe: Go through even while the breaker is open (health probes); the
                outcome still opens or closes it.

        Raises:
            ServiceUnavailableError: the breaker is open (at once), or Neo4j is down.
        """
        with self._guarded(probe=probe), self._open(read=read) as session:
            yield session

    def _open(self, *, read: bool) -> neo4j.Session:
        config: dict[str, Any] = {}
        if read:
            config = {
                "default_access_mode": neo4j.READ_ACCESS,
                "connection_acquisition_timeout": self._timeouts.read_acquire,
                "max_transaction_retry_time": self._timeouts.read_retry,
                # The first retry comes soon, so a read still gets one within read_retry.
                "initial_retry_delay": min(0.1, self._timeouts.read_retry),
            }
        return self._get_driver().session(database=self._database, **config)

    @contextmanager
    def _guarded(self, *, probe: bool = False) -> Iterator[None]:
        # The breaker's bookkeeping and the mapping of driver errors to newskg errors.
        if not probe:
            self.breaker.before_call()
        try:
            yield
        except _OUTAGES as exc:
            if isinstance(exc, _DOWN):
                self.breaker.record_failure(_describe(exc))
            else:
                self.breaker.record_success()
            raise ServiceUnavailableError(_SERVICE, _describe(exc)) from exc
        except Neo4jError as exc:  # ClientError, DatabaseError: this query, not the service
            self.breaker.record_success()
            raise GraphQueryError(exc.code or type(exc).__name__, _message(exc)) from exc
        except ServiceUnavailableError as exc:  # the driver could not be built
            self.breaker.record_failure(str(exc))
            raise
        except BaseException:
            self.breaker.release()  # a bug or a cancellation says nothing about Neo4j
            raise
        else:
            self.breaker.record_success()

    def execute_write(self, work: Callable[[neo4j.ManagedTransaction], _T]) -> _T:
        """Run ``work`` in one write transaction, retried on transient errors (deadlocks).

        ``work`` may run more than once, so it must not keep state across attempts.
        """
        with self.session() as session:
            return session.execute_write(work)

    def execute_read(self, work: Callable[[neo4j.ManagedTransaction], _T]) -> _T:
        """Run ``work`` in one read transaction, retried on transient errors."""
        with self.session(read=True) as session:
            return session.execute_read(work)

    def run_read(self, query: str, params: Mapping[str, Any]) -> list[Row]:
        """Run one read statement; records as dicts.

        An auto-commit statement, since one statement needs no transaction around it: RUN
        and PULL go out together, one round trip, where a managed transaction costs three
        (BEGIN, RUN and PULL, COMMIT); search makes several such reads per request.
        Transient failures are retried as a managed read would be, within ``read_retry``.
        """
        with self._guarded():
            return _read_retried(
                lambda: self._open(read=True), query, dict(params), self._timeouts.read_retry
            )

    def run_write(self, query: str, params: Mapping[str, Any]) -> list[Row]:
        """Run a write query in one write transaction; records as dicts."""
        with self.session() as session:
            return session.execute_write(_collect, query, dict(params))

    def run_auto(
        self, query: str, params: Mapping[str, Any] | None = None, *, probe: bool = False
    ) -> None:
        """Run one auto-commit statement and discard its records.

        For schema statements (which cannot share a transaction with writes) and probes
        (a managed transaction would retry an outage). ``probe`` passes an open breaker
        (see :meth:`session`): health checks find out when Neo4j is back.
        """
        with self.session(read=probe, probe=probe) as session:
            session.run(query, dict(params or {})).consume()

    def close(self) -> None:
        """Close the driver, if one was opened. A later call reconnects."""
        with self._lock:
            if self._driver is not None:
                self._driver.close()
                self._driver = None


def _read_retried(
    open_session: Callable[[], neo4j.Session], query: str, params: dict[str, Any], retry: float
) -> list[Row]:
    # The driver's retry policy for managed transactions, for one auto-commit read: the
    # clock starts after the first attempt, the first retry comes soon, then they space
    # out; each attempt on a fresh session (a failed one may hold a dead connection).
    started: float | None = None
    delay = min(0.1, retry)
    while True:
        try:
            with open_session() as session:
                return [record_data(record) for record in session.run(query, params)]
        except (DriverError, Neo4jError) as exc:
            if not exc.is_retryable():
                raise
            started = time.monotonic() if started is None else started
            if time.monotonic() - started > retry:
                raise
        time.sleep(delay)
        delay *= 2


def _collect(tx: neo4j.ManagedTransaction, query: str, params: dict[str, Any]) -> list[Row]:
    return [record_data(record) for record in tx.run(query, params)]


# Returned as they are by ``record.data()`` too: scalars, temporal and spatial values.
_AS_IS = frozenset(
    {str, int, float, bool, type(None), bytes}
    | {neo4j.time.Date, neo4j.time.DateTime, neo4j.time.Time, neo4j.time.Duration}
    | {neo4j.spatial.CartesianPoint, neo4j.spatial.WGS84Point, neo4j.spatial.Point}
)


def _plain(value: Any) -> bool:
    # Exact types, not isinstance: a subclass (e.g. a Node, a Mapping) is not plain.
    kind = type(value)
    if kind in _AS_IS:
        return True
    if kind is list:
        return all(map(_plain, value))
    if kind is dict:
        return all(map(_plain, value.values()))
    return False


def record_data(record: neo4j.Record) -> Row:
    """``record.data()``, without its copy when every value is plain (maps, lists, scalars).

    The driver's exporter copies every nested value after checking it against abstract
    base classes: 9 ms of CPU for one 150 KB evidence read of search, against 0.6 ms for
    this check by exact type. A record holding anything else (a node, a path) still goes
    through ``record.data()``, which turns it into what callers expect.
    """
    values = record.values()
    if all(map(_plain, values)):
        return dict(zip(record.keys(), values, strict=True))
    return record.data()


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
        timeouts=Timeouts(
            connect=settings.neo4j_connect_timeout_s,
            read_acquire=settings.neo4j_read_acquire_timeout_s,
            read_retry=settings.neo4j_read_retry_s,
            write_retry=settings.neo4j_write_retry_s,
        ),
        breaker=CircuitBreaker(_SERVICE, settings.breaker_failures, settings.breaker_cooldown_s),
    )
