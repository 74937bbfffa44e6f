"""Ingest throughput on Ray (N workers, stores written by the driver) against in-process
ingest of the same articles, measured in one run.

Articles: the first ``--articles`` Reuters-21578 stories of
``../shared/data/reuters21578/articles.jsonl`` (read from there, never copied here),
ingested twice under unique bench URLs (once per mode, so both runs create every node) into
a temporary Qdrant directory, and deleted afterwards. Model loading and Ray start-up are
timed apart, not counted in the rates: a back-fill pays them once.

Run: ``make neo4j-start && .venv/bin/python bench/ray_ingest.py [--articles 150] [--workers 2]``
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
import uuid
from pathlib import Path

from kg.core.config import get_settings
from kg.core.models import Article
from kg.ingest.pipeline import IngestReport
from kg.ingest.ray_ingest import RayOptions, RayPreparers, connect, store_outcomes
from kg.services import Services, bootstrap, build_services, close

ROOT = Path(__file__).resolve().parent.parent
REUTERS = ROOT.parent / "shared" / "data" / "reuters21578" / "articles.jsonl"


def load_articles(count: int) -> list[tuple[str, str]]:
    texts = []
    with REUTERS.open(encoding="utf-8") as lines:
        for line in lines:
            doc = json.loads(line)
            if doc.get("text", "").strip():
                texts.append((doc.get("title") or "untitled", doc["text"]))
            if len(texts) == count:
                break
    return texts


def as_articles(texts: list[tuple[str, str]], run: str) -> list[Article]:
    return [
        Article(
            title=title,
            body=body,
            url=f"https://bench.newskg.invalid/{run}/{i}",
            source="bench",
            origin=f"reuters:{i}",
        )
        for i, (title, body) in enumerate(texts)
    ]


def delete(services: Services, report: IngestReport) -> None:
    for a in report.articles:
        services.pipeline.delete_article(a.article_id)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=150)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--address", default="local", help="local, auto or a cluster address")
    args = parser.parse_args()

    texts = load_articles(args.articles)
    run = uuid.uuid4().hex[:8]
    with tempfile.TemporaryDirectory() as tmp:
        settings = get_settings(var_dir=Path(tmp))
        services = build_services(settings)
        try:
            t0 = time.perf_counter()
            bootstrap(services)
            services.pipeline.prepare(as_articles(texts[:1], f"{run}-warm")[0])  # load models
            local_load_s = time.perf_counter() - t0
            articles = as_articles(texts, f"{run}-local")
            t0 = time.perf_counter()
            local = services.pipeline.ingest(articles)
            local_s = time.perf_counter() - t0
            delete(services, local)

            options = RayOptions(address=args.address, workers=args.workers)
            t0 = time.perf_counter()
            started = connect(options)
            preparers = RayPreparers.start(settings, options)
            infos = preparers.infos()  # every worker has loaded its models
            ray_load_s = time.perf_counter() - t0
            articles = as_articles(texts, f"{run}-ray")
            t0 = time.perf_counter()
            on_ray = store_outcomes(preparers.run(articles), services.pipeline.store_many)
            ray_s = time.perf_counter() - t0
            preparers.close()
            if started:
                import ray

                ray.shutdown()
            delete(services, on_ray)
        finally:
            close(services)

    n = len(texts)
    chars = sum(len(body) for _, body in texts)
    print(f"articles: {n} Reuters-21578 stories ({chars} characters)")
    print(
        f"stored / rejected: in-process {len(local.articles)} / {len(local.failures)}, "
        f"Ray {len(on_ray.articles)} / {len(on_ray.failures)}"
    )
    print(
        f"in-process:           {n / local_s:6.2f} articles/s ({local_s:.1f} s; "
        f"models loaded in {local_load_s:.1f} s)"
    )
    print(
        f"Ray, {len(infos)} workers:      {n / ray_s:6.2f} articles/s ({ray_s:.1f} s; "
        f"Ray started and models loaded in {ray_load_s:.1f} s)"
    )
    print(f"ratio Ray / in-process: {local_s / ray_s:.2f}")


if __name__ == "__main__":
    main()
