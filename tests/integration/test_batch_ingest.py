"""Batch ingest on the real Neo4j, the real models and embedded Qdrant.

A batch (worker processes, one transaction per batch) gives the same graph and vectors as
ingesting the same articles one by one; a 100 KB article is parsed passage-wise and costs
in proportion to its length.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import time
import uuid
from collections.abc import Iterator, Sequence
from typing import Any

import pytest

from kg.core.errors import NotFoundError
from kg.core.models import Article
from kg.extraction.extractor import RuleBasedExtractor
from kg.ingest.parsing import parse_path
from kg.ingest.pipeline import IngestFailure, IngestPipeline
from kg.ingest.workers import watching_parent
from kg.services import Services
from tests.conftest import SEED
from tests.integration.conftest import same_embeddings

pytestmark = pytest.mark.integration

SNAPSHOT = """
UNWIND $ids AS id
MATCH (a:Article {id: id})
OPTIONAL MATCH (a)-[:HAS_PASSAGE]->(p:Passage)
OPTIONAL MATCH (x:Action)-[:REPORTED_IN]->(a)
OPTIONAL MATCH (r:Role)-[:STATED_IN]->(a)
WITH collect(DISTINCT a) + collect(DISTINCT p) + collect(DISTINCT x) + collect(DISTINCT r)
     AS own
UNWIND own AS n
OPTIONAL MATCH (n)-[link]-(m)
RETURN n.id AS id, labels(n) AS labels, properties(n) AS props,
       collect(DISTINCT [type(link), startNode(link).id, endNode(link).id]) AS links,
       collect(DISTINCT CASE WHEN m:Entity THEN [m.id, labels(m), properties(m)] END)
         AS entities
"""


def _articles(run: str) -> list[Article]:
    """The seed and five articles cut from it (shared entities across them)."""
    (seed,) = parse_path(SEED)
    paragraphs = seed.body.split("\n\n")
    bodies = [seed.body] + ["\n\n".join(paragraphs[i::3]) for i in range(3)]
    bodies += ["\n\n".join(reversed(paragraphs[:6])), paragraphs[0]]
    return [
        dataclasses.replace(seed, body=body, url=f"https://test.newskg.invalid/{run}/{i}")
        for i, body in enumerate(bodies)
    ]


def _own(entity: dict[str, Any]) -> dict[str, Any]:
    # An entity is shared: other articles in the store (other tests) add to its aliases.
    return {k: v for k, v in entity.items() if k not in ("aliases", "aliasText")}


def _snapshot(services: Services, articles: Sequence[Article]) -> dict[str, Any]:
    ids = [a.id for a in articles]
    rows = services.graph.run_read(SNAPSHOT, {"ids": ids})
    # Evidence embeddings are compared apart, with a tolerance: a batch is embedded with
    # other texts (other padding), which moves the last float bits.
    embeddings = {r["id"]: r["props"].pop("evidenceEmbedding", None) for r in rows}
    graph = {
        row["id"]: (
            sorted(row["labels"]),
            row["props"],
            sorted(map(tuple, row["links"])),
            sorted((e[0], sorted(e[1]), _own(e[2])) for e in row["entities"] if e),
        )
        for row in rows
    }
    passage_ids = [pid for pid, node in graph.items() if "Passage" in node[0]]
    points = {hit.id: dict(hit.payload) for hit in services.vectors.retrieve(passage_ids)}
    return {"graph": graph, "points": points, "embeddings": embeddings}


@pytest.fixture()
def cleanup(services: Services) -> Iterator[list[str]]:
    ids: list[str] = []
    yield ids
    for article_id in dict.fromkeys(ids):
        with contextlib.suppress(NotFoundError):  # deleted already
            services.pipeline.delete_article(article_id)


def test_a_batch_in_worker_processes_equals_one_by_one(
    services: Services, cleanup: list[str]
) -> None:
    articles = _articles(uuid.uuid4().hex[:8])
    cleanup += [a.id for a in articles]
    for article in articles:
        services.pipeline.ingest_article(article)
    one_by_one = _snapshot(services, articles)
    assert len(one_by_one["points"]) > 20
    for article in articles:
        services.pipeline.delete_article(article.id)

    settings = services.settings.model_copy(
        update={"ingest_batch_articles": 2, "ingest_worker_nice": 5}
    )
    pipeline = IngestPipeline(
        services.writer,
        services.vectors,
        services.embedder,
        services.pipeline.extractor,
        settings,
        services.pipeline.after_write.events,
        workers=2,
    )
    try:
        results = list(pipeline.ingest_iter(iter(articles)))
        assert pipeline._pool is not None  # three batches: the workers prepared them
        # The workers yield the cores to this process (and to a server's searches).
        worker_nice = pipeline._pool._executor.submit(os.nice, 0).result()
        assert worker_nice == min(19, os.nice(0) + 5)
        # ... and end with this process, even when it is killed (tests/unit/test_workers.py).
        assert pipeline._pool._executor.submit(watching_parent).result()
    finally:
        pipeline.close()
    assert not [r for r in results if isinstance(r, IngestFailure)]
    assert all(r.created for r in results if not isinstance(r, IngestFailure))
    batched = _snapshot(services, articles)
    assert batched["points"] == one_by_one["points"]
    assert batched["graph"] == one_by_one["graph"]
    assert same_embeddings(batched.pop("embeddings"), one_by_one.pop("embeddings"))


class SpyNlp:
    """The spaCy pipeline, recording the length of every text it is given."""

    def __init__(self, nlp: Any) -> None:
        self.nlp = nlp
        self.lengths: list[int] = []

    def __call__(self, text: str) -> Any:
        self.lengths.append(len(text))
        return self.nlp(text)

    def pipe(self, texts: Any, **kwargs: Any) -> Any:
        def seen() -> Iterator[str]:
            for text in texts:
                self.lengths.append(len(text))
                yield text

        return self.nlp.pipe(seen(), **kwargs)


def test_a_long_article_is_parsed_passage_wise_in_linear_time(services: Services) -> None:
    (seed,) = parse_path(SEED)
    extractor = RuleBasedExtractor(chunk_chars=5000)
    spy = SpyNlp(extractor.nlp)
    extractor._nlp = spy
    pipeline = IngestPipeline(
        services.writer, services.vectors, services.embedder, extractor, services.settings
    )

    def timed(copies: int) -> tuple[float, Any]:
        body = "\n\n".join([seed.body] * copies)
        article = dataclasses.replace(seed, body=body, url=f"https://test.newskg.invalid/{copies}")
        started = time.process_time()
        prepared = pipeline.prepare(article)
        return time.process_time() - started, prepared

    timed(1)  # warm up
    short_s, short = timed(4)
    long_s, long = timed(46)  # about 100 KB
    assert len(long.article.body) > 100_000
    assert max(spy.lengths) <= 5000
    # Offsets still point into the whole article.
    body = long.article.body
    assert all(body[m.start : m.end] == m.text for m in long.doc.extraction.mentions)
    assert all(0 <= a.start < a.end <= len(body) for a in long.doc.extraction.actions)
    # 11.5 times the text: about as many times the work (the same paragraphs repeated).
    assert len(long.doc.extraction.actions) <= 12 * len(short.doc.extraction.actions)
    assert long_s < 25 * short_s, (short_s, long_s)
