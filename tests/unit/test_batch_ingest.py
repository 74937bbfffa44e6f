"""Batch ingest over in-memory stores: what a batch guarantees per article.

One bad article in a batch loses no other; a batch replaces each article whole; SHACL
drops and rejections are attributed to the article they are about; the input is read
lazily, in bounded batches.
"""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Iterator, Sequence
from datetime import date
from pathlib import Path

import pytest

from kg.core.config import Settings
from kg.core.errors import GraphQueryError
from kg.core.models import Action, Article, Entity, Extraction, GraphRows, Mention, Participant
from kg.core.records import ArticleWrite
from kg.core.text_spans import chunk_spans, passage_spans
from kg.ingest.pipeline import IngestFailure, IngestPipeline, PreparedArticle, batched
from tests.fakes import InMemoryArticleWriter, InMemoryVectorStore, StubEmbedder, StubExtractor

CONSTRAINT = "Neo.ClientError.Schema.ConstraintValidationFailed"
NAMES = {"Gustavo Petro": "Person", "ELN": "ArmedGroup", "Havana": "Place"}


def _article(i: int, body: str | None = None) -> Article:
    return Article(
        title=f"Story {i}",
        body=body or f"Gustavo Petro met the ELN in Havana, story {i}.\n\nThe talks go on {i}.",
        published=date(2026, 1, 5),
        url=f"https://test.newskg.invalid/batch/{i}",
        origin=f"story-{i}",
    )


class CountingWriter(InMemoryArticleWriter):
    """Counts transactions; refuses the articles in ``refused`` (alone or in a batch)."""

    def __init__(self) -> None:
        super().__init__()
        self.refused: set[str] = set()
        self.transactions = 0

    def replace_article(self, rows: GraphRows, article_id: str) -> ArticleWrite:
        self.transactions += 1
        if article_id in self.refused:
            raise GraphQueryError(CONSTRAINT, "constraint violated")
        return super().replace_article(rows, article_id)

    def replace_articles(self, batch: Sequence[tuple[GraphRows, str]]) -> list[ArticleWrite]:
        self.transactions += 1
        if any(article_id in self.refused for _, article_id in batch):
            raise GraphQueryError(CONSTRAINT, "constraint violated")
        return super().replace_articles(batch)


def _pipeline(
    writer: InMemoryArticleWriter | None = None,
    vectors: InMemoryVectorStore | None = None,
    extractor: object | None = None,
    **settings: int,
) -> IngestPipeline:
    return IngestPipeline(
        writer=writer or InMemoryArticleWriter(),
        vectors=vectors or InMemoryVectorStore(),
        embedder=StubEmbedder(),
        extractor=extractor or StubExtractor(NAMES),  # type: ignore[arg-type]
        settings=Settings(passage_max_chars=60, **settings),
    )


def test_a_batch_is_one_transaction_and_equals_one_by_one() -> None:
    articles = [_article(i) for i in range(5)]
    one_writer, one_vectors = InMemoryArticleWriter(), InMemoryVectorStore()
    for article in articles:
        _pipeline(one_writer, one_vectors).ingest_article(article)
    writer, vectors = CountingWriter(), InMemoryVectorStore()
    pipeline = _pipeline(writer, vectors)
    prepared = pipeline.prepare_many(articles)
    assert all(isinstance(p, PreparedArticle) for p in prepared)
    results = pipeline.store_many([p for p in prepared if isinstance(p, PreparedArticle)])
    assert writer.transactions == 1
    assert [r.title for r in results] == [a.title for a in articles]  # type: ignore[union-attr]
    assert writer.articles == one_writer.articles
    assert vectors.points == one_vectors.points


def test_prepare_many_equals_prepare() -> None:
    pipeline = _pipeline()
    articles = [_article(i) for i in range(3)]
    assert pipeline.prepare_many(articles) == [pipeline.prepare(a) for a in articles]


