"""Hostile-but-honest inputs, over HTTP on the real stack: each answers a typed 4xx (REST)
or a typed GraphQL error, never a 500, a reset connection or "Unexpected error".

Each case here was found by probing a running server (a 500, a reset or an uncoded error
before the fix). Bodies are sent as raw bytes: a lone surrogate (``\\ud800``) is valid JSON
syntax that no UTF-8 encoder takes, so a JSON library would refuse to send it.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.live_server import LiveClient

pytestmark = [pytest.mark.api, pytest.mark.integration]
websockets_sync = pytest.importorskip("websockets.sync.client")
ConnectionClosed = pytest.importorskip("websockets.exceptions").ConnectionClosed

JSON = {"content-type": "application/json"}
GRAPHQL_RESPONSE = {**JSON, "accept": "application/graphql-response+json"}
SEARCH = "query($q: String!) { search(query: $q) { passages { text } } }"
ACTIONS = "query($n: Int) { actions(first: $n) { edges { node { type } } } }"


def _error(response: Any) -> tuple[int, str]:
    """(status, error code) of a REST error envelope; fails on anything else."""
    body = response.json()
    assert "error" in body, body
    return response.status_code, body["error"]["code"]


def _gql_code(response: Any) -> str:
    body = response.json()
    assert body.get("errors"), body
    codes = {(e.get("extensions") or {}).get("code") for e in body["errors"]}
    assert None not in codes, body
    assert "Unexpected error." not in json.dumps(body), body
    return str(codes.pop())


@pytest.mark.parametrize(
    "body",
    [
        b'{"q": "ELN", "entity": "\\ud800"}',  # reached the Neo4j driver: a 500
        b'{"q": "ELN", "from": "\\ud800"}',  # the error quoted it: the connection was reset
        b'{"q": "ELN", "types": ["\\udfff"]}',
        b'{"q": "ELN\\ud800 x"}',
    ],
)
def test_rest_lone_surrogates_are_client_errors(client: LiveClient, body: bytes) -> None:
    status, code = _error(client.post("/search", content=body, headers=JSON))
    assert status == 422 and code in {"INVALID_FILTER", "INVALID_REQUEST"}


def test_rest_lone_surrogate_in_the_entity_filter_names_the_field(client: LiveClient) -> None:
    response = client.post("/search", content=b'{"q": "ELN", "entity": "x\\ud800"}', headers=JSON)
    assert _error(response) == (422, "INVALID_FILTER")
    assert response.json()["error"]["details"]["field"] == "entity"


@pytest.mark.parametrize(
    ("query", "variables"),
    [
        (SEARCH, b'{"q": "\\ud800"}'),  # was "Unexpected error." (the tokenizer)
        ("query($q: String!) { entity(name: $q) { __typename } }", b'{"q": "x\\udfff"}'),
        ("{ __typename }", b'{"\\ud800": 1}'),
    ],
)
def test_graphql_lone_surrogates_are_bad_requests(
    client: LiveClient, query: str, variables: bytes
) -> None:
    body = b'{"query": ' + json.dumps(query).encode() + b', "variables": ' + variables + b"}"
    assert _error(client.post("/graphql", content=body, headers=JSON)) == (400, "BAD_REQUEST")


@pytest.mark.parametrize(
    "body",
    [
        b"[" * 100_000 + b"]" * 100_000,  # RecursionError in the JSON parser: a 500
        b'{"query": "{ __typename }", "variables": {"a": ' + b"[" * 50_000 + b"]" * 50_000 + b"}}",
    ],
)
def test_graphql_deeply_nested_json_is_a_bad_request(client: LiveClient, body: bytes) -> None:
    assert _error(client.post("/graphql", content=body, headers=JSON)) == (400, "BAD_REQUEST")


@pytest.mark.parametrize(
    ("method", "kwargs"),
    [
        ("POST", {"content": b'{"query": null}', "headers": JSON}),
        ("POST", {"content": b'{"query": ""}', "headers": JSON}),
        ("POST", {"content": b'{"query": "{ __typename }", "operationName": "Nope"}'}),
        ("GET", {"params": {"query": 'mutation { deleteArticle(id: "x") { __typename } }'}}),
        # Strawberry resolved a subscription sent over HTTP as a query: "Unexpected error."
        ("POST", {"content": b'{"query": "subscription { articleIngested { id } }"}'}),
    ],
)
def test_graphql_request_errors_are_json_envelopes(
    client: LiveClient, method: str, kwargs: dict[str, Any]
) -> None:
    kwargs.setdefault("headers", JSON)
    status, code = _error(client.request(method, "/graphql", **kwargs))
    assert (status, code) == (400, "BAD_REQUEST")


def test_unknown_fragment_is_a_validation_error(client: LiveClient) -> None:
    # Strawberry's depth limiter raised KeyError: an error without a code.
    answer = client.post("/graphql", json={"query": "{ ...Nope }"})
    assert _gql_code(answer) == "GRAPHQL_VALIDATION_FAILED"
    answer = client.post("/graphql", json={"query": "{ ...Nope }"}, headers=GRAPHQL_RESPONSE)
    assert answer.status_code == 400 and _gql_code(answer) == "GRAPHQL_VALIDATION_FAILED"


@pytest.mark.parametrize(
    ("query", "variables"),
    [
        (ACTIONS, {"n": "x"}),
        (ACTIONS, {"n": 1.5}),
        (ACTIONS, {"n": -(2**40)}),  # past 32 bits (a big positive one costs too much)
        (SEARCH, {}),
        (
            "mutation($a: ArticleInput!) { ingestArticle(input: $a) { __typename } }",
            {"a": {"title": "t", "text": "x", "published": "2026-13-45"}},
        ),
    ],
)
def test_variables_that_do_not_fit_their_types_have_a_code(
    client: LiveClient, query: str, variables: dict[str, Any]
) -> None:
    body = {"query": query, "variables": variables}
    assert _gql_code(client.post("/graphql", json=body)) == "GRAPHQL_VALIDATION_FAILED"
    answer = client.post("/graphql", json=body, headers=GRAPHQL_RESPONSE)
    assert answer.status_code == 400


def test_cached_validation_still_applies_the_per_request_cost(client: LiveClient) -> None:
    # The document is validated once and cached; its cost depends on the variables.
    small = client.post("/graphql", json={"query": ACTIONS, "variables": {"n": 2}}).json()
    assert "errors" not in small, small
    again = client.post("/graphql", json={"query": ACTIONS, "variables": {"n": 2}}).json()
    assert again == small
    huge = client.post("/graphql", json={"query": ACTIONS, "variables": {"n": 100_000}})
    assert _gql_code(huge) == "QUERY_TOO_COSTLY"


def _ws_url(client: LiveClient) -> str:
    return str(client.base_url).replace("http://", "ws://") + "/graphql"


@pytest.mark.parametrize(
    "message",
    [
        "[]",  # not an object: the handler raised TypeError and dropped the connection
        "null",
        '{"id": "1", "type": "subscribe", "payload": null}',
        '{"id": "1", "type": "subscribe", "payload": {"query": 5}}',
        '{"id": 5, "type": "subscribe", "payload": {"query": "{ __typename }"}}',
        # decoded to a lone surrogate: the decoder's 400 broke the WebSocket (an ASGI error)
        '{"id": "1", "type": "subscribe", "payload": {"query": "subscription($t: String) '
        '{ actions(target: $t) { type } }", "variables": {"t": "\\ud800"}}}',
        "[" * 100_000,
    ],
)
def test_malformed_subscription_messages_close_with_4400(client: LiveClient, message: str) -> None:
    with websockets_sync.connect(_ws_url(client), subprotocols=["graphql-transport-ws"]) as ws:
        ws.send('{"type": "connection_init"}')
        assert json.loads(ws.recv(timeout=30))["type"] == "connection_ack"
        ws.send(message)
        with pytest.raises(ConnectionClosed) as closed:
            ws.recv(timeout=30)
    assert closed.value.rcvd is not None and closed.value.rcvd.code == 4400


def test_legacy_protocol_answers_a_malformed_start_with_an_error(client: LiveClient) -> None:
    with websockets_sync.connect(_ws_url(client), subprotocols=["graphql-ws"]) as ws:
        ws.send('{"type": "connection_init"}')
        assert json.loads(ws.recv(timeout=30))["type"] == "connection_ack"
        ws.send("[]")  # ignored, like a message that is not JSON
        ws.send('{"type": "start", "id": "1", "payload": null}')
        answer = json.loads(ws.recv(timeout=30))
    assert answer["type"] == "error" and answer["id"] == "1"
    assert answer["payload"]["extensions"]["code"] == "BAD_REQUEST"


def test_subscription_validation_errors_have_a_code(client: LiveClient) -> None:
    with websockets_sync.connect(_ws_url(client), subprotocols=["graphql-transport-ws"]) as ws:
        ws.send('{"type": "connection_init"}')
        assert json.loads(ws.recv(timeout=30))["type"] == "connection_ack"
        ws.send('{"id": "1", "type": "subscribe", "payload": {"query": "subscription { nope }"}}')
        answer = json.loads(ws.recv(timeout=30))
    assert answer["type"] == "error", answer
    assert {e["extensions"]["code"] for e in answer["payload"]} == {"GRAPHQL_VALIDATION_FAILED"}
