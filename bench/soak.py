"""Soak: mixed reads and ingests at fixed concurrency for N minutes; throughput, latency,
errors and the server's memory growth per 1,000 requests.

Starts ``kg serve`` in a subprocess (its own temp var dir and Qdrant shard, the shared
Neo4j), then runs ``--clients`` loops against 127.0.0.1 only: REST ``/search``, GraphQL
``search``, ``entity`` and ``actions``, and GraphQL ``ingestArticle`` (with the API key)
of edited copies of the seed under run-scoped URLs, which are deleted at the end. The
server's RSS is sampled every second.

    python bench/soak.py [--minutes 2] [--clients 8] [--ingest-share 0.1]

Prints req/s, p50/p95/p99 per kind, errors, and the RSS: start, after warm-up, end, and
the slope in MB per 1,000 requests over the whole run and over its second half (a
warm-up that fills caches shows as a first-half step; a leak keeps the second-half slope
up).
"""

from __future__ import annotations

import argparse
import os
import random
import secrets
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter, defaultdict
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kg.ingest.parsing import parse_path  # noqa: E402
from tests.conftest import SEED  # noqa: E402
from tests.live_server import free_port  # noqa: E402

READS = {
    "gql_search": '{ search(query: "actions against the ELN", limit: 5) '
    "{ passages { text article { title } } actions { type } } }",
    "gql_entity": '{ entity(name: "ELN") { ... on Entity { name actions(first: 5) '
    "{ edges { node { type } } } } } }",
    "gql_actions": "{ actions(first: 10) { edges { node { type actors { name } } } } }",
}
QUERIES = ["actions against the ELN", "Petro and Trump", "cocaine smuggling border", "Venezuela"]
INGEST = """mutation($input: ArticleInput!) { ingestArticle(input: $input) {
  __typename ... on IngestArticleSuccess { article { id } } } }"""
DELETE = "mutation($id: ID!) { deleteArticle(id: $id) { __typename } }"


