"""newskg errors raised in resolvers keep a code; anything else is masked."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import pytest
import strawberry

from api.graphql.error_types import CodedErrors
from api.graphql.schema import NewsKGSchema
from kg.core.errors import (
    AuthenticationError,
    InvalidQueryError,
    NotFoundError,
    ServiceUnavailableError,
)

SECRET = "bolt://neo4j:hunter2@db"

RAISED: dict[str, Exception] = {
    "invalid": InvalidQueryError("entity", "no entity with id, name or alias 'nobody'"),
    "missing": NotFoundError("Entity", "e1"),
    "down": ServiceUnavailableError("neo4j", f"{SECRET}: connection refused"),
    "auth": AuthenticationError(),
    "bug": RuntimeError(f"leaked {SECRET}"),
}


@strawberry.type
class Query:
    @strawberry.field
    def fail(self, name: str) -> str:
        raise RAISED[name]


SCHEMA = NewsKGSchema(query=Query, extensions=[CodedErrors])


def _error(name: str) -> dict[str, Any]:
    result = asyncio.run(SCHEMA.execute(f'{{ fail(name: "{name}") }}'))
    assert result.errors is not None and len(result.errors) == 1
    formatted: dict[str, Any] = result.errors[0].formatted
    return formatted


@pytest.mark.parametrize(
    ("name", "code", "message"),
    [
        ("invalid", "INVALID_FILTER", "entity: no entity with id, name or alias 'nobody'"),
        ("missing", "NOT_FOUND", "Entity 'e1' not found"),
        ("down", "SERVICE_UNAVAILABLE", "a backing service is unavailable"),
        ("auth", "AUTHENTICATION_REQUIRED", "a valid X-API-Key header is required"),
    ],
)
def test_newskg_errors_get_their_code(name: str, code: str, message: str) -> None:
    error = _error(name)
    assert error["extensions"]["code"] == code
    assert error["message"] == message
    assert error["path"] == ["fail"]
    assert "hunter2" not in str(error)


def test_invalid_filter_names_its_field() -> None:
    assert _error("invalid")["extensions"]["field"] == "entity"


def test_unknown_errors_are_masked_without_a_code() -> None:
    error = _error("bug")
    assert error["message"] == "Unexpected error."
    assert "code" not in (error.get("extensions") or {})
    assert "hunter2" not in str(error)


def test_outage_details_are_logged(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="api.graphql"):
        _error("down")
    assert "connection refused" in caplog.text
