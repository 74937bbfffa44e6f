"""`Article.duplicateOf` over real HTTP: a wire copy stored by the feed sink points at its
original; the original points at nothing. Both articles are deleted afterwards."""

from __future__ import annotations

import contextlib
import uuid
from pathlib import Path

import pytest

from api.app import create_app
from kg.core.errors import NotFoundError
from kg.core.models import Article
from kg.feeds.sink import PipelineSink
from kg.ingest.dedup import Deduplicator, NearDuplicateIndex
from kg.ingest.dedup_store import SqliteDedupStore
from kg.services import Services
from tests.feeds_support import gold
from tests.live_server import live_client

pytestmark = [pytest.mark.api, pytest.mark.integration]

QUERY = """query($id: ID!) { article(id: $id) { ... on Article {
  id title duplicateOf { id title } } } }"""


def test_a_stored_wire_copy_resolves_to_its_original(services: Services, tmp_path: Path) -> None:
    base = f"https://test.newskg.invalid/{uuid.uuid4()}"
    story = gold("port-strike")
    original = Article(title="Dock workers walk out", body=story, url=f"{base}/story")
    trimmed = "\n\n".join(story.split("\n\n")[:4])
    copy = Article(title="Rotterdam at a standstill", body=trimmed, url=f"{base}/wire")
    store = SqliteDedupStore(tmp_path / "dedup.sqlite")
    sink = PipelineSink(
        services.pipeline, Deduplicator(NearDuplicateIndex(), store), graph=services.writer
    )
    try:
        first, second = sink.ingest([original, copy])
        assert (first.status, second.status) == ("stored", "stored")
        assert second.duplicate_of == original.id
        with live_client(create_app(services=services)) as client:
            for article_id, expected in ((copy.id, original.id), (original.id, None)):
                response = client.post(
                    "/graphql", json={"query": QUERY, "variables": {"id": article_id}}
                )
                body = response.json()
                assert not body.get("errors"), body
                found = body["data"]["article"]["duplicateOf"]
                assert (found["id"] if found else None) == expected
    finally:
        store.close()
        for article in (copy, original):
            with contextlib.suppress(NotFoundError):
                services.pipeline.delete_article(article.id)
