"""Flat as the graph grows: ingest rate, search latency and store sizes at graph checkpoints.

Grows a graph to N articles of Reuters-21578 (Distribution 1.0, read from
``../shared/data/reuters21578/articles.jsonl``) in steps, through the path users take: a
``kg serve`` started by the bench, fed by the ingest-jobs client
(:class:`kg.ingest.server_client.ServerIngest`). Everything lives in the bench's own
directory: its own Neo4j server (``kg neo4j start`` on free ports), the embedded Qdrant
shard, and the API on a free port of 127.0.0.1. At each checkpoint it prints

- the ingest rate over the last step (articles/s);
- REST ``GET /search`` and GraphQL ``search`` p50/p95 over 20 queries x ``--runs`` runs;
- GraphQL ``entity(name:)`` p50/p95 over 20 names x ``--runs`` runs;
- the Neo4j data directory's and the Qdrant directory's size (du);

and at the end the ratios of issue #8: ingest rate last / first checkpoint (goal >= 0.9),
search p95 last / first (goal <= 1.5), and REST ``/search`` p50 / p95 at the last one
(goal <= 50 ms / <= 100 ms).

Run: ``.venv/bin/python bench/scale.py [--checkpoints 1000,10000] [--runs 10]``.

In stages: with ``--var-dir DIR`` the graph and the results survive the run, so 10,000
articles can be reached over several runs (``--checkpoints 1000`` today, ``--checkpoints
1000,10000`` tomorrow). A run continues from the articles already stored; each step is sent
in jobs of ``--chunk`` articles, so an interrupted run loses at most one job's worth; the
ports and every checkpoint measured so far are kept in ``DIR/scale.json``, and the report
(and its ratios) covers the checkpoints of all stages. A checkpoint the graph has already
passed is measured again (latencies, sizes) and keeps the ingest rate measured when it was
reached. ``--keep`` also leaves Neo4j running (to profile queries on the graph).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    # `python bench/scale.py` puts bench/ first on the path: import this checkout's kg.
    sys.path.insert(0, str(ROOT))

from bench.scale_report import (  # noqa: E402
    Checkpoint,
    Latency,
    load_state,
    points_of,
    report,
    save_state,
)
from kg.core.config import get_settings  # noqa: E402
from kg.core.errors import ArticleParseError  # noqa: E402
from kg.core.models import Article  # noqa: E402
from kg.graph.admin import Neo4jGraphAdmin  # noqa: E402
from kg.graph.store import connection_from_settings  # noqa: E402
from kg.ingest.parsing import parse_jsonl  # noqa: E402
from kg.ingest.server_client import ServerIngest  # noqa: E402

CORPUS = ROOT.parent / "shared" / "data" / "reuters21578" / "articles.jsonl"
HOST = "127.0.0.1"
WARM_UP = 10  # articles ingested untimed after the server starts

# Written up front, about what the wire stories of 1987 are about; never tuned on results.
QUERIES = (
    "Iran arms sales",
    "Nicaragua contras aid",
    "OPEC oil production quota",
    "US Japan trade dispute semiconductors",
    "Brazil debt moratorium",
    "Federal Reserve interest rates",
    "Saudi Arabia oil price",
    "Gulf shipping attacks on tankers",
    "EC farm subsidies wheat exports",
    "takeover bid rejected by board",
    "Reagan trade bill protectionism",
    "coffee export quotas talks",
    "dollar falls against yen",
    "Kuwait tanker reflagging",
    "South Africa sanctions",
    "strike by seamen",
    "Mexico loan agreement with banks",
    "USSR grain purchases",
    "Philippines coup attempt",
    "Iran Iraq war",
)
NAMES = (
    "Iran",
    "Nicaragua",
    "OPEC",
    "Japan",
    "United States",
    "Brazil",
    "Federal Reserve",
    "Saudi Arabia",
    "Reagan",
    "Kuwait",
    "European Community",
    "Mexico",
    "Soviet Union",
    "Iraq",
    "South Africa",
    "Philippines",
    "Baker",
    "Volcker",
    "Texaco",
    "Argentina",
)
SEARCH_GQL = (
    "query($q: String!) { search(query: $q, limit: 10) { "
    "passages { id score text } actions { id type } entities { id name } } }"
)
ENTITY_GQL = (
    "query($n: String!) { entity(name: $n) { __typename "
    "... on Entity { id name type aliases } ... on Error { code } } }"
)


def free_port() -> int:
    """A TCP port free on 127.0.0.1 now (the OS picks it)."""
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def du_mb(path: Path) -> float:
    """Bytes on disk under ``path``, in MB (what ``du`` counts: allocated blocks)."""
    total = 0
    for root, _, files in os.walk(path):
        for name in files:
            try:
                total += os.lstat(os.path.join(root, name)).st_blocks * 512
            except OSError:  # a file the server rotated away meanwhile
                continue
    return total / 1e6


def articles(first: int, last: int) -> list[Article]:
    """Articles ``first`` .. ``last - 1`` of the corpus, parsed as ``kg ingest`` parses them."""
    with CORPUS.open("rb") as lines:
        chosen = [line for i, line in enumerate(lines) if first <= i < last]
    parsed = parse_jsonl(chosen, CORPUS.name)
    # Each story gets its own URL, so two identical wire stories stay two articles and the
    # graph grows by exactly the step.
    return [
        replace(record, url=f"https://reuters21578.invalid/{first + i}")
        for i, record in enumerate(parsed)
        if not isinstance(record, ArticleParseError)
    ]


def kg_command(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    """Run ``kg ARGS`` in a child process with the bench's environment."""
    return subprocess.run(
        [sys.executable, "-m", "kg.cli", *args],
        env=env,
        cwd=ROOT,
        text=True,
        capture_output=True,
        check=False,
    )


