"""Ingest while serving: articles streamed to the running server's ingest jobs, over real
HTTP, on the real stack (Neo4j, the models, an embedded Qdrant the server owns).

Every article gets a URL of this module's own and is deleted afterwards.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import os
import subprocess
import sys
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from kg.core.config import get_settings
from kg.core.errors import ArticleParseError, AuthenticationError, NotFoundError
from kg.core.models import Article
from kg.ingest.parsing import parse_path
from kg.ingest.server_client import ServerIngest
from kg.ops.server_handle import ServerHandle, write_handle
from kg.services import Services
from tests.conftest import ROOT, SEED
from tests.live_server import LocalServer, local_server

pytestmark = [pytest.mark.api, pytest.mark.integration]

TOKEN = f"local-{uuid.uuid4()}"
RUN = uuid.uuid4().hex[:8]


@pytest.fixture(scope="module")
def server(services: Services) -> Iterator[LocalServer]:
    with local_server(services, TOKEN) as running:
        yield running


def seed_copy(name: str) -> Article:
    (article,) = parse_path(SEED)
    return dataclasses.replace(
        article, url=f"https://test.newskg.invalid/jobs/{RUN}/{name}", origin=f"copy {name}"
    )


def article_id(article: Article) -> str:
    return article.id


@pytest.fixture()
def cleanup(server: LocalServer) -> Iterator[list[Article]]:
    made: list[Article] = []
    yield made
    for article in made:
        with contextlib.suppress(NotFoundError):
            server.services.pipeline.delete_article(article_id(article))


def stored_counts(server: LocalServer, articles: list[Article]) -> tuple[int, int, int]:
    """(articles, passages, vectors) stored for these articles."""
    ids = [article_id(a) for a in articles]
    rows = server.services.graph.run_read(
        "MATCH (a:Article) WHERE a.id IN $ids "
        "OPTIONAL MATCH (a)-[:HAS_PASSAGE]->(p:Passage) "
        "RETURN count(DISTINCT a) AS articles, collect(DISTINCT p.id) AS passages",
        {"ids": ids},
    )
    passages = list(rows[0]["passages"])
    vectors = len(server.services.vectors.retrieve(passages))
    return int(rows[0]["articles"]), len(passages), vectors


def test_articles_stream_through_a_job(server: LocalServer, cleanup: list[Article]) -> None:
    good = seed_copy("one")
    cleanup.append(good)
    bad = ArticleParseError("feed.jsonl", "title: field required", line=7)
    report = ServerIngest(server.url, TOKEN).run([good, bad])
    assert report.state == "done"
    assert (report.stored, report.created, report.rejected) == (1, 1, 1)
    assert report.errors == ("feed.jsonl:7: title: field required",)
    assert report.passages > 0 and report.actions > 0
    assert stored_counts(server, [good]) == (1, report.passages, report.passages)


def test_queries_are_answered_while_a_job_runs(server: LocalServer, cleanup: list[Article]) -> None:
    articles = [seed_copy(f"busy-{n}") for n in range(3)]
    cleanup.extend(articles)
    done = threading.Event()

    def run() -> None:
        try:
            ServerIngest(server.url, TOKEN).run(articles)
        finally:
            done.set()

    thread = threading.Thread(target=run)
    thread.start()
    answered_during = 0
    with httpx.Client(base_url=server.url, timeout=60) as http:
        while not done.is_set():
            response = http.get("/search", params={"q": "actions against the ELN", "limit": 3})
            assert response.status_code == 200
            answered_during += not done.is_set()
    thread.join()
    assert answered_during >= 1
    assert stored_counts(server, articles)[0] == 3


def test_two_overlapping_ingests_leave_one_copy(
    server: LocalServer, cleanup: list[Article]
) -> None:
    shared = [seed_copy(f"shared-{n}") for n in range(2)]
    first = [seed_copy("only-first"), *shared]
    second = [*shared, seed_copy("only-second")]
    everything = list({a.url: a for a in first + second}.values())
    cleanup.extend(everything)
    threads = [
        threading.Thread(target=ServerIngest(server.url, TOKEN).run, args=(batch,))
        for batch in (first, second)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    articles, passages, vectors = stored_counts(server, everything)
    alone = stored_counts(server, [everything[0]])
    assert articles == len(everything)
    assert passages == vectors == alone[1] * len(everything)  # each copy once, none doubled


def test_a_wrong_token_is_refused(server: LocalServer) -> None:
    with pytest.raises(AuthenticationError):
        ServerIngest(server.url, "not-the-token").run([seed_copy("refused")])


def test_kg_ingest_finds_the_running_server(
    server: LocalServer, cleanup: list[Article], tmp_path: Path
) -> None:
    article = seed_copy("cli")
    cleanup.append(article)
    record = {"title": article.title, "text": article.body, "url": article.url}
    source = tmp_path / "more.jsonl"
    source.write_text(json.dumps(record) + "\n{not json\n", encoding="utf-8")
    var = tmp_path / "var"
    settings = get_settings(var_dir=var)
    write_handle(settings, ServerHandle(url=server.url, pid=os.getpid(), token=TOKEN))
    assert (var / "server.json").stat().st_mode & 0o077 == 0  # this user's only
    result = subprocess.run(
        [sys.executable, "-m", "kg.cli", "ingest", str(source)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "NEWSKG_VAR_DIR": str(var)},
        timeout=600,
    )
    assert "ingesting through it" in result.stderr
    assert "ingested 1 article(s) (1 new" in result.stdout
    assert "more.jsonl:2" in result.stderr  # the bad line is named
    assert result.returncode == 2
    assert stored_counts(server, [article])[0] == 1
