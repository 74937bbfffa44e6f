"""GraphQL guards that act before any database access: limits, cursors, API keys."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace
from typing import Any, cast

import pytest
from graphql import parse, validate

from api.graphql.connection import decode_cursor, encode_cursor, page_window
from api.graphql.context import RequestContext
from api.graphql.limits import cost_limit_rule
from api.graphql.schema import build_schema, schema
from kg.core.config import Settings
from kg.search.engine import HybridSearch

SKELETON = """{ search(query: "actions against the ELN", limit: 10) {
  passages { text score article { title published url } }
  entities { name type }
  actions { type date actors { name } targets { name } evidence { text } } } }"""


def _context(**settings: Any) -> RequestContext:
    async def make() -> RequestContext:
        built = Settings(**settings)
        services = SimpleNamespace(settings=built, graph=None)
        never = cast(Any, None)  # these guards act before any store is reached
        search = HybridSearch(never, never, never, built)
        return RequestContext(services=cast(Any, services), api_key=None, search=search)

    return asyncio.run(make())


def _run(query: str, context: Any = None, max_depth: int = 10, max_cost: int = 5000) -> Any:
    return asyncio.run(build_schema(max_depth, max_cost).execute(query, context_value=context))


def _cost(query: str, max_cost: int) -> list[str]:
    errors = validate(schema._schema, parse(query), [cost_limit_rule(max_cost)])
    return [e.message for e in errors]


def test_cursor_round_trip() -> None:
    for offset in (0, 1, 57, 10_000):
        assert decode_cursor(encode_cursor(offset)) == offset
    assert page_window(5, encode_cursor(9)) == (10, 5)
    assert page_window(None, None) == (0, 10)


@pytest.mark.parametrize("bad", ["nope", encode_cursor(1)[:-3] + "x", "Y3Vyc29yOi0x"])
def test_foreign_cursor_is_rejected(bad: str) -> None:
    with pytest.raises(Exception, match="after: is not a valid cursor"):
        decode_cursor(bad)


def test_page_size_is_bounded() -> None:
    with pytest.raises(Exception, match="first: must be between"):
        page_window(1000, None)


def test_skeleton_query_is_valid_and_cheap() -> None:
    document = parse(SKELETON)
    assert validate(schema._schema, document) == []
    assert _cost(SKELETON, 5000) == []
    assert _cost(SKELETON, 50)  # the same query is rejected under a tiny budget


def test_costly_query_is_rejected_with_code() -> None:
    query = """{ entities(first: 100) { nodes { actions(first: 100) { nodes {
        actors { relatedEntities(first: 100) { entity { name } } } } } } } }"""
    result = _run(query)
    assert result.data is None
    assert result.errors[0].extensions["code"] == "QUERY_TOO_COSTLY"
    assert "more than the limit" in result.errors[0].message


def test_deep_query_is_rejected_with_code() -> None:
    nested = "name"
    for _ in range(12):
        nested = f"relatedEntities(first: 1) {{ entity {{ {nested} }} }}"
    result = _run(f'{{ entity(name: "x") {{ ... on Entity {{ {nested} }} }} }}')
    assert result.data is None
    assert result.errors[0].extensions["code"] == "QUERY_TOO_DEEP"


def test_introspection_is_allowed() -> None:
    from graphql import get_introspection_query

    result = _run(get_introspection_query())
    assert result.errors is None
    assert result.data["__schema"]["queryType"]["name"] == "Query"


def test_too_many_aliases_is_rejected() -> None:
    fields = " ".join(f"a{i}: __typename" for i in range(40))
    result = _run(f"{{ {fields} }}")
    assert result.data is None
    assert result.errors


MUTATION = 'mutation { deleteArticle(id: "x") { __typename ... on Error { code message } } }'


def test_mutation_without_key_returns_authentication_error() -> None:
    context = _context(api_key="s3cret")
    result = _run(MUTATION, context)
    assert result.errors is None
    payload = result.data["deleteArticle"]
    assert payload["__typename"] == "AuthenticationError"
    assert "X-API-Key" in payload["message"]


def test_mutation_is_refused_when_no_key_is_configured() -> None:
    context = _context(api_key=None)
    context.api_key = "anything"
    result = _run(MUTATION, context)
    payload = result.data["deleteArticle"]
    assert payload["__typename"] == "AuthenticationError"
    assert "no API key configured" in payload["message"]


def test_wrong_key_is_rejected() -> None:
    context = _context(api_key="s3cret")
    context.api_key = "s3cret-not"
    payload = _run(MUTATION, context).data["deleteArticle"]
    assert payload["__typename"] == "AuthenticationError"


def test_reads_can_require_the_key() -> None:
    context = _context(api_key="s3cret", reads_require_key=True)
    result = _run("{ __typename }", context)
    assert result.data is None
    assert result.errors[0].extensions["code"] == "AUTHENTICATION_REQUIRED"


def test_cost_uses_the_request_variables() -> None:
    query = """query($n: Int!) { entities(first: $n) { nodes { name
      actions(first: $n) { nodes { type actors { name } } } } } }"""
    small: Any = asyncio.run(schema.execute(query, variable_values={"n": 2}))
    assert not any((e.extensions or {}).get("code") == "QUERY_TOO_COSTLY" for e in small.errors)
    large: Any = asyncio.run(schema.execute(query, variable_values={"n": 100}))
    assert large.data is None
    assert large.errors[0].extensions["code"] == "QUERY_TOO_COSTLY"
