"""Where one search's time goes: a span around every port call, per stage, in process.

Wraps the engine's ports of the configured services (every :class:`kg.core.ports.SearchGraph`
read, the query embedding, the vector search) and the engine's own steps (query
understanding, the graph retriever, fusion, the role check, the view), runs
``HybridSearch.view`` on the queries of ``bench/scale.py`` (or, with ``--peer``, those of
``bench/peer.py``) and prints, per stage, the p50 of its duration and of the time it ended
(from the search's start): the stages that end last are the critical path. Also the Neo4j
round trips per search and this process's CPU per search (with ``--neo4j-pid``, the Neo4j
server's too).

Point it at a store with the usual variables (``NEWSKG_NEO4J_BOLT_PORT``,
``NEWSKG_QDRANT_DIR``...); the embedded Qdrant shard must not be open in another process.

Run: ``.venv/bin/python bench/search_stages.py [--runs 3] [--peer] [--timeline 2]``.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import statistics
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import kg.search.engine as engine  # noqa: E402
from kg.core.config import get_settings  # noqa: E402
from kg.graph import store  # noqa: E402
from kg.search.request import SearchRequest  # noqa: E402
from kg.services import build_services, close  # noqa: E402

GRAPH_READS = (
    "entities_named",
    "passages_matching",
    "entity_evidence",
    "evidence_context",
    "actions_of_types",
    "actions_of_passages",
    "passages_with_action_types",
    "copy_article_ids",
    "passage_context",
    "passage_roles",
    "events",
    "passages",
    "articles",
    "actions",
    "participants",
    "resolve_entity",
)
ENGINE_STEPS = ("resolve_entities", "retrieve_graph", "reciprocal_rank_fusion", "apply_roles")


class Spans:
    """Spans recorded by every thread: (stage, thread, start, end)."""

    def __init__(self) -> None:
        self.spans: list[tuple[str, str, float, float]] = []
        self.reads = 0
        self._lock = threading.Lock()

    def wrap(self, owner: Any, name: str, label: str) -> None:
        """Replace ``owner.name`` by a function recording a span around each call."""
        inner: Callable[..., Any] = getattr(owner, name)

        @functools.wraps(inner)
        def timed(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return inner(*args, **kwargs)
            finally:
                ended = time.perf_counter()
                with self._lock:
                    self.spans.append((label, threading.current_thread().name, started, ended))

        setattr(owner, name, timed)

    def count_reads(self) -> None:
        """Count the Neo4j round trips (``run_read`` calls) from now on."""
        run_read = store.Neo4jConnection.run_read

        def counted(conn: store.Neo4jConnection, query: str, params: Any) -> list[store.Row]:
            with self._lock:
                self.reads += 1
            return run_read(conn, query, params)

        setattr(store.Neo4jConnection, "run_read", counted)  # noqa: B010 (patched on purpose)

    def clear(self) -> None:
        with self._lock:
            self.spans.clear()
            self.reads = 0


def queries(peer: bool) -> list[str]:
    """The bench's queries: ``bench/scale.py``'s, or ``bench/peer.py``'s."""
    if not peer:
        from bench.scale import QUERIES

        return list(QUERIES)
    from bench.eval_search import QUESTIONS
    from bench.peer import EXTRA_QUERIES

    questions = json.loads(QUESTIONS.read_text(encoding="utf-8"))["questions"]
    return [q["query"] for q in questions] + list(EXTRA_QUERIES)


def server_cpu(pid: int | None) -> float:
    """CPU seconds (user + system) of process ``pid`` so far; 0 without one."""
    if pid is None:
        return 0.0
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--runs", type=int, default=3, help="times each query is asked")
    parser.add_argument("--peer", action="store_true", help="bench/peer.py's queries")
    parser.add_argument("--timeline", type=int, default=0, help="print N searches' spans")
    parser.add_argument("--neo4j-pid", type=int, help="also count this Neo4j server's CPU")
    args = parser.parse_args()

    services = build_services(get_settings())
    search, spans = services.search, Spans()
    graph = search._graph  # the engine's port, wrapped in place
    for name in GRAPH_READS:
        if hasattr(graph, name):
            spans.wrap(graph, name, f"neo4j.{name}")
    spans.wrap(services.embedder, "embed_query", "embed_query")
    spans.wrap(services.vectors, "search", "qdrant.search")
    for name in ENGINE_STEPS:
        spans.wrap(engine, name, name)
    spans.wrap(engine, "build_view", "build_view")
    spans.count_reads()
    asked = queries(args.peer)
    try:
        for query in asked[:5]:  # warm up: the model, connections, query plans
            search.view(SearchRequest(query, 10))
        for query in asked[: args.timeline]:
            spans.clear()
            started = time.perf_counter()
            search.view(SearchRequest(query, 10))
            print(f"--- {query}: {(time.perf_counter() - started) * 1000:.1f} ms")
            for label, thread, start, end in sorted(spans.spans, key=lambda s: s[2]):
                offsets = f"{(start - started) * 1000:6.1f} -> {(end - started) * 1000:6.1f}"
                print(f"    {label:<30} {thread:<12} {offsets} ms")
        durations: dict[str, list[float]] = {}
        ends: dict[str, list[float]] = {}
        totals, reads = [], []
        cpu, neo4j = os.times(), server_cpu(args.neo4j_pid)
        for _ in range(args.runs):
            for query in asked:
                spans.clear()
                started = time.perf_counter()
                search.view(SearchRequest(query, 10))
                totals.append((time.perf_counter() - started) * 1000)
                reads.append(spans.reads)
                per: dict[str, tuple[float, float]] = {}
                for label, _, start, end in spans.spans:
                    took, last = per.get(label, (0.0, 0.0))
                    per[label] = (took + (end - start) * 1000, max(last, (end - started) * 1000))
                for label, (took, last) in per.items():
                    durations.setdefault(label, []).append(took)
                    ends.setdefault(label, []).append(last)
        after = os.times()
        n = len(totals)
        own = (after.user - cpu.user + after.system - cpu.system) * 1000 / n
        server = (server_cpu(args.neo4j_pid) - neo4j) * 1000 / n
        print(
            f"{len(asked)} queries x {args.runs}: p50 {statistics.median(totals):.1f} ms, "
            f"p95 {sorted(totals)[int(0.95 * (n - 1))]:.1f} ms; Neo4j reads per search "
            f"p50 {statistics.median(reads):.0f}, max {max(reads)}; CPU per search: this "
            f"process {own:.1f} ms"
            + (f", Neo4j {server:.1f} ms" if args.neo4j_pid else "")
            + f"; load average {os.getloadavg()[0]:.1f}"
        )
        print(f"  {'stage':<32} {'calls':>5} {'took p50':>9} {'ended p50':>10}")
        for label in sorted(durations, key=lambda k: statistics.median(ends[k])):
            took, last = statistics.median(durations[label]), statistics.median(ends[label])
            print(f"  {label:<32} {len(durations[label]):>5} {took:>7.1f}ms {last:>8.1f}ms")
    finally:
        close(services)


if __name__ == "__main__":
    main()
