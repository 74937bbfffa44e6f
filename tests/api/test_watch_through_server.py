"""`kg watch --once` while `kg serve` runs: articles go through the server's ingest jobs
(it owns the stores); duplicates are decided by the watcher and linked in Neo4j.

A local feed serves a story, a wire copy of it and an exact copy; everything stored is
deleted afterwards.
"""

from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from api.app import create_app
from kg.cli import app
from kg.core.config import get_settings
from kg.core.errors import NotFoundError
from kg.core.identity import article_iri, stable_id
from kg.ops.server_handle import ServerHandle, write_handle
from kg.services import Services, bootstrap, build_services, close
from tests.feeds_support import Route, gold, page, rss, serve
from tests.live_server import live_client

pytestmark = [pytest.mark.api, pytest.mark.integration]

TOKEN = f"local-{uuid.uuid4()}"


@pytest.fixture(scope="module")
def running(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Services, str]]:
    services = build_services(get_settings(qdrant_dir=tmp_path_factory.mktemp("qdrant")))
    bootstrap(services)
    try:
        with live_client(create_app(services=services, local_token=TOKEN)) as client:
            yield services, str(client.base_url).rstrip("/")
    finally:
        close(services)


def _wire_copy() -> bytes:
    paras = "".join(f"<p>{p}</p>" for p in gold("port-strike").split("\n\n")[:4])
    return (
        "<html><head><title>Rotterdam port at a standstill</title></head><body><article>"
        f"<h1>Rotterdam port at a standstill</h1>{paras}</article></body></html>"
    ).encode()


def test_watch_once_ingests_through_the_running_server(
    running: tuple[Services, str], tmp_path: Path
) -> None:
    services, url = running
    var = tmp_path / "var"
    write_handle(get_settings(var_dir=var), ServerHandle(url=url, pid=os.getpid(), token=TOKEN))
    env = {"NEWSKG_VAR_DIR": str(var), "NEWSKG_FEED_HOST_DELAY_S": "0"}
    run = uuid.uuid4().hex[:12]
    story, wire, mirror = f"/{run}/story", f"/{run}/wire", f"/{run}/mirror"
    routes = {
        story: Route(page("port-strike")),
        wire: Route(_wire_copy()),
        mirror: Route(page("port-strike")),
    }
    runner = CliRunner()
    with serve(routes) as site:
        routes["/rss"] = Route(
            rss(
                [
                    ("Dock workers walk out", site.url(story), "x"),
                    ("Rotterdam port at a standstill", site.url(wire), "x"),
                    ("Rotterdam strike (mirror)", site.url(mirror), "x"),
                ]
            )
        )
        ids = [stable_id(article_iri(site.url(p), "", "")) for p in (story, wire, mirror)]
        try:
            assert runner.invoke(app, ["feeds", "add", site.url("/rss")], env=env).exit_code == 0
            result = runner.invoke(app, ["watch", "--once"], env=env)
            assert result.exit_code == 0, result.output
            assert "3 new, 2 stored, 1 duplicate(s), 0 rejected" in result.output
            assert f"ingesting through the server at {url}" in result.output
            assert not (var / "qdrant").exists()  # the server's store, not one of ours
            stored = services.graph.run_read(
                "MATCH (a:Article) WHERE a.id IN $ids RETURN a.id AS id", {"ids": ids}
            )
            assert {r["id"] for r in stored} == set(ids[:2])
            links = services.graph.run_read(
                "MATCH (:Article {id: $copy})-[:DUPLICATE_OF]->(o:Article) RETURN o.id AS id",
                {"copy": ids[1]},
            )
            assert links == [{"id": ids[0]}]
        finally:
            for article_id in ids:
                with contextlib.suppress(NotFoundError):
                    services.pipeline.delete_article(article_id)
