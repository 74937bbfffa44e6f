"""`kg check` while `kg serve` runs: the server owns the embedded vector store, so the
command asks it (`/admin/check`, `/admin/check/repair`) over real HTTP, with the local token.

Every article gets a URL of this module's own and is deleted afterwards.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from kg.cli import app
from kg.core.config import get_settings
from kg.core.errors import NotFoundError
from kg.core.models import Article
from kg.ingest.parsing import parse_path
from kg.ops.server_handle import ServerHandle, write_handle
from kg.services import Services
from tests.conftest import SEED
from tests.live_server import LocalServer, local_server

pytestmark = [pytest.mark.api, pytest.mark.integration]

TOKEN = f"local-{uuid.uuid4()}"
PREFIX = f"https://test.newskg.invalid/check/{uuid.uuid4().hex[:8]}/"


@pytest.fixture(scope="module")
def server(services: Services) -> Iterator[LocalServer]:
    with local_server(services, TOKEN) as running:
        yield running


@pytest.fixture()
def seed_copies(server: LocalServer) -> Iterator[list[Article]]:
    (seed,) = parse_path(SEED)
    articles = [dataclasses.replace(seed, url=f"{PREFIX}{n}") for n in range(2)]
    yield articles
    for article in articles:
        with contextlib.suppress(NotFoundError):
            server.services.pipeline.delete_article(article.id)
    # The points of the article never stored in the graph, whatever a repair left.
    server.services.vectors.delete(
        [p.id for p in server.services.pipeline.prepare(articles[1]).points]
    )


def test_kg_check_asks_the_running_server(
    server: LocalServer, seed_copies: list[Article], tmp_path: Path
) -> None:
    pipeline, vectors = server.services.pipeline, server.services.vectors
    stored, crashed = seed_copies
    report = pipeline.ingest_article(stored)
    vectors.upsert(list(pipeline.prepare(crashed).points))  # its graph write never happened
    (first,) = [p for p in pipeline.prepare(stored).points if p.payload["index"] == 0]
    vectors.delete([first.id])
    var = tmp_path / "var"
    write_handle(get_settings(var_dir=var), ServerHandle(server.url, os.getpid(), TOKEN))
    env = {"NEWSKG_VAR_DIR": str(var)}

    def kg_check(*args: str) -> tuple[int, list[str]]:
        result = CliRunner().invoke(app, ["check", "--url-prefix", PREFIX, *args], env=env)
        assert f"checked through the server at {server.url}" in result.output
        return result.exit_code, result.output.splitlines()

    code, lines = kg_check()
    assert code == 1
    assert f"graph: 1 article(s), {report.passages} passage(s); vectors: " in "\n".join(lines)
    assert f"missing_vector: passage {first.id} of article {stored.id}" in lines
    orphans = [line for line in lines if line.startswith("orphan_vector:")]
    assert len(orphans) == report.passages and all(crashed.id in line for line in orphans)

    code, lines = kg_check("--repair")
    assert code == 0, lines
    assert lines[-1] == "consistent now"
    code, lines = kg_check()
    assert (code, lines[-1]) == (0, "consistent")
    assert [p.id for p in vectors.retrieve([first.id])] == [first.id]


def test_the_check_routes_need_the_token(server: LocalServer) -> None:
    for method, path in (("GET", "/admin/check"), ("POST", "/admin/check/repair")):
        answer = httpx.request(method, server.url + path, params={"url_prefix": PREFIX})
        assert answer.status_code == 401
        assert answer.json()["error"]["code"] == "AUTHENTICATION_REQUIRED"
