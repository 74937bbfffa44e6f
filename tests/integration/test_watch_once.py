"""`kg watch --once` end to end: a local feed, its pages, the real pipeline and Neo4j.

The feed lists a story, a wire copy of it (new headline, ending trimmed) and the same
story under another URL. The story and the copy are stored, the copy linked to the story
by ``DUPLICATE_OF`` in the graph and in the dedup state; the exact copy is not stored.
Everything made is deleted afterwards.
"""

from __future__ import annotations

import contextlib
import uuid
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kg.cli import app
from kg.core.errors import NotFoundError
from kg.core.identity import article_iri, stable_id
from kg.ingest.dedup_store import SqliteDedupStore
from kg.services import Services
from tests.feeds_support import Route, gold, page, rss, serve

pytestmark = pytest.mark.integration


def _wire_copy() -> bytes:
    paras = gold("port-strike").split("\n\n")
    body = "".join(f"<p>{p}</p>" for p in paras[:4])
    return (
        "<html><head><title>Rotterdam port at a standstill</title></head><body>"
        "<nav>Home | World | Business</nav><article><h1>Rotterdam port at a standstill</h1>"
        f"{body}</article><footer>(c) Wire Service</footer></body></html>"
    ).encode()


def test_watch_once_ingests_new_articles_and_links_a_wire_copy(
    services: Services, tmp_path: Path
) -> None:
    run = uuid.uuid4().hex[:12]
    story, wire, mirror = f"/{run}/story", f"/{run}/wire", f"/{run}/mirror"
    routes = {
        story: Route(page("port-strike")),
        wire: Route(_wire_copy()),
        mirror: Route(page("port-strike")),
    }
    env = {
        "NEWSKG_VAR_DIR": str(tmp_path / "var"),
        "NEWSKG_QDRANT_DIR": str(tmp_path / "qdrant"),
        "NEWSKG_FEED_HOST_DELAY_S": "0",
    }
    runner = CliRunner()
    with serve(routes) as site:
        routes["/rss"] = Route(
            rss(
                [
                    (
                        "Dock workers walk out at Rotterdam",
                        site.url(story + "?utm_source=rss"),
                        "x",
                    ),
                    ("Rotterdam port at a standstill", site.url(wire), "x"),
                    ("Rotterdam strike (mirror)", site.url(mirror), "x"),
                ],
                title="Local Wire",
            )
        )
        ids = [stable_id(article_iri(site.url(p), "", "")) for p in (story, wire, mirror)]
        try:
            added = runner.invoke(app, ["feeds", "add", site.url("/rss")], env=env)
            assert added.exit_code == 0, added.output
            result = runner.invoke(app, ["watch", "--once"], env=env)
            assert result.exit_code == 0, result.output
            assert "3 new, 2 stored, 1 duplicate(s), 0 rejected" in result.output

            rows = services.graph.run_read(
                "MATCH (a:Article) WHERE a.id IN $ids RETURN a.id AS id, a.title AS title",
                {"ids": ids},
            )
            assert {r["id"]: r["title"] for r in rows} == {
                ids[0]: "Dock workers walk out at Rotterdam",
                ids[1]: "Rotterdam port at a standstill",
            }
            links = services.graph.run_read(
                "MATCH (c:Article {id: $copy})-[:DUPLICATE_OF]->(o:Article) RETURN o.id AS id",
                {"copy": ids[1]},
            )
            assert links == [{"id": ids[0]}]
            dedup = SqliteDedupStore(tmp_path / "var" / "dedup.sqlite")
            try:
                assert dedup.duplicate_of(ids[1]) == ids[0]
            finally:
                dedup.close()

            again = runner.invoke(app, ["watch", "--once"], env=env)
            assert again.exit_code == 0, again.output
            assert "not modified" in again.output or "0 new" in again.output
            listed = runner.invoke(app, ["feeds", "list"], env=env)
            assert "2 article(s); Local Wire" in listed.output
        finally:
            for article_id in ids:
                with contextlib.suppress(NotFoundError):
                    services.pipeline.delete_article(article_id)
