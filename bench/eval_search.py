"""Evaluate hybrid search on re3d (UK Government subset): recall@10 and MRR per retriever.

Data: re3d, "Relationship and Entity Extraction Evaluation Dataset", by Dstl (the UK Defence
Science and Technology Laboratory), annotated by Aleph Insights and Committed Software;
documents from www.gov.uk. Licensed under the Open Government Licence v3.0. It is read in
place from ``../shared/data/re3d-ukgov`` (relative to the repository root), never copied.

Queries and gold standard:

- For every ``FightingAgainst`` relation whose target is a name (its text, without a
  leading "the", starts with a capital letter and is not a pronoun), two queries are made
  from the target's text ``X``: ``"actions against X"`` and ``"who is fighting X"``.
  Relations whose targets normalise to the same name ("ISIL", "the ISIL") share queries.
- The gold passages of a query are, for every such relation with that target, the
  passages of the relation's document that overlap the relation's source mention or its
  target mention (character offsets ``sourceBegin..sourceEnd`` / ``targetBegin..targetEnd``
  in the document text, which is ingested unchanged as the article body).
- recall@10 = |gold among the top 10| / |gold|; MRR = 1 / rank of the first gold passage
  in the top 10 (0 when none); both averaged over queries.

The 26 documents are ingested through :class:`kg.ingest.pipeline.IngestPipeline` under their own
article URLs (``https://eval.newskg.invalid/re3d/<run>/<doc id>``) into the configured
Neo4j and a temporary embedded Qdrant directory, and deleted with
``pipeline.delete_article`` afterwards (also on failure). Other articles already in Neo4j
stay and only compete as non-relevant passages. The four rankings (vector, fulltext,
graph, fused) come from the same :meth:`kg.search.engine.HybridSearch.rankings` call per query.

Run: ``.venv/bin/python bench/eval_search.py`` (needs Neo4j running).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from kg.core.config import get_settings  # noqa: E402
from kg.core.models import Article  # noqa: E402
from kg.search.engine import HybridSearch  # noqa: E402
from kg.search.understanding import normalize_name  # noqa: E402
from kg.services import Services, bootstrap, build_services, close  # noqa: E402
from kg.stores import cypher  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "re3d-ukgov"
MODES = ("vector", "fulltext", "graph", "fused")
PRONOUNS = frozenset({"we", "they", "he", "she", "it", "them", "us", "i", "you"})
K = 10


@dataclass(frozen=True, slots=True)
class Relation:
    """One FightingAgainst relation and its mention offsets."""

    document_id: str
    source: str
    target: str
    spans: tuple[tuple[int, int], ...]


@dataclass(frozen=True, slots=True)
class Query:
    """An evaluation query and its gold passage ids."""

    text: str
    gold: frozenset[str]


def read_jsonl(path: Path) -> list[dict[str, object]]:
    """Read one JSON object per line."""
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def fighting_relations(data: Path) -> list[Relation]:
    """The FightingAgainst relations with a named target."""
    relations = []
    for row in read_jsonl(data / "relations.json"):
        if row["type"] != "FightingAgainst":
            continue
        target = str(row["target"]).strip()
        key = normalize_name(target)
        if not key or key in PRONOUNS or not key.split()[0] or not _is_name(target):
            continue
        relations.append(
            Relation(
                document_id=str(row["documentId"]),
                source=str(row["source"]).strip(),
                target=target,
                spans=(
                    (int(str(row["sourceBegin"])), int(str(row["sourceEnd"]))),
                    (int(str(row["targetBegin"])), int(str(row["targetEnd"]))),
                ),
            )
        )
    return relations


def _is_name(text: str) -> bool:
    words = text.split()
    if words and words[0].lower() == "the":
        words = words[1:]
    return bool(words) and words[0][0].isupper() and words[0].lower() not in PRONOUNS


def articles_of(data: Path, run: str) -> dict[str, Article]:
    """re3d document id -> the article to ingest (body = the document text, unchanged)."""
    articles = {}
    for row in read_jsonl(data / "documents.json"):
        doc_id = str(row["_id"])
        articles[doc_id] = Article(
            title=str(row.get("title") or doc_id),
            body=str(row["text"]),
            url=f"https://eval.newskg.invalid/re3d/{run}/{doc_id}",
            source="UK Government (re3d, Dstl, OGL v3.0)",
            origin=f"re3d:{doc_id}",
        )
    return articles


def passages_of(
    services: Services, article_ids: Iterable[str]
) -> dict[str, list[dict[str, object]]]:
    """Article id -> its passages (id, start, end), read back from the graph."""
    rows = services.graph.run_read(cypher.SEARCH_ARTICLE_PASSAGES, {"ids": list(article_ids)})
    out: dict[str, list[dict[str, object]]] = defaultdict(list)
    for row in rows:
        out[str(row["article_id"])].append(row)
    return out


def build_queries(
    relations: Sequence[Relation],
    doc_passages: dict[str, list[dict[str, object]]],
    article_id_of: dict[str, str],
) -> list[Query]:
    """Two queries per named target, with the gold passages defined in the docstring."""
    gold: dict[str, set[str]] = defaultdict(set)
    surface: dict[str, str] = {}
    for rel in relations:
        key = normalize_name(rel.target)
        surface.setdefault(key, rel.target)
        for passage in doc_passages.get(article_id_of[rel.document_id], []):
            start, end = int(str(passage["start"])), int(str(passage["end"]))
            if any(s < end and start < e for s, e in rel.spans):
                gold[key].add(str(passage["id"]))
    queries = []
    for key, passages in sorted(gold.items()):
        if not passages:
            continue
        name = surface[key]
        queries.append(Query(f"actions against {name}", frozenset(passages)))
        queries.append(Query(f"who is fighting {name}", frozenset(passages)))
    return queries


def score(ranking: Sequence[str], gold: frozenset[str]) -> tuple[float, float]:
    """(recall@K, reciprocal rank within the top K) of one ranking."""
    top = list(ranking[:K])
    recall = len(gold.intersection(top)) / len(gold)
    rr = next((1.0 / (i + 1) for i, pid in enumerate(top) if pid in gold), 0.0)
    return recall, rr


def main(argv: Sequence[str] | None = None) -> int:
    """Ingest, evaluate, print the table, clean up."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--verbose", action="store_true", help="print per-query results")
    args = parser.parse_args(argv)
    if not (args.data / "documents.json").is_file():
        print(f"re3d data not found in {args.data}", file=sys.stderr)
        return 2

    run = uuid.uuid4().hex[:8]
    qdrant_dir = Path(tempfile.mkdtemp(prefix="newskg-eval-qdrant-"))
    services = build_services(get_settings(qdrant_dir=qdrant_dir))
    bootstrap(services)
    # The vector retriever sees only this run's temporary Qdrant, but fulltext and graph
    # search the whole graph: other articles there compete for the top ranks.
    counts = {
        r["label"]: r["count"] for r in services.graph.run_read(cypher.COUNT_NODES_BY_LABEL, {})
    }
    if counts.get("Article"):
        print(
            f"note: the graph already holds {counts['Article']} article(s); the fulltext and "
            "graph rankings compete with them (an empty graph gives the cleanest numbers)"
        )
    ingested: list[str] = []
    try:
        articles = articles_of(args.data, run)
        started = time.perf_counter()
        article_id_of = {}
        for doc_id, article in articles.items():
            report = services.pipeline.ingest_article(article)
            ingested.append(report.article_id)
            article_id_of[doc_id] = report.article_id
        ingest_seconds = time.perf_counter() - started

        queries = build_queries(
            fighting_relations(args.data), passages_of(services, ingested), article_id_of
        )
        search = HybridSearch(
            services.graph, services.vectors, services.embedder, services.settings
        )
        totals = {mode: [0.0, 0.0] for mode in MODES}
        for query in queries:
            rankings = search.rankings(query.text, depth=K)
            line = []
            for mode in MODES:
                recall, rr = score(rankings[mode], query.gold)
                totals[mode][0] += recall
                totals[mode][1] += rr
                line.append(f"{mode}={recall:.2f}/{rr:.2f}")
            if args.verbose:
                print(f"{query.text!r} gold={len(query.gold)} " + " ".join(line))

        n = len(queries)
        print(
            f"re3d-ukgov: {len(articles)} documents ingested in {ingest_seconds:.1f}s; "
            f"{n} queries ({n // 2} named FightingAgainst targets x 2 phrasings)"
        )
        print(f"{'retriever':<10} {'recall@10':>9} {'MRR':>6}")
        for mode in MODES:
            recall, rr = totals[mode]
            print(f"{mode:<10} {recall / n:>9.3f} {rr / n:>6.3f}")
    finally:
        for article_id in ingested:
            services.pipeline.delete_article(article_id)
        close(services)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
