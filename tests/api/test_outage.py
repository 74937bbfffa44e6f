"""Neo4j down: every request answers SERVICE_UNAVAILABLE (REST 503, GraphQL code), and the
API recovers by itself when Neo4j is back. Over HTTP, with a proxy between the app and the
shared Neo4j server that the test cuts and restores (the server itself keeps running)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit

import httpx
import pytest

from kg.core.breaker import BreakerState
from kg.core.config import get_settings
from kg.services import Services, bootstrap, build_services, close
from tests.live_server import LiveClient
from tests.tcp_proxy import TcpProxy, tcp_proxy

pytestmark = [pytest.mark.api, pytest.mark.integration]

CLIENTS = 32
GRAPHQL = {
    "search": '{ search(query: "actions against the ELN", limit: 3) { passages { text } } }',
    "entity": '{ entity(name: "ELN") { ... on Entity { name } } }',
    "actions": "{ actions(first: 3) { edges { node { type } } } }",
}


@pytest.fixture(scope="module")
def proxy() -> Iterator[TcpProxy]:
    target = urlsplit(get_settings().neo4j_uri)
    with tcp_proxy(target.hostname or "localhost", target.port or 7687) as running:
        yield running


@pytest.fixture(scope="module")
def services(proxy: TcpProxy, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Services]:
    settings = get_settings(
        neo4j_uri=proxy.url,
        qdrant_dir=tmp_path_factory.mktemp("qdrant"),
        breaker_cooldown_s=0.5,  # short, so the test sees the recovery soon
    )
    built = build_services(settings)
    bootstrap(built)
    yield built
    close(built)


# What a client must never see: the driver's internals (hosts, connection states).
INTERNALS = ("IPv4Address", "defunct", "IncompleteCommit", "127.0.0.1", "localhost")


def _one(base_url: str, i: int) -> tuple[str, int, str | None]:
    """One request of the mix: (what, HTTP status, error code)."""
    with httpx.Client(base_url=base_url, timeout=60) as http:
        kind = ["rest", *GRAPHQL][i % (len(GRAPHQL) + 1)]
        if kind == "rest":
            response = http.get("/search", params={"q": "actions against the ELN"})
            body = response.json()
            code = body.get("error", {}).get("code")
        else:
            response = http.post("/graphql", json={"query": GRAPHQL[kind]})
            errors = response.json().get("errors") or [{}]
            code = errors[0].get("extensions", {}).get("code")
        leaked = [word for word in INTERNALS if word in response.text]
        return kind, response.status_code, f"{code} leaks {leaked}" if leaked else code


def _burst(client: LiveClient) -> list[tuple[str, int, str | None]]:
    base = str(client.base_url)
    with ThreadPoolExecutor(CLIENTS) as pool:
        return list(pool.map(lambda i: _one(base, i), range(CLIENTS * 2)))


def _wait_healthy(client: LiveClient) -> int:
    """Poll /health until Neo4j answers again (bounded); the last status."""
    status = 0
    for _ in range(200):
        status = client.get("/health").status_code
        if status == 200:
            break
        time.sleep(0.1)
    return status


def test_down_store_answers_service_unavailable_then_recovers(
    client: LiveClient, proxy: TcpProxy, services: Services
) -> None:
    before = client.get("/search", params={"q": "actions against the ELN"})
    assert before.status_code == 200, before.text

    proxy.cut()
    try:
        results = _burst(client)
        health = client.get("/health")
    finally:
        proxy.restore()

    rest = [r for r in results if r[0] == "rest"]
    graphql = [r for r in results if r[0] != "rest"]
    assert {(status, code) for _, status, code in rest} == {(503, "SERVICE_UNAVAILABLE")}
    assert {(status, code) for _, status, code in graphql} == {(200, "SERVICE_UNAVAILABLE")}
    assert health.status_code == 503
    assert health.json()["neo4j"]["ok"] is False
    # The burst opened the breaker: calls were refused without waiting on Neo4j.
    assert services.graph.breaker.state is not BreakerState.CLOSED

    assert _wait_healthy(client) == 200
    assert services.graph.breaker.state is BreakerState.CLOSED
    after = client.get("/search", params={"q": "actions against the ELN"})
    assert after.status_code == 200, after.text
    answer = client.post("/graphql", json={"query": GRAPHQL["actions"]}).json()
    assert "errors" not in answer, answer
