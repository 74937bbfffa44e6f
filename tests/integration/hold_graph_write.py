"""`kg ingest` whose Nth graph write never happens: the article's vectors are written, then
the process says so (writes the article id to a file) and waits to be killed.

Usage: ``python tests/integration/hold_graph_write.py FLAG N ingest PATH...``. It lets a
test kill a real ingest exactly between the two stores, the window a crash can hit.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from kg.cli import main
from kg.core.models import GraphRows
from kg.core.records import ArticleWrite
from kg.graph.writes import Neo4jArticleWriter


def hold(flag: Path, at: int) -> None:
    original = Neo4jArticleWriter.replace_article
    calls = 0

    def held(self: Neo4jArticleWriter, rows: GraphRows, article_id: str) -> ArticleWrite:
        nonlocal calls
        calls += 1
        if calls == at:
            flag.write_text(article_id, encoding="utf-8")
            time.sleep(3600)  # until the test kills the process
        return original(self, rows, article_id)

    Neo4jArticleWriter.replace_article = held  # type: ignore[method-assign]


if __name__ == "__main__":
    hold(Path(sys.argv[1]), int(sys.argv[2]))
    sys.argv = ["kg", *sys.argv[3:]]
    main()
