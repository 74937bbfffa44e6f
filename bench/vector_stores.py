"""Benchmark: qdrant-edge vs qdrant-client local mode behind the same VectorStore port.

Run on demand (not part of the tests)::

    .venv/bin/python bench/vector_stores.py [--points 5000] [--queries 500] [--seed 7]

Both stores get the same seeded random 384-d unit vectors and payloads, written to disk in
a temporary directory, then answer the same queries (unfiltered, then filtered by an
entity any-of and a date range). Prints throughput for each and the edge/client ratios,
plus how many of the client's exact top-10 the edge store also returned.
"""

from __future__ import annotations

import argparse
import tempfile
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np

from kg.core.models import VectorFilter, VectorPoint
from kg.core.ports import VectorStore
from kg.vectors.qdrant_edge import QdrantEdgeStore
from kg.vectors.qdrant_server import QdrantClientStore

DIM = 384
BATCH = 256
LIMIT = 10
N_ENTITIES = 200
BASE_DAY = date(2024, 1, 1).toordinal()


@dataclass(frozen=True, slots=True)
class Result:
    name: str
    upsert_per_s: float
    search_per_s: float
    filtered_per_s: float
    top_ids: list[list[str]]


def make_points(n: int, rng: np.random.Generator) -> list[VectorPoint]:
    matrix = rng.standard_normal((n, DIM), dtype=np.float32)
    matrix /= np.linalg.norm(matrix, axis=1, keepdims=True)
    points = []
    for i, row in enumerate(matrix.tolist()):
        day = BASE_DAY + int(rng.integers(0, 365))
        entities = [f"e{int(x)}" for x in rng.integers(0, N_ENTITIES, size=3)]
        points.append(
            VectorPoint(
                id=str(uuid.UUID(int=int(rng.integers(0, 2**63)) << 64 | i)),
                vector=tuple(row),
                payload={
                    "article_id": f"a{i // 8}",
                    "entity_ids": entities,
                    "published_day": day,
                    "text": f"passage {i}",
                },
            )
        )
    return points


def make_queries(n: int, rng: np.random.Generator) -> list[tuple[float, ...]]:
    matrix = rng.standard_normal((n, DIM), dtype=np.float32)
    matrix /= np.linalg.norm(matrix, axis=1, keepdims=True)
    return [tuple(row) for row in matrix.tolist()]


def run(
    name: str,
    store: VectorStore,
    points: Sequence[VectorPoint],
    queries: Sequence[tuple[float, ...]],
) -> Result:
    store.bootstrap(DIM)
    start = time.perf_counter()
    for i in range(0, len(points), BATCH):
        store.upsert(points[i : i + BATCH])
    upsert_s = time.perf_counter() - start
    assert store.count() == len(points), f"{name}: count {store.count()} != {len(points)}"

    start = time.perf_counter()
    top_ids = [[h.id for h in store.search(q, LIMIT)] for q in queries]
    search_s = time.perf_counter() - start

    flt = VectorFilter(
        entity_ids=("e1", "e2", "e3", "e4", "e5"),
        published_from=date(2024, 2, 1),
        published_to=date(2024, 9, 30),
    )
    start = time.perf_counter()
    for q in queries:
        store.search(q, LIMIT, flt)
    filtered_s = time.perf_counter() - start
    store.close()
    return Result(
        name=name,
        upsert_per_s=len(points) / upsert_s,
        search_per_s=len(queries) / search_s,
        filtered_per_s=len(queries) / filtered_s,
        top_ids=top_ids,
    )


def overlap(a: list[list[str]], b: list[list[str]]) -> float:
    """Mean share of b's top-k ids that a also returned."""
    shares = [len(set(x) & set(y)) / max(len(y), 1) for x, y in zip(a, b, strict=True)]
    return sum(shares) / len(shares)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--points", type=int, default=5000)
    parser.add_argument("--queries", type=int, default=500)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)

    rng = np.random.default_rng(args.seed)
    points = make_points(args.points, rng)
    queries = make_queries(args.queries, rng)

    with tempfile.TemporaryDirectory(prefix="newskg-bench-") as tmp:
        root = Path(tmp)
        stores: list[tuple[str, Callable[[], VectorStore]]] = [
            ("qdrant-edge", lambda: QdrantEdgeStore(root / "edge", "bench")),
            ("qdrant-client local", lambda: QdrantClientStore("bench", path=root / "client")),
        ]
        results = [run(name, factory(), points, queries) for name, factory in stores]

    print(f"{args.points} points x {DIM}-d, {args.queries} queries, top-{LIMIT}, seed {args.seed}")
    print(f"{'store':<22}{'upsert pts/s':>14}{'search q/s':>13}{'filtered q/s':>15}")
    for r in results:
        print(
            f"{r.name:<22}{r.upsert_per_s:>14.0f}{r.search_per_s:>13.1f}{r.filtered_per_s:>15.1f}"
        )
    edge, client = results
    print(
        "edge/client ratio     "
        f"{edge.upsert_per_s / client.upsert_per_s:>14.2f}"
        f"{edge.search_per_s / client.search_per_s:>13.2f}"
        f"{edge.filtered_per_s / client.filtered_per_s:>15.2f}"
    )
    agreement = overlap(edge.top_ids, client.top_ids)
    print(f"edge top-{LIMIT} agreement with client (exact): {agreement:.3f}")


if __name__ == "__main__":
    main()
