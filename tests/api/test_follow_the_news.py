"""Following the news end to end, as issue 9 is checked: local feeds, the real pipeline,
Neo4j, and the API over HTTP.

1. Two local feeds (RSS and Atom, two outlets) serve different articles about the same
   prisoner exchange, beside a malformed feed and one whose host is gone. ``kg watch
   --once`` reports the broken two and stores the good two; ``actions(target:)`` then
   gives one Event with its source count and every report as evidence, and a search that
   asks for the "most reported" agreements ranks it by that count.
2. A story and its wire copy: REST ``/search`` and GraphQL ``search`` leave the copy out
   unless ``include_duplicates`` / ``includeDuplicates`` asks for it.

Every article is this module's own (its URLs carry a fresh id; its dates are used by no
other test, and every query is filtered to them) and is deleted afterwards.
"""

from __future__ import annotations

import contextlib
import uuid
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from kg.cli import app
from kg.core.errors import NotFoundError
from kg.core.identity import article_iri, stable_id
from kg.services import Services
from tests.feeds_support import Route, atom, rss, serve
from tests.live_server import LiveClient
from tests.news_support import EXCHANGE_A, EXCHANGE_B, STORY_DAY, story_and_copy

pytestmark = [pytest.mark.api, pytest.mark.integration]

# The feeds publish on Tuesday 21 May 2019; "on Monday" dates the exchange the day before.
RSS_DATE, ATOM_DATE = "Tue, 21 May 2019 08:30:00 GMT", "2019-05-21T09:00:00Z"
FROM, TO = "2019-05-18", "2019-05-31"

ACTIONS = """query($from: Date, $to: Date) {
  actions(target: "National Liberation Army", from: $from, to: $to, orderBy: SOURCE_COUNT,
          first: 20) {
    edges { node { id type sourceCount articleCount event { id sourceCount }
      reports { evidence { text start end } article { id title url source } } } } } }"""

SEARCH = """query($q: String!, $from: Date, $to: Date, $dup: Boolean!, $order: SearchOrder) {
  search(query: $q, limit: 20, filter: {from: $from, to: $to}, includeDuplicates: $dup,
         orderBy: $order) {
    orderBy includeDuplicates understanding { orderBySources orderWords }
    passages { article { id } }
    actions { id sourceCount why { retriever rank score } article { id }
      reports { article { id } } } } }"""


def _graphql(client: LiveClient, query: str, **variables: Any) -> dict[str, Any]:
    response = client.post("/graphql", json={"query": query, "variables": variables})
    body = response.json()
    assert response.status_code == 200 and not body.get("errors"), body
    return dict(body["data"])


def _page(title: str, text: str) -> bytes:
    return (
        f"<html><head><title>{title}</title></head><body><nav>Home | World</nav>"
        f"<article><h1>{title}</h1><p>{text}</p></article><footer>(c) Outlet</footer>"
        "</body></html>"
    ).encode()


def _unreachable_url() -> str:
    with serve({}) as site:
        return site.url("/gone.rss")  # the server is closed once the block ends


