"""Integration fixtures: the real Neo4j server (started by `make test`), the real models,
and an embedded Qdrant in a temporary directory.

Each test that ingests does so under its own article URL and deletes only that article
(the pipeline's delete removes the entities nothing else supports).
"""

from __future__ import annotations

import contextlib
import dataclasses
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from kg.core.config import Settings, get_settings
from kg.core.errors import NotFoundError
from kg.core.models import Article
from kg.ingest.parsing import parse_path
from kg.ingest.pipeline import ArticleReport
from kg.ingest.splitting import split_passages
from kg.ops import neo4j_server
from kg.services import Services, bootstrap, build_services, close
from tests.conftest import SEED

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def settings() -> Settings:
    return get_settings()


@pytest.fixture(scope="module")
def server(settings: Settings) -> neo4j_server.ServerStatus:
    """The bundled Neo4j server, started if `make test` has not started it already."""
    return neo4j_server.start(settings)


@pytest.fixture(scope="session")
def services(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Services]:
    settings = get_settings(qdrant_dir=tmp_path_factory.mktemp("qdrant"))
    built = build_services(settings)
    bootstrap(built)
    yield built
    close(built)


@pytest.fixture()
def unique_seed() -> Article:
    """The seed article under a URL of its own, so its ids are this test's alone."""
    (article,) = parse_path(SEED)
    return dataclasses.replace(article, url=f"https://test.newskg.invalid/{uuid.uuid4()}")


@pytest.fixture()
def ingest(services: Services) -> Iterator[Callable[[Article], ArticleReport]]:
    """Ingest articles; every article ingested through this fixture is deleted afterwards."""
    created: list[str] = []

    def _ingest(article: Article) -> ArticleReport:
        report = services.pipeline.ingest_article(article)
        created.append(report.article_id)
        return report

    yield _ingest
    for article_id in dict.fromkeys(created):
        with contextlib.suppress(NotFoundError):  # the test may have deleted it itself
            services.pipeline.delete_article(article_id)


def assert_not_stored(services: Services, article: Article) -> None:
    """Nothing of ``article`` is in the graph or the vectors.

    Only this article's nodes and points are looked at: other writers share the stores.
    """
    passage_ids = [p.id for p in split_passages(article, services.settings.passage_max_chars)]
    assert not services.writer.article_exists(article.id)
    assert services.reader.passages_by_ids(passage_ids) == {}
    assert services.vectors.retrieve(passage_ids) == []


def neighbourhood(services: Services, article_id: str) -> set[str]:
    """Ids of the nodes within two links of an article, other articles left out.

    What one article's ingest writes (passages, actions, roles, the entities they link),
    unaffected by other test sessions writing other articles to the same server, unlike a
    count of every node.
    """
    rows = services.graph.run_read(
        "MATCH (:Article {id: $id})-[*1..2]-(n) WHERE NOT n:Article "
        "RETURN collect(DISTINCT n.id) AS ids",
        {"id": article_id},
    )
    return set(rows[0]["ids"])


def same_embeddings(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """Two {node id: evidence embedding or None} maps agree within float noise: a batch is
    embedded with other texts (other padding), which moves the last float bits."""
    if a.keys() != b.keys():
        return False
    for key, left in a.items():
        right = b[key]
        if (left is None) != (right is None):
            return False
        if left is not None and max(abs(x - y) for x, y in zip(left, right, strict=True)) > 1e-4:
            return False
    return True
