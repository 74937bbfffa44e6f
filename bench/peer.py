"""Search latency beside a peer: neo4j-graphrag's ``QdrantNeo4jRetriever`` and newskg.

Same passages, same model, same queries, calls interleaved in one run:

- **peer**: ``neo4j_graphrag.retrievers.QdrantNeo4jRetriever`` over qdrant-client in local
  mode (``:memory:``) holding the same passage vectors (all-MiniLM-L6-v2 through
  :class:`kg.vectors.embedder.Embedder`, wrapped in neo4j-graphrag's ``Embedder``
  interface), matched to the graph's ``Passage`` nodes by ``id_property_neo4j="id"`` (the
  passage id, which is also our point id); it returns the top 10 passage nodes.
- **newskg**: :meth:`kg.search.engine.HybridSearch.view` in process, on the engine the API
  serves (``services.search``: vector + fulltext + graph retrieval, fusion, role check,
  actions, hydration), REST ``GET /search`` and the
  GraphQL ``search`` query of ``bench/scale.py`` over HTTP to a uvicorn server this bench
  starts on a loopback port (in a thread).

The passages are the re3d-ukgov documents (Dstl, OGL v3.0, read in place from
``../shared/data/re3d-ukgov``), ingested under run-scoped URLs into the configured Neo4j and
a temporary Qdrant directory, and deleted afterwards. The queries are those of
``bench/data/re3d_role_questions.json`` plus a few without roles. ``--profile`` prints where
warm in-process searches spend their time.

The peer matches Qdrant's hits to the graph with ``MATCH (node:Passage) WHERE
node[$id_property] = ...`` (neo4j-graphrag's ``get_match_query``): a dynamic property that no
index serves, so it scans every ``Passage`` node of the database once per hit. Its time grows
with the whole database, not with the bench's passages; the bench prints how many passages
the database holds. To compare like with like, run it against a Neo4j holding only the
bench's passages (e.g. ``NEWSKG_VAR_DIR=/tmp/x NEWSKG_NEO4J_BOLT_PORT=7711
NEWSKG_NEO4J_HTTP_PORT=7712 kg neo4j start``, and the same variables for the bench).

Needs the ``bench`` extra (``pip install -e '.[bench]'``: ``neo4j-graphrag[qdrant]``).

Run: ``.venv/bin/python bench/peer.py [--rounds 5] [--profile]`` (needs Neo4j running).
"""

from __future__ import annotations

import argparse
import cProfile
import json
import pstats
import random
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.eval_search import DATA, QUESTIONS, articles_of  # noqa: E402
from bench.scale import SEARCH_GQL  # noqa: E402
from kg.core.config import get_settings  # noqa: E402
from kg.search.engine import HybridSearch  # noqa: E402
from kg.search.request import SearchRequest  # noqa: E402
from kg.services import Services, bootstrap, build_services, close  # noqa: E402

EXTRA_QUERIES = (
    "ISIL",
    "coalition airstrikes in Iraq",
    "humanitarian aid to Syria",
    "chemical weapons",
    "Assad regime",
)
TOP_K = 10


def peer_retriever(services: Services, passages: Sequence[tuple[str, str]]) -> Any:
    """neo4j-graphrag's QdrantNeo4jRetriever over qdrant-client local mode, same vectors."""
    import neo4j
    from neo4j_graphrag.embeddings.base import Embedder as GraphRagEmbedder
    from neo4j_graphrag.retrievers import QdrantNeo4jRetriever
    from qdrant_client import QdrantClient, models

    ours = services.embedder

    class MiniLM(GraphRagEmbedder):
        """newskg's embedder (all-MiniLM-L6-v2) behind neo4j-graphrag's interface."""

        def embed_query(self, text: str) -> list[float]:
            return list(ours.embed_query(text))

    client = QdrantClient(":memory:")
    vectors = ours.embed([text for _, text in passages])
    client.create_collection(
        "passages",
        vectors_config=models.VectorParams(size=len(vectors[0]), distance=models.Distance.COSINE),
    )
    client.upsert(
        "passages",
        points=[
            models.PointStruct(id=pid, vector=list(vec), payload={"id": pid})
            for (pid, _), vec in zip(passages, vectors, strict=True)
        ],
    )
    settings = services.settings
    driver = neo4j.GraphDatabase.driver(
        settings.neo4j_uri,
        auth=(settings.neo4j_user, settings.neo4j_password.get_secret_value()),
    )
    return QdrantNeo4jRetriever(
        driver=driver,
        client=client,
        collection_name="passages",
        id_property_neo4j="id",
        id_property_external="id",
        node_label_neo4j="Passage",
        embedder=MiniLM(),
    )


def percentile(samples: Sequence[float], q: float) -> float:
    """The q-quantile (0..1) of the samples, by linear interpolation."""
    ordered = sorted(samples)
    pos = (len(ordered) - 1) * q
    low = int(pos)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (pos - low)


