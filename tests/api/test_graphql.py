"""The GraphQL API over real HTTP (uvicorn in a thread), on the real stack: Neo4j, the
models and an embedded Qdrant in a temporary directory.

The seed is ingested under a URL of its own and deleted afterwards; entities are shared
with other articles, so assertions look for this test's article where it matters.
"""

from __future__ import annotations

import contextlib
import dataclasses
import threading
import uuid
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from kg.core.config import get_settings
from kg.core.errors import NotFoundError
from kg.graph.reads import Neo4jGraphReader
from kg.graph.store import CypherReader
from kg.ingest.parsing import parse_path
from kg.ingest.pipeline import ArticleReport
from kg.search.engine import MAX_LIMIT
from kg.services import Services, bootstrap, build_services, close
from tests.conftest import SEED
from tests.live_server import live_client

pytestmark = [pytest.mark.api, pytest.mark.integration]

API_KEY = f"test-key-{uuid.uuid4()}"
JOINT = "committed to taking joint actions"
SKELETON = """{ search(query: "actions against the ELN", limit: 10) {
  passages { text score article { title published url } }
  entities { name type }
  actions { type date actors { name } targets { name } evidence { text } } } }"""


class CountingConnection:
    """A connection that counts its read round trips (delegates them)."""

    def __init__(self, inner: CypherReader) -> None:
        self.inner = inner
        self.reads = 0
        self._lock = threading.Lock()

    def run_read(self, query: str, params: Mapping[str, Any]) -> list[dict[str, Any]]:
        with self._lock:
            self.reads += 1
        return self.inner.run_read(query, params)


@dataclasses.dataclass
class Stack:
    services: Services
    report: ArticleReport
    url: str  # the base URL of the running server


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    settings = get_settings(qdrant_dir=tmp_path_factory.mktemp("qdrant"), api_key=API_KEY)
    services = build_services(settings)
    bootstrap(services)
    (article,) = parse_path(SEED)
    article = dataclasses.replace(article, url=f"https://test.newskg.invalid/{uuid.uuid4()}")
    report = services.pipeline.ingest_article(article)
    try:
        with live_client(create_app(services=services)) as client:
            yield Stack(services=services, report=report, url=str(client.base_url).rstrip("/"))
    finally:
        with contextlib.suppress(NotFoundError):
            services.pipeline.delete_article(report.article_id)
        close(services)


def gql(
    stack: Stack, query: str, variables: dict[str, Any] | None = None, key: str | None = None
) -> dict[str, Any]:
    headers = {"X-API-Key": key} if key is not None else {}
    response = httpx.post(
        f"{stack.url}/graphql",
        json={"query": query, "variables": variables or {}},
        headers=headers,
        timeout=120,
    )
    assert response.status_code in (200, 400), response.text
    body: dict[str, Any] = response.json()
    return body


