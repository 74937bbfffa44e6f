"""End to end on the real Neo4j, the real models and embedded Qdrant: ingest the seed,
ask "actions against the ELN", re-ingest and check nothing changes, reject bad input."""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Callable

import pytest

from kg.core.errors import ServiceUnavailableError, ValidationFailedError
from kg.core.models import Article, ParsedDocument, VectorFilter
from kg.graph.search_graph import Neo4jSearchGraph
from kg.ingest.pipeline import ArticleReport
from kg.search.engine import HybridSearch
from kg.services import Services
from tests.integration.conftest import assert_not_stored, neighbourhood

pytestmark = pytest.mark.integration

JOINT = "committed to taking joint actions"


def test_seed_answers_actions_against_the_eln(
    services: Services, unique_seed: Article, ingest: Callable[[Article], ArticleReport]
) -> None:
    report = ingest(unique_seed)
    assert report.passages == 14 and report.actions > 0

    search = HybridSearch(
        Neo4jSearchGraph(services.graph), services.vectors, services.embedder, services.settings
    )
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
    nodes, points = neighbourhood(services, first.article_id), services.vectors.count()
    assert nodes
    again = ingest(unique_seed)
    assert again.article_id == first.article_id and not again.created
    assert neighbourhood(services, first.article_id) == nodes
    assert services.vectors.count() == points
    hits = services.vectors.search(
        services.embedder.embed_query("joint actions against the ELN"),
        limit=3,
        flt=VectorFilter(article_ids=(first.article_id,)),
    )
    assert hits and hits[0].payload["article_id"] == first.article_id


def _patch_prepare(
    services: Services,
    monkeypatch: pytest.MonkeyPatch,
    change: Callable[[ParsedDocument], ParsedDocument],
) -> None:
    real_parse = services.pipeline.parse
    monkeypatch.setattr(services.pipeline, "parse", lambda article: change(real_parse(article)))


def test_invalid_entity_rejects_the_article_and_nothing_is_written(
    services: Services, unique_seed: Article, monkeypatch: pytest.MonkeyPatch
) -> None:
    def blank_first_entity_name(doc: ParsedDocument) -> ParsedDocument:
        entities = list(doc.extraction.entities)
        entities[0] = dataclasses.replace(entities[0], name="")
        extraction = dataclasses.replace(doc.extraction, entities=tuple(entities))
        return dataclasses.replace(doc, extraction=extraction)

    _patch_prepare(services, monkeypatch, blank_first_entity_name)
    with pytest.raises(ValidationFailedError) as info:
        services.pipeline.ingest_article(unique_seed)
    assert any("name" in v for v in info.value.violations), info.value.violations
    assert unique_seed.id in str(info.value)
    assert_not_stored(services, unique_seed)


def test_invalid_action_is_left_out_and_reported(
    services: Services,
    unique_seed: Article,
    monkeypatch: pytest.MonkeyPatch,
    ingest: Callable[[Article], ArticleReport],
) -> None:
    def break_first_action(doc: ParsedDocument) -> ParsedDocument:
        actions = list(doc.extraction.actions)
        actions[0] = dataclasses.replace(actions[0], confidence=7.0)
        extraction = dataclasses.replace(doc.extraction, actions=tuple(actions))
        return dataclasses.replace(doc, extraction=extraction)

    _patch_prepare(services, monkeypatch, break_first_action)
    report = ingest(unique_seed)
    assert len(report.dropped) == 1 and "confidence" in report.dropped[0].lower()
    stored = services.graph.run_read(
        "MATCH (a:Action)-[:REPORTED_IN]->(:Article {id: $id}) RETURN count(a) AS n",
        {"id": report.article_id},
    )
    assert stored[0]["n"] == report.actions > 0  # the report counts what was stored


def test_names_link_across_articles_through_stable_knowledge_only(
    services: Services, unique_seed: Article, ingest: Callable[[Article], ArticleReport]
) -> None:
    # The curated list knows the ELN, so it is one entity in every article; a bare "Petro"
    # resolves only within its own article, so the later article's graph is the same
    # whether or not the seed (which names Gustavo Petro) came first.
    ingest(unique_seed)
    later = Article(
        title="Talks resume",
        body="Petro said the ELN had agreed to resume talks in Havana on Monday.",
        published=unique_seed.published,
        url=f"{unique_seed.url}/later",
    )
    report = ingest(later)
    rows = services.graph.run_read(
        "MATCH (:Article {id: $id})-[:HAS_PASSAGE]->(:Passage)-[:MENTIONS]->(e:Entity) "
        "RETURN collect(e.name) AS names",
        {"id": report.article_id},
    )
    names = set(rows[0]["names"])
    assert "National Liberation Army" in names and "ELN" not in names, names
    assert "Gustavo Petro" not in names, names


def test_an_updated_article_replaces_the_old_version(
    services: Services, unique_seed: Article, ingest: Callable[[Article], ArticleReport]
) -> None:
    first = ingest(unique_seed)
    updated = dataclasses.replace(
        unique_seed, body="Petro said the ELN had agreed to resume talks in Havana on Monday."
    )
    second = ingest(updated)
    assert second.article_id == first.article_id and not second.created
    rows = services.graph.run_read(
        "MATCH (a:Article {id: $id}) "
        "RETURN COUNT { (a)-[:HAS_PASSAGE]->() } AS passages, "
        "COUNT { (a)<-[:REPORTED_IN]-() } AS actions",
        {"id": first.article_id},
    )
    assert rows[0] == {"passages": 1, "actions": second.actions}
    hits = services.vectors.search(
        services.embedder.embed_query("joint actions against the ELN"),
        limit=20,
        flt=VectorFilter(article_ids=(first.article_id,)),
    )
    assert len(hits) == 1 and "Havana" in hits[0].payload["text"]


def test_a_role_lives_while_an_article_states_it(
    services: Services, ingest: Callable[[Article], ArticleReport]
) -> None:
    run = uuid.uuid4()
    stating = [
        "Colombia's Interior Minister Mariela Fontecha said the talks would resume.",
        "Colombia's Interior Minister Mariela Fontecha met rebel leaders in Havana.",
    ]
    first, second, _mentions_only = (
        ingest(Article(title=f"Role {i}", body=body, url=f"https://test.newskg.invalid/{run}/{i}"))
        for i, body in enumerate([*stating, "Mariela Fontecha visited Bogota on Monday."])
    )
    query = (
        "MATCH (p:Person {name: 'Mariela Fontecha'}) OPTIONAL MATCH (p)-[:HOLDS_ROLE]->(r:Role) "
        "RETURN r.title AS title, COUNT { (r)-[:STATED_IN]->() } AS articles"
    )
    assert services.graph.run_read(query, {}) == [{"title": "interior minister", "articles": 2}]
    services.pipeline.delete_article(first.article_id)
    assert services.graph.run_read(query, {}) == [{"title": "interior minister", "articles": 1}]
    services.pipeline.delete_article(second.article_id)
    # The person is still mentioned, but no article says she holds the role any more.
    assert services.graph.run_read(query, {}) == [{"title": None, "articles": 0}]


def test_a_vector_failure_leaves_the_graph_untouched(
    services: Services, unique_seed: Article, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Inject a failure into the real store's write: vectors go first, so nothing is written.
    def refuse(points: object) -> None:
        raise ServiceUnavailableError("qdrant", "injected failure")

    monkeypatch.setattr(services.vectors, "upsert", refuse)
    with pytest.raises(ServiceUnavailableError):
        services.pipeline.ingest_article(unique_seed)
    assert_not_stored(services, unique_seed)
