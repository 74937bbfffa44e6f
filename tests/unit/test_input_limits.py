"""One length limit for query text, names and ids; forged cursors; checked before any store."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from typing import Any

import pytest

from api.graphql.connection import MAX_OFFSET, decode_cursor, encode_cursor, page_window
from kg.core.config import Settings
from kg.core.errors import InvalidQueryError
from kg.core.limits import check_id, check_name, check_query, check_text
from tests.live_server import LiveClient
from tests.unit.offline_app import error_of, offline_client


def test_check_text_names_the_field_the_size_and_the_limit() -> None:
    assert check_text("q", "x" * 10, 10) == "x" * 10
    with pytest.raises(InvalidQueryError) as info:
        check_text("q", "x" * 11, 10)
    assert info.value.field == "q"
    assert "11 characters" in info.value.message and "limit is 10" in info.value.message


def test_check_text_counts_words_for_lucene() -> None:
    check_text("q", " ".join(["w"] * 64), 1000, max_words=64)
    with pytest.raises(InvalidQueryError, match="more than 64 words"):
        check_text("q", " ".join(["w"] * 65), 1000, max_words=64)


def test_checks_read_the_settings() -> None:
    settings = Settings(max_query_chars=5, max_name_chars=3, max_id_chars=2)
    assert check_query("search", None, settings) is None
    with pytest.raises(InvalidQueryError):
        check_query("search", "abcdef", settings)
    with pytest.raises(InvalidQueryError):
        check_name("name", "abcd", settings)
    with pytest.raises(InvalidQueryError):
        check_id("id", "abc", settings)


def _forged(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).decode("ascii")


@pytest.mark.parametrize(
    "cursor",
    [
        _forged("cursor:" + "9" * 40),  # overflowed the driver's 64-bit integers
        _forged("cursor:" + "9" * 5000),  # past Python's int-from-str digit limit
        _forged("cursor:²"),  # str.isdigit() says yes, int() says no
        _forged(f"cursor:{MAX_OFFSET}"),
        "A" * 100_000,
    ],
)
def test_forged_cursors_are_invalid_filter_errors(cursor: str) -> None:
    with pytest.raises(Exception, match="after: ") as info:
        page_window(10, cursor)
    assert info.value.extensions == {"code": "INVALID_FILTER", "field": "after"}  # type: ignore[attr-defined]


def test_cursors_up_to_the_cap_round_trip() -> None:
    assert decode_cursor(encode_cursor(MAX_OFFSET - 1)) == MAX_OFFSET - 1


# --------------------------------------------------------------------------- over HTTP

LONG_ID = "i" * 201
LONG_NAME = "n" * 301
LONG_QUERY = "q" * 1001


@pytest.fixture(scope="module")
def client() -> Iterator[LiveClient]:
    with offline_client() as served:
        yield served


def _errors(client: LiveClient, query: str, variables: dict[str, Any]) -> list[dict[str, Any]]:
    response = client.post("/graphql", json={"query": query, "variables": variables})
    assert response.status_code == 200, response.text
    errors = response.json().get("errors")
    assert errors, response.text
    return list(errors)


@pytest.mark.parametrize(
    ("query", "variables", "field"),
    [
        ("query($v: ID) { entity(id: $v) { __typename } }", {"v": LONG_ID}, "id"),
        ("query($v: String) { entity(name: $v) { __typename } }", {"v": LONG_NAME}, "name"),
        ("query($v: String) { entities(search: $v) { totalCount } }", {"v": LONG_QUERY}, "search"),
        (
            "query($v: String) { entities(search: $v) { totalCount } }",
            {"v": " ".join(["w"] * 65)},
            "search",
        ),
        ("query($v: String) { actions(actor: $v) { totalCount } }", {"v": LONG_NAME}, "actor"),
        ("query($v: String) { actions(target: $v) { totalCount } }", {"v": LONG_NAME}, "target"),
        ("query($v: ID!) { article(id: $v) { __typename } }", {"v": LONG_ID}, "id"),
        ("query($v: ID!) { passage(id: $v) { __typename } }", {"v": LONG_ID}, "id"),
        ("query($v: ID!) { neighbors(entityId: $v) { __typename } }", {"v": LONG_ID}, "entityId"),
        ('query($v: ID!) { path(fromId: $v, toId: "x") { __typename } }', {"v": LONG_ID}, "fromId"),
        ('query($v: ID!) { path(fromId: "x", toId: $v) { __typename } }', {"v": LONG_ID}, "toId"),
        (
            "query($v: String) { actions(after: $v) { totalCount } }",
            {"v": _forged("cursor:" + "9" * 40)},
            "after",
        ),
    ],
)
def test_over_long_arguments_are_invalid_filter_errors(
    client: LiveClient, query: str, variables: dict[str, Any], field: str
) -> None:
    (error,) = _errors(client, query, variables)
    assert error["extensions"]["code"] == "INVALID_FILTER", error
    assert error["extensions"]["field"] == field


# ------------------------------------------------- Lucene clauses (more than 1,024 words)

MANY_WORDS = " ".join(["w"] * 1025)  # 1,025 Lucene clauses: Neo4j's TooManyClauses


@pytest.fixture(scope="module")
def roomy_client() -> Iterator[LiveClient]:
    """Room for 1,025 words in the characters: the word limit is the one that answers."""
    with offline_client(max_query_chars=20_000) as served:
        yield served


@pytest.mark.parametrize(
    ("query", "variables", "field"),
    [
        ("query($v: String!) { search(query: $v) { query } }", {"v": MANY_WORDS}, "query"),
        (
            'query($v: String) { search(query: "ELN", filter: {entity: $v}) { query } }',
            {"v": MANY_WORDS},
            "entity",
        ),
        ("query($v: String) { entity(name: $v) { __typename } }", {"v": MANY_WORDS}, "name"),
        ("query($v: String) { entities(search: $v) { totalCount } }", {"v": MANY_WORDS}, "search"),
    ],
)
def test_too_many_words_for_lucene_are_invalid_filter_in_graphql(
    roomy_client: LiveClient, query: str, variables: dict[str, Any], field: str
) -> None:
    (error,) = _errors(roomy_client, query, variables)
    assert error["extensions"]["code"] == "INVALID_FILTER", error
    assert error["extensions"]["field"] == field


@pytest.mark.parametrize(
    ("params", "field"),
    [({"q": MANY_WORDS}, "query"), ({"q": "ELN", "entity": MANY_WORDS}, "entity")],
)
def test_too_many_words_for_lucene_are_invalid_filter_in_rest(
    roomy_client: LiveClient, params: dict[str, str], field: str
) -> None:
    for response in (
        roomy_client.get("/search", params=params),
        roomy_client.post("/search", json=params),
    ):
        assert response.status_code == 422, response.text
        error = error_of(response)
        assert error["code"] == "INVALID_FILTER", error
        assert error["details"]["field"] == field, error


def test_the_query_char_setting_governs_rest_too(client: LiveClient) -> None:
    response = client.get("/search", params={"q": LONG_QUERY})
    assert response.status_code == 422
    assert error_of(response)["code"] == "INVALID_FILTER"
