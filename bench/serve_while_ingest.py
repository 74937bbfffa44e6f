"""Search latency while `kg serve` runs an ingest job, with the ingest workers at each nice value.

Each round starts ``kg serve`` (its own temporary var dir and Qdrant shard, the Neo4j of the
settings, ``NEWSKG_INGEST_WORKER_NICE`` set to the round's value), times REST ``/search``
for ``--idle`` seconds with nothing else running, then runs ``kg ingest`` of ``--n`` new
articles through the server and times ``/search`` again until the job ends. The nice
values alternate round by round, so both see the same machine. Prints, per round and per
nice value: search p50/p95 idle and during the job, the ratio of the two p95s, and the
job's articles/s (the CLI's wall time, worker start-up included).

The articles are consecutive slices of the corpus under URLs of this run
(``https://bench.newskg.invalid/<run>/<i>``), deleted at the end. Read the corpus from
``../shared/data`` (Reuters-21578, Distribution 1.0; research use only; never copy it into
the repository).

Run: ``make neo4j-start && .venv/bin/python bench/serve_while_ingest.py
[--n 300] [--rounds 2] [--nice 0 10]``
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.peer import percentile  # noqa: E402
from kg.core.config import get_settings  # noqa: E402
from kg.core.errors import NotFoundError  # noqa: E402
from kg.core.models import Article  # noqa: E402
from kg.ingest.parsing import iter_path  # noqa: E402
from kg.services import build_services, close  # noqa: E402
from tests.live_server import free_port  # noqa: E402

DEFAULT_CORPUS = ROOT.parent / "shared" / "data" / "reuters21578" / "articles.jsonl"
BENCH_URL = "https://bench.newskg.invalid"
KG = str(Path(sys.executable).with_name("kg"))
QUERIES = [
    "Iran Iraq war",
    "oil prices OPEC",
    "attacks on shipping in the Gulf",
    "central bank interest rates",
    "Nicaragua contras",
    "trade deficit with Japan",
    "wheat exports to the Soviet Union",
    "takeover bid for the company",
]


def write_slice(corpus: Path, start: int, n: int, run: str, path: Path) -> list[str]:
    """Write articles ``start .. start + n`` of the corpus under this run's URLs; their ids."""
    records = (r for r in iter_path(corpus, 200_000) if isinstance(r, Article))
    ids: list[str] = []
    with path.open("w", encoding="utf-8") as out:
        for i, article in enumerate(itertools.islice(records, start, start + n), start):
            url = f"{BENCH_URL}/{run}/{i}"
            published = article.published.isoformat() if article.published else None
            record = {"title": article.title, "text": article.body, "url": url}
            out.write(json.dumps(record | {"published": published, "source": article.source}))
            out.write("\n")
            ids.append(url)
    return ids


def time_searches(url: str, until: threading.Event | float) -> list[float]:
    """Search latencies (s), one query after another, until a deadline or an event."""
    took: list[float] = []
    with httpx.Client(base_url=url, timeout=60) as http:
        for query in itertools.cycle(QUERIES):
            if isinstance(until, float) and time.monotonic() >= until:
                break
            if isinstance(until, threading.Event) and until.is_set():
                break
            start = time.perf_counter()
            http.get("/search", params={"q": query, "limit": 10}).raise_for_status()
            took.append(time.perf_counter() - start)
    return took


def one_round(nice: int, data: Path, n: int) -> dict[str, float]:
    """Serve, time idle searches, then searches during an ingest job of ``data``."""
    env = os.environ | {
        "NEWSKG_VAR_DIR": tempfile.mkdtemp(prefix="newskg-swi-"),
        "NEWSKG_API_PORT": str(free_port()),
        "NEWSKG_INGEST_WORKER_NICE": str(nice),
    }
    url = f"http://127.0.0.1:{env['NEWSKG_API_PORT']}"
    server = subprocess.Popen(
        [KG, "serve"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{url}/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.5)
        time_searches(url, time.monotonic() + 5)  # warm up
        idle = time_searches(url, time.monotonic() + ARGS.idle)
        done = threading.Event()
        during: list[float] = []
        timer = threading.Thread(target=lambda: during.extend(time_searches(url, done)))
        timer.start()
        start = time.perf_counter()
        subprocess.run([KG, "ingest", str(data)], env=env, check=True, capture_output=True)
        wall = time.perf_counter() - start
        done.set()
        timer.join()
    finally:
        server.terminate()
        server.wait(60)
    return {
        "idle_p50": 1000 * percentile(idle, 0.5),
        "idle_p95": 1000 * percentile(idle, 0.95),
        "p50": 1000 * percentile(during, 0.5),
        "p95": 1000 * percentile(during, 0.95),
        "searches": len(during),
        "rate": n / wall,
    }


def delete_run(urls: list[str]) -> None:
    settings = get_settings(var_dir=Path(tempfile.mkdtemp(prefix="newskg-swi-")))
    services = build_services(settings)
    try:
        for url in urls:
            with contextlib.suppress(NotFoundError):  # never stored
                services.pipeline.delete_article(Article(title="", body="", url=url).id)
    finally:
        close(services)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--n", type=int, default=300, help="articles per ingest job")
    parser.add_argument("--rounds", type=int, default=2, help="rounds per nice value")
    parser.add_argument("--nice", type=int, nargs="+", default=[0, 10])
    parser.add_argument("--idle", type=float, default=15.0, help="seconds of idle searches")
    parser.add_argument("--offset", type=int, default=12000, help="first corpus line used")
    global ARGS
    ARGS = parser.parse_args()
    run = uuid.uuid4().hex[:8]
    print(f"cores: {os.cpu_count()}, load: {os.getloadavg()[0]:.1f}, run {run}")
    results: dict[int, list[dict[str, float]]] = {nice: [] for nice in ARGS.nice}
    urls: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        try:
            for r in range(ARGS.rounds):
                for k, nice in enumerate(ARGS.nice):
                    data = Path(tmp) / f"slice-{r}-{k}.jsonl"
                    start = ARGS.offset + (r * len(ARGS.nice) + k) * ARGS.n
                    urls += write_slice(ARGS.corpus, start, ARGS.n, run, data)
                    res = one_round(nice, data, ARGS.n)
                    results[nice].append(res)
                    print(
                        f"round {r + 1} nice {nice:2d}: idle p50/p95 {res['idle_p50']:.1f}/"
                        f"{res['idle_p95']:.1f} ms; during the job {res['p50']:.1f}/"
                        f"{res['p95']:.1f} ms ({res['searches']:.0f} searches); "
                        f"ingest {res['rate']:.2f} articles/s; load {os.getloadavg()[0]:.1f}",
                        flush=True,
                    )
        finally:
            delete_run(urls)
    for nice, rows in results.items():
        p95 = statistics.median(r["p95"] for r in rows)
        idle = statistics.median(r["idle_p95"] for r in rows)
        rate = statistics.median(r["rate"] for r in rows)
        p50 = statistics.median(r["p50"] for r in rows)
        print(
            f"nice {nice:2d} (median of {len(rows)}): during the job p50 {p50:.1f} ms, "
            f"p95 {p95:.1f} ms = {p95 / idle:.2f}x idle p95; ingest {rate:.2f} articles/s"
        )


ARGS: argparse.Namespace

if __name__ == "__main__":
    main()
