"""Live updates over a real WebSocket (graphql-transport-ws) against the running server,
while articles are ingested through the ``ingestArticle`` mutation over HTTP; then the
event they make, read back with ``actions(orderBy: SOURCE_COUNT)``.

Every article gets a URL of this module's own and is deleted afterwards.
"""

from __future__ import annotations

import contextlib
import json
import time
import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from kg.core.errors import NotFoundError
from kg.services import Services
from tests.live_server import LocalServer, local_server

websockets_sync = pytest.importorskip("websockets.sync.client")

pytestmark = [pytest.mark.api, pytest.mark.integration]

TOKEN = f"local-{uuid.uuid4()}"
RUN = uuid.uuid4().hex[:8]
PUBLISHED = "2031-05-06"  # far from any other test's articles, so date filters isolate ours
RECEIVE_S = 120  # a safety net against a hung server, not a timing assertion

TEXT_A = (
    "Colombian President Gustavo Petro accused the National Liberation Army (ELN) of "
    "attacking a military base on Monday."
)
TEXT_B = (
    "President Gustavo Petro on Monday accused the National Liberation Army (ELN) of an "
    "attack on an army base."
)

INGEST = """mutation($input: ArticleInput!) { ingestArticle(input: $input) {
  __typename ... on IngestArticleSuccess { article { id } } } }"""
LIVE_ACTIONS = """subscription { actions(target: "ELN", types: ["ACCUSE"]) {
  id type sourceCount targets { name }
  reports { evidence { text } article { title url source } } } }"""
LIVE_ARTICLES = "subscription { articleIngested { id title url source } }"


@pytest.fixture(scope="module")
def server(services: Services) -> Iterator[LocalServer]:
    with local_server(services, TOKEN) as running:
        yield running


@pytest.fixture()
def made(server: LocalServer) -> Iterator[list[str]]:
    ids: list[str] = []
    yield ids
    for article_id in ids:
        with contextlib.suppress(NotFoundError):
            server.services.pipeline.delete_article(article_id)


def ingest(server: LocalServer, title: str, text: str, source: str) -> str:
    variables = {
        "input": {
            "title": title,
            "text": text,
            "published": PUBLISHED,
            "source": source,
            "url": f"https://test.newskg.invalid/live/{RUN}/{source.replace(' ', '-')}",
        }
    }
    answer = server.client.post(
        "/graphql", json={"query": INGEST, "variables": variables}, headers={"X-API-Key": TOKEN}
    ).json()
    result = answer["data"]["ingestArticle"]
    assert result["__typename"] == "IngestArticleSuccess", answer
    return str(result["article"]["id"])


def next_data(ws: Any, sub_id: str) -> dict[str, Any]:
    """The next ``next`` message of subscription ``sub_id`` (others' messages skipped)."""
    while True:
        message = json.loads(ws.recv(timeout=RECEIVE_S))
        assert message["type"] not in ("error", "complete"), message
        if message["type"] == "next" and message["id"] == sub_id:
            assert "errors" not in message["payload"], message
            return dict(message["payload"]["data"])


def test_subscriptions_push_ingested_articles_and_the_events_they_join(
    server: LocalServer, made: list[str]
) -> None:
    url = str(server.client.base_url).replace("http://", "ws://").rstrip("/") + "/graphql"
    with websockets_sync.connect(url, subprotocols=["graphql-transport-ws"]) as ws:
        ws.send(json.dumps({"type": "connection_init", "payload": {}}))
        assert json.loads(ws.recv(timeout=RECEIVE_S))["type"] == "connection_ack"
        ws.send(json.dumps({"id": "a", "type": "subscribe", "payload": {"query": LIVE_ARTICLES}}))
        ws.send(json.dumps({"id": "x", "type": "subscribe", "payload": {"query": LIVE_ACTIONS}}))
        # Ingest only once both subscriptions listen (a wait for a state, not a timing).
        live = server.client.app.state.live
        while live.subscriber_count < 2:
            time.sleep(0.05)

        made.append(ingest(server, "Petro accuses the ELN", TEXT_A, "Outlet A"))
        article = next_data(ws, "a")["articleIngested"]
        assert article["title"] == "Petro accuses the ELN" and article["source"] == "Outlet A"
        first = next_data(ws, "x")["actions"]
        assert first["type"] == "ACCUSE"
        assert "National Liberation Army" in {t["name"] for t in first["targets"]}
        assert first["sourceCount"] == 1

        made.append(ingest(server, "Petro blames the ELN", TEXT_B, "Outlet B"))
        assert next_data(ws, "a")["articleIngested"]["title"] == "Petro blames the ELN"
        second = next_data(ws, "x")["actions"]
        # The second report joined the first one's event: both outlets, both reports.
        assert second["sourceCount"] == 2
        assert {r["article"]["source"] for r in second["reports"]} == {"Outlet A", "Outlet B"}
        assert all(r["evidence"]["text"] for r in second["reports"])
        ws.send(json.dumps({"id": "x", "type": "complete"}))
        ws.send(json.dumps({"id": "a", "type": "complete"}))

    query = """{ actions(target: "ELN", type: "ACCUSE", from: "2031-05-01", to: "2031-05-31",
        orderBy: SOURCE_COUNT, first: 5) { totalCount edges { node { sourceCount
        articleCount reports { article { source } } event { typeConcept sourceCount } } } } }"""
    page = server.client.post("/graphql", json={"query": query}).json()["data"]["actions"]
    # One row per event: the two reports are listed once, most sources first.
    top = page["edges"][0]["node"]
    assert top["sourceCount"] == 2 and top["articleCount"] == 2
    assert top["event"]["typeConcept"] == "https://w3id.org/newskg/plover#ACCUSE"
    assert len(top["reports"]) == 2
