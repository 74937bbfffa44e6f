"""Role consistency: "attacks on X" puts X's own attacks below attacks on X (fakes)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from kg.core.config import Settings
from kg.core.models import VectorPoint
from kg.core.records import PassageRecord, PassageRole
from kg.search.engine import HybridSearch
from kg.search.fusion import Fused
from kg.search.results import RETRIEVER_ROLE, Why
from kg.search.roles import ROLE_PENALTY, apply_roles
from kg.vectors.payload import PassagePayload
from tests.fakes_search import World, _action, small_world


@pytest.fixture
def world() -> World:
    """The small world, plus p5: soldiers raid an ELN camp (the ELN is the target), in
    words no other retriever than the graph finds for "attacks on the ELN"."""
    world = small_world()
    graph = world.graph
    text = "Troops stormed a rebel hideout."
    passage = PassageRecord("p5", "urn:p5", "art1", 5, text, 1000, 1000 + len(text))
    graph.passages_by_id["p5"] = passage
    raid = _action("a_raid", "ASSAULT", "p5", ["Troops"], ["a rebel hideout"], 0.6)
    graph.actions_by_id["a_raid"] = raid
    graph.roles += [("a_raid", "HAS_ACTOR", "col"), ("a_raid", "HAS_TARGET", "eln")]
    article = graph.articles_by_id["art1"]
    payload = PassagePayload(
        passage_id="p5",
        passage_iri="urn:p5",
        article_id="art1",
        article_iri=article.iri,
        index=5,
        start=passage.start,
        end=passage.end,
        text=text,
        entity_ids=(),
        published=article.published,
        title=article.title,
    )
    world.vectors.points["p5"] = VectorPoint("p5", world.embedder.embed(text), payload.to_dict())
    return world


@pytest.fixture
def search(world: World) -> Iterator[HybridSearch]:
    engine = HybridSearch(world.graph, world.vectors, world.embedder, Settings())
    yield engine
    engine.close()


def _retrievers(why: tuple[Why, ...]) -> set[str]:
    return {w.retriever for w in why} - {RETRIEVER_ROLE}


def test_x_acting_found_by_all_ranks_below_x_attacked_found_by_one(search: HybridSearch) -> None:
    rankings = search.rankings("attacks on the ELN", depth=10)
    # p1 (the ELN attacks) is found by every retriever, p5 (an attack on the ELN) by one.
    assert all("p1" in rankings[r] for r in ("vector", "fulltext", "graph"))
    assert "p5" in rankings["graph"]
    assert "p5" not in rankings["vector"] and "p5" not in rankings["fulltext"]

    result = search.search("attacks on the ELN", limit=10)
    order = [p.passage_id for p in result.passages]
    assert order.index("p5") < order.index("p1")
    scores = [p.score for p in result.passages]
    assert scores == sorted(scores, reverse=True)

    by_id = {p.passage_id: p for p in result.passages}
    assert _retrievers(by_id["p1"].why) == {"vector", "fulltext", "graph"}
    assert _retrievers(by_id["p5"].why) == {"graph"}
    (demoted,) = [w for w in by_id["p1"].why if w.retriever == RETRIEVER_ROLE]
    assert demoted.score == ROLE_PENALTY
    assert demoted.path[:3] == ("Entity:National Liberation Army", "HAS_ACTOR", "Action:ASSAULT")
    (kept,) = [w for w in by_id["p5"].why if w.retriever == RETRIEVER_ROLE]
    assert kept.score == 1.0 and kept.path[1] == "HAS_TARGET"


def test_by_x_keeps_x_acting_on_top(search: HybridSearch) -> None:
    result = search.search("attacks by the ELN", limit=10)
    order = [p.passage_id for p in result.passages]
    assert order[0] == "p1"
    assert "p5" not in order[:1]
    p5 = next((p for p in result.passages if p.passage_id == "p5"), None)
    if p5 is not None:
        assert any(w.retriever == RETRIEVER_ROLE and w.score == ROLE_PENALTY for w in p5.why)


def test_queries_asking_no_role_read_no_roles(world: World, search: HybridSearch) -> None:
    for query in ("ELN attacks", "talks between Colombia and the United States", "accusations"):
        world.graph.calls.clear()
        result = search.search(query, limit=10)
        assert "passage_roles" not in world.graph.calls
        assert all(w.retriever != RETRIEVER_ROLE for p in result.passages for w in p.why)


def test_a_passage_with_both_roles_is_kept() -> None:
    fused = [Fused("a", 0.05, ()), Fused("b", 0.04, ()), Fused("c", 0.01, ())]
    roles = [
        PassageRole("a", "x", "actor", "act1", "ASSAULT"),
        PassageRole("a", "x", "target", "act2", "ASSAULT"),
        PassageRole("b", "x", "actor", "act3", "ASSAULT"),
        PassageRole("c", "y", "actor", "act4", "ASSAULT"),  # y is not asked about
    ]
    out = apply_roles(fused, {"x": "target"}, roles, {"x": "X"})
    assert [f.key for f in out] == ["a", "c", "b"]
    assert out[-1].score <= out[-2].score
    assert out[-1].why[-1] == Why(
        RETRIEVER_ROLE,
        2,
        ROLE_PENALTY,
        ("Entity:X", "HAS_ACTOR", "Action:ASSAULT", "EVIDENCED_BY", "Passage"),
    )


def test_actions_of_the_asked_type_decide() -> None:
    # "The UN condemned the ISIL attack": ISIL is the target of ACCUSE, the actor of ASSAULT.
    fused = [Fused("condemned", 0.05, ()), Fused("raid", 0.01, ())]
    roles = [
        PassageRole("condemned", "isil", "target", "a1", "ACCUSE"),
        PassageRole("condemned", "isil", "actor", "a2", "ASSAULT"),
        PassageRole("raid", "isil", "target", "a3", "ASSAULT"),
    ]
    asked = {"isil": "target"}
    attacks = apply_roles(fused, asked, roles, {}, event_types=("ASSAULT",))
    assert [f.key for f in attacks] == ["raid", "condemned"]
    assert attacks[1].why[-1].path[1:3] == ("HAS_ACTOR", "Action:ASSAULT")
    # "actions against ISIL" names no type: being condemned is an action against it.
    actions = apply_roles(fused, asked, roles, {})
    assert [f.key for f in actions] == ["condemned", "raid"]


def test_the_asked_role_ranks_above_silence_whichever_retrievers_found_it() -> None:
    # "ISIL's presence in Palmyra" (no action of ISIL) was fused first, by every retriever;
    # "strikes against ISIL" (ISIL the target) came second, "ISIL attacked" third.
    everyone = tuple(Why(r, 1, 1.0) for r in ("vector", "fulltext", "graph"))
    fused = [
        Fused("presence", 0.05, everyone),
        Fused("strikes", 0.02, (Why("graph", 2, 1.0),)),
        Fused("attacking", 0.01, everyone),
    ]
    roles = [
        PassageRole("strikes", "isil", "target", "a1", "ASSAULT"),
        PassageRole("attacking", "isil", "actor", "a2", "ASSAULT"),
    ]
    out = apply_roles(fused, {"isil": "target"}, roles, {"isil": "ISIL"}, ("ASSAULT",))
    assert [f.key for f in out] == ["strikes", "presence", "attacking"]
    scores = [f.score for f in out]
    assert scores == sorted(scores, reverse=True)
    assert out[0].score == 0.02  # the consistent passage keeps its fused score
    assert out[1].why == everyone  # a silent passage gets no role vote
    assert out[0].why[-1].path[:3] == ("Entity:ISIL", "HAS_TARGET", "Action:ASSAULT")