def profile_warm(search: HybridSearch, queries: Sequence[str]) -> None:
    """Print the functions warm in-process searches spend most time in.

    Each query is asked once first: the first search of a fresh process is dominated by
    Neo4j planning its queries (2.5 s against 30-50 ms warm). cProfile sees this thread
    only, where the engine waits for its retrievers' threads; ``bench/search_stages.py``
    times each stage on any thread.
    """
    for query in queries:
        search.view(SearchRequest(query, TOP_K))
    profiler = cProfile.Profile()
    profiler.enable()
    for query in queries:
        search.view(SearchRequest(query, TOP_K))
    profiler.disable()
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(30)


def graphql(http: Any, query: str) -> object:
    """GraphQL ``search`` over HTTP; fails on any error in the answer."""
    response = http.post("/graphql", json={"query": SEARCH_GQL, "variables": {"q": query}})
    body = response.raise_for_status().json()
    if body.get("errors"):
        raise RuntimeError(f"GraphQL errors: {body['errors']}")
    return body


def measure(services: Services, article_ids: Sequence[str], rounds: int, profile: bool) -> None:
    """Time the peer, newskg in process and REST, interleaved; print p50/p95 and ratios."""
    from api.app import create_app
    from tests.live_server import live_client

    by_article = services.reader.passages_by_article_ids(list(article_ids))
    passages = [(p.id, p.text) for ps in by_article.values() for p in ps]
    peer = peer_retriever(services, passages)
    # The engine as the API serves it: with the breaker, so that (the graph healthy) it
    # embeds the query at once. An engine without one waits up to GRAPH_FIRST_S for the
    # graph's first answer before embedding, which the server never does while healthy.
    search = services.search
    questions = json.loads(QUESTIONS.read_text(encoding="utf-8"))["questions"]
    queries = [q["query"] for q in questions] + list(EXTRA_QUERIES)
    print(f"{len(passages)} passages, {len(queries)} queries x {rounds} rounds")
    held = services.admin.counts_by_label().get("Passage", 0)
    print(f"the database holds {held} passages (the peer scans all of them per hit)")
    if profile:
        profile_warm(search, queries)
    with live_client(create_app(services=services)) as http:
        systems: dict[str, Callable[[str], object]] = {
            "peer": lambda q: peer.search(query_text=q, top_k=TOP_K),
            "newskg": lambda q: search.view(SearchRequest(q, TOP_K)),
            "rest": lambda q: (
                http.get("/search", params={"q": q, "limit": TOP_K}).raise_for_status().content
            ),
            "graphql": lambda q: graphql(http, q),
        }
        for query in queries[:3]:  # warm up: model, connections, query plans
            for call in systems.values():
                call(query)
        times: dict[str, list[float]] = {name: [] for name in systems}
        rng = random.Random(0)
        for _ in range(rounds):
            for query in queries:
                order = list(systems)
                rng.shuffle(order)  # interleaved, in a different order each time
                for name in order:
                    started = time.perf_counter()
                    systems[name](query)
                    times[name].append((time.perf_counter() - started) * 1000)
    peer.driver.close()

    p50 = {name: statistics.median(ts) for name, ts in times.items()}
    p95 = {name: percentile(ts, 0.95) for name, ts in times.items()}
    print(f"{'system':<8} {'p50 ms':>8} {'p95 ms':>8} {'p50/peer':>9} {'p95/peer':>9}")
    for name in times:
        print(
            f"{name:<8} {p50[name]:>8.1f} {p95[name]:>8.1f} "
            f"{p50[name] / p50['peer']:>9.2f} {p95[name] / p95['peer']:>9.2f}"
        )


def main(argv: Sequence[str] | None = None) -> int:
    """Ingest, time the three systems interleaved, print p50/p95 and ratios, clean up."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--rounds", type=int, default=5, help="times each query is asked")
    parser.add_argument("--profile", action="store_true", help="profile warm searches first")
    args = parser.parse_args(argv)
    if not (args.data / "documents.json").is_file():
        print(f"re3d data not found in {args.data}", file=sys.stderr)
        return 2
    try:
        import neo4j_graphrag  # noqa: F401
    except ImportError:
        print("neo4j-graphrag is not installed: pip install -e '.[bench]'", file=sys.stderr)
        return 2

    run = uuid.uuid4().hex[:8]
    services = build_services(get_settings(qdrant_dir=Path(tempfile.mkdtemp(prefix="peer-"))))
    bootstrap(services)
    ingested: list[str] = []
    try:
        for article in articles_of(args.data, run).values():
            ingested.append(services.pipeline.ingest_article(article).article_id)
        measure(services, ingested, args.rounds, args.profile)
    finally:
        for article_id in ingested:
            services.pipeline.delete_article(article_id)
        close(services)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
