"""The driver side of `kg ingest --ray`, without Ray: results stored as they come (in any
order), rejections and store failures reported, the results picklable, Ray imported lazily.

The real Ray run is tests/integration/test_ray_ingest.py.
"""

from __future__ import annotations

import pickle
import subprocess
import sys
from collections.abc import Iterator
from datetime import date

import pytest

from kg.core.config import PROJECT_ROOT, Settings
from kg.core.errors import ConfigurationError, ServiceUnavailableError
from kg.core.models import Article
from kg.ingest.pipeline import ArticleReport, IngestFailure, IngestPipeline, PreparedArticle
from kg.ingest.ray_ingest import (
    Outcome,
    RayOptions,
    _batches,
    connect,
    store_outcomes,
    worker_env,
)
from kg.ingest.workers import _NoStore
from tests.fakes import InMemoryArticleWriter, InMemoryVectorStore, StubEmbedder, StubExtractor

BODIES = (
    "Gustavo Petro met the ELN in Havana on Monday.",
    "The ELN said the talks in Havana would go on.",
    "Colombia welcomed the news from Havana.",
)


def _pipeline(writer: InMemoryArticleWriter, vectors: InMemoryVectorStore) -> IngestPipeline:
    extractor = StubExtractor({"ELN": "ArmedGroup", "Havana": "Place", "Colombia": "Country"})
    return IngestPipeline(
        writer=writer,
        vectors=vectors,
        embedder=StubEmbedder(),
        extractor=extractor,
        settings=Settings(passage_max_chars=60),
    )


def _articles() -> list[Article]:
    return [
        Article(
            title=f"Story {i}",
            body=body,
            published=date(2026, 1, 5),
            url=f"https://test.newskg.invalid/ray/{i}",
        )
        for i, body in enumerate(BODIES)
    ]


def test_results_stored_out_of_order_make_the_same_stores_as_in_order() -> None:
    in_order = (InMemoryArticleWriter(), InMemoryVectorStore())
    _pipeline(*in_order).ingest(_articles())

    out_of_order = (InMemoryArticleWriter(), InMemoryVectorStore())
    pipeline = _pipeline(*out_of_order)
    # As a worker would send them back: pickled, and the last batch first.
    prepared = [pickle.loads(pickle.dumps(pipeline.prepare(a))) for a in _articles()]
    report = store_outcomes([[p] for p in reversed(prepared)], pipeline.store_many)

    assert len(report.articles) == 3 and not report.failures
    assert out_of_order[0].articles == in_order[0].articles
    assert out_of_order[1].points == in_order[1].points


def test_rejections_and_store_failures_are_reported_and_the_rest_is_stored() -> None:
    writer, vectors = InMemoryArticleWriter(), InMemoryVectorStore()
    pipeline = _pipeline(writer, vectors)
    good, broken = (pipeline.prepare(a) for a in _articles()[:2])
    rejected = IngestFailure(origin="in.jsonl:3", error="article x failed validation")

    # The batch's transaction fails; stored one by one, the broken one fails alone.
    writer.fail_batches = True
    store = pipeline.store

    def store_alone(prepared: PreparedArticle) -> ArticleReport:
        if prepared is broken:
            raise ServiceUnavailableError("neo4j", "connection refused")
        return store(prepared)

    pipeline.store = store_alone  # type: ignore[method-assign]
    done: list[int] = []
    outcomes: list[Outcome] = [good, rejected, broken]
    report = store_outcomes([outcomes], pipeline.store_many, on_done=done.append)

    assert [a.article_id for a in report.articles] == [good.article.id]
    assert report.failures[0] == rejected
    assert "neo4j is unavailable" in report.failures[1].error
    assert done == [3]


def test_batches_take_the_input_lazily() -> None:
    taken: list[int] = []

    def articles() -> Iterator[Article]:
        for i, article in enumerate(_articles()):
            taken.append(i)
            yield article

    batches = _batches(articles(), 2)
    assert [a.title for a in next(batches)] == ["Story 0", "Story 1"]
    assert taken == [0, 1]  # nothing read ahead of what was asked for
    assert [a.title for a in next(batches)] == ["Story 2"]
    assert next(batches, None) is None


def test_a_worker_has_no_store() -> None:
    with pytest.raises(ConfigurationError, match="prepares only"):
        _NoStore("ray").upsert([])


def test_workers_get_this_checkout_on_their_path() -> None:
    env = worker_env()
    assert env["PYTHONPATH"].split(":")[0] == str(PROJECT_ROOT)
    assert env["HF_HUB_OFFLINE"] == "1"


def test_without_ray_the_error_says_how_to_install_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "ray", None)  # import ray -> ImportError
    with pytest.raises(ConfigurationError, match="Ray is not installed"):
        connect(RayOptions(address="local"))


def test_kg_does_not_import_ray() -> None:
    code = "import sys, kg.cli, kg.services; print('ray' in sys.modules)"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "False"
