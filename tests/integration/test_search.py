"""Hybrid search on the real stack: Neo4j, the real models, the seed ingested by the pipeline."""

from __future__ import annotations

import contextlib
import dataclasses
import uuid
from collections.abc import Iterator
from datetime import date

import pytest

from kg.core.errors import InvalidQueryError, NotFoundError
from kg.core.filters import SearchFilter
from kg.core.records import Participants, Role, SearchScope
from kg.graph.search_graph import Neo4jSearchGraph
from kg.ingest.parsing import parse_path
from kg.ingest.pipeline import ArticleReport
from kg.search.engine import HybridSearch, SearchResult
from kg.search.view import ActionView
from kg.services import Services
from tests.conftest import SEED

pytestmark = pytest.mark.integration

JOINT = "committed to taking joint actions"


@pytest.fixture(scope="module")
def seeded(services: Services) -> Iterator[ArticleReport]:
    """The seed article under its own URL, ingested once for this module."""
    (article,) = parse_path(SEED)
    article = dataclasses.replace(article, url=f"https://test.newskg.invalid/{uuid.uuid4()}")
    report = services.pipeline.ingest_article(article)
    yield report
    with contextlib.suppress(NotFoundError):
        services.pipeline.delete_article(report.article_id)


@pytest.fixture(scope="module")
def search(services: Services, seeded: ArticleReport) -> HybridSearch:
    return HybridSearch(
        Neo4jSearchGraph(services.graph), services.vectors, services.embedder, services.settings
    )


@pytest.fixture(scope="module")
def eln_result(search: HybridSearch) -> SearchResult:
    return search.search("actions against the ELN", limit=10)


def hydrate_actions(graph: object, ids: list[str]) -> dict[str, ActionView]:
    """The actions by id, with their participants, read through the search port."""
    reader = Neo4jSearchGraph(graph)  # type: ignore[arg-type]
    actions, participants = reader.actions(ids), reader.participants(ids)
    return {
        i: ActionView(action, 0.0, (), participants.get(i, Participants()))
        for i, action in actions.items()
    }


def eln_id(result: SearchResult) -> str:
    ids = [e.id for e in result.entities if "Liberation" in e.name or e.name == "ELN"]
    assert ids, result.entities
    return ids[0]


def test_the_eln_is_understood_as_the_target(eln_result: SearchResult) -> None:
    eln = eln_id(eln_result)
    (query_entity,) = [q for q in eln_result.understanding.entities if q.entity.id == eln]
    assert query_entity.role == "target"
    assert query_entity.score == 1.0  # exact alias match


def test_joint_action_passage_is_on_top_with_several_retrievers(
    eln_result: SearchResult,
) -> None:
    top = eln_result.passages[:5]
    joint = [p for p in top if JOINT in p.text]
    assert joint, [p.text[:60] for p in top]
    retrievers = {w.retriever for w in joint[0].why}
    assert len(retrievers) >= 2, joint[0].why
    assert "graph" in retrievers
    graph_why = next(w for w in joint[0].why if w.retriever == "graph")
    assert graph_why.path[0].startswith("Entity:")
    assert graph_why.path[-1].startswith("Passage:")


def test_why_ranks_are_consistent(eln_result: SearchResult) -> None:
    scores = [p.score for p in eln_result.passages]
    assert scores == sorted(scores, reverse=True)
    for passage in eln_result.passages:
        assert passage.why and all(w.rank >= 1 for w in passage.why)


def test_actions_target_the_eln(
    services: Services, seeded: ArticleReport, eln_result: SearchResult
) -> None:
    eln = eln_id(eln_result)
    assert eln_result.actions
    details = hydrate_actions(services.graph, [a.action_id for a in eln_result.actions])
    # Other tests may ingest and delete copies of the seed meanwhile: check what remains,
    # and that this module's article contributes.
    assert any(d.action.article_id == seeded.article_id for d in details.values())
    for action in eln_result.actions:
        if action.action_id not in details:
            continue
        assert eln in {t.id for t in details[action.action_id].targets}
        assert action.why[0].retriever == "graph"
        assert action.why[0].path[:2] == (action.why[0].path[0], "HAS_TARGET")
    evidence = " ".join(str(d.action.evidence_text) for d in details.values())
    assert JOINT in evidence or "strike hard at the ELN" in evidence


def test_type_filter_narrows(
    services: Services, search: HybridSearch, eln_result: SearchResult
) -> None:
    all_types = {
        d.action.type
        for d in hydrate_actions(services.graph, [a.action_id for a in eln_result.actions]).values()
    }
    assert len(all_types) >= 2, all_types  # the filter has something to remove
    chosen = sorted(all_types)[0]
    narrowed = search.search("actions against the ELN", flt=SearchFilter(types=(chosen,)))
    details = hydrate_actions(services.graph, [a.action_id for a in narrowed.actions])
    assert narrowed.actions
    assert {d.action.type for d in details.values()} == {chosen}
    assert len(narrowed.actions) < len(eln_result.actions)
    assert {p.passage_id for p in narrowed.passages} <= {
        d.action.passage_id
        for d in hydrate_actions(services.graph, _all_action_ids(services, chosen)).values()
    }


