"""The seed article against the hand-written gold in tests/gold/seed.json, through the whole
pipeline into the real Neo4j: entities, aliases, mentions in context, roles, actions, and
the answer to "actions against the ELN"."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from kg.core.models import Article
from kg.graph.search_graph import Neo4jSearchGraph
from kg.ingest.pipeline import ArticleReport
from kg.search.engine import HybridSearch
from kg.services import Services
from tests.conftest import GOLD

pytestmark = pytest.mark.integration

SEED_GOLD: dict[str, Any] = json.loads(GOLD.read_text(encoding="utf-8"))


def words(text: str) -> set[str]:
    return {w.strip('.,"').lower() for w in text.split()} - {"the", "of", ""}


def overlaps(names: list[str], wanted: str) -> bool:
    return any(words(wanted) & words(n) for n in names)


@pytest.fixture()
def stored(
    services: Services, unique_seed: Article, ingest: Callable[[Article], ArticleReport]
) -> tuple[ArticleReport, Article]:
    return ingest(unique_seed), unique_seed


def test_entities_types_and_aliases(
    services: Services, stored: tuple[ArticleReport, Article]
) -> None:
    report, _ = stored
    rows = services.graph.run_read(
        "MATCH (:Article {id: $id})-[:HAS_PASSAGE]->()-[:MENTIONS]->(e:Entity) "
        "RETURN DISTINCT e.name AS name, e.type AS type, e.aliases AS aliases",
        {"id": report.article_id},
    )
    found = {r["name"]: r for r in rows}
    for entity in SEED_GOLD["entities"]:
        assert entity["name"] in found, sorted(found)
        assert found[entity["name"]]["type"] == entity["type"], entity
        assert set(entity["aliases"]) <= set(found[entity["name"]]["aliases"] or []), entity


def test_mentions_resolve_in_context(
    services: Services, stored: tuple[ArticleReport, Article]
) -> None:
    report, article = stored
    doc = services.pipeline.parse(article)
    names = {e.key: e for e in doc.extraction.entities}
    for item in SEED_GOLD["mentions"]:
        at = article.body.index(item["context"]) + item["context"].index(item["text"])
        hits = [m for m in doc.extraction.mentions if m.start <= at < m.end]
        assert hits, item
        entity = names[hits[0].entity_key]
        assert (entity.name, entity.type) == (item["entity"], item["type"]), item


def test_roles(services: Services, stored: tuple[ArticleReport, Article]) -> None:
    rows = services.graph.run_read(
        "MATCH (p:Person)-[:HOLDS_ROLE]->(r:Role)-[:ROLE_IN]->(o:Entity) "
        "RETURN p.name AS holder, r.title AS title, o.name AS organization",
        {},
    )
    have = {(r["holder"], r["title"], r["organization"]) for r in rows}
    for role in SEED_GOLD["roles"]:
        assert (role["holder"], role["title"], role["organization"]) in have, have


def _actions(services: Services, article_id: str) -> list[dict[str, Any]]:
    return services.graph.run_read(
        "MATCH (a:Action)-[:REPORTED_IN]->(:Article {id: $id}) "
        "OPTIONAL MATCH (a)-[:HAS_ACTOR]->(x) OPTIONAL MATCH (a)-[:HAS_TARGET]->(t) "
        "OPTIONAL MATCH (a)-[:ATTRIBUTED_TO]->(s) "
        "RETURN a.id AS id, a.type AS type, a.mode AS mode, toString(a.date) AS date, "
        "a.evidenceText AS evidence, collect(DISTINCT x.name) AS actors, "
        "collect(DISTINCT t.name) AS targets, collect(DISTINCT s.name) AS sources",
        {"id": article_id},
    )


def test_other_actions(services: Services, stored: tuple[ArticleReport, Article]) -> None:
    report, _ = stored
    actions = _actions(services, report.article_id)
    for item in SEED_GOLD["other_actions"]:
        matching = [
            a
            for a in actions
            if item["evidence_contains"] in a["evidence"]
            and a["type"] in item["types"]
            and all(overlaps(a["actors"], n) for n in item["actor_must_include"])
            and all(overlaps(a["targets"], n) for n in item.get("target_must_include", []))
        ]
        assert matching, (item, actions)
        if "date" in item:
            assert any(a["date"] == item["date"] for a in matching), matching
        if "mode" in item:
            assert any(a["mode"] == item["mode"] for a in matching), matching


def test_actions_against_the_eln(services: Services, stored: tuple[ArticleReport, Article]) -> None:
    report, _ = stored
    search = HybridSearch(
        Neo4jSearchGraph(services.graph), services.vectors, services.embedder, services.settings
    )
    # Other copies of the seed may be in the graph too: ask for enough to see all of ours.
    result = search.search("actions against the ELN", limit=50)
    answered = {a.action_id for a in result.actions}
    actions = {a["id"]: a for a in _actions(services, report.article_id)}
    mine = [actions[i] for i in answered if i in actions]
    assert mine, "no action of this article in the answer"
    for a in mine:
        assert "National Liberation Army" in a["targets"], a
        assert "National Liberation Army" not in a["actors"], a
    for item in SEED_GOLD["eln_target_actions"]:
        hits = [
            a
            for a in mine
            if item["evidence_contains"] in a["evidence"]
            and a["type"] in item["types"]
            and all(overlaps(a["actors"], n) for n in item["actor_must_include"])
        ]
        assert hits, (item["label"], mine)
        if "attributed_to" in item:
            assert any(overlaps(h["sources"], item["attributed_to"]) for h in hits), hits
    for evidence in SEED_GOLD["eln_actor_evidence"]:
        assert not [a for a in mine if evidence in a["evidence"] and a["type"] == "ASSAULT"]
