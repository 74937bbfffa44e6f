"""Request bodies over HTTP: size limits (declared and streamed) and malformed GraphQL bodies."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.live_server import LiveClient
from tests.unit.offline_app import error_of, offline_client

LIMIT = 4096


@pytest.fixture(scope="module")
def client() -> Iterator[LiveClient]:
    with offline_client(max_body_bytes=LIMIT) as served:
        yield served


@pytest.mark.parametrize("path", ["/graphql", "/search"])
def test_declared_body_over_the_limit_is_413(client: LiveClient, path: str) -> None:
    body = b'{"query": "' + b"x" * (LIMIT * 4) + b'"}'
    response = client.post(path, content=body, headers={"content-type": "application/json"})
    assert response.status_code == 413, response.text
    error = error_of(response)
    assert error["code"] == "PAYLOAD_TOO_LARGE"
    assert str(LIMIT) in error["message"] and "NEWSKG_MAX_BODY_BYTES" in error["message"]


@pytest.mark.parametrize("path", ["/graphql", "/search"])
def test_chunked_body_over_the_limit_is_413(client: LiveClient, path: str) -> None:
    def chunks() -> Iterator[bytes]:  # no length: httpx sends it chunked
        yield b'{"query": "'
        for _ in range(8):
            yield b"y" * 1024
        yield b'"}'

    response = client.post(path, content=chunks(), headers={"content-type": "application/json"})
    assert response.request.headers.get("transfer-encoding") == "chunked"
    assert response.status_code == 413, response.text
    assert error_of(response)["code"] == "PAYLOAD_TOO_LARGE"


def test_body_under_the_limit_passes(client: LiveClient) -> None:
    response = client.post("/graphql", json={"query": "{ __typename }"})
    assert response.status_code == 200, response.text
    assert response.json() == {"data": {"__typename": "Query"}}


@pytest.mark.parametrize(
    ("body", "kind"),
    [(b"null", "null"), (b"[]", "an array"), (b"1", "a number"), (b'"q"', "a string")],
)
def test_graphql_body_that_is_not_an_object_is_400(
    client: LiveClient, body: bytes, kind: str
) -> None:
    response = client.post("/graphql", content=body, headers={"content-type": "application/json"})
    assert response.status_code == 400, response.text
    error = error_of(response)
    assert error["code"] == "BAD_REQUEST"
    assert kind in error["message"]


def test_graphql_body_that_is_not_json_is_a_json_400(client: LiveClient) -> None:
    response = client.post(
        "/graphql", content=b"{nope", headers={"content-type": "application/json"}
    )
    assert response.status_code == 400, response.text
    assert error_of(response)["code"] == "BAD_REQUEST"


def test_graphql_syntax_error_is_parse_failed_over_http(client: LiveClient) -> None:
    response = client.post("/graphql", json={"query": "{ entity(name: "})
    # GraphQL over HTTP answers application/json errors with 200; the code tells them apart.
    assert response.status_code == 200, response.text
    assert response.json()["data"] is None
    (error,) = response.json()["errors"]
    assert error["extensions"]["code"] == "GRAPHQL_PARSE_FAILED"


def test_the_probes_20_mb_ingest_article_is_413_with_the_default_limit() -> None:
    query = 'mutation($t: String!) { ingestArticle(input: {title: "x", text: $t}) { __typename } }'
    with offline_client(api_key="k") as served:
        response = served.post(
            "/graphql",
            json={"query": query, "variables": {"t": "a" * 20_000_000}},
            headers={"X-API-Key": "k"},
        )
    assert response.status_code == 413, response.text[:300]
    assert error_of(response)["details"] == {"limit": 2 * 1024 * 1024}


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("{ entity(name: ", "GRAPHQL_PARSE_FAILED"),
        ("{ nothing }", "GRAPHQL_VALIDATION_FAILED"),
    ],
)
def test_request_errors_take_the_tables_status_with_graphql_response_json(
    client: LiveClient, query: str, code: str
) -> None:
    accept = {"accept": "application/graphql-response+json, application/json;q=0.9"}
    response = client.post("/graphql", json={"query": query}, headers=accept)
    assert response.status_code == 400, response.text
    assert response.headers["content-type"].startswith("application/graphql-response+json")
    assert response.json()["errors"][0]["extensions"]["code"] == code
    fetched = client.get("/graphql", params={"query": query}, headers=accept)
    assert fetched.status_code == 400, fetched.text
    # A legacy application/json client keeps 200 (see api/graphql/router.py).
    legacy = client.post("/graphql", json={"query": query}, headers={"accept": "application/json"})
    assert legacy.status_code == 200


def test_a_valid_operation_is_200_with_graphql_response_json(client: LiveClient) -> None:
    response = client.post(
        "/graphql",
        json={"query": "{ __typename }"},
        headers={"accept": "application/graphql-response+json"},
    )
    assert response.status_code == 200, response.text
