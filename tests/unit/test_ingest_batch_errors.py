"""A batch ingest reports newskg errors per article and lets bugs propagate."""

from __future__ import annotations

from typing import Any, cast

import pytest

from kg.core.config import Settings
from kg.core.errors import ArticleParseError, GraphWriteError
from kg.core.models import Article
from kg.ingest.pipeline import ArticleReport, IngestPipeline


class ScriptedPipeline(IngestPipeline):
    """Ingests by looking the article's title up in ``outcomes`` (no stores involved)."""

    def __init__(self, outcomes: dict[str, Exception | None]) -> None:
        none = cast(Any, None)
        super().__init__(none, none, none, none, Settings())
        self.outcomes = outcomes

    def ingest_article(self, article: Article) -> ArticleReport:
        outcome = self.outcomes[article.title]
        if outcome is not None:
            raise outcome
        return ArticleReport(article.id, article.iri, article.title, 1, 0, 0, True)


def _article(title: str) -> Article:
    return Article(title=title, body="Text.", origin=f"{title}.txt")


def test_newskg_errors_are_reported_and_the_batch_goes_on() -> None:
    pipeline = ScriptedPipeline(
        {
            "ok": None,
            "bad": ArticleParseError("bad.txt", "no body"),
            "ends": GraphWriteError("relationship ends missing", query="Q", written=1, expected=2),
            "also ok": None,
        }
    )
    report = pipeline.ingest([_article(t) for t in ("ok", "bad", "ends", "also ok")])
    assert [a.title for a in report.articles] == ["ok", "also ok"]
    assert [f.origin for f in report.failures] == ["bad.txt", "ends.txt"]
    assert "relationship ends missing" in report.failures[1].error


def test_other_exceptions_are_bugs_and_propagate() -> None:
    pipeline = ScriptedPipeline({"ok": None, "bug": ValueError("a bug, not a bad article")})
    with pytest.raises(ValueError, match="a bug"):
        pipeline.ingest([_article("ok"), _article("bug")])
