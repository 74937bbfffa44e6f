"""The REST endpoints over HTTP, on the real stack (Neo4j, models, embedded Qdrant)."""

from __future__ import annotations

import contextlib
import dataclasses
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from pydantic import SecretStr

from api.app import create_app
from api.instrumentation import record_ingest
from kg.core.config import get_settings
from kg.core.errors import NotFoundError
from kg.ingest.parsing import parse_path
from kg.services import Services, bootstrap, build_services, close
from tests.conftest import SEED
from tests.live_server import LiveClient, live_client

pytestmark = [pytest.mark.api, pytest.mark.integration]

JOINT = "committed to taking joint actions"
READ_KEY = f"read-key-{uuid.uuid4()}"


@pytest.fixture(scope="module")
def rest_services(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Services]:
    services = build_services(get_settings(qdrant_dir=tmp_path_factory.mktemp("qdrant")))
    bootstrap(services)
    (article,) = parse_path(SEED)
    article = dataclasses.replace(article, url=f"https://test.newskg.invalid/{uuid.uuid4()}")
    report = services.pipeline.ingest_article(article)
    yield services
    with contextlib.suppress(NotFoundError):
        services.pipeline.delete_article(report.article_id)
    close(services)


@pytest.fixture(scope="module")
def client(rest_services: Services) -> Iterator[LiveClient]:
    with live_client(create_app(services=rest_services)) as test_client:
        yield test_client


def check_search_body(body: dict[str, object]) -> None:
    passages = body["passages"]
    assert isinstance(passages, list) and passages
    joint = [p for p in passages[:5] if JOINT in p["text"]]
    assert joint, [p["text"][:50] for p in passages]
    hit = joint[0]
    assert hit["article"]["title"].startswith("Colombia and US")
    assert hit["article"]["published"] == "2026-01-08"
    assert len({w["retriever"] for w in hit["why"]}) >= 2
    assert {"passage_id", "text", "score", "start", "end", "article", "why"} <= set(hit)
    entities = body["entities"]
    assert isinstance(entities, list)
    assert any("Liberation" in e["name"] for e in entities)
    actions = body["actions"]
    assert isinstance(actions, list) and actions
    for action in actions:
        assert any("Liberation" in t["name"] for t in action["targets"])
        assert {"type", "date", "actors", "targets", "evidence", "why"} <= set(action)
        assert {"text", "start", "end", "passage_id"} <= set(action["evidence"])


def test_search_get(client: LiveClient) -> None:
    response = client.get("/search", params={"q": "actions against the ELN", "limit": 5})
    assert response.status_code == 200, response.text
    check_search_body(response.json())


def test_search_post_returns_the_same(client: LiveClient) -> None:
    got = client.get("/search", params={"q": "actions against the ELN", "limit": 5}).json()
    posted = client.post("/search", json={"q": "actions against the ELN", "limit": 5})
    assert posted.status_code == 200, posted.text
    check_search_body(posted.json())
    assert [p["passage_id"] for p in posted.json()["passages"]] == [
        p["passage_id"] for p in got["passages"]
    ]


def test_search_filters_over_http(client: LiveClient) -> None:
    future = client.get("/search", params={"q": "actions against the ELN", "from": "2100-01-01"})
    assert future.status_code == 200
    assert future.json()["passages"] == [] and future.json()["actions"] == []
    typed = client.post(
        "/search", json={"q": "actions against the ELN", "types": ["ACCUSE"], "limit": 10}
    ).json()
    assert {a["type"] for a in typed["actions"]} <= {"ACCUSE"}
    comma = client.get(
        "/search", params={"q": "actions against the ELN", "types": "ACCUSE,REQUEST"}
    ).json()
    assert {a["type"] for a in comma["actions"]} <= {"ACCUSE", "REQUEST"}


@pytest.mark.parametrize(
    ("request_kwargs", "code"),
    [
        ({"method": "GET", "url": "/search", "params": {"q": ""}}, "INVALID_REQUEST"),
        ({"method": "GET", "url": "/search", "params": {"q": "x", "limit": 0}}, "INVALID_REQUEST"),
        (
            {"method": "GET", "url": "/search", "params": {"q": "x", "types": "NOPE"}},
            "INVALID_FILTER",
        ),
        (
            {"method": "POST", "url": "/search", "json": {"q": "x", "types": ["NOPE"]}},
            "INVALID_REQUEST",
        ),
        (
            {
                "method": "GET",
                "url": "/search",
                "params": {"q": "x", "from": "2026-02-01", "to": "2026-01-01"},
            },
            "INVALID_FILTER",
        ),
    ],
)
def test_search_errors_are_json(
    client: LiveClient, request_kwargs: dict[str, object], code: str
) -> None:
    response = client.request(**request_kwargs)  # type: ignore[arg-type]
    assert response.status_code == 422
    assert response.json()["error"]["code"] == code