def test_one_bad_article_does_not_lose_the_batch() -> None:
    writer, vectors = CountingWriter(), InMemoryVectorStore()
    pipeline = _pipeline(writer, vectors)
    articles = [_article(i) for i in range(4)]
    writer.refused.add(articles[2].id)
    prepared = [p for p in pipeline.prepare_many(articles) if isinstance(p, PreparedArticle)]
    results = pipeline.store_many(prepared)
    assert [type(r).__name__ for r in results] == [
        "ArticleReport",
        "ArticleReport",
        "IngestFailure",
        "ArticleReport",
    ]
    assert isinstance(results[2], IngestFailure) and "constraint" in results[2].error
    assert set(writer.articles) == {articles[i].id for i in (0, 1, 3)}
    # The refused article's vectors were taken back; the others' are there.
    assert {p.payload["article_id"] for p in vectors.points.values()} == set(writer.articles)
    assert writer.transactions == 1 + 4  # the batch, then one per article


def test_a_batch_replaces_each_article_whole() -> None:
    writer, vectors = CountingWriter(), InMemoryVectorStore()
    pipeline = _pipeline(writer, vectors)
    old = _article(0, body="Gustavo Petro met the ELN.\n\nIn Havana.\n\nA third passage here.")
    pipeline.ingest_article(old)
    old_passages = writer.passage_ids(old.id)
    assert len(old_passages) == 3
    new = dataclasses.replace(old, body="Gustavo Petro met the ELN in Havana.")
    other = _article(1)
    results = pipeline.store_many(
        [p for p in pipeline.prepare_many([new, other]) if isinstance(p, PreparedArticle)]
    )
    assert [r.created for r in results] == [False, True]  # type: ignore[union-attr]
    assert len(writer.passage_ids(new.id)) == 1
    stale = old_passages - writer.passage_ids(new.id)
    assert stale and not stale & set(vectors.points)  # stale vectors deleted
    assert writer.articles[new.id] == pipeline.prepare(new).rows


def test_the_same_article_twice_in_a_batch_is_stored_twice_in_order() -> None:
    writer = CountingWriter()
    pipeline = _pipeline(writer)
    first = _article(0)
    second = dataclasses.replace(first, title="Story 0, updated")
    results = pipeline.store_many(
        [p for p in pipeline.prepare_many([first, second]) if isinstance(p, PreparedArticle)]
    )
    assert [r.created for r in results] == [True, False]  # type: ignore[union-attr]
    assert writer.articles[first.id] == pipeline.prepare(second).rows


class BrokenRecords:
    """Extracts like StubExtractor, then breaks records for articles with a marker word:
    "ACTION" adds an action with no participant (fails its shape: dropped alone),
    "NAMELESS" adds an entity with an empty name (fails: the article is rejected)."""

    def __init__(self) -> None:
        self.inner = StubExtractor(NAMES)

    def extract(self, text: str, published: date | None) -> Extraction:
        extraction = self.inner.extract(text, published)
        if "ACTION" in text:
            start = text.index("ACTION")
            lonely = Action("ASSAULT", (), (), start, start + 6, "ACTION")
            extraction = dataclasses.replace(extraction, actions=(lonely,))
        if "NAMELESS" in text:
            start = text.index("NAMELESS")
            extraction = dataclasses.replace(
                extraction,
                entities=(*extraction.entities, Entity("nameless", "", "Person")),
                mentions=(
                    *extraction.mentions,
                    Mention(start, start + 8, "NAMELESS", "nameless", "Person"),
                ),
            )
        return extraction


