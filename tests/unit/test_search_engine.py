"""Hybrid search end to end on in-memory fakes: understanding -> retrievers -> fusion -> view."""

from __future__ import annotations

import concurrent.futures
import dataclasses
import subprocess
import sys
from datetime import date
from typing import Any

import pytest

from kg.core.config import Settings
from kg.core.errors import InvalidQueryError, ServiceUnavailableError
from kg.core.filters import SearchFilter
from kg.core.records import EventRecord, Participants, SearchScope
from kg.search import engine as engine_module
from kg.search.action_ranking import rank_evidenced_actions
from kg.search.engine import HybridSearch
from kg.search.fusion import Fused
from kg.search.request import MAX_LIMIT, MAX_QUERY_LENGTH, SearchRequest, parse_types
from kg.search.retrievers.fulltext import retrieve_fulltext
from kg.search.retrievers.graph import MENTION_SCORE, retrieve_graph
from kg.search.retrievers.vector import retrieve_vector
from kg.search.view import build_view, unresolved
from tests.fakes_search import World, small_world


@pytest.fixture
def world() -> World:
    return small_world()


@pytest.fixture
def search(world: World) -> HybridSearch:
    engine = HybridSearch(world.graph, world.vectors, world.embedder, Settings())
    yield engine
    engine.close()


# ---------------------------------------------------------------------- request


def test_request_is_validated_and_normalised_once() -> None:
    request = SearchRequest("  actions  ", 5, SearchFilter(types=(" accuse", "ACCUSE"), entity=" "))
    assert request.query == "actions"
    assert request.filter.types == ("ACCUSE",)
    assert request.filter.entity is None


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"query": "  "}, "query"),
        ({"query": "x" * (MAX_QUERY_LENGTH + 1)}, "query"),
        ({"query": "x", "limit": 0}, "limit"),
        ({"query": "x", "limit": MAX_LIMIT + 1}, "limit"),
        ({"query": "x", "filter": SearchFilter(types=("NOPE",))}, "types"),
        (
            {"query": "x", "filter": SearchFilter(date(2026, 2, 1), date(2026, 1, 1))},
            "from",
        ),
    ],
)
def test_request_refuses(kwargs: dict[str, object], field: str) -> None:
    with pytest.raises(InvalidQueryError) as info:
        SearchRequest(**kwargs)  # type: ignore[arg-type]
    assert info.value.field == field


def test_parse_types_only_splits() -> None:
    assert parse_types("ASSAULT, accuse") == ("ASSAULT", "accuse")
    assert parse_types(["A,B", "C"]) == ("A", "B", "C")
    assert parse_types(None) == ()


# ---------------------------------------------------------------------- retrievers


def test_each_retriever_returns_its_own_ranking(world: World, search: HybridSearch) -> None:
    scope = SearchScope()
    vector = retrieve_vector(world.vectors, world.embedder, world.graph, "ELN attack", scope, 10)
    fulltext = retrieve_fulltext(world.graph, "the ELN attacked", scope, 10)
    graph = retrieve_graph(world.graph, search.understand("attacks by the ELN"), scope, 10)
    assert vector.ranked and set(vector.passages) >= {r.key for r in vector.ranked}
    assert fulltext.ranked[0].key == "p1"  # the only passage with "attacked"
    assert [a.action_id for a in graph.actions] == ["a_attack"]  # the ELN as actor only
    assert graph.ranked[0].key == "p1"
    assert graph.ranked[0].path == (
        "Entity:National Liberation Army",
        "HAS_ACTOR",
        "Action:ASSAULT",
        "EVIDENCED_BY",
        "Passage:1",
    )
    # Mentions come after action evidence, each passage once.
    assert all(r.score == MENTION_SCORE for r in graph.ranked[1:])
    assert len({r.key for r in graph.ranked}) == len(graph.ranked)


def test_fulltext_without_content_words_reads_nothing(world: World) -> None:
    assert retrieve_fulltext(world.graph, "the actions of the", SearchScope(), 10).ranked == ()
    assert "passages_matching" not in world.graph.calls


# ---------------------------------------------------------------------- roles


