"""End to end on the real Neo4j, the real models and embedded Qdrant: ingest the seed,
ask "actions against the ELN", re-ingest and check nothing changes, reject bad input."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

import pytest

from kg.errors import ValidationFailedError
from kg.models import Article, VectorFilter
from kg.pipeline import ArticleReport
from kg.search import HybridSearch
from kg.services import Services
from tests.integration.conftest import count_nodes

pytestmark = pytest.mark.integration

JOINT = "committed to taking joint actions"


def test_seed_answers_actions_against_the_eln(
    services: Services, unique_seed: Article, ingest: Callable[[Article], ArticleReport]
) -> None:
    report = ingest(unique_seed)
    assert report.passages == 14 and report.actions > 0

    search = HybridSearch(services.graph, services.vectors, services.embedder, services.settings)
    result = search.search("actions against the ELN", limit=10)

    assert any(e.name == "National Liberation Army" for e in result.entities)
    rows = services.graph.run_read(
        "MATCH (a:Action)-[:HAS_TARGET]->(t:Entity {name: 'National Liberation Army'}), "
        "(a)-[:REPORTED_IN]->(:Article {id: $article}), (a)-[:HAS_ACTOR]->(x:Entity) "
        "RETURN a.id AS id, a.evidenceText AS evidence, collect(x.name) AS actors",
        {"article": report.article_id},
    )
    joint = [r for r in rows if JOINT in r["evidence"]]
    assert joint, rows
    assert {"Donald Trump", "Gustavo Petro"} <= set(joint[0]["actors"])
    # The search answer carries that action, with the sentence as evidence.
    assert joint[0]["id"] in {a.action_id for a in result.actions}
    passage_texts = [p.text for p in result.passages if p.article_id == report.article_id]
    assert any(JOINT in t for t in passage_texts)


def test_second_ingest_adds_no_node_or_point(
    services: Services, unique_seed: Article, ingest: Callable[[Article], ArticleReport]
) -> None:
    first = ingest(unique_seed)
    nodes, points = count_nodes(services), services.vectors.count()
    again = ingest(unique_seed)
    assert again.article_id == first.article_id and not again.created
    assert (count_nodes(services), services.vectors.count()) == (nodes, points)
    hits = services.vectors.search(
        services.embedder.embed_query("joint actions against the ELN"),
        limit=3,
        flt=VectorFilter(article_ids=(first.article_id,)),
    )
    assert hits and hits[0].payload["article_id"] == first.article_id


def test_invalid_records_are_rejected_and_nothing_is_written(
    services: Services, unique_seed: Article, monkeypatch: pytest.MonkeyPatch
) -> None:
    nodes, points = count_nodes(services), services.vectors.count()
    real_prepare = services.pipeline.prepare

    def broken_prepare(article: Article):  # type: ignore[no-untyped-def]
        doc = real_prepare(article)
        bad = tuple(dataclasses.replace(a, confidence=7.0) for a in doc.extraction.actions)
        return dataclasses.replace(doc, extraction=dataclasses.replace(doc.extraction, actions=bad))

    monkeypatch.setattr(services.pipeline, "prepare", broken_prepare)
    with pytest.raises(ValidationFailedError) as info:
        services.pipeline.ingest_article(unique_seed)
    assert any("confidence" in v.lower() for v in info.value.violations)
    assert (count_nodes(services), services.vectors.count()) == (nodes, points)
