"""`kg check` over in-memory stores: what a crash between the two stores leaves, found and
mended; scopes; paging; the report's JSON."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from kg.core.config import Settings
from kg.core.errors import ConfigurationError
from kg.core.models import Article
from kg.core.records import CheckScope
from kg.ingest.consistency import CheckReport, ConsistencyChecker
from kg.ingest.pipeline import IngestPipeline
from tests.fakes import InMemoryArticleWriter, InMemoryVectorStore, StubEmbedder, StubExtractor

BODY = (
    "Gustavo Petro met the ELN in Havana on Monday.\n\n"
    "The ELN said the talks in Havana would go on.\n\n"
    "Colombia welcomed the news."
)
NAMES = {"Gustavo Petro": "Person", "ELN": "ArmedGroup", "Havana": "Place", "Colombia": "Country"}


@pytest.fixture()
def writer() -> InMemoryArticleWriter:
    return InMemoryArticleWriter()


@pytest.fixture()
def vectors() -> InMemoryVectorStore:
    return InMemoryVectorStore()


@pytest.fixture()
def pipeline(writer: InMemoryArticleWriter, vectors: InMemoryVectorStore) -> IngestPipeline:
    return IngestPipeline(
        writer=writer,
        vectors=vectors,
        embedder=StubEmbedder(),
        extractor=StubExtractor(NAMES),  # type: ignore[arg-type]
        settings=Settings(passage_max_chars=60),
    )


def _checker(
    writer: InMemoryArticleWriter, vectors: InMemoryVectorStore, page_size: int = 256
) -> ConsistencyChecker:
    return ConsistencyChecker(writer, vectors, StubEmbedder(), page_size=page_size)


def _article(n: int = 0, body: str = BODY) -> Article:
    url = f"https://test.newskg.invalid/check/{n}"
    return Article(title=f"Petro meets the ELN {n}", body=body, published=date(2026, 1, 5), url=url)


def test_a_clean_ingest_checks_clean(
    pipeline: IngestPipeline, writer: InMemoryArticleWriter, vectors: InMemoryVectorStore
) -> None:
    for n in range(3):
        pipeline.ingest_article(_article(n))
    report = _checker(writer, vectors).check()
    assert (report.articles, report.passages, report.points) == (3, 9, 9)
    assert report.total == 0 and report.remaining == 0
    assert report.found == {"orphan_vector": 0, "outdated_vector": 0, "missing_vector": 0}
    assert report.lines()[-1] == "consistent"


def test_a_crash_before_the_graph_write_leaves_orphans_that_repair_deletes(
    pipeline: IngestPipeline, writer: InMemoryArticleWriter, vectors: InMemoryVectorStore
) -> None:
    pipeline.ingest_article(_article(0))
    crashed = pipeline.prepare(_article(1))
    vectors.upsert(list(crashed.points))  # the process died here, before replace_article
    report = _checker(writer, vectors).check()
    assert report.found["orphan_vector"] == 3 and report.total == 3
    assert {p.article_id for p in report.problems} == {crashed.article.id}
    assert report.remaining == 3

    repaired = _checker(writer, vectors).repair()
    assert repaired.repaired == {"orphan_vector": 3, "outdated_vector": 0, "missing_vector": 0}
    assert repaired.remaining == 0
    assert _checker(writer, vectors).check().total == 0
    assert set(vectors.points) == writer.passage_ids(_article(0).id)


def test_an_interrupted_replacement_leaves_outdated_vectors_that_repair_rewrites(
    pipeline: IngestPipeline, writer: InMemoryArticleWriter, vectors: InMemoryVectorStore
) -> None:
    old = _article(0)
    pipeline.ingest_article(old)
    before = dict(vectors.points)
    new = dataclasses.replace(old, body=BODY.replace("Monday", "Tuesday") + "\n\nMore talks.")
    crashed = pipeline.prepare(new)
    vectors.upsert(list(crashed.points))  # died before the graph took the new version
    report = _checker(writer, vectors).check()
    # The first passage's text changed, and the offsets of the two after it.
    assert report.found == {"orphan_vector": 1, "outdated_vector": 3, "missing_vector": 0}
    details = sorted(p.detail for p in report.problems if p.kind == "outdated_vector")
    assert details == ["end, text differ", "start, end differ", "start, end differ"]

    _checker(writer, vectors).repair()
    assert _checker(writer, vectors).check().total == 0
    # The repaired points are what a clean ingest of the graph's version wrote.
    assert vectors.points == before


def test_a_crash_before_the_stale_vectors_are_deleted_leaves_orphans(
    pipeline: IngestPipeline, writer: InMemoryArticleWriter, vectors: InMemoryVectorStore
) -> None:
    old = _article(0)
    pipeline.ingest_article(old)
    shorter = pipeline.prepare(dataclasses.replace(old, body="Colombia welcomed the news."))
    vectors.upsert(list(shorter.points))
    writer.replace_article(shorter.rows, old.id)  # died before deleting the stale vectors
    report = _checker(writer, vectors).check()
    assert report.found == {"orphan_vector": 2, "outdated_vector": 0, "missing_vector": 0}
    assert {p.article_id for p in report.problems} == {old.id}  # the payload says whose
    _checker(writer, vectors).repair()
    assert _checker(writer, vectors).check().total == 0
    assert set(vectors.points) == writer.passage_ids(old.id)


def test_a_missing_vector_is_embedded_with_the_full_payload(
    pipeline: IngestPipeline, writer: InMemoryArticleWriter, vectors: InMemoryVectorStore
) -> None:
    pipeline.ingest_article(_article(0))
    before = dict(vectors.points)
    lost = sorted(vectors.points)[0]
    vectors.delete([lost])
    report = _checker(writer, vectors).check()
    assert [(p.kind, p.passage_id) for p in report.problems] == [("missing_vector", lost)]
    _checker(writer, vectors).repair()
    assert vectors.points == before  # same vector, same payload (entity ids included)
    assert before[lost].payload["entity_ids"]


def test_a_payload_that_names_another_article_is_outdated(
    pipeline: IngestPipeline, writer: InMemoryArticleWriter, vectors: InMemoryVectorStore
) -> None:
    pipeline.ingest_article(_article(0))
    point_id, point = sorted(vectors.points.items())[0]
    vectors.points[point_id] = dataclasses.replace(
        point, payload={**point.payload, "article_id": "elsewhere"}
    )
    (problem,) = _checker(writer, vectors).check().problems
    assert (problem.kind, problem.detail) == ("outdated_vector", "article_id differ")


def test_scope_limits_the_check_to_some_articles(
    pipeline: IngestPipeline, writer: InMemoryArticleWriter, vectors: InMemoryVectorStore
) -> None:
    pipeline.ingest_article(_article(0))
    pipeline.ingest_article(_article(1))
    other = pipeline.prepare(dataclasses.replace(_article(2), url="https://elsewhere.invalid/2"))
    vectors.upsert(list(other.points))  # an orphan outside the scopes below
    by_id = _checker(writer, vectors).check(CheckScope(article_ids=(_article(0).id,)))
    assert (by_id.articles, by_id.passages, by_id.points, by_id.total) == (1, 3, 3, 0)
    by_url = _checker(writer, vectors).check(CheckScope(url_prefix="https://test.newskg.invalid/"))
    assert (by_url.articles, by_url.points, by_url.total) == (2, 6, 0)
    orphans = _checker(writer, vectors).check(CheckScope(url_prefix="https://elsewhere.invalid/"))
    assert (orphans.articles, orphans.points, orphans.found["orphan_vector"]) == (0, 3, 3)
    assert _checker(writer, vectors).check().found["orphan_vector"] == 3


def test_small_pages_find_the_same(
    pipeline: IngestPipeline, writer: InMemoryArticleWriter, vectors: InMemoryVectorStore
) -> None:
    for n in range(4):
        pipeline.ingest_article(_article(n))
    vectors.delete(sorted(vectors.points)[:2])
    vectors.upsert(list(pipeline.prepare(_article(9)).points))
    whole = _checker(writer, vectors).check()
    paged = _checker(writer, vectors, page_size=1).check()
    assert paged == whole
    assert whole.found == {"orphan_vector": 3, "outdated_vector": 0, "missing_vector": 2}


def test_the_listing_is_bounded_but_the_counts_are_not(
    pipeline: IngestPipeline, writer: InMemoryArticleWriter, vectors: InMemoryVectorStore
) -> None:
    vectors.upsert([p for n in range(3) for p in pipeline.prepare(_article(n)).points])
    checker = ConsistencyChecker(writer, vectors, StubEmbedder(), max_listed=2)
    report = checker.check()
    assert report.total == 9 and len(report.problems) == 2
    assert "... and 7 more" in report.lines()
    assert checker.repair().repaired == {
        "orphan_vector": 9,
        "outdated_vector": 0,
        "missing_vector": 0,
    }
    assert vectors.points == {}


def test_repair_needs_an_embedder(
    writer: InMemoryArticleWriter, vectors: InMemoryVectorStore
) -> None:
    with pytest.raises(ConfigurationError):
        ConsistencyChecker(writer, vectors).repair()


def test_the_report_survives_json(
    pipeline: IngestPipeline, writer: InMemoryArticleWriter, vectors: InMemoryVectorStore
) -> None:
    pipeline.ingest_article(_article(0))
    vectors.upsert(list(pipeline.prepare(_article(1)).points))
    for report in (_checker(writer, vectors).check(), _checker(writer, vectors).repair()):
        assert CheckReport.from_dict(report.to_dict()) == report
