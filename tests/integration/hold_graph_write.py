"""`kg ingest` whose Nth graph write never happens: the articles' vectors are written, then
the process says so (writes the article ids, one per line, to a file) and waits to be killed.
A graph write is one article alone or one batch of articles in one transaction.

Usage: ``python tests/integration/hold_graph_write.py FLAG N ingest PATH...``. It lets a
test kill a real ingest exactly between the two stores, the window a crash can hit.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Sequence
from pathlib import Path

from kg.cli import main
from kg.core.models import GraphRows
from kg.core.records import ArticleWrite
from kg.graph.writes import Neo4jArticleWriter


def hold(flag: Path, at: int) -> None:
    one = Neo4jArticleWriter.replace_article
    many = Neo4jArticleWriter.replace_articles
    calls = 0

    def maybe_hold(article_ids: list[str]) -> None:
        nonlocal calls
        calls += 1
        if calls == at:
            flag.write_text("\n".join(article_ids), encoding="utf-8")
            time.sleep(3600)  # until the test kills the process

    def held_one(self: Neo4jArticleWriter, rows: GraphRows, article_id: str) -> ArticleWrite:
        maybe_hold([article_id])
        return one(self, rows, article_id)

    def held_many(
        self: Neo4jArticleWriter, batch: Sequence[tuple[GraphRows, str]]
    ) -> list[ArticleWrite]:
        maybe_hold([article_id for _, article_id in batch])
        return many(self, batch)

    Neo4jArticleWriter.replace_article = held_one  # type: ignore[method-assign]
    Neo4jArticleWriter.replace_articles = held_many  # type: ignore[method-assign]


if __name__ == "__main__":
    hold(Path(sys.argv[1]), int(sys.argv[2]))
    sys.argv = ["kg", *sys.argv[3:]]
    main()