def test_against_x_ranks_target_evidence(search: HybridSearch) -> None:
    result = search.search("actions against the ELN", limit=5)
    (eln,) = result.understanding.entities
    assert (eln.entity.id, eln.role) == ("eln", "target")
    # The ELN is the target of the joint action and of the accusation, not of the attack.
    assert {a.action_id for a in result.actions} == {"a_joint", "a_accuse"}
    assert result.actions[0].action_id == "a_joint"  # more confident
    for action in result.actions:
        assert action.why[0].retriever == "graph"
        assert action.why[0].path[1] == "HAS_TARGET"
    top = result.passages[0]
    assert top.passage_id == "p0"
    assert {w.retriever for w in top.why} >= {"graph", "fulltext"}


def test_by_x_asks_for_the_actor(search: HybridSearch) -> None:
    result = search.search("attacks by the ELN", limit=5)
    assert [(q.entity.id, q.role) for q in result.understanding.entities] == [("eln", "actor")]
    assert result.understanding.event_types == ("ASSAULT",)
    assert [a.action_id for a in result.actions] == ["a_attack"]
    assert result.actions[0].why[0].score == pytest.approx(1.8)  # confidence + event bonus


def test_between_x_and_y_keeps_shared_actions(search: HybridSearch) -> None:
    result = search.search("talks between Colombia and the United States", limit=5)
    assert result.understanding.pairwise
    assert [a.action_id for a in result.actions] == ["a_talks"]


def test_event_words_without_entities_rank_evidenced_actions(search: HybridSearch) -> None:
    result = search.search("accusations", limit=5)
    assert result.understanding.entities == ()
    assert result.understanding.event_types == ("ACCUSE",)
    assert result.passages[0].passage_id == "p2"
    assert result.actions[0].action_id == "a_accuse"
    assert result.actions[0].why[0].retriever == "evidence"


@pytest.mark.parametrize("query", ["accusations", "attacked a military base", "talks"])
def test_evidenced_actions_come_with_the_candidates(world: World, query: str) -> None:
    """A query naming no entity ranks the actions its passages evidence: they are read with
    the candidates, and rank as the fused passages' own actions would."""
    engine = HybridSearch(world.graph, world.vectors, world.embedder, Settings())
    try:
        world.graph.calls.clear()
        view = engine.view(SearchRequest(query, 3))
    finally:
        engine.close()
    assert view.understanding.entities == () and view.actions
    for kind in ("actions_of_passages", "actions", "participants", "events", "passage_roles"):
        assert kind not in world.graph.calls, world.graph.calls
    fused = [Fused(p.passage.id, p.score, p.why) for p in view.passages]
    scope = SearchScope()
    evidence = world.graph.actions_of_passages([f.key for f in fused], scope)
    expected = rank_evidenced_actions(evidence, fused, view.understanding.event_types, 3)
    assert [a.action.id for a in view.actions] == [a.action_id for a in expected]
    for shown in view.actions:
        assert shown.participants == world.graph.participants([shown.action.id]).get(
            shown.action.id, Participants()
        )


# ---------------------------------------------------------------------- filters


def test_type_filter_narrows_passages_and_actions(search: HybridSearch) -> None:
    result = search.search("actions against the ELN", flt=SearchFilter(types=("accuse",)))
    assert [a.action_id for a in result.actions] == ["a_accuse"]
    assert {p.passage_id for p in result.passages} == {"p2"}


def test_date_filter_keeps_understanding(search: HybridSearch) -> None:
    result = search.search("actions against the ELN", flt=SearchFilter(from_date=date(2100, 1, 1)))
    assert result.passages == () and result.actions == ()
    assert result.entities  # understanding does not depend on the filter
    later = search.search("talks", flt=SearchFilter(from_date=date(2026, 2, 1)))
    assert {p.passage_id for p in later.passages} == {"p3"}


def test_entity_filter_resolves_names_and_refuses_unknown(search: HybridSearch) -> None:
    result = search.search("joint actions", flt=SearchFilter(entity="Petro"))
    assert result.passages
    assert {p.passage_id for p in result.passages} <= {"p0", "p2"}
    with pytest.raises(InvalidQueryError) as info:
        search.search("x", flt=SearchFilter(entity="Nobody At All"))
    assert info.value.field == "entity"


