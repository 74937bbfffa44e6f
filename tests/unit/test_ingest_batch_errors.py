"""A batch ingest reports newskg errors per article and lets bugs propagate."""

from __future__ import annotations

from datetime import date

import pytest

from kg.core.config import Settings
from kg.core.errors import ArticleParseError, GraphWriteError
from kg.core.models import Article, Extraction, GraphRows
from kg.core.records import ArticleWrite
from kg.ingest.pipeline import IngestPipeline
from tests.fakes import InMemoryArticleWriter, InMemoryVectorStore, StubEmbedder


class ScriptedExtractor:
    """Extracts nothing; raises the exception scripted for an article's body."""

    def __init__(self, outcomes: dict[str, Exception | None]) -> None:
        self.outcomes = outcomes

    def extract(self, text: str, published: date | None) -> Extraction:
        outcome = self.outcomes.get(text)
        if outcome is not None:
            raise outcome
        return Extraction()


class RefusingWriter(InMemoryArticleWriter):
    """Refuses to write the articles whose id is in ``refused``."""

    def __init__(self) -> None:
        super().__init__()
        self.refused: set[str] = set()

    def replace_article(self, rows: GraphRows, article_id: str) -> ArticleWrite:
        if article_id in self.refused:
            raise GraphWriteError("relationship ends missing", query="Q", written=1, expected=2)
        return super().replace_article(rows, article_id)

    def replace_articles(self, batch: list[tuple[GraphRows, str]]) -> list[ArticleWrite]:  # type: ignore[override]
        if any(article_id in self.refused for _, article_id in batch):
            raise GraphWriteError("relationship ends missing", query="Q", written=1, expected=2)
        return super().replace_articles(batch)


def _article(title: str) -> Article:
    return Article(title=title, body=f"{title} text.", origin=f"{title}.txt")


def _pipeline(outcomes: dict[str, Exception | None]) -> tuple[IngestPipeline, RefusingWriter]:
    writer = RefusingWriter()
    pipeline = IngestPipeline(
        writer,
        InMemoryVectorStore(),
        StubEmbedder(),
        ScriptedExtractor(outcomes),
        Settings(ingest_batch_articles=8),
    )
    return pipeline, writer


def test_newskg_errors_are_reported_and_the_batch_goes_on() -> None:
    pipeline, writer = _pipeline({"bad text.": ArticleParseError("bad.txt", "no body")})
    writer.refused.add(_article("ends").id)
    report = pipeline.ingest([_article(t) for t in ("ok", "bad", "ends", "also ok")])
    assert [a.title for a in report.articles] == ["ok", "also ok"]
    assert [f.origin for f in report.failures] == ["bad.txt", "ends.txt"]
    assert "relationship ends missing" in report.failures[1].error
    assert set(writer.articles) == {_article("ok").id, _article("also ok").id}


def test_other_exceptions_are_bugs_and_propagate() -> None:
    pipeline, _ = _pipeline({"bug text.": ValueError("a bug, not a bad article")})
    with pytest.raises(ValueError, match="a bug"):
        pipeline.ingest([_article("ok"), _article("bug")])