def test_shacl_drops_and_rejections_are_attributed_per_article() -> None:
    writer = InMemoryArticleWriter()
    pipeline = _pipeline(writer, extractor=BrokenRecords())
    articles = [
        _article(0, "Gustavo Petro met the ELN. ACTION happened."),
        _article(1, "Gustavo Petro met NAMELESS in Havana."),
        _article(2),
    ]
    report = pipeline.ingest(articles)
    assert [a.title for a in report.articles] == ["Story 0", "Story 2"]
    dropped = report.articles[0].dropped
    assert len(dropped) == 1 and "at least one participant" in dropped[0]
    assert report.articles[1].dropped == ()
    assert [f.origin for f in report.failures] == ["story-1"]
    assert "non-empty name" in report.failures[0].error
    assert set(writer.articles) == {articles[0].id, articles[2].id}
    assert not writer.nodes("Action")  # the failing action was left out, alone


def test_a_good_action_stays_when_another_article_drops_one() -> None:
    # Participants keep their entity: the good action of another article is stored.
    class WithAction(StubExtractor):
        def extract(self, text: str, published: date | None) -> Extraction:
            extraction = super().extract(text, published)
            start = text.index("met")
            actor = Participant("Gustavo Petro", "gustavo-petro")
            action = Action("CONSULT", (actor,), (), start, start + 3, "met")
            return dataclasses.replace(extraction, actions=(action,))

    writer = InMemoryArticleWriter()
    report = _pipeline(writer, extractor=WithAction(NAMES)).ingest([_article(0), _article(1)])
    assert [a.actions for a in report.articles] == [1, 1]
    assert len(writer.nodes("Action")) == 2


def test_ingest_reads_its_input_lazily_in_bounded_batches() -> None:
    pulled = 0

    def source() -> Iterator[Article]:
        nonlocal pulled
        for i in itertools.count():
            pulled += 1
            yield _article(i)

    pipeline = _pipeline(ingest_batch_articles=4)
    stream = pipeline.ingest_iter(itertools.islice(source(), 1000))
    first = [next(stream) for _ in range(4)]
    assert all(not isinstance(r, IngestFailure) for r in first)
    assert pulled <= 4 + 4 + 1  # the first batch, the peek at the second, one more
    assert sum(1 for _ in stream) == 996


def test_batches_are_bounded_in_articles_and_characters() -> None:
    articles = [_article(i, "x" * 100) for i in range(10)]
    sizes = [len(b) for b in batched(articles, max_articles=4, max_chars=250)]
    assert sizes == [2, 2, 2, 2, 2]
    assert [len(b) for b in batched([_article(0, "y" * 1000)], 4, 250)] == [1]


@pytest.mark.parametrize("limit", [50, 200, 1000])
def test_chunks_cover_the_text_and_never_cut_a_passage(limit: int) -> None:
    text = "\n\n".join(
        f"Paragraph {i}. " + "A sentence that goes on. " * (i % 7) + "x" * (i % 3) * 80
        for i in range(40)
    )
    chunks = chunk_spans(text, limit)
    assert "".join(text[s:e] for s, e in chunks) == text
    assert all(e - s <= limit for s, e in chunks)
    passages = passage_spans(text, min(600, limit))
    edges = {0} | {s for s, _ in passages} | {e for _, e in passages}
    if all(e - s <= limit for s, e in passages):  # no sentence longer than a chunk
        assert all(s in edges for s, _ in chunks)
    assert chunk_spans(text[:limit], limit) == [(0, limit)]


def test_jsonl_files_are_read_as_records_are_taken(tmp_path: Path) -> None:
    import json

    from kg.ingest.parsing import iter_path

    path = tmp_path / "many.jsonl"
    line = json.dumps({"title": "T", "text": "Officials met in Paris. " * 40}) + "\n"
    path.write_text(line * 5000)
    records = iter_path(path)
    first = next(records)
    assert isinstance(first, Article) and first.origin.endswith("many.jsonl:1")
    # One record taken: the reader is still open near the start of a ~5 MB file.
    frame = records.gi_frame
    assert frame is not None
    stream = frame.f_locals["stream"]
    assert stream.tell() < path.stat().st_size / 10
    assert sum(1 for _ in records) == 4999