# ---------------------------------------------------------------------- fusion and view


def test_rankings_are_those_of_the_search(search: HybridSearch) -> None:
    rankings = search.rankings("actions against the ELN", depth=5)
    assert set(rankings) == {"vector", "fulltext", "graph", "fused", "fused_without_roles"}
    result = search.search("actions against the ELN", limit=5)
    assert rankings["fused"] == [p.passage_id for p in result.passages]
    scores = [p.score for p in result.passages]
    assert scores == sorted(scores, reverse=True)


def test_view_hydrates_once_and_separates_unresolved_texts(world: World) -> None:
    engine = HybridSearch(world.graph, world.vectors, world.embedder, Settings())
    try:
        world.graph.calls.clear()
        view = engine.view(SearchRequest("ELN attacks on Colombia", 5))
    finally:
        engine.close()
    # Every read starts while the retrievers run, and nothing is read after fusion: the
    # candidates' articles and roles come with them (the vector hits' in the read that
    # checks them, the others' in the graph's read), the actions the graph reached from
    # the query's entities with their records, participants and events: no read waits
    # for the graph's.
    assert sorted(world.graph.calls) == [
        "copy_article_ids",
        "entities_named",
        "evidence_context",
        "passage_context",
        "passages_matching",
    ], world.graph.calls
    attack = next(a for a in view.actions if a.action.id == "a_attack")
    assert [e.id for e in attack.actors] == ["eln"]
    assert [e.id for e in attack.targets] == ["col"]
    assert attack.unresolved_targets == ("soldiers",)  # "Colombia" is resolved
    assert attack.unresolved_actors == ("The ELN",)  # no resolved name contains it
    assert all(p.article is not None for p in view.passages)


def test_unresolved_texts_are_those_no_resolved_name_covers(world: World) -> None:
    petro = world.graph.entities["petro"]
    assert unresolved([petro], ["Petro", "Gustavo Petro", "the army", "the army"]) == ("the army",)


def test_view_drops_actions_deleted_meanwhile(world: World, search: HybridSearch) -> None:
    result = search.search("actions against the ELN", limit=5)
    del world.graph.actions_by_id["a_accuse"]
    view = build_view(world.graph, result)
    assert [a.action.id for a in view.actions] == ["a_joint"]


