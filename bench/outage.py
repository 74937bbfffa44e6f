"""Latency while Neo4j is down, and after it returns, at 32 concurrent clients.

Serves the real app (shared Neo4j through a loopback proxy this script cuts and restores,
embedded Qdrant in a temp dir), sends a mix of REST ``/search`` and GraphQL ``search``,
``entity`` and ``actions`` requests, and prints per-request latency p50/p95/max and the
answers (status and error code) in three phases: up, down, back up.

    python bench/outage.py [--clients 32] [--requests 320] [--no-breaker]

``--no-breaker`` sets the breaker's threshold out of reach, to compare.
"""

from __future__ import annotations

import argparse
import logging
import statistics
import sys
import tempfile
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from api.app import create_app  # noqa: E402
from kg.core.config import get_settings  # noqa: E402
from kg.services import bootstrap, build_services, close  # noqa: E402
from tests.live_server import live_client  # noqa: E402
from tests.tcp_proxy import tcp_proxy  # noqa: E402

GRAPHQL = [
    '{ search(query: "actions against the ELN", limit: 3) { passages { text } } }',
    '{ entity(name: "ELN") { ... on Entity { name } } }',
    "{ actions(first: 3) { edges { node { type } } } }",
]


def one(http: httpx.Client, i: int) -> tuple[float, str]:
    """One request of the mix: (seconds, 'status code')."""
    started = time.perf_counter()
    if i % 4 == 0:
        response = http.get("/search", params={"q": "actions against the ELN", "limit": 3})
        code = response.json().get("error", {}).get("code", "") if response.is_error else ""
    else:
        response = http.post("/graphql", json={"query": GRAPHQL[i % 4 - 1]})
        errors = response.json().get("errors") or [{}]
        code = errors[0].get("extensions", {}).get("code", "")
    return time.perf_counter() - started, f"{response.status_code} {code}".strip()


def phase(name: str, base_url: str, clients: int, requests: int) -> None:
    """Send ``requests`` requests from ``clients`` threads; print latency and answers."""
    local = [httpx.Client(base_url=base_url, timeout=120) for _ in range(clients)]
    try:
        with ThreadPoolExecutor(clients) as pool:
            results = list(pool.map(lambda i: one(local[i % clients], i), range(requests)))
    finally:
        for http in local:
            http.close()
    times = sorted(t for t, _ in results)
    p95 = times[min(len(times) - 1, int(0.95 * len(times)))]
    answers = Counter(a for _, a in results)
    # The first wave (one request per client) is the one that can reach a store that
    # just went down before the breaker opens; the rest show the steady state.
    rest = sorted(t for t, _ in results[clients:]) or [0.0]
    print(
        f"{name:<10} n={len(times)} p50={statistics.median(times) * 1000:.0f} ms "
        f"p95={p95 * 1000:.0f} ms max={times[-1] * 1000:.0f} ms "
        f"(first wave max {max(t for t, _ in results[:clients]) * 1000:.0f} ms, after it "
        f"p95 {rest[int(0.95 * (len(rest) - 1))] * 1000:.0f} ms)  answers: {dict(answers)}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--requests", type=int, default=320)
    parser.add_argument("--no-breaker", action="store_true")
    args = parser.parse_args()
    logging.disable(logging.ERROR)  # the driver logs every refused connection

    target = urlsplit(get_settings().neo4j_uri)
    with (
        tcp_proxy(target.hostname or "localhost", target.port or 7687) as proxy,
        tempfile.TemporaryDirectory(prefix="newskg-outage-") as tmp,
    ):
        overrides: dict[str, object] = {"neo4j_uri": proxy.url, "qdrant_dir": Path(tmp)}
        if args.no_breaker:
            overrides["breaker_failures"] = 10**9
        services = build_services(get_settings(**overrides))
        bootstrap(services)
        try:
            with live_client(create_app(services=services)) as client:
                base = str(client.base_url)
                phase("warm-up", base, args.clients, args.clients)
                phase("up", base, args.clients, args.requests)
                proxy.cut()
                phase("down", base, args.clients, args.requests)
                proxy.restore()
                started = time.perf_counter()
                while client.get("/health").status_code != 200:
                    time.sleep(0.1)
                print(f"healthy again {time.perf_counter() - started:.1f} s after the restore")
                phase("back up", base, args.clients, args.requests)
        finally:
            close(services)


if __name__ == "__main__":
    main()