def test_openapi_documents_search_with_examples(client: LiveClient) -> None:
    spec = client.get("/openapi.json").json()
    assert {"get", "post"} <= set(spec["paths"]["/search"])
    q_param = next(p for p in spec["paths"]["/search"]["get"]["parameters"] if p["name"] == "q")
    assert "examples" in q_param
    assert "examples" in spec["components"]["schemas"]["SearchRequest"]


def test_health_up(client: LiveClient) -> None:
    response = client.get("/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "neo4j": {"ok": True}, "qdrant": {"ok": True}}


def test_health_503_when_neo4j_is_down(tmp_path: Path) -> None:
    settings = get_settings(neo4j_uri="bolt://127.0.0.1:9", qdrant_dir=tmp_path / "qdrant")
    services = build_services(settings)
    try:
        with live_client(create_app(services=services)) as down:
            response = down.get("/health")
        assert response.status_code == 503
        body = response.json()
        assert body["status"] == "degraded"
        assert body["neo4j"]["ok"] is False and body["neo4j"]["error"]
        assert set(body) == {"status", "neo4j", "qdrant"}
    finally:
        close(services)


def test_metrics(client: LiveClient) -> None:
    client.get("/health")
    client.get("/search", params={"q": "ELN"})
    record_ingest(client.app, dataclasses.make_dataclass("R", ["passages", "actions"])(3, 2))
    response = client.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    text = response.text
    assert (
        'newskg_http_request_duration_seconds_count{method="GET",route="/search",status="200"}'
        in text
    )
    assert 'route="/health"' in text
    assert "newskg_ingested_articles_total 1.0" in text
    assert "newskg_ingested_passages_total 3.0" in text
    assert "newskg_ingested_actions_total 2.0" in text


def test_metrics_are_per_app(rest_services: Services) -> None:
    with live_client(create_app(services=rest_services)) as fresh:
        text = fresh.get("/metrics").text
    assert 'route="/search"' not in text
    assert "newskg_ingested_articles_total 0.0" in text


def test_unknown_route_is_json(client: LiveClient) -> None:
    response = client.get("/no/such/route")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "NOT_FOUND"


@pytest.mark.parametrize(
    ("fmt", "media", "marker"),
    [("turtle", "text/turtle", "@prefix"), ("json-ld", "application/ld+json", "@")],
)
def test_rdf_export(client: LiveClient, fmt: str, media: str, marker: str) -> None:
    response = client.get("/rdf", params={"format": fmt})
    assert response.status_code == 200, response.text[:300]
    assert response.headers["content-type"].startswith(media)
    assert marker in response.text
    assert "National Liberation Army" in response.text


def test_rdf_unknown_format_is_422(client: LiveClient) -> None:
    response = client.get("/rdf", params={"format": "rdfxml"})
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "INVALID_REQUEST"


@pytest.fixture(scope="module")
def keyed_client(rest_services: Services) -> Iterator[LiveClient]:
    """An app over the same stores whose settings require the API key for reads."""
    settings = rest_services.settings.model_copy(
        update={"reads_require_key": True, "api_key": SecretStr(READ_KEY)}
    )
    services = dataclasses.replace(rest_services, settings=settings)
    with live_client(create_app(services=services)) as test_client:
        yield test_client


KEYED_READS = [
    {"method": "GET", "url": "/rdf", "params": {"format": "turtle"}},
    {"method": "GET", "url": "/search", "params": {"q": "ELN", "limit": 2}},
    {"method": "POST", "url": "/search", "json": {"q": "ELN", "limit": 2}},
]


@pytest.mark.parametrize("request_kwargs", KEYED_READS)
@pytest.mark.parametrize("key", [None, "", "wrong-key"])
def test_reads_without_a_valid_key_are_401_when_reads_require_one(
    keyed_client: LiveClient, request_kwargs: dict[str, object], key: str | None
) -> None:
    headers = {"X-API-Key": key} if key is not None else {}
    response = keyed_client.request(**request_kwargs, headers=headers)  # type: ignore[arg-type]
    assert response.status_code == 401, response.text[:300]
    assert response.json()["error"]["code"] == "AUTHENTICATION_REQUIRED"
    assert "X-API-Key" in response.json()["error"]["message"]
    assert response.headers["WWW-Authenticate"] == "ApiKey"


@pytest.mark.parametrize("request_kwargs", KEYED_READS)
def test_reads_with_the_key_succeed_when_reads_require_one(
    keyed_client: LiveClient, request_kwargs: dict[str, object]
) -> None:
    response = keyed_client.request(**request_kwargs, headers={"X-API-Key": READ_KEY})  # type: ignore[arg-type]
    assert response.status_code == 200, response.text[:300]


def test_openapi_documents_the_api_key_header(client: LiveClient) -> None:
    spec = client.get("/openapi.json").json()
    schemes = spec["components"]["securitySchemes"]
    assert {"type": "apiKey", "in": "header", "name": "X-API-Key"}.items() <= next(
        iter(schemes.values())
    ).items()
    assert spec["paths"]["/rdf"]["get"]["security"]
