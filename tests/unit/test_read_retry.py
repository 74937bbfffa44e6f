"""One auto-commit read (``Neo4jConnection.run_read``): retried like a managed read."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import neo4j
import pytest
from neo4j.exceptions import ClientError, SessionExpired

from kg.graph import store
from kg.graph.store import _read_retried


class _Session:
    """Fails with each of ``failures`` in turn (one per session), then answers."""

    opened = 0

    def __init__(self, failures: list[Exception]) -> None:
        self._failures = failures

    def __enter__(self) -> _Session:
        type(self).opened += 1
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def run(self, query: str, params: dict[str, Any]) -> Iterator[neo4j.Record]:
        if self._failures:
            raise self._failures.pop(0)
        return iter([neo4j.Record({"query": query, **params}.items())])


def _opener(failures: list[Exception]) -> Any:
    _Session.opened = 0
    return lambda: _Session(failures)


def test_a_transient_failure_is_retried_on_a_fresh_session() -> None:
    rows = _read_retried(_opener([SessionExpired("gone")]), "RETURN 1", {"x": 1}, retry=1.0)
    assert rows == [{"query": "RETURN 1", "x": 1}]
    assert _Session.opened == 2


def test_a_refused_query_is_not_retried() -> None:
    with pytest.raises(ClientError):
        _read_retried(_opener([ClientError("bad"), ClientError("bad")]), "X", {}, retry=1.0)
    assert _Session.opened == 1


def test_retries_stop_when_the_retry_time_is_spent(monkeypatch: pytest.MonkeyPatch) -> None:
    clock = [0.0]
    monkeypatch.setattr(store.time, "monotonic", lambda: clock[0])
    monkeypatch.setattr(store.time, "sleep", lambda s: clock.__setitem__(0, clock[0] + s))
    failures: list[Exception] = [SessionExpired("gone") for _ in range(50)]
    with pytest.raises(SessionExpired):
        _read_retried(_opener(failures), "X", {}, retry=0.25)
    # Fails at 0 s (the clock starts), retries after 0.1 s and 0.3 s; 0.3 s is past 0.25.
    assert _Session.opened == 3
