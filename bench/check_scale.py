"""Benchmark: ``kg check`` holds one page at a time, however many points it scans.

Run on demand (not part of the tests; needs the Neo4j server)::

    .venv/bin/python bench/check_scale.py [--points 2000 20000] [--dimension 384]

For each size, a fresh qdrant-edge shard in a temporary directory gets that many points of
articles the graph does not hold (all under a URL prefix of this run, so the check is
scoped to them and never reads other data), then ``ConsistencyChecker.check`` scans them:
each page of points is looked up in Neo4j. Prints points per second and the peak of
Python memory the check allocated (tracemalloc), which should not grow with the size.
"""

from __future__ import annotations

import argparse
import tempfile
import time
import tracemalloc
import uuid
from pathlib import Path

import numpy as np

from kg.core.config import get_settings
from kg.core.models import VectorPoint
from kg.core.records import CheckScope
from kg.graph.consistency import Neo4jConsistencyGraph
from kg.graph.store import connection_from_settings
from kg.ingest.consistency import ConsistencyChecker
from kg.vectors.qdrant_edge import QdrantEdgeStore


def fill(store: QdrantEdgeStore, points: int, dimension: int, prefix: str) -> None:
    rng = np.random.default_rng(7)
    batch = 1000
    for start in range(0, points, batch):
        vectors = rng.normal(size=(min(batch, points - start), dimension))
        store.upsert(
            [
                VectorPoint(
                    id=str(uuid.uuid4()),
                    vector=tuple(float(x) for x in v / np.linalg.norm(v)),
                    payload={
                        "passage_id": "",
                        "article_id": f"bench-{(start + i) // 10}",
                        "url": f"{prefix}{(start + i) // 10}",
                        "text": "x" * 600,
                    },
                )
                for i, v in enumerate(vectors)
            ]
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--points", type=int, nargs="+", default=[2000, 20000])
    parser.add_argument("--dimension", type=int, default=384)
    args = parser.parse_args()
    db = connection_from_settings(get_settings())
    try:
        for points in args.points:
            with tempfile.TemporaryDirectory() as tmp:
                prefix = f"https://bench.newskg.invalid/{uuid.uuid4()}/"
                store = QdrantEdgeStore(Path(tmp), "passages")
                fill(store, points, args.dimension, prefix)
                checker = ConsistencyChecker(Neo4jConsistencyGraph(db), store)
                tracemalloc.start()
                began = time.perf_counter()
                report = checker.check(CheckScope(url_prefix=prefix))
                elapsed = time.perf_counter() - began
                _, peak = tracemalloc.get_traced_memory()
                tracemalloc.stop()
                store.close()
                assert report.found["orphan_vector"] == points
                print(
                    f"{points} points: {points / elapsed:.0f} points/s, "
                    f"peak Python memory {peak / 2**20:.1f} MiB"
                )
    finally:
        db.close()


if __name__ == "__main__":
    main()
