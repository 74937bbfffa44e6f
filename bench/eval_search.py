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

Role questions (``--roles``, on by default): the questions of
``bench/data/re3d_role_questions.json`` ("attacks on ISIL", "threats to Europe"), written
before any result was looked at, with how relevance is judged: a passage is relevant when it
overlaps a FightingAgainst relation whose target is the question's target. Reported per
retriever, for the fused ranking before and after the role check
(:mod:`kg.search.roles`): p@10, p@10 out of what is achievable (relevant / min(10, |gold|)),
and recall@10, for the dev and the held-out questions apart (``--verbose`` prints the dev
questions one by one, never the held-out ones; ``--half dev`` leaves the held-out
questions out altogether: use it while tuning).

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
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from kg.core.config import get_settings  # noqa: E402
from kg.core.models import Article  # noqa: E402
from kg.core.records import PassageRecord  # noqa: E402
from kg.graph.search_graph import Neo4jSearchGraph  # noqa: E402
from kg.search.engine import HybridSearch  # noqa: E402
from kg.search.understanding import normalize_name  # noqa: E402
from kg.services import Services, bootstrap, build_services, close  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "re3d-ukgov"
QUESTIONS = ROOT / "bench" / "data" / "re3d_role_questions.json"
MODES = ("vector", "fulltext", "graph", "fused")
ROLE_MODES = (*MODES, "fused_without_roles")
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
) -> Mapping[str, Sequence[PassageRecord]]:
    """Article id -> its passages, read back from the graph."""
    return services.reader.passages_by_article_ids(list(article_ids))


def build_queries(
    relations: Sequence[Relation],
    doc_passages: Mapping[str, Sequence[PassageRecord]],
    article_id_of: dict[str, str],
) -> list[Query]:
    """Two queries per named target, with the gold passages defined in the docstring."""
    gold: dict[str, set[str]] = defaultdict(set)
    surface: dict[str, str] = {}
    for rel in relations:
        key = normalize_name(rel.target)
        surface.setdefault(key, rel.target)
        for passage in doc_passages.get(article_id_of[rel.document_id], []):
            if any(s < passage.end and passage.start < e for s, e in rel.spans):
                gold[key].add(passage.id)
    queries = []
    for key, passages in sorted(gold.items()):
        if not passages:
            continue
        name = surface[key]
        queries.append(Query(f"actions against {name}", frozenset(passages)))
        queries.append(Query(f"who is fighting {name}", frozenset(passages)))
    return queries


@dataclass(frozen=True, slots=True)
class RoleQuestion:
    """A role question, its split and its relevant passage ids."""

    text: str
    split: str
    gold: frozenset[str]


def role_questions(
    path: Path,
    data: Path,
    doc_passages: Mapping[str, Sequence[PassageRecord]],
    article_id_of: dict[str, str],
) -> list[RoleQuestion]:
    """The questions of ``path`` with their relevant passages (as its ``relevance`` says)."""
    spec = json.loads(path.read_text(encoding="utf-8"))
    extents: dict[str, list[tuple[str, int, int]]] = defaultdict(list)
    for row in read_jsonl(data / "relations.json"):
        if row["type"] != "FightingAgainst":
            continue
        bounds = [
            int(str(row[k])) for k in ("sourceBegin", "sourceEnd", "targetBegin", "targetEnd")
        ]
        extents[normalize_name(str(row["target"]))].append(
            (str(row["documentId"]), min(bounds), max(bounds))
        )
    out = []
    for item in spec["questions"]:
        gold: set[str] = set()
        for target in item["targets"]:
            for doc_id, start, end in extents.get(normalize_name(target), []):
                for passage in doc_passages.get(article_id_of[doc_id], []):
                    if start < passage.end and passage.start < end:
                        gold.add(passage.id)
        out.append(RoleQuestion(item["query"], item["split"], frozenset(gold)))
    return out


def precision(ranking: Sequence[str], gold: frozenset[str]) -> tuple[float, float, float]:
    """(p@K, p@K out of min(K, |gold|), recall@K) of one ranking."""
    hits = len(gold.intersection(ranking[:K]))
    return hits / K, hits / min(K, len(gold)), hits / len(gold)


def evaluate_roles(
    search: HybridSearch,
    questions: Sequence[RoleQuestion],
    verbose: bool,
    splits: Sequence[str] = ("dev", "heldout"),
) -> None:
    """Print p@10 / achievable p@10 / recall@10 per ranking, for each of ``splits`` apart."""
    for split in splits:
        asked = [q for q in questions if q.split == split and q.gold]
        if not asked:
            continue
        totals = {mode: [0.0, 0.0, 0.0] for mode in ROLE_MODES}
        for question in asked:
            rankings = search.rankings(question.text, depth=K)
            line = []
            for mode in ROLE_MODES:
                scores = precision(rankings[mode], question.gold)
                for i, value in enumerate(scores):
                    totals[mode][i] += value
                line.append(f"{mode}={scores[0]:.1f}/{scores[1]:.2f}")
            if verbose and split == "dev":
                print(f"  {question.text!r} gold={len(question.gold)} " + " ".join(line))
        n = len(asked)
        print(f"role questions, {split}: {n} (p@10, p@10 of achievable, recall@10)")
        print(f"{'ranking':<20} {'p@10':>6} {'p@10a':>6} {'recall':>6}")
        for mode in ROLE_MODES:
            p, pa, r = (v / n for v in totals[mode])
            print(f"{mode:<20} {p:>6.3f} {pa:>6.3f} {r:>6.3f}")


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
    parser.add_argument("--questions", type=Path, default=QUESTIONS, help="role questions")
    parser.add_argument(
        "--no-roles", dest="roles", action="store_false", help="skip the role questions"
    )
    parser.add_argument(
        "--half",
        choices=("dev", "both"),
        default="both",
        help="role questions: dev only (while tuning), or dev and held-out",
    )
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
    counts = services.admin.counts_by_label()
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

        doc_passages = passages_of(services, ingested)
        queries = build_queries(fighting_relations(args.data), doc_passages, article_id_of)
        search = HybridSearch(
            Neo4jSearchGraph(services.graph), services.vectors, services.embedder, services.settings
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
        if args.roles:
            questions = role_questions(args.questions, args.data, doc_passages, article_id_of)
            splits = ("dev",) if args.half == "dev" else ("dev", "heldout")
            evaluate_roles(search, questions, args.verbose, splits)
    finally:
        for article_id in ingested:
            services.pipeline.delete_article(article_id)
        close(services)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
