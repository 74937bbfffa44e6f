"""Latency while Neo4j is down, and after it returns, at 32 concurrent clients.

Starts ``kg serve`` in a subprocess (so clients and server do not share one interpreter
and its GIL) and sends, from 32 concurrent asyncio clients in this process, a mix of REST
``/search`` and GraphQL ``search``, ``entity`` and ``actions`` requests. Prints
per-request latency p50/p95/max, the number over 2 s, and the answers (status and error
code) in three phases: up, down, back up.

Two ways to take Neo4j down:

- default: the server reaches Neo4j through a loopback proxy that this script cuts
  (open connections reset, port closed) and restores; Neo4j itself keeps running;
- ``--kill``: SIGKILL the Neo4j server of ``NEWSKG_VAR_DIR`` and start it again with
  ``kg neo4j start``. Refused for the shared server's port 7687: use your own instance
  (``NEWSKG_VAR_DIR``, ``NEWSKG_NEO4J_BOLT_PORT``, ``NEWSKG_NEO4J_HTTP_PORT``).

The server uses ``NEWSKG_VAR_DIR``'s Qdrant (so ingest the seeds there first for hits).

    python bench/outage.py [--clients 32] [--requests 320] [--kill] [--no-breaker]
                           [--server-root DIR]

``--no-breaker`` sets the breaker's threshold out of reach, to compare; ``--server-root``
serves another checkout (e.g. ``git archive`` of an older commit), to compare code.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import signal
import statistics
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kg.core.config import get_settings  # noqa: E402
from kg.ops import neo4j_server  # noqa: E402
from tests.live_server import free_port  # noqa: E402
from tests.tcp_proxy import TcpProxy, tcp_proxy  # noqa: E402

GRAPHQL = [
    '{ search(query: "actions against the ELN", limit: 3) { passages { text } } }',
    '{ entity(name: "ELN") { ... on Entity { name } } }',
    "{ actions(first: 3) { edges { node { type } } } }",
]
GOAL_S = 2.0


async def one(http: httpx.AsyncClient, i: int) -> tuple[float, str]:
    """One request of the mix: (seconds, 'status code')."""
    started = time.perf_counter()
    try:
        if i % 4 == 0:
            response = await http.get(
                "/search", params={"q": "actions against the ELN", "limit": 3}
            )
            code = response.json().get("error", {}).get("code", "") if response.is_error else ""
        else:
            response = await http.post("/graphql", json={"query": GRAPHQL[i % 4 - 1]})
            errors = response.json().get("errors") or [{}]
            code = errors[0].get("extensions", {}).get("code", "")
        answer = f"{response.status_code} {code}".strip()
    except httpx.HTTPError as exc:
        answer = type(exc).__name__
    return time.perf_counter() - started, answer


async def run_phase(base_url: str, clients: int, requests: int) -> list[tuple[float, str]]:
    """``clients`` concurrent loops, each with its own connection, ``requests`` in all."""
    results: list[tuple[float, str]] = [(0.0, "")] * requests
    queue: asyncio.Queue[int] = asyncio.Queue()
    for i in range(requests):
        queue.put_nowait(i)

    async def client(http: httpx.AsyncClient) -> None:
        async with http:
            while not queue.empty():
                i = queue.get_nowait()
                results[i] = await one(http, i)

    # Every client is built before the first request: building one (its SSL context
    # above all) blocks the loop for tens of ms, which would count in the latency of the
    # requests already sent, as the first wave's.
    limits = httpx.Limits(max_connections=1)
    https = [
        httpx.AsyncClient(base_url=base_url, timeout=120, limits=limits) for _ in range(clients)
    ]
    await asyncio.gather(*(client(http) for http in https))
    return results


def phase(name: str, base_url: str, clients: int, requests: int) -> None:
    """Run one phase; print its latency and answers."""
    results = asyncio.run(run_phase(base_url, clients, requests))
    times = sorted(t for t, _ in results)
    p95 = times[min(len(times) - 1, int(0.95 * len(times)))]
    answers = Counter(a for _, a in results)
    # The first wave (one request per client) is the one that can reach a store that
    # just went down before the breaker opens; the rest show the steady state.
    first = max(t for t, _ in results[:clients])
    slow = sum(t >= GOAL_S for t in times)
    kinds = ["rest", "gql-search", "gql-entity", "gql-actions"]
    slow_kinds = Counter(kinds[i % 4] for i, (t, _) in enumerate(results) if t >= GOAL_S)
    print(
        f"{name:<8} n={len(times)} p50={statistics.median(times) * 1000:.0f} ms "
        f"p95={p95 * 1000:.0f} ms max={times[-1] * 1000:.0f} ms "
        f"first-wave max={first * 1000:.0f} ms  >={GOAL_S:.0f}s: {slow}  "
        f"answers: {dict(answers)}" + (f"  slow: {dict(slow_kinds)}" if slow_kinds else ""),
        flush=True,
    )


def wait_health(base_url: str, want: int, limit_s: float) -> float:
    """Poll /health until it answers ``want``; the seconds it took."""
    started = time.perf_counter()
    while time.perf_counter() - started < limit_s:
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(f"{base_url}/health", timeout=5).status_code == want:
                return time.perf_counter() - started
        time.sleep(0.1)
    raise SystemExit(f"/health did not answer {want} within {limit_s:.0f} s")


@contextlib.contextmanager
def serve(root: Path, port: int, env: dict[str, str]) -> Iterator[str]:
    """``kg serve`` from ``root`` on ``port``; its base URL until the block ends."""
    log = open(Path(env["NEWSKG_VAR_DIR"]) / "outage-bench-server.log", "w")  # noqa: SIM115
    server = subprocess.Popen(
        [sys.executable, "-m", "kg.cli", "serve", "--host", "127.0.0.1", "--port", str(port)],
        env={**env, "PYTHONPATH": str(root)},
        cwd=root,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    print(f"server pid {server.pid}", flush=True)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(30)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--requests", type=int, default=320)
    parser.add_argument("--kill", action="store_true", help="SIGKILL our own Neo4j")
    parser.add_argument("--no-breaker", action="store_true")
    parser.add_argument("--server-root", type=Path, default=ROOT)
    args = parser.parse_args()

    settings = get_settings()
    if args.kill and settings.neo4j_bolt_port == 7687:
        raise SystemExit("--kill needs your own Neo4j (NEWSKG_NEO4J_BOLT_PORT other than 7687)")
    env = {
        **os.environ,
        "NEWSKG_VAR_DIR": str(settings.var_dir),
        "HF_HUB_OFFLINE": "1",
        "TRANSFORMERS_OFFLINE": "1",
        "TOKENIZERS_PARALLELISM": "false",
    }
    if args.no_breaker:
        env["NEWSKG_BREAKER_FAILURES"] = str(10**9)
    with contextlib.ExitStack() as stack:
        proxy: TcpProxy | None = None
        if not args.kill:
            target = urlsplit(settings.neo4j_uri)
            proxy = stack.enter_context(
                tcp_proxy(target.hostname or "localhost", target.port or 7687)
            )
            env["NEWSKG_NEO4J_URI"] = proxy.url
        base = stack.enter_context(serve(args.server_root.resolve(), free_port(), env))
        wait_health(base, 200, 300)
        phase("warm-up", base, args.clients, args.clients)
        phase("up", base, args.clients, args.requests)
        if proxy is not None:
            proxy.cut()
        else:
            status = neo4j_server.status(settings)
            assert status.pid is not None, "our Neo4j is not running"
            os.kill(status.pid, signal.SIGKILL)
        phase("down", base, args.clients, args.requests)
        started = time.perf_counter()
        if proxy is not None:
            proxy.restore()
        else:
            neo4j_server.start(settings)
        print(f"restored in {time.perf_counter() - started:.1f} s", flush=True)
        print(f"healthy again {wait_health(base, 200, 120):.1f} s after the restore", flush=True)
        phase("back up", base, args.clients, args.requests)


if __name__ == "__main__":
    main()