def data(stack: Stack, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
    body = gql(stack, query, variables)
    assert not body.get("errors"), body.get("errors")
    result: dict[str, Any] = body["data"]
    return result


def is_eln(entity: Mapping[str, Any]) -> bool:
    return "Liberation" in entity["name"] or entity["name"] == "ELN"


def test_skeleton_query_returns_the_eln_joint_action_with_evidence(stack: Stack) -> None:
    result = data(stack, SKELETON)["search"]
    passages = result["passages"]
    assert passages
    joint = [p for p in passages if JOINT in p["text"]]
    assert joint, [p["text"][:60] for p in passages]
    assert joint[0]["article"]["title"].startswith("Colombia and US")
    assert joint[0]["article"]["published"] == "2026-01-08"
    assert any(is_eln(e) for e in result["entities"])
    actions = [a for a in result["actions"] if JOINT in a["evidence"]["text"]]
    assert actions, [a["evidence"]["text"][:60] for a in result["actions"]]
    action = actions[0]
    assert any(is_eln(t) for t in action["targets"])
    actors = " ".join(a["name"] for a in action["actors"])
    assert "Petro" in actors and "Trump" in actors


def test_search_hits_carry_why_and_full_evidence(stack: Stack) -> None:
    query = """{ search(query: "actions against the ELN", limit: 5) {
      passages { id start end why { retriever rank score path } passage { index } }
      actions { id score why { retriever rank path }
        evidence { text start end passage { id text start end } article { id url } } } } }"""
    result = data(stack, query)["search"]
    for hit in result["passages"]:
        assert hit["why"] and hit["passage"] is not None
    for action in result["actions"]:
        assert action["why"]
        evidence = action["evidence"]
        passage = evidence["passage"]
        assert passage["start"] <= evidence["start"] < evidence["end"] <= passage["end"]
        offset = evidence["start"] - passage["start"]
        assert passage["text"][offset : offset + len(evidence["text"])] == evidence["text"]
        assert evidence["article"]["id"]


def test_entity_by_alias_equals_entity_by_name(stack: Stack) -> None:
    query = """query($name: String!) { entity(name: $name) {
      __typename ... on Entity { id name type aliases } ... on Error { code message } } }"""
    by_alias = data(stack, query, {"name": "ELN"})["entity"]
    by_name = data(stack, query, {"name": "National Liberation Army"})["entity"]
    lower = data(stack, query, {"name": "eln"})["entity"]
    assert by_alias["__typename"] == "Entity", by_alias
    assert by_alias == by_name == lower
    assert by_alias["type"] == "ArmedGroup"
    by_id = data(
        stack,
        query.replace("$name: String!", "$name: ID!").replace("name: $name", "id: $name"),
        {"name": by_alias["id"]},
    )
    assert by_id["entity"]["id"] == by_alias["id"]


def test_rest_search_filter_and_graphql_resolve_an_alias_to_the_same_entity(
    stack: Stack,
) -> None:
    alias = "eln"  # an alias, in another case than the stored "ELN"
    resolved = data(stack, f'{{ entity(name: "{alias}") {{ ... on Entity {{ id aliases }} }} }}')
    entity = resolved["entity"]
    assert "ELN" in entity["aliases"], entity

    def rest_search(key: str) -> dict[str, Any]:
        response = httpx.get(
            f"{stack.url}/search",
            params={"q": "joint actions", "limit": 5, "entity": key},
            headers={"X-API-Key": API_KEY},
            timeout=120,
        )
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body

    by_alias = rest_search(alias)
    assert by_alias["passages"], by_alias
    # The filter by alias returns exactly what the filter by GraphQL's entity id returns.
    assert by_alias == rest_search(entity["id"])
    query = """query($key: String!) { actions(target: $key, first: 100) { nodes { id } } }"""
    by_alias_actions = data(stack, query, {"key": alias})["actions"]["nodes"]
    assert by_alias_actions
    assert by_alias_actions == data(stack, query, {"key": entity["id"]})["actions"]["nodes"]


def test_missing_entity_is_a_typed_not_found(stack: Stack) -> None:
    query = (
        """{ entity(id: "no-such-entity") { __typename ... on NotFoundError { kind key code } } }"""
    )
    assert data(stack, query)["entity"] == {
        "__typename": "NotFoundError",
        "kind": "Entity",
        "key": "no-such-entity",
        "code": "NOT_FOUND",
    }


def test_entity_fields_roles_actions_mentions_related(stack: Stack) -> None:
    query = """{ entity(name: "Armando Benedetti") { ... on Entity {
      name roles { title organization { name } }
      mentions(first: 3) { id text article { id title } }
      relatedEntities(first: 5) { entity { name } sharedActions } } } }"""
    entity = data(stack, query)["entity"]
    assert entity["name"] == "Armando Benedetti"
    assert any(
        "interior minister" in r["title"].lower()
        and (r["organization"] or {}).get("name") == "Colombia"
        for r in entity["roles"]
    ), entity["roles"]
    assert entity["mentions"] and all(m["article"]["title"] for m in entity["mentions"])
    query = """{ entity(name: "ELN") { ... on Entity {
      asTarget: actions(role: TARGET, first: 50) { totalCount nodes { targets { name } } }
      asActor: actions(role: ACTOR, first: 50) { nodes { actors { name } } } } } }"""
    eln = data(stack, query)["entity"]
    assert eln["asTarget"]["totalCount"] >= 2
    assert all(any(is_eln(t) for t in a["targets"]) for a in eln["asTarget"]["nodes"])
    assert all(any(is_eln(t) for t in a["actors"]) for a in eln["asActor"]["nodes"])


def test_actions_paginate_with_cursors_without_duplicates(stack: Stack) -> None:
    query = """query($after: String) { actions(target: "ELN", first: 2, after: $after) {
      totalCount edges { cursor node { id } }
      pageInfo { hasNextPage hasPreviousPage endCursor } } }"""
    seen: list[str] = []
    after = None
    pages = 0
    while True:
        page = data(stack, query, {"after": after})["actions"]
        seen += [edge["node"]["id"] for edge in page["edges"]]
        assert page["pageInfo"]["hasPreviousPage"] == (after is not None)
        pages += 1
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    total = page["totalCount"]
    assert total >= 3 and pages >= 2
    assert len(seen) == len(set(seen)) == total
    everything = data(stack, '{ actions(target: "ELN", first: 100) { nodes { id } } }')
    assert seen == [n["id"] for n in everything["actions"]["nodes"]]


def test_actions_filter_by_cameo_codes(stack: Stack) -> None:
    query = '{ actions(targetCode: "COLREB", first: 100) { totalCount nodes { targetCodes } } }'
    page = data(stack, query)["actions"]
    assert page["totalCount"] >= 3  # the seed's actions against the ELN
    assert all(any(c.startswith("COLREB") for c in n["targetCodes"]) for n in page["nodes"])
    query = '{ actions(actorSector: "MIL", first: 100) { nodes { actorCodes } } }'
    nodes = data(stack, query)["actions"]["nodes"]
    assert nodes  # "US forces" (USAMIL) in the seed
    assert all(any("MIL" in (c[:3], c[3:6]) for c in n["actorCodes"]) for n in nodes)
    body = gql(stack, '{ actions(actorCode: "C0L!") { totalCount } }')
    assert body["errors"][0]["extensions"]["code"] == "INVALID_FILTER"


def test_bad_cursor_and_range_are_invalid_filter_errors(stack: Stack) -> None:
    body = gql(stack, '{ actions(first: 2, after: "garbage") { totalCount } }')
    assert body["errors"][0]["extensions"]["code"] == "INVALID_FILTER"
    body = gql(stack, '{ articles(from: "2026-02-01", to: "2026-01-01") { totalCount } }')
    assert body["errors"][0]["extensions"]["code"] == "INVALID_FILTER"


def test_articles_and_passages(stack: Stack) -> None:
    article_id = stack.report.article_id
    query = """query($id: ID!) { article(id: $id) { __typename ... on Article {
      id title published url passages { id index start end text article { id } }
      actions { id evidence { text } } entities { name } } } }"""
    article = data(stack, query, {"id": article_id})["article"]
    assert article["__typename"] == "Article" and article["id"] == article_id
    passages = article["passages"]
    assert [p["index"] for p in passages] == sorted(p["index"] for p in passages)
    assert all(p["article"]["id"] == article_id for p in passages)
    assert any(JOINT in a["evidence"]["text"] for a in article["actions"])
    passage = data(
        stack,
        "query($id: ID!) { passage(id: $id) { ... on Passage { id text } } }",
        {"id": passages[0]["id"]},
    )["passage"]
    assert passage == {"id": passages[0]["id"], "text": passages[0]["text"]}
    listed = data(
        stack, '{ articles(first: 100, from: "2026-01-08", to: "2026-01-08") { nodes { id } } }'
    )
    assert article_id in [a["id"] for a in listed["articles"]["nodes"]]


def test_neighbors_and_depth_limit(stack: Stack) -> None:
    eln = data(stack, '{ entity(name: "ELN") { ... on Entity { id } } }')["entity"]["id"]
    query = """query($id: ID!, $depth: Int!) { neighbors(entityId: $id, depth: $depth) {
      __typename ... on Neighborhood { neighbors { distance entity { name } } }
      ... on InvalidFilterError { field code message } } }"""
    near = data(stack, query, {"id": eln, "depth": 1})["neighbors"]
    names = {n["entity"]["name"] for n in near["neighbors"]}
    assert "Gustavo Petro" in names, names
    assert {n["distance"] for n in near["neighbors"]} == {1}
    wider = data(stack, query, {"id": eln, "depth": 2})["neighbors"]
    assert len(wider["neighbors"]) >= len(near["neighbors"])
    too_deep = data(stack, query, {"id": eln, "depth": 4})["neighbors"]
    assert too_deep["__typename"] == "InvalidFilterError"
    assert too_deep["field"] == "depth" and too_deep["code"] == "INVALID_FILTER"


def test_path_between_entities(stack: Stack) -> None:
    ids = data(
        stack,
        """{ a: entity(name: "Armando Benedetti") { ... on Entity { id } }
             b: entity(name: "ELN") { ... on Entity { id } } }""",
    )
    query = """query($a: ID!, $b: ID!) { path(fromId: $a, toId: $b, maxLength: 4) {
      __typename ... on Path { length nodes { id kind name }
        relationships { type startId endId } } } }"""
    path = data(stack, query, {"a": ids["a"]["id"], "b": ids["b"]["id"]})["path"]
    assert path is not None and path["__typename"] == "Path"
    assert path["nodes"][0]["id"] == ids["a"]["id"] and path["nodes"][-1]["id"] == ids["b"]["id"]
    assert len(path["relationships"]) == path["length"] == len(path["nodes"]) - 1
    allowed = {"HAS_ACTOR", "HAS_TARGET", "HAS_PLACE", "ATTRIBUTED_TO", "HOLDS_ROLE", "ROLE_IN"}
    assert {r["type"] for r in path["relationships"]} <= allowed
    too_long = data(
        stack,
        query.replace("maxLength: 4", "maxLength: 5"),
        {"a": ids["a"]["id"], "b": ids["b"]["id"]},
    )
    assert too_long["path"]["__typename"] == "InvalidFilterError"


def test_abusive_queries_are_rejected(stack: Stack) -> None:
    nested = "name"
    for _ in range(12):
        nested = f"relatedEntities(first: 1) {{ entity {{ {nested} }} }}"
    body = gql(stack, f'{{ entity(name: "ELN") {{ ... on Entity {{ {nested} }} }} }}')
    assert body.get("data") is None
    assert body["errors"][0]["extensions"]["code"] == "QUERY_TOO_DEEP"
    costly = """{ entities(first: 100) { nodes { actions(first: 100) { nodes {
      actors { relatedEntities(first: 100) { entity { name } } } } } } } }"""
    body = gql(stack, costly)
    assert body.get("data") is None
    assert body["errors"][0]["extensions"]["code"] == "QUERY_TOO_COSTLY"


INGEST = """mutation($input: ArticleInput!) { ingestArticle(input: $input) {
  __typename
  ... on IngestArticleSuccess { created article { id title url } passages { id }
        entities { name } actions { type evidence { text } } }
  ... on ValidationError { field message }
  ... on AuthenticationError { code message } } }"""
DELETE = """mutation($id: ID!) { deleteArticle(id: $id) { __typename
  ... on DeleteArticleSuccess { articleId passagesRemoved nodesRemoved }
  ... on Error { code message } } }"""


def _article_input(url: str) -> dict[str, Any]:
    return {
        "title": "Peru and Chile sign a fishing accord",
        "text": (
            "Peru's President Dina Boluarte signed a fishing agreement with Chile on Monday "
            "in Lima, officials said.\n\nChile's foreign minister Alberto van Klaveren "
            "praised the accord and said both countries would cooperate on coastal patrols."
        ),
        "published": "2026-01-12",
        "url": url,
        "source": "newskg tests",
        "section": "World",
    }


def test_mutations_need_the_api_key(stack: Stack) -> None:
    url = f"https://test.newskg.invalid/{uuid.uuid4()}"
    for key in (None, "wrong-key"):
        body = gql(stack, INGEST, {"input": _article_input(url)}, key=key)
        assert not body.get("errors"), body
        result = body["data"]["ingestArticle"]
        assert result["__typename"] == "AuthenticationError"
        assert result["code"] == "AUTHENTICATION_REQUIRED"
        assert "X-API-Key" in result["message"]
    body = gql(stack, DELETE, {"id": stack.report.article_id})
    assert body["data"]["deleteArticle"]["__typename"] == "AuthenticationError"
    still_there = data(
        stack,
        "query($id: ID!) { article(id: $id) { __typename } }",
        {"id": stack.report.article_id},
    )
    assert still_there["article"]["__typename"] == "Article"


def test_ingest_then_delete_with_the_key(stack: Stack) -> None:
    url = f"https://test.newskg.invalid/{uuid.uuid4()}"
    created_id: str | None = None
    try:
        body = gql(stack, INGEST, {"input": _article_input(url)}, key=API_KEY)
        assert not body.get("errors"), body
        result = body["data"]["ingestArticle"]
        assert result["__typename"] == "IngestArticleSuccess", result
        created_id = result["article"]["id"]
        assert result["created"] is True and result["article"]["url"] == url
        metrics = httpx.get(f"{stack.url}/metrics", timeout=30).text
        assert "newskg_ingested_articles_total 1.0" in metrics
        assert result["passages"]
        names = {e["name"] for e in result["entities"]}
        assert any("Boluarte" in n for n in names), names
        found = data(
            stack, "query($id: ID!) { article(id: $id) { __typename } }", {"id": created_id}
        )
        assert found["article"]["__typename"] == "Article"

        body = gql(stack, DELETE, {"id": created_id}, key=API_KEY)
        deleted = body["data"]["deleteArticle"]
        assert deleted["__typename"] == "DeleteArticleSuccess", deleted
        assert deleted["articleId"] == created_id
        assert deleted["passagesRemoved"] == len(result["passages"])
        created_id = None
        gone = data(
            stack,
            "query($id: ID!) { article(id: $id) { __typename } }",
            {"id": result["article"]["id"]},
        )
        assert gone["article"]["__typename"] == "NotFoundError"
        again = gql(stack, DELETE, {"id": result["article"]["id"]}, key=API_KEY)
        assert again["data"]["deleteArticle"]["__typename"] == "NotFoundError"
    finally:
        if created_id is not None:
            with contextlib.suppress(NotFoundError):
                stack.services.pipeline.delete_article(created_id)


def test_invalid_article_is_a_validation_error(stack: Stack) -> None:
    bad = _article_input("not a url")
    body = gql(stack, INGEST, {"input": bad}, key=API_KEY)
    result = body["data"]["ingestArticle"]
    assert result["__typename"] == "ValidationError" and result["field"] == "url"


ROUND_TRIP_QUERY = """query($n: Int!) { entities(first: $n) { edges { node {
  name roles { title organization { name } }
  actions(first: 5) { totalCount nodes { type actors { name } targets { name }
    evidence { text passage { id } article { title } } } } } } } }"""


def test_round_trips_are_bounded_and_independent_of_page_size(stack: Stack) -> None:
    real = stack.services.reader
    counting = CountingConnection(stack.services.graph)
    # The app reads services.reader per request: a reader over the counting connection.
    stack.services.reader = Neo4jGraphReader(counting)
    try:
        counts = {}
        total = data(stack, "{ entities(first: 0) { totalCount } }")["entities"]["totalCount"]
        assert total >= 9  # the seed's entities at least
        # 40 stays under the default cost limit, whatever else the shared graph holds.
        large = min(40, total)
        # The small page reaches the first entity with actions (other tests' entities,
        # without actions, may come first in the shared graph), so both pages read every level.
        first_page = data(stack, ROUND_TRIP_QUERY, {"n": large})["entities"]["edges"]
        with_actions = [i for i, e in enumerate(first_page) if e["node"]["actions"]["nodes"]]
        assert with_actions, "no entity with actions among the first page"
        small = max(min(6, large), with_actions[0] + 1)
        for n in (2, small, large):
            counting.reads = 0
            result = data(stack, ROUND_TRIP_QUERY, {"n": n})
            edges = result["entities"]["edges"]
            assert len(edges) == n
            assert any(e["node"]["actions"]["nodes"] for e in edges) or n == 2
            counts[n] = counting.reads
    finally:
        stack.services.reader = real
    print(f"neo4j round trips by page size: {counts}")
    # One query per level (entities, roles, actions, participants, passages, articles),
    # however many entities the page holds; small pages may skip empty levels.
    assert all(count <= 6 for count in counts.values()), counts
    assert counts[large] == counts[small], counts


def test_graphiql_is_served(stack: Stack) -> None:
    response = httpx.get(f"{stack.url}/graphql", headers={"Accept": "text/html"}, timeout=30)
    assert response.status_code == 200
    assert "graphiql" in response.text.lower()


SEARCH_FILTERED = """query($f: SearchFilterInput) {
  search(query: "actions against the ELN", limit: 10, filter: $f) {
    passages { text article { published } } actions { type targets { name } } } }"""


def test_search_filter_narrows_types_and_dates(stack: Stack) -> None:
    accusations = data(stack, SEARCH_FILTERED, {"f": {"types": ["ACCUSE"]}})["search"]
    assert accusations["actions"], accusations
    assert {a["type"] for a in accusations["actions"]} == {"ACCUSE"}
    assert all(any(is_eln(t) for t in a["targets"]) for a in accusations["actions"])

    before = data(stack, SEARCH_FILTERED, {"f": {"to": "2025-12-31"}})["search"]
    assert all(
        p["article"]["published"] is not None and p["article"]["published"] <= "2025-12-31"
        for p in before["passages"]
    ), before["passages"]
    body = gql(stack, SEARCH_FILTERED, {"f": {"from": "2026-02-01", "to": "2026-01-01"}})
    assert body["errors"][0]["extensions"]["code"] == "INVALID_FILTER", body


@pytest.mark.parametrize("text", ["NOT", "ELN OR", "AND Petro", "x && y || !z", "(ELN"])
def test_lucene_keywords_and_operators_are_searched_literally(stack: Stack, text: str) -> None:
    body = gql(
        stack,
        """query($s: String!) {
          entities(search: $s) { totalCount }
          entity(name: $s) { __typename }
          actions(actor: $s) { totalCount }
          search(query: $s, limit: 3) { query } }""",
        {"s": text},
    )
    assert not body.get("errors"), body["errors"]
    assert body["data"]["entity"]["__typename"] in ("Entity", "NotFoundError")


def test_entity_name_with_a_keyword_finds_the_entity(stack: Stack) -> None:
    found = data(stack, '{ entity(name: "ELN OR") { ... on Entity { name aliases } } }')
    assert is_eln(found["entity"]), found


def test_invalid_filter_raised_inside_search_has_its_code(stack: Stack) -> None:
    body = gql(stack, SEARCH_FILTERED, {"f": {"entity": f"nobody-{uuid.uuid4()}"}})
    (error,) = body["errors"]
    assert error["extensions"]["code"] == "INVALID_FILTER", error
    assert error["extensions"]["field"] == "entity"
    assert "no entity with id, name or alias" in error["message"]


def test_outage_is_service_unavailable_not_masked(tmp_path: Path) -> None:
    settings = get_settings(neo4j_uri="bolt://127.0.0.1:9", qdrant_dir=tmp_path / "qdrant")
    services = build_services(settings)
    try:
        with TestClient(create_app(services=services)) as down:
            response = down.post("/graphql", json={"query": "{ entities { totalCount } }"})
        (error,) = response.json()["errors"]
        assert error["extensions"]["code"] == "SERVICE_UNAVAILABLE", error
        assert error["message"] == "a backing service is unavailable"
        assert "127.0.0.1" not in response.text
    finally:
        close(services)


def test_search_limit_is_the_same_cap_as_rest(stack: Stack) -> None:
    ok = gql(stack, f'{{ search(query: "ELN", limit: {MAX_LIMIT}) {{ query }} }}')
    assert not ok.get("errors"), ok["errors"]
    over = gql(stack, f'{{ search(query: "ELN", limit: {MAX_LIMIT + 1}) {{ query }} }}')
    assert over["errors"][0]["extensions"]["code"] == "INVALID_FILTER"
    rest = httpx.get(f"{stack.url}/search", params={"q": "ELN", "limit": MAX_LIMIT + 1})
    assert rest.status_code == 422
