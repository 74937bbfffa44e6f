"""Every error is JSON {"error": {"code", "message", "details"}}, on a tiny FastAPI app."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi import FastAPI, HTTPException
from fastapi.testclient import TestClient
from pydantic import BaseModel

from api.rest.error_handlers import install_error_handlers
from kg.core.errors import (
    ArticleParseError,
    AuthenticationError,
    ConfigurationError,
    GraphQueryError,
    GraphWriteError,
    InvalidQueryError,
    NotFoundError,
    ServiceUnavailableError,
    ValidationFailedError,
)

SECRET = "bolt://neo4j:hunter2@db"


class Body(BaseModel):
    n: int


def make_app() -> FastAPI:
    app = FastAPI()
    install_error_handlers(app)
    raisers: dict[str, Exception] = {
        "not-found": NotFoundError("Article", "abc"),
        "invalid": InvalidQueryError("limit", "must be positive"),
        "parse": ArticleParseError("feed.jsonl", "no title", line=3),
        "shacl": ValidationFailedError("a1", ["Action needs a type"]),
        "auth": AuthenticationError(),
        "down": ServiceUnavailableError("Neo4j", "connection refused"),
        "config": ConfigurationError(f"bad uri {SECRET}", setting="neo4j_uri"),
        "boom": RuntimeError(f"leaked {SECRET}"),
        "cypher": GraphQueryError("Neo.ClientError.Statement.SyntaxError", f"near {SECRET}"),
        "write": GraphWriteError("ends missing", query=f"MERGE {SECRET}", written=1, expected=2),
        "http": HTTPException(status_code=409, detail="already there"),
    }

    @app.get("/raise/{name}")
    def raise_(name: str) -> None:
        raise raisers[name]

    @app.post("/body")
    def body(b: Body) -> dict[str, int]:
        return {"n": b.n}

    return app


@pytest.fixture(scope="module")
def client() -> TestClient:
    return TestClient(make_app(), raise_server_exceptions=False)


def error_of(response: Any) -> dict[str, Any]:
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "details"}
    assert isinstance(body["error"]["message"], str) and body["error"]["message"]
    return dict(body["error"])


@pytest.mark.parametrize(
    ("name", "status", "code"),
    [
        ("not-found", 404, "NOT_FOUND"),
        ("invalid", 422, "INVALID_FILTER"),
        ("parse", 422, "ARTICLE_PARSE_ERROR"),
        ("shacl", 422, "VALIDATION_FAILED"),
        ("auth", 401, "AUTHENTICATION_REQUIRED"),
        ("down", 503, "SERVICE_UNAVAILABLE"),
        ("http", 409, "CONFLICT"),
    ],
)
def test_known_errors(client: TestClient, name: str, status: int, code: str) -> None:
    response = client.get(f"/raise/{name}")
    assert response.status_code == status
    assert error_of(response)["code"] == code


def test_details_carry_the_exception_fields(client: TestClient) -> None:
    assert error_of(client.get("/raise/not-found"))["details"] == {"kind": "Article", "key": "abc"}
    assert error_of(client.get("/raise/shacl"))["details"]["violations"] == ["Action needs a type"]
    assert error_of(client.get("/raise/parse"))["details"]["line"] == 3


def test_authentication_error_asks_for_a_key(client: TestClient) -> None:
    assert "WWW-Authenticate" in client.get("/raise/auth").headers


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("boom", "INTERNAL_ERROR"),
        ("config", "CONFIGURATION_ERROR"),
        ("cypher", "GRAPH_QUERY_ERROR"),
        ("write", "GRAPH_WRITE_ERROR"),
    ],
)
def test_unexpected_errors_are_masked(client: TestClient, name: str, code: str) -> None:
    response = client.get(f"/raise/{name}")
    assert response.status_code == 500
    error = error_of(response)
    assert error["code"] == code
    assert "hunter2" not in response.text


def test_request_validation_is_422_with_locations(client: TestClient) -> None:
    response = client.post("/body", json={"n": "not a number"})
    assert response.status_code == 422
    error = error_of(response)
    assert error["code"] == "INVALID_REQUEST"
    assert error["details"][0]["loc"] == ["body", "n"]
    assert "body.n" in error["message"]


def test_unknown_route_is_json_404(client: TestClient) -> None:
    response = client.get("/nowhere")
    assert response.status_code == 404
    assert error_of(response)["code"] == "NOT_FOUND"
