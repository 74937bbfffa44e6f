"""The circuit breaker: opens after consecutive outages, refuses at once while open, lets
one probe through after the cool-down, and closes when the store answers."""

from __future__ import annotations

from typing import Any

import pytest

from kg.core.breaker import BreakerState, CircuitBreaker
from kg.core.errors import ServiceUnavailableError


def _breaker(now: list[float]) -> CircuitBreaker:
    return CircuitBreaker("neo4j", failure_threshold=2, cooldown_s=5.0, clock=lambda: now[0])


def test_opens_after_the_threshold_and_refuses_at_once() -> None:
    now = [0.0]
    breaker = _breaker(now)
    breaker.before_call()
    breaker.record_failure("refused")
    assert breaker.state is BreakerState.CLOSED  # one outage is not yet "down"
    breaker.before_call()
    breaker.record_failure("refused")
    assert breaker.state is BreakerState.OPEN
    with pytest.raises(ServiceUnavailableError, match="known down.*refused") as info:
        breaker.before_call()
    assert info.value.service == "neo4j"


def test_a_success_resets_the_count() -> None:
    breaker = _breaker([0.0])
    breaker.record_failure()
    breaker.record_success()
    breaker.record_failure()
    assert breaker.state is BreakerState.CLOSED


def test_clean_until_a_failure_and_again_after_a_success() -> None:
    breaker = _breaker([0.0])
    assert breaker.clean
    breaker.record_failure()
    assert not breaker.clean and breaker.state is BreakerState.CLOSED  # suspect, not down
    breaker.record_success()
    assert breaker.clean


def test_one_probe_after_the_cooldown_then_closed_or_open_again() -> None:
    now = [0.0]
    breaker = _breaker(now)
    breaker.record_failure()
    breaker.record_failure()
    now[0] = 5.0
    breaker.before_call()  # the probe
    with pytest.raises(ServiceUnavailableError):
        breaker.before_call()  # others still fail fast while it runs
    breaker.record_failure("still down")
    assert breaker.state is BreakerState.OPEN  # a failed probe opens it for another cool-down
    with pytest.raises(ServiceUnavailableError):
        breaker.before_call()
    now[0] = 10.0
    breaker.before_call()
    breaker.record_success()
    assert breaker.state is BreakerState.CLOSED
    breaker.before_call()


def test_a_probe_that_ends_in_a_bug_frees_the_slot() -> None:
    now = [0.0]
    breaker = _breaker(now)
    breaker.record_failure()
    breaker.record_failure()
    now[0] = 6.0
    breaker.before_call()
    breaker.release()
    breaker.before_call()  # the next call may probe


def test_health_probes_close_it() -> None:
    breaker = _breaker([0.0])
    breaker.record_failure()
    breaker.record_failure()
    breaker.record_success()  # what /health reports when Neo4j answers again
    breaker.before_call()


def test_a_qdrant_server_that_refuses_opens_its_breaker() -> None:
    from kg.vectors.qdrant_server import QdrantClientStore
    from tests.live_server import free_port

    breaker = CircuitBreaker("qdrant", failure_threshold=1, cooldown_s=60.0)
    store = QdrantClientStore("c", url=f"http://127.0.0.1:{free_port()}", breaker=breaker)
    try:
        with pytest.raises(ServiceUnavailableError) as first:
            store.count()
        assert "known down" not in str(first.value)  # this one went to the server
        assert breaker.state is BreakerState.OPEN
        with pytest.raises(ServiceUnavailableError, match="known down"):
            store.count()  # refused without a request
    finally:
        store.close()


def test_raise_if_open_keeps_the_probe_for_a_real_call() -> None:
    now = [0.0]
    breaker = _breaker(now)
    breaker.raise_if_open()
    breaker.record_failure()
    breaker.record_failure()
    with pytest.raises(ServiceUnavailableError):
        breaker.raise_if_open()
    now[0] = 5.0
    breaker.raise_if_open()  # the cool-down is over: let the work reach its first call
    breaker.before_call()  # which is the probe


def test_search_fails_before_any_work_while_the_graph_is_known_down() -> None:
    from kg.core.config import Settings
    from kg.search.engine import HybridSearch
    from kg.search.request import SearchRequest
    from tests.fakes import Unreachable

    breaker = _breaker([0.0])
    breaker.record_failure()
    breaker.record_failure()
    never: Any = Unreachable("store")  # embedding or reading anything fails the test
    engine = HybridSearch(never, never, never, Settings(), ready=breaker.raise_if_open)
    try:
        with pytest.raises(ServiceUnavailableError, match="known down"):
            engine.view(SearchRequest("actions against the ELN"))
    finally:
        engine.close()


def test_raise_if_open_refuses_while_another_call_probes() -> None:
    now = [0.0]
    breaker = _breaker(now)
    breaker.record_failure()
    breaker.record_failure()
    now[0] = 5.0
    breaker.before_call()  # this call is the probe
    with pytest.raises(ServiceUnavailableError):
        breaker.raise_if_open()  # work before a call (an embedding) is not started meanwhile
    breaker.record_success()
    breaker.raise_if_open()