def test_two_feeds_one_event_and_a_broken_feed_beside_them(
    services: Services, client: LiveClient, tmp_path: Path
) -> None:
    run = uuid.uuid4().hex[:12]
    story_a, story_b = f"/{run}/a/exchange", f"/{run}/b/exchange"
    routes = {
        story_a: Route(_page("Colombia and ELN sign prisoner exchange", EXCHANGE_A)),
        story_b: Route(_page("Prisoner swap agreed in Caracas", EXCHANGE_B)),
        f"/{run}/broken.rss": Route(b"<rss><channel><item>oops", content_type="text/xml"),
    }
    env = {
        "NEWSKG_VAR_DIR": str(tmp_path / "var"),
        "NEWSKG_QDRANT_DIR": str(tmp_path / "qdrant"),
        "NEWSKG_FEED_HOST_DELAY_S": "0",
    }
    dead = _unreachable_url()
    runner = CliRunner()
    with serve(routes) as site:
        routes[f"/{run}/a.rss"] = Route(
            rss(
                [("Colombia and ELN sign prisoner exchange", site.url(story_a), EXCHANGE_A)],
                title="Outlet A Wire",
                pub_date=RSS_DATE,
            ),
            content_type="application/rss+xml",
        )
        routes[f"/{run}/b.atom"] = Route(
            atom(
                [("Prisoner swap agreed in Caracas", site.url(story_b), EXCHANGE_B)],
                title="Outlet B News",
                updated=ATOM_DATE,
            ),
            content_type="application/atom+xml",
        )
        feeds = [site.url(f"/{run}/{name}") for name in ("a.rss", "b.atom", "broken.rss")]
        urls = {site.url(story_a), site.url(story_b)}
        ids = [stable_id(article_iri(url, "", "")) for url in sorted(urls)]
        try:
            for url in [*feeds, dead]:
                added = runner.invoke(app, ["feeds", "add", url], env=env)
                assert added.exit_code == 0, added.output
            watched = runner.invoke(app, ["watch", "--once"], env=env)
            # Two feeds failed, so the exit code says so; the good ones flowed regardless.
            assert watched.exit_code == 2, watched.output
            for feed in feeds[:2]:
                assert f"{feed}: 1 new, 1 stored" in watched.output, watched.output
            listed = runner.invoke(app, ["feeds", "list"], env=env).output
            assert "not a readable RSS/Atom feed" in listed and "cannot connect" in listed
            assert "1 article(s); Outlet A Wire" in listed
            assert "1 article(s); Outlet B News" in listed

            data = _graphql(client, ACTIONS, **{"from": FROM, "to": TO})
            ours = [
                e["node"]
                for e in data["actions"]["edges"]
                if {r["article"]["url"] for r in e["node"]["reports"]} & urls
            ]
            # One row per event: the two outlets' reports are one Event with two sources.
            assert len(ours) == 1, ours
            event = ours[0]
            assert event["sourceCount"] == 2 and event["articleCount"] == 2
            assert event["event"]["sourceCount"] == 2
            reports = event["reports"]
            assert {r["article"]["url"] for r in reports} == urls
            assert {r["article"]["source"] for r in reports} == {"Outlet A Wire", "Outlet B News"}
            texts = {EXCHANGE_A, EXCHANGE_B}
            for report in reports:
                evidence = report["evidence"]
                assert evidence["text"] and evidence["start"] < evidence["end"]
                assert any(evidence["text"] in text for text in texts), evidence

            asked = _graphql(
                client,
                SEARCH,
                q="most reported agreements with the ELN",
                dup=False,
                **{"from": FROM, "to": TO},
            )["search"]
            assert asked["orderBy"] == "SOURCE_COUNT"
            assert asked["understanding"] == {
                "orderBySources": True,
                "orderWords": ["most reported"],
            }
            counts = [a["sourceCount"] for a in asked["actions"]]
            assert counts == sorted(counts, reverse=True) and counts[0] == 2, asked
            top = asked["actions"][0]
            assert {r["article"]["id"] for r in top["reports"]} == set(ids)
            assert ("sources", 1, 2.0) in {
                (w["retriever"], w["rank"], w["score"]) for w in top["why"]
            }
        finally:
            for article_id in ids:
                with contextlib.suppress(NotFoundError):
                    services.pipeline.delete_article(article_id)


def test_search_leaves_a_wire_copy_out_unless_asked(
    services: Services, client: LiveClient, tmp_path: Path
) -> None:
    day = STORY_DAY.isoformat()
    with story_and_copy(services, tmp_path) as (original, copy):
        params = {"q": "actions against the ELN", "limit": 50, "from": day, "to": day}
        default = client.get("/search", params=params).json()
        assert default["include_duplicates"] is False
        assert {p["article"]["id"] for p in default["passages"]} == {original.id}
        copy_passages = {p.id for p in services.reader.passages_by_article_ids([copy.id])[copy.id]}
        assert default["actions"]
        assert not {a["evidence"]["passage_id"] for a in default["actions"]} & copy_passages

        both = client.get("/search", params={**params, "include_duplicates": "true"}).json()
        assert both["include_duplicates"] is True
        assert {p["article"]["id"] for p in both["passages"]} == {original.id, copy.id}
        assert {a["evidence"]["passage_id"] for a in both["actions"]} & copy_passages

        posted = client.post("/search", json={**params, "order_by": "source_count"}).json()
        assert posted["order_by"] == "source_count"
        assert all(any(w["retriever"] == "sources" for w in a["why"]) for a in posted["actions"])
        refused = client.get("/search", params={**params, "order_by": "loudest"})
        assert refused.status_code == 422
        assert refused.json()["error"]["details"]["field"] == "order_by"

        variables = {"q": "actions against the ELN", "from": day, "to": day}
        hidden = _graphql(client, SEARCH, dup=False, **variables)["search"]
        assert {p["article"]["id"] for p in hidden["passages"]} == {original.id}
        assert {a["article"]["id"] for a in hidden["actions"]} == {original.id}
        # An event both articles report lists the copy's report only when asked.
        assert all(r["article"]["id"] != copy.id for a in hidden["actions"] for r in a["reports"])
        shown = _graphql(client, SEARCH, dup=True, **variables)["search"]
        assert shown["includeDuplicates"] is True
        assert {a["article"]["id"] for a in shown["actions"]} == {original.id, copy.id}
        assert any(r["article"]["id"] == copy.id for a in shown["actions"] for r in a["reports"])
