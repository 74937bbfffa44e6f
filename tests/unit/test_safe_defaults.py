"""Safe defaults: serving on a network, the default Neo4j password, compose, /metrics, and
throttled key guessing (REST and GraphQL alike, over HTTP)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from api.app import create_app
from api.auth_throttle import FailureThrottle
from kg import cli
from kg.core.config import Settings
from kg.core.errors import ConfigurationError
from kg.core.exposure import check_exposure, is_loopback
from kg.ops import neo4j_cli, neo4j_server
from tests.conftest import ROOT
from tests.live_server import live_client
from tests.unit.offline_app import error_of, offline_client, offline_services

KEY = "the-right-key"
SAFE = {"neo4j_password": "not-the-default", "api_key": KEY}


# --------------------------------------------------------------------------- kg serve


@pytest.mark.parametrize("host", ["127.0.0.1", "127.1.2.3", "::1", "[::1]", "localhost"])
def test_loopback_hosts(host: str) -> None:
    assert is_loopback(host)
    check_exposure(Settings(), host)  # the defaults are fine on a laptop


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "10.0.0.5", "example.org", ""])
def test_network_hosts_need_a_key_and_a_password(host: str) -> None:
    assert not is_loopback(host)
    with pytest.raises(ConfigurationError, match="NEWSKG_NEO4J_PASSWORD") as info:
        check_exposure(Settings(api_key=KEY), host)
    assert "NEWSKG_API_KEY" not in info.value.message
    with pytest.raises(ConfigurationError, match="NEWSKG_API_KEY"):
        check_exposure(Settings(neo4j_password="not-the-default"), host)
    check_exposure(Settings(**SAFE), host)


@pytest.fixture
def served(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    import uvicorn

    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: calls.append(kw))
    return calls


def test_kg_serve_refuses_a_network_address_with_the_defaults(
    served: list[dict[str, Any]],
) -> None:
    env = {"NEWSKG_API_KEY": "", "NEWSKG_NEO4J_PASSWORD": "newskg-dev-password"}
    result = CliRunner().invoke(cli.app, ["serve", "--host", "0.0.0.0"], env=env)
    assert result.exit_code == 1, result.output
    assert "refusing to serve on 0.0.0.0" in result.stderr
    assert served == []


def test_kg_serve_starts_on_a_network_address_when_configured(
    served: list[dict[str, Any]], tmp_path: Path
) -> None:
    env = {
        "NEWSKG_API_KEY": KEY,
        "NEWSKG_NEO4J_PASSWORD": "not-the-default",
        "NEWSKG_VAR_DIR": str(tmp_path),  # kg serve writes its handle there
    }
    result = CliRunner().invoke(cli.app, ["serve", "--host", "0.0.0.0"], env=env)
    assert result.exit_code == 0, result.output
    assert served == [{"host": "0.0.0.0", "port": 8000}]


# --------------------------------------------------------------------------- kg neo4j start


@pytest.mark.parametrize(("password", "warned"), [(None, True), ("not-the-default", False)])
def test_kg_neo4j_start_warns_about_the_default_password(
    monkeypatch: pytest.MonkeyPatch, password: str | None, warned: bool
) -> None:
    status = neo4j_server.ServerStatus(
        running=True, pid=1, bolt_uri="bolt://localhost:7687", http_url="http://localhost:7474"
    )
    monkeypatch.setattr(neo4j_server, "start", lambda settings, timeout: status)
    monkeypatch.delenv("NEWSKG_NEO4J_PASSWORD", raising=False)
    env = {"NEWSKG_NEO4J_PASSWORD": password} if password else {}
    result = CliRunner().invoke(neo4j_cli.neo4j_app, ["start"], env=env)
    assert result.exit_code == 0, result.output
    assert ("published default" in result.stderr) is warned


# --------------------------------------------------------------------------- docker compose


def test_compose_requires_secrets_and_publishes_on_loopback() -> None:
    text = (ROOT / "docker-compose.yml").read_text()
    ports = re.findall(r'^\s+- "([^"]*:\d+)"$', text, flags=re.MULTILINE)
    assert len(ports) == 4, ports  # Neo4j HTTP and Bolt, Qdrant, the API
    assert all(port.startswith("127.0.0.1:") for port in ports), ports
    assert "newskg-dev-password" not in text
    assert "NEO4J_AUTH: neo4j/${NEWSKG_NEO4J_PASSWORD:?set NEWSKG_NEO4J_PASSWORD}" in text
    assert "QDRANT__SERVICE__API_KEY: ${NEWSKG_QDRANT_API_KEY:?set NEWSKG_QDRANT_API_KEY}" in text
    assert "NEWSKG_QDRANT_API_KEY: ${NEWSKG_QDRANT_API_KEY:?set NEWSKG_QDRANT_API_KEY}" in text
    assert "NEWSKG_API_KEY: ${NEWSKG_API_KEY:?set NEWSKG_API_KEY}" in text


# --------------------------------------------------------------------------- /metrics


def test_metrics_need_the_key_when_reads_do() -> None:
    with offline_client(api_key=KEY, reads_require_key=True) as client:
        refused = client.get("/metrics")
        assert refused.status_code == 401, refused.text
        assert error_of(refused)["code"] == "AUTHENTICATION_REQUIRED"
        assert client.get("/metrics", headers={"X-API-Key": KEY}).status_code == 200
    with offline_client(api_key=KEY) as client:
        assert client.get("/metrics").status_code == 200  # reads open: metrics open


# --------------------------------------------------------------------------- key guessing


def test_throttle_counts_failures_in_a_sliding_window() -> None:
    now = [0.0]
    throttle = FailureThrottle(3, 60.0, max_clients=2, clock=lambda: now[0])
    for _ in range(2):
        throttle.record_failure("a")
    assert throttle.retry_after("a") is None
    now[0] = 10.0
    throttle.record_failure("a")
    assert throttle.retry_after("a") == pytest.approx(50.0)  # the first failure leaves at 60
    now[0] = 60.0
    assert throttle.retry_after("a") is None
    throttle.record_failure("b")
    throttle.record_failure("c")  # bounded: "a" is forgotten
    assert set(throttle._failures) == {"b", "c"}


def _assert_throttled(response: Any) -> None:
    assert response.status_code == 429, response.text
    assert error_of(response)["code"] == "TOO_MANY_REQUESTS"
    assert 1 <= int(response.headers["Retry-After"]) <= 60


def test_wrong_keys_are_throttled_on_rest() -> None:
    settings = {"api_key": KEY, "reads_require_key": True, "auth_max_failures": 3}
    with offline_client(**settings) as client:
        for _ in range(3):
            assert client.get("/metrics", headers={"X-API-Key": "guess"}).status_code == 401
        _assert_throttled(client.get("/metrics", headers={"X-API-Key": "guess"}))
        # Even the right key: answering it would tell the guesser it won.
        _assert_throttled(client.get("/metrics", headers={"X-API-Key": KEY}))
        # Without a key (or with an empty one) nothing is guessed: the usual answer.
        assert client.get("/metrics").status_code == 401
        assert client.get("/metrics", headers={"X-API-Key": ""}).status_code == 401


DELETE = 'mutation { deleteArticle(id: "x") { __typename ... on Error { code } } }'


def test_wrong_keys_are_throttled_on_graphql() -> None:
    with offline_client(api_key=KEY, auth_max_failures=2) as client:
        for _ in range(2):
            answer = client.post("/graphql", json={"query": DELETE}, headers={"X-API-Key": "g"})
            assert answer.json()["data"]["deleteArticle"]["code"] == "AUTHENTICATION_REQUIRED"
        _assert_throttled(
            client.post("/graphql", json={"query": DELETE}, headers={"X-API-Key": "g"})
        )


def test_the_right_key_is_not_counted() -> None:
    with offline_client(api_key=KEY, reads_require_key=True, auth_max_failures=1) as client:
        for _ in range(3):
            assert client.get("/metrics", headers={"X-API-Key": KEY}).status_code == 200


# --------------------------------------------------------------------------- ingestArticle


INGEST = """mutation($text: String!) {
  ingestArticle(input: {title: "Big", text: $text}) {
    __typename ... on ValidationError { code field message } } }"""


def test_ingest_article_over_the_size_limit_is_a_typed_error() -> None:
    with offline_client(api_key=KEY, max_article_chars=1000) as client:
        answer = client.post(
            "/graphql",
            json={"query": INGEST, "variables": {"text": "word " * 300}},
            headers={"X-API-Key": KEY},
        )
    assert answer.status_code == 200, answer.text
    result = answer.json()["data"]["ingestArticle"]
    assert result["__typename"] == "ValidationError"
    assert result["code"] == "PAYLOAD_TOO_LARGE" and result["field"] == "text"
    assert "1500 characters" in result["message"] and "limit is 1000" in result["message"]


def test_the_local_token_is_a_right_key() -> None:
    built = Settings(api_key=KEY, auth_max_failures=1)
    app = create_app(settings=built, services=offline_services(built), local_token="local-token")
    with live_client(app) as client:
        for _ in range(3):
            answer = client.post(
                "/graphql", json={"query": DELETE}, headers={"X-API-Key": "local-token"}
            )
            assert answer.status_code == 200, answer.text