def rss_mb(pid: int) -> float:
    """The resident set size of a process, in MB (Linux)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


class Soak:
    """The request loops and what they measured."""

    def __init__(self, base: str, key: str, deadline: float, ingest_share: float) -> None:
        self.base, self.key, self.deadline, self.share = base, key, deadline, ingest_share
        self.lock = threading.Lock()
        self.times: dict[str, list[float]] = defaultdict(list)
        self.errors: Counter[str] = Counter()
        self.done = 0
        self.article_ids: list[str] = []
        (self.seed,) = parse_path(SEED)
        self.run = uuid.uuid4()

    def loop(self, worker: int) -> None:
        rng = random.Random(worker)
        with httpx.Client(base_url=self.base, timeout=120) as http:
            n = 0
            while time.monotonic() < self.deadline:
                n += 1
                kind = "ingest" if rng.random() < self.share else rng.choice(["rest", *READS])
                started = time.perf_counter()
                try:
                    error = self.one(http, kind, f"{worker}-{n}", rng)
                except httpx.HTTPError as exc:
                    error = type(exc).__name__
                took = time.perf_counter() - started
                with self.lock:
                    self.times[kind].append(took)
                    self.done += 1
                    if error:
                        self.errors[f"{kind}: {error}"] += 1

    def one(self, http: httpx.Client, kind: str, tag: str, rng: random.Random) -> str | None:
        if kind == "rest":
            response = http.get("/search", params={"q": rng.choice(QUERIES), "limit": 5})
            return None if response.status_code == 200 else str(response.status_code)
        if kind == "ingest":
            paragraphs = self.seed.body.split("\n\n")
            body = "\n\n".join(rng.sample(paragraphs, k=max(2, len(paragraphs) * 2 // 3)))
            article = {
                "title": f"{self.seed.title} ({tag})",
                "text": body,
                "url": f"https://soak.newskg.invalid/{self.run}/{tag}",
                "published": "2026-01-08",
            }
            response = http.post(
                "/graphql",
                json={"query": INGEST, "variables": {"input": article}},
                headers={"X-API-Key": self.key},
            )
            data = (response.json().get("data") or {}).get("ingestArticle") or {}
            if data.get("__typename") != "IngestArticleSuccess":
                return str(response.json().get("errors") or data.get("__typename"))[:80]
            with self.lock:
                self.article_ids.append(data["article"]["id"])
            return None
        response = http.post("/graphql", json={"query": READS[kind]})
        errors = response.json().get("errors")
        return errors[0].get("extensions", {}).get("code", "error") if errors else None


def slope(samples: list[tuple[int, float]]) -> float:
    """Least-squares MB per 1,000 requests."""
    if len(samples) < 2:
        return 0.0
    xs, ys = [s[0] for s in samples], [s[1] for s in samples]
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    den = sum((x - mx) ** 2 for x in xs)
    if not den:
        return 0.0
    return 1000 * sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / den


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=2.0)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--ingest-share", type=float, default=0.1)
    args = parser.parse_args()

    port, key = free_port(), secrets.token_urlsafe(24)
    with tempfile.TemporaryDirectory(prefix="newskg-soak-") as tmp:
        env = {
            **os.environ,
            "NEWSKG_VAR_DIR": tmp,
            "NEWSKG_API_KEY": key,
            "HF_HUB_OFFLINE": "1",
            "TRANSFORMERS_OFFLINE": "1",
            "PYTHONPATH": str(ROOT),
        }
        server = subprocess.Popen(
            [sys.executable, "-m", "kg.cli", "serve", "--host", "127.0.0.1", "--port", str(port)],
            env=env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        base = f"http://127.0.0.1:{port}"
        soak: Soak | None = None
        try:
            for _ in range(600):  # the server loads its models: up to a minute
                try:
                    if httpx.get(f"{base}/health", timeout=5).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                time.sleep(0.1)
            else:
                raise SystemExit("the server did not become healthy")
            start_rss = rss_mb(server.pid)
            started = time.monotonic()
            soak = Soak(base, key, started + args.minutes * 60, args.ingest_share)
            threads = [
                threading.Thread(target=soak.loop, args=(i,), daemon=True)
                for i in range(args.clients)
            ]
            for thread in threads:
                thread.start()
            samples: list[tuple[int, float]] = []
            while any(t.is_alive() for t in threads):
                samples.append((soak.done, rss_mb(server.pid)))
                time.sleep(1.0)
            elapsed = time.monotonic() - started
            report(soak, samples, start_rss, elapsed, args)
        finally:
            if soak is not None:
                with httpx.Client(base_url=base, timeout=120) as http:
                    for article_id in soak.article_ids:
                        http.post(
                            "/graphql",
                            json={"query": DELETE, "variables": {"id": article_id}},
                            headers={"X-API-Key": key},
                        )
            server.terminate()
            server.wait(timeout=60)


def report(
    soak: Soak,
    samples: list[tuple[int, float]],
    start_rss: float,
    elapsed: float,
    args: argparse.Namespace,
) -> None:
    """Print the numbers."""
    total = sum(len(t) for t in soak.times.values())
    print(
        f"{args.clients} clients, {elapsed:.0f} s: {total} requests, {total / elapsed:.1f} req/s, "
        f"{sum(soak.errors.values())} errors, {len(set(soak.article_ids))} articles ingested"
    )
    for kind, times in sorted(soak.times.items()):
        ordered = sorted(times)

        def pct(p: float, ordered: list[float] = ordered) -> float:
            return 1000 * ordered[min(len(ordered) - 1, int(p * len(ordered)))]

        print(
            f"  {kind:<12} n={len(ordered):<5} p50={pct(0.5):.0f} ms p95={pct(0.95):.0f} ms "
            f"p99={pct(0.99):.0f} ms"
        )
    for error, count in soak.errors.most_common(5):
        print(f"  error x{count}: {error}")
    half = [s for s in samples if s[0] >= total / 2]
    warm = next((rss for done, rss in samples if done >= min(1000, total // 4)), start_rss)
    print(
        f"RSS: {start_rss:.0f} MB at start, {warm:.0f} MB after warm-up "
        f"(first {min(1000, total // 4)} requests), {samples[-1][1]:.0f} MB at the end; "
        f"slope {slope(samples):+.1f} MB per 1,000 requests over the run, "
        f"{slope(half):+.1f} over its second half"
    )


if __name__ == "__main__":
    main()