def _all_action_ids(services: Services, plover: str) -> list[str]:
    rows = services.graph.run_read("MATCH (a:Action {type: $t}) RETURN a.id AS id", {"t": plover})
    return [str(r["id"]) for r in rows]


def test_date_filter_narrows(search: HybridSearch) -> None:
    future = search.search("actions against the ELN", flt=SearchFilter(from_date=date(2100, 1, 1)))
    assert future.passages == () and future.actions == ()
    assert future.entities  # understanding does not depend on the filter
    around = search.search(
        "actions against the ELN",
        flt=SearchFilter(from_date=date(2026, 1, 1), to_date=date(2026, 1, 31)),
    )
    assert any(JOINT in p.text for p in around.passages)


def test_entity_filter_keeps_passages_mentioning_it(
    services: Services, search: HybridSearch
) -> None:
    result = search.search("joint fight", flt=SearchFilter(entity="Gustavo Petro"))
    assert result.passages
    # A passage is about the entity when it mentions it, or when it is the evidence of an
    # action the entity takes part in ("He said ..." after Petro).
    rows = services.graph.run_read(
        "MATCH (p:Passage)--(x), (e:Entity {name: 'Gustavo Petro'}) WHERE p.id IN $ids "
        "AND ((p)-[:MENTIONS]->(e) OR (p)<-[:EVIDENCED_BY]-(:Action)--(e)) "
        "RETURN DISTINCT p.id AS id",
        {"ids": [p.passage_id for p in result.passages]},
    )
    assert {str(r["id"]) for r in rows} == {p.passage_id for p in result.passages}


def test_bad_filters_are_refused(search: HybridSearch) -> None:
    with pytest.raises(InvalidQueryError):
        search.search("x", flt=SearchFilter(entity="No Such Entity Anywhere"))
    with pytest.raises(InvalidQueryError):
        search.search("x", flt=SearchFilter(types=("NOT_A_TYPE",)))
    with pytest.raises(InvalidQueryError):
        search.search("   ")


def test_an_entity_past_the_walk_reaches_only_the_near_passages(
    services: Services, eln_result: SearchResult
) -> None:
    # Past `walk` actions or mentions, the graph does not walk an entity's (their number
    # grows with the graph): it keeps the actions and mentions of the `near` passages.
    eln = eln_id(eln_result)
    scope = SearchScope(include_duplicates=True)
    (walked,) = Neo4jSearchGraph(services.graph).entity_evidence([(eln, "any")], scope, 60, 30)
    evidenced = [a for a in walked.actions if a.passage is not None]
    assert walked.passages and evidenced
    mentioning, evidence = walked.passages[0].id, evidenced[0]
    assert evidence.passage is not None
    near = [mentioning, "no-such-passage", evidence.passage.id, mentioning]
    bounded = Neo4jSearchGraph(services.graph, walk=0)
    (found,) = bounded.entity_evidence([(eln, "any")], scope, 60, 30, near)
    assert mentioning in {p.id for p in found.passages}
    assert {p.id for p in found.passages} <= set(near)
    assert evidence.action_id in {a.action_id for a in found.actions}
    assert {a.passage.id for a in found.actions if a.passage} <= set(near)
    (none,) = bounded.entity_evidence([(eln, "any")], scope, 60, 30)
    assert none.passages == () and none.actions == ()


@pytest.mark.parametrize("walk", [100, 0])
def test_evidence_with_context_is_the_three_reads_in_one(
    services: Services, eln_result: SearchResult, walk: int
) -> None:
    # The graph's evidence read brings the candidates' context and the actions' events: the
    # same records the evidence, context and events reads give one after the other.
    graph = Neo4jSearchGraph(services.graph, walk=walk)
    eln = eln_id(eln_result)
    scope = SearchScope()
    also = [p.passage_id for p in eln_result.passages][:3] + ["no-such-passage"]
    asks: list[tuple[str, Role]] = [(eln, "target"), (eln, "any")]
    found, context = graph.evidence_context(asks, scope, 60, 30, also, also, [eln], True)
    alone = graph.entity_evidence(asks, scope, 60, 30, also)
    assert [dataclasses.replace(f, events={}) for f in found] == alone
    assert found[1].actions and found[1].passages
    reached = [
        *also,
        *(a.passage.id for f in alone for a in f.actions if a.passage is not None),
        *(p.id for f in alone for p in f.passages),
    ]
    assert context == graph.passage_context(reached, [eln], False)
    assert context.articles and context.roles
    ids = [a.action_id for f in alone for a in f.actions]
    events = graph.events(ids)
    assert {k: v for f in found for k, v in f.events.items()} == events
    quiet, _ = graph.evidence_context(asks, scope, 60, 30, also, also, [eln])
    assert all(f.events == {} for f in quiet)