@contextmanager
def neo4j_server(env: dict[str, str], keep: bool) -> Iterator[None]:
    """The bench's own Neo4j server, started with ``kg neo4j start`` and stopped after."""
    started = kg_command(env, "neo4j", "start")
    if started.returncode != 0:
        raise SystemExit(f"kg neo4j start failed:\n{started.stdout}{started.stderr}")
    try:
        yield
    finally:
        if not keep:
            kg_command(env, "neo4j", "stop")


@contextmanager
def api_server(env: dict[str, str], var_dir: Path, port: int) -> Iterator[tuple[str, str]]:
    """``kg serve`` on ``port``; yields its URL and local token (from ``var/server.json``)."""
    log = (var_dir / "serve.log").open("w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "kg.cli", "serve", "--host", HOST, "--port", str(port)],
        env=env,
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://{HOST}:{port}"
    try:
        deadline = time.monotonic() + 300
        while True:
            if proc.poll() is not None:
                raise SystemExit(f"kg serve exited; see {var_dir / 'serve.log'}")
            if time.monotonic() > deadline:
                raise SystemExit("kg serve did not answer /health within 300 s")
            try:
                if httpx.get(f"{url}/health", timeout=5).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            time.sleep(1)
        handle = json.loads((var_dir / "server.json").read_text(encoding="utf-8"))
        yield url, str(handle["token"])
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


def timed(runs: int, calls: list[Callable[[], None]]) -> Latency:
    """Latency of every call, ``runs`` times over, after one untimed warm-up run."""
    for call in calls:
        call()
    samples = []
    for _ in range(runs):
        for call in calls:
            t0 = time.perf_counter()
            call()
            samples.append(time.perf_counter() - t0)
    return Latency.of(samples)


def latencies(http: httpx.Client, runs: int) -> tuple[Latency, Latency, Latency]:
    """REST search, GraphQL search and GraphQL entity(name:) latencies."""

    def rest(q: str) -> Callable[[], None]:
        def call() -> None:
            http.get("/search", params={"q": q, "limit": 10}).raise_for_status()

        return call

    def graphql(query: str, variables: dict[str, str]) -> Callable[[], None]:
        def call() -> None:
            response = http.post("/graphql", json={"query": query, "variables": variables})
            response.raise_for_status()
            if response.json().get("errors"):
                raise RuntimeError(f"GraphQL errors: {response.json()['errors']}")

        return call

    return (
        timed(runs, [rest(q) for q in QUERIES]),
        timed(runs, [graphql(SEARCH_GQL, {"q": q}) for q in QUERIES]),
        timed(runs, [graphql(ENTITY_GQL, {"n": n}) for n in NAMES]),
    )


def stored_articles(env: dict[str, str]) -> int:
    """How many articles the graph holds (a run on a kept directory continues from there)."""
    settings = get_settings(
        var_dir=Path(env["NEWSKG_VAR_DIR"]), neo4j_bolt_port=int(env["NEWSKG_NEO4J_BOLT_PORT"])
    )
    admin = Neo4jGraphAdmin(connection_from_settings(settings))
    try:
        return admin.counts_by_label().get("Article", 0)
    finally:
        admin.close()


def grow(
    url: str, token: str, first: int, target: int, chunk: int, done: Callable[[int], None]
) -> float:
    """Ingest corpus lines ``first`` .. ``target - 1`` in jobs of ``chunk``; articles/s.

    ``done(line)`` is called after each job with the next line to ingest, so an interrupted
    run resumes there.
    """
    stored = rejected = sent = 0
    seconds = 0.0
    for start in range(first, target, chunk):
        end = min(start + chunk, target)
        step = articles(start, end)
        t0 = time.perf_counter()
        report = ServerIngest(url, token, timeout=600).run(step)
        seconds += time.perf_counter() - t0
        stored, rejected, sent = (
            stored + report.stored,
            rejected + report.rejected,
            sent + len(step),
        )
        done(end)
        print(f"  {end}/{target} lines: {sent / seconds:.2f} articles/s so far", flush=True)
    rate = sent / seconds if seconds else float("nan")
    print(
        f"ingested lines {first}..{target}: {stored} stored, {rejected} rejected, "
        f"{rate:.2f} articles/s ({seconds:.0f} s)",
        flush=True,
    )
    return rate


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--checkpoints",
        default="1000,10000",
        help="graph sizes (articles) to measure at, comma-separated",
    )
    parser.add_argument("--runs", type=int, default=10, help="timed runs of every query")
    parser.add_argument("--var-dir", type=Path, help="keep the stores here (default: temporary)")
    parser.add_argument("--keep", action="store_true", help="leave Neo4j running and the stores")
    parser.add_argument("--chunk", type=int, default=500, help="articles per ingest job")
    args = parser.parse_args()
    checkpoints = sorted(int(n) for n in args.checkpoints.split(","))

    var_dir = args.var_dir or Path(tempfile.mkdtemp(prefix="newskg-scale-"))
    var_dir.mkdir(parents=True, exist_ok=True)
    state_path = var_dir / "scale.json"
    state = load_state(state_path)
    kept: dict[int, Checkpoint] = points_of(state)
    # A later stage reuses the ports of the first, which its Neo4j is configured with.
    ports = {
        name: os.environ.get(name) or state.get("ports", {}).get(name) or str(free_port())
        for name in ("NEWSKG_NEO4J_BOLT_PORT", "NEWSKG_NEO4J_HTTP_PORT")
    }
    env = {
        **os.environ,
        **ports,
        "NEWSKG_VAR_DIR": str(var_dir),
        "NEWSKG_QDRANT_DIR": str(var_dir / "qdrant"),
        "NEWSKG_NEO4J_HEAP": os.environ.get("NEWSKG_NEO4J_HEAP", "1g"),
        "NEWSKG_NEO4J_PAGECACHE": os.environ.get("NEWSKG_NEO4J_PAGECACHE", "512m"),
    }
    env.pop("NEWSKG_NEO4J_URI", None)  # the bolt port decides it: the bench's own server
    env.pop("NEWSKG_QDRANT_URL", None)
    print(f"stores under {var_dir} (Neo4j bolt port {env['NEWSKG_NEO4J_BOLT_PORT']})")
    lines = int(state.get("lines", 0))

    def done(line: int) -> None:
        nonlocal lines
        lines = line
        save_state(state_path, ports, kept, lines)

    measured = False
    try:
        with (
            neo4j_server(env, args.keep),
            api_server(env, var_dir, free_port()) as (url, token),
            httpx.Client(base_url=url, timeout=60) as http,
        ):
            have = stored_articles(env)
            # Corpus lines already sent (a rejected line stores no article); an older
            # state without them: the stored articles.
            lines = max(lines, have)
            print(f"the graph holds {have} articles; {lines} corpus lines ingested")
            cold = True
            for target in checkpoints:
                rate = float("nan")
                if target > lines:
                    if cold:
                        # The server loads its models on the first articles: not the rate.
                        ServerIngest(url, token, timeout=600).run(articles(lines, lines + WARM_UP))
                        done(lines + WARM_UP)
                        cold = False
                    rate = grow(url, token, lines, target, args.chunk, done)
                rest, gql, entity = latencies(http, args.runs)
                point = Checkpoint(
                    articles=stored_articles(env),
                    rate=rate if rate == rate else kept.get(target, Checkpoint.nan()).rate,
                    rest=rest,
                    graphql=gql,
                    entity=entity,
                    # The store files only: transaction logs are preallocated (256 MB each).
                    neo4j_mb=du_mb(var_dir / "neo4j" / "data" / "databases" / "neo4j"),
                    qdrant_mb=du_mb(var_dir / "qdrant"),
                    load=os.getloadavg()[0],
                )
                kept[target] = point
                measured = True
                done(lines)
                print(
                    f"at {point.articles}: REST {rest} | GraphQL {gql} | entity {entity} | "
                    f"Neo4j {point.neo4j_mb:.0f} MB, Qdrant {point.qdrant_mb:.0f} MB, "
                    f"load {point.load:.1f}",
                    flush=True,
                )
    finally:
        if measured or kept:
            report([kept[n] for n in sorted(kept)])
        if not args.keep and args.var_dir is None:
            shutil.rmtree(var_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
