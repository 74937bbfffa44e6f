"""The ingest pipeline over in-memory stores: no Neo4j, no Qdrant, no models."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from kg.core.config import Settings
from kg.core.errors import NotFoundError, ServiceUnavailableError
from kg.core.models import Article
from kg.ingest.pipeline import IngestPipeline
from tests.fakes import InMemoryArticleWriter, InMemoryVectorStore, StubEmbedder, StubExtractor

BODY = (
    "Gustavo Petro met the ELN in Havana on Monday.\n\n"
    "The ELN said the talks in Havana would go on.\n\n"
    "Colombia welcomed the news."
)


@pytest.fixture()
def writer() -> InMemoryArticleWriter:
    return InMemoryArticleWriter()


@pytest.fixture()
def vectors() -> InMemoryVectorStore:
    return InMemoryVectorStore()


@pytest.fixture()
def pipeline(writer: InMemoryArticleWriter, vectors: InMemoryVectorStore) -> IngestPipeline:
    extractor = StubExtractor(
        {
            "Gustavo Petro": "Person",
            "ELN": "ArmedGroup",
            "Havana": "Place",
            "Colombia": "Country",
        }
    )
    return IngestPipeline(
        writer=writer,
        vectors=vectors,
        embedder=StubEmbedder(),
        extractor=extractor,
        settings=Settings(passage_max_chars=60),
    )


def _article(body: str = BODY, url: str = "https://test.newskg.invalid/petro-eln") -> Article:
    return Article(title="Petro meets the ELN", body=body, published=date(2026, 1, 5), url=url)


def test_ingest_writes_the_graph_and_one_vector_per_passage(
    pipeline: IngestPipeline, writer: InMemoryArticleWriter, vectors: InMemoryVectorStore
) -> None:
    article = _article()
    report = pipeline.ingest_article(article)
    assert report.created
    assert report.passages == 3
    assert report.entities == 4
    assert writer.article_exists(article.id)
    assert set(vectors.points) == writer.passage_ids(article.id)
    names = {n.properties["name"] for n in writer.nodes("Entity").values()}
    assert names == {"Gustavo Petro", "ELN", "Havana", "Colombia"}
    # The payload links each vector back to its graph passage and article.
    point = next(iter(vectors.points.values()))
    assert point.payload["article_id"] == article.id
    assert point.payload["published"] == "2026-01-05"


def test_reingest_replaces_the_article_and_drops_stale_vectors(
    pipeline: IngestPipeline, writer: InMemoryArticleWriter, vectors: InMemoryVectorStore
) -> None:
    article = _article()
    pipeline.ingest_article(article)
    again = pipeline.ingest_article(article)
    assert not again.created
    assert list(writer.articles) == [article.id]
    assert writer.replacements == 2
    assert set(vectors.points) == writer.passage_ids(article.id)

    # The same story (same URL) updated to one paragraph: the two later passages go.
    shorter = dataclasses.replace(article, body="Gustavo Petro met the ELN in Havana on Monday.")
    assert shorter.id == article.id
    report = pipeline.ingest_article(shorter)
    assert not report.created
    assert report.passages == 1
    assert set(vectors.points) == writer.passage_ids(article.id)
    assert len(vectors.points) == 1


def test_a_vector_failure_removes_a_new_article_from_the_graph(
    pipeline: IngestPipeline, writer: InMemoryArticleWriter, vectors: InMemoryVectorStore
) -> None:
    vectors.fail_upserts = True
    article = _article()
    with pytest.raises(ServiceUnavailableError):
        pipeline.ingest_article(article)
    assert not writer.article_exists(article.id)
    assert writer.nodes("Entity") == {}
    assert vectors.points == {}


def test_a_vector_failure_keeps_a_replaced_article(
    pipeline: IngestPipeline, writer: InMemoryArticleWriter, vectors: InMemoryVectorStore
) -> None:
    article = _article()
    pipeline.ingest_article(article)
    vectors.fail_upserts = True
    with pytest.raises(ServiceUnavailableError):
        pipeline.ingest_article(article)
    # The graph holds the new version (same content here); only a new article is undone.
    assert writer.article_exists(article.id)


def test_delete_removes_the_article_and_its_passage_vectors(
    pipeline: IngestPipeline, writer: InMemoryArticleWriter, vectors: InMemoryVectorStore
) -> None:
    kept = _article(body="Colombia welcomed the news.", url="https://test.newskg.invalid/kept")
    article = _article()
    pipeline.ingest_article(kept)
    pipeline.ingest_article(article)
    passages = writer.passage_ids(article.id)

    report = pipeline.delete_article(article.id)
    assert report.passages_removed == len(passages) == 3
    assert not writer.article_exists(article.id)
    assert set(vectors.points) == writer.passage_ids(kept.id)
    # Colombia is still mentioned by the other article; the rest went with this one.
    names = {n.properties["name"] for n in writer.nodes("Entity").values()}
    assert names == {"Colombia"}
    with pytest.raises(NotFoundError):
        pipeline.delete_article(article.id)


def test_what_an_article_becomes_does_not_depend_on_what_came_before(
    pipeline: IngestPipeline, writer: InMemoryArticleWriter
) -> None:
    # "Petro" alone is not linked to the Gustavo Petro of an earlier article: resolving
    # against whatever the graph holds would make the graph depend on ingest order.
    later = _article(body="Petro spoke again.", url="https://test.newskg.invalid/later")
    before = pipeline.prepare(later)
    pipeline.ingest_article(_article())
    after = pipeline.prepare(later)
    assert after.rows == before.rows
    assert after.doc.extraction == before.doc.extraction


def test_a_graph_failure_takes_back_a_new_articles_vectors(
    pipeline: IngestPipeline, writer: InMemoryArticleWriter, vectors: InMemoryVectorStore
) -> None:
    article = _article()

    def refuse(rows: object, article_id: str) -> object:
        raise ServiceUnavailableError("neo4j", "injected failure")

    writer.replace_article = refuse  # type: ignore[method-assign]
    with pytest.raises(ServiceUnavailableError):
        pipeline.ingest_article(article)
    assert vectors.points == {}
