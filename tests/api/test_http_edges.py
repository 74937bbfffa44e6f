"""HTTP's edges over the real stack: ``HEAD``, strictly typed JSON, and a client that
hangs up mid-body (an everyday event, not a bug: no traceback, no incident)."""

from __future__ import annotations

import logging
import socket
import time

import pytest

from tests.live_server import LiveClient

pytestmark = [pytest.mark.api, pytest.mark.integration]


@pytest.mark.parametrize("path", ["/health", "/search?q=ELN&limit=1", "/openapi.json"])
def test_head_answers_like_get_without_a_body(client: LiveClient, path: str) -> None:
    got = client.get(path)
    head = client.head(path)
    assert head.status_code == got.status_code == 200
    assert head.content == b""
    assert head.headers["content-type"] == got.headers["content-type"]


def test_head_on_a_route_without_get_is_still_refused(client: LiveClient) -> None:
    answer = client.head("/ingest/jobs")
    assert answer.status_code == 405


def test_a_json_boolean_is_not_a_limit(client: LiveClient) -> None:
    answer = client.post("/search", json={"q": "ELN", "limit": True})
    assert answer.status_code == 422
    error = answer.json()["error"]
    assert error["code"] == "INVALID_REQUEST" and "limit" in error["message"]
    assert client.post("/search", json={"q": "ELN", "limit": 1}).status_code == 200


def test_a_client_hanging_up_mid_body_is_one_info_line(
    client: LiveClient, caplog: pytest.LogCaptureFixture
) -> None:
    # GraphQL reads its body itself (FastAPI's REST routes turn the disconnect into a 400);
    # before the handler this was an "unhandled error" with a traceback and an incident.
    host, port = str(client.base_url).removeprefix("http://").rstrip("/").split(":")
    caplog.set_level(logging.INFO, logger="api.rest.error_handlers")
    with socket.create_connection((host, int(port))) as raw:
        raw.sendall(
            b"POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            b"Content-Length: 1000\r\n\r\n" + b'{"query": "{ _'
        )
    deadline = time.monotonic() + 10  # waiting for the server thread, not timing it
    while time.monotonic() < deadline and not any(
        "client closed" in r.getMessage() for r in caplog.records
    ):
        time.sleep(0.05)
    handled = [r for r in caplog.records if r.name == "api.rest.error_handlers"]
    assert any("client closed POST /graphql" in r.getMessage() for r in handled), handled
    assert all(r.levelno < logging.WARNING for r in handled), handled
    assert client.get("/health").status_code == 200
