"""One error table: REST and GraphQL give the same code for the same failure, and the
README documents exactly that table."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
import strawberry
from fastapi import FastAPI
from fastapi.testclient import TestClient

from api import errors as table
from api.graphql.error_types import CodedErrors
from api.graphql.limits import LimitErrorCodes
from api.graphql.schema import NewsKGSchema
from api.rest.error_handlers import install_error_handlers
from kg.core import errors as kg
from tests.conftest import ROOT

SECRET = "IPv4Address(('localhost', 7687)) defunct connection"

RAISED: dict[str, Exception] = {
    "invalid": kg.InvalidQueryError("q", "must not be empty"),
    "missing": kg.NotFoundError("Entity", "e1"),
    "down": kg.ServiceUnavailableError("neo4j", SECRET),
    "auth": kg.AuthenticationError(),
    "bug": RuntimeError(SECRET),
}


@strawberry.type
class Query:
    @strawberry.field
    def fail(self, name: str) -> str:
        raise RAISED[name]


SCHEMA = NewsKGSchema(query=Query, extensions=[CodedErrors, LimitErrorCodes])


def _graphql(document: str) -> dict[str, Any]:
    result = asyncio.run(SCHEMA.execute(document))
    assert result.errors is not None and len(result.errors) == 1
    formatted: dict[str, Any] = result.errors[0].formatted
    return formatted


@pytest.fixture(scope="module")
def rest() -> TestClient:
    app = FastAPI()
    install_error_handlers(app)

    @app.get("/fail/{name}")
    def fail(name: str) -> None:
        raise RAISED[name]

    return TestClient(app, raise_server_exceptions=False)


@pytest.mark.parametrize("name", sorted(RAISED))
def test_rest_and_graphql_share_the_code(rest: TestClient, name: str) -> None:
    row = table.code_of(RAISED[name])
    response = rest.get(f"/fail/{name}")
    assert response.status_code == row.status
    assert response.json()["error"]["code"] == row.code
    error = _graphql(f'{{ fail(name: "{name}") }}')
    if row is table.INTERNAL_ERROR:
        # A bug is masked in GraphQL by its message, with no code to rely on.
        assert error["message"] == table.INTERNAL_ERROR.public_message
    else:
        assert error["extensions"]["code"] == row.code


@pytest.mark.parametrize("name", ["down", "bug"])
def test_internals_never_reach_the_client(rest: TestClient, name: str) -> None:
    assert "7687" not in rest.get(f"/fail/{name}").text
    assert "7687" not in str(_graphql(f'{{ fail(name: "{name}") }}'))


def test_graphql_syntax_and_schema_errors_have_codes() -> None:
    assert _graphql("{ fail(name: ")["extensions"]["code"] == "GRAPHQL_PARSE_FAILED"
    assert _graphql("{ nothing }")["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"


def test_codes_are_unique() -> None:
    codes = [row.code for row in table.ERROR_TABLE]
    assert len(codes) == len(set(codes))


def test_readme_documents_the_table() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert table.markdown_table() in readme, "README's error table is stale: paste markdown_table()"