def test_search_reads_the_graph_only_through_its_port() -> None:
    code = (
        "import sys, kg.search.engine, kg.search.view; "
        "print(sorted(m for m in sys.modules if m.startswith(('kg.graph', 'spacy', 'neo4j'))))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"


def test_points_the_graph_does_not_hold_are_not_shown(world: World) -> None:
    """A crash between the stores leaves points of an article the graph lacks, or of a
    version it never took: the vector retriever drops them (kg check mends them)."""
    scope = SearchScope()
    query = "ELN attack"
    before = retrieve_vector(world.vectors, world.embedder, world.graph, query, scope, 10)
    orphan = world.vectors.points["p1"]
    world.vectors.points["orphan"] = dataclasses.replace(
        orphan, id="orphan", payload={**orphan.payload, "passage_id": "orphan"}
    )
    world.vectors.points["p0"] = dataclasses.replace(
        world.vectors.points["p0"],
        payload={**world.vectors.points["p0"].payload, "text": "a version never committed"},
    )
    after = retrieve_vector(world.vectors, world.embedder, world.graph, query, scope, 10)
    assert "orphan" not in after.passages and "p0" not in after.passages
    assert [r.key for r in after.ranked] == [r.key for r in before.ranked if r.key != "p0"]


# ---------------------------------------------------------------------- graph first


class _FailingFulltext:
    """The world's graph, whose fulltext read fails as if Neo4j were down."""

    def __init__(self, world: World) -> None:
        self._graph = world.graph

    def passages_matching(self, *args: Any, **kwargs: Any) -> Any:
        raise ServiceUnavailableError("neo4j", "connection refused")

    def __getattr__(self, name: str) -> Any:
        return getattr(self._graph, name)


class _CountingEmbedder:
    def __init__(self, inner: Any) -> None:
        self._inner = inner
        self.calls = 0

    def embed_query(self, text: str) -> tuple[float, ...]:
        self.calls += 1
        vector: tuple[float, ...] = self._inner.embed_query(text)
        return vector


@pytest.fixture
def waits(monkeypatch: pytest.MonkeyPatch) -> list[float | None]:
    """The waits for the graph's first answer; each waits until it is there (no timing)."""
    seen: list[float | None] = []

    def wait(futures: Any, timeout: float | None = None) -> Any:
        seen.append(timeout)
        return concurrent.futures.wait(futures)

    monkeypatch.setattr(engine_module, "wait", wait)
    return seen


def test_a_healthy_graph_is_not_waited_for(world: World, waits: list[float | None]) -> None:
    embedder = _CountingEmbedder(world.embedder)
    engine = HybridSearch(world.graph, world.vectors, embedder, Settings(), healthy=lambda: True)
    try:
        engine.search("actions against the ELN", limit=5)
    finally:
        engine.close()
    assert waits == [] and embedder.calls == 1


def test_a_suspect_graph_that_fails_is_not_embedded_for(
    world: World, waits: list[float | None]
) -> None:
    embedder = _CountingEmbedder(world.embedder)
    graph = _FailingFulltext(world)
    engine = HybridSearch(graph, world.vectors, embedder, Settings(), healthy=lambda: False)  # type: ignore[arg-type]
    try:
        with pytest.raises(ServiceUnavailableError):
            engine.search("actions against the ELN", limit=5)
    finally:
        engine.close()
    assert len(waits) == 1 and embedder.calls == 0


@pytest.mark.parametrize(
    ("query", "read"),
    [
        ("ELN attacks on Colombia", "evidence_context"),
        ("accusations about the peace process", "actions_of_types"),
    ],
)
def test_the_graph_gets_the_fulltext_passages_as_near(
    world: World, search: HybridSearch, query: str, read: str
) -> None:
    # Entities (event types) with too many actions or mentions to walk (the adapter's
    # bound) reach the passages the fulltext retriever found: the engine hands them over.
    fulltext = retrieve_fulltext(world.graph, query, SearchScope(), 30)
    assert fulltext.ranked
    world.graph.near.clear()
    world.graph.calls.clear()
    result = search.search(query, limit=10)
    assert bool(result.understanding.entities) == (read == "evidence_context")
    assert read in world.graph.calls, world.graph.calls
    assert world.graph.near == [tuple(r.key for r in fulltext.ranked)]


def test_the_graph_actions_events_come_with_their_evidence(world: World) -> None:
    # Shown actions reached from the query's entities carry their events, read in the
    # graph's evidence read: no events read waits for it.
    world.graph.events_by_action = {
        aid: EventRecord(f"ev_{aid}", f"urn:ev:{aid}", "X", 2, 2, None, None, 0.9, aid, (aid,))
        for aid in world.graph.actions_by_id
    }
    engine = HybridSearch(world.graph, world.vectors, world.embedder, Settings())
    try:
        world.graph.calls.clear()
        view = engine.view(SearchRequest("ELN attacks on Colombia", 5))
    finally:
        engine.close()
    assert view.actions and "events" not in world.graph.calls, world.graph.calls
    assert "evidence_context" in world.graph.calls
    for shown in view.actions:
        assert shown.event == world.graph.events_by_action[shown.action.id]


def test_a_search_that_checks_no_role_reads_no_context_with_the_evidence(
    world: World, search: HybridSearch
) -> None:
    # Without a view to show and without a role to check, the candidates' context is not
    # needed: the graph's read is the evidence alone.
    world.graph.calls.clear()
    result = search.search("talks between Colombia and the ELN", limit=5)
    assert result.understanding.entities and result.understanding.pairwise
    assert "entity_evidence" in world.graph.calls, world.graph.calls
    assert "evidence_context" not in world.graph.calls
    assert "passage_context" in world.graph.calls  # the vector hits' check, as before
