"""Ingest throughput against the machine's limit, measured in one run.

Prints end-to-end ingest throughput (articles/s: parse -> extract -> validate ->
Neo4j -> embed -> Qdrant) and, on the same texts in the same process, the throughput of
spaCy NER plus passage embedding alone, which bounds what any pipeline built on these
models can reach here. The ratio says how much the rest (graph writes, validation,
vector upserts, rule-based extraction) costs.

Texts: the seed article plus the 26 re3d UK-government documents read from
``../shared/data/re3d-ukgov`` (Dstl, Open Government Licence v3.0). They are ingested
under unique bench URLs and a temporary Qdrant directory, and deleted afterwards.

Run: ``make neo4j-start && .venv/bin/python bench/ingest.py [--repeat N]``
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
from kg.extraction.nlp import load_nlp
from kg.ingest.parsing import parse_path
from kg.ingest.splitting import split_passages
from kg.services import bootstrap, build_services, close

ROOT = Path(__file__).resolve().parent.parent
RE3D = ROOT.parent / "shared" / "data" / "re3d-ukgov" / "documents.json"


def load_articles(run: str, repeat: int) -> list[Article]:
    (seed,) = parse_path(ROOT / "seeds" / "000_dd03a0dc64772d97.txt")
    texts = [(seed.title, seed.body, seed.published)]
    if RE3D.exists():
        for line in RE3D.read_text(encoding="utf-8").splitlines():
            if line.strip():
                doc = json.loads(line)
                texts.append((doc.get("title") or doc["_id"], doc["text"], None))
    return [
        Article(
            title=title,
            body=body,
            published=published,
            url=f"https://bench.newskg.invalid/{run}/{r}/{i}",
            source="bench",
            origin="bench",
        )
        for r in range(repeat)
        for i, (title, body, published) in enumerate(texts)
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=1, help="ingest the corpus N times")
    args = parser.parse_args()

    run = uuid.uuid4().hex[:8]
    articles = load_articles(run, args.repeat)
    with tempfile.TemporaryDirectory() as tmp:
        settings = get_settings(var_dir=Path(tmp))
        services = build_services(settings)
        bootstrap(services)
        nlp = load_nlp(settings.spacy_model)
        # Warm up both models so neither measurement pays for loading them.
        nlp("Warm up.")
        services.embedder.embed(["warm up"])
        passages = [
            [p.text for p in split_passages(a, settings.passage_max_chars)] for a in articles
        ]

        t0 = time.perf_counter()
        for doc_passages, _ in zip(passages, nlp.pipe(a.body for a in articles), strict=True):
            services.embedder.embed(doc_passages)
        limit_s = time.perf_counter() - t0

        t0 = time.perf_counter()
        report = services.pipeline.ingest(articles)
        pipeline_s = time.perf_counter() - t0

        for a in report.articles:
            services.pipeline.delete_article(a.article_id)
        close(services)

    n = len(articles)
    chars = sum(len(a.body) for a in articles)
    print(f"articles: {n} ({chars} characters, {sum(map(len, passages))} passages)")
    print(f"rejected: {len(report.failures)}")
    print(f"NER + embedding only: {n / limit_s:8.2f} articles/s ({limit_s:.2f} s)")
    print(f"end-to-end ingest:    {n / pipeline_s:8.2f} articles/s ({pipeline_s:.2f} s)")
    print(f"ratio end-to-end / limit: {limit_s / pipeline_s:.2f}")


if __name__ == "__main__":
    main()
