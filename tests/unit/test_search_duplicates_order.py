"""Search leaves near-duplicate copies out (unless asked) and can rank actions by source count.

On the fakes of :mod:`tests.fakes_search`: the small world gains ``art3``, a wire copy of
``art1``'s joint-action passage linked ``DUPLICATE_OF`` it, and events with source counts.
"""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Iterator, Sequence
from datetime import date
from types import SimpleNamespace
from typing import Any, cast

import pytest

from api.graphql.context import RequestContext
from api.graphql.schema import build_schema
from api.rest.search import to_response
from kg.core.config import Settings
from kg.core.errors import InvalidQueryError
from kg.core.models import VectorPoint
from kg.core.records import ActionRecord, ArticleRecord, EventRecord, PassageRecord, SearchScope
from kg.search.engine import HybridSearch
from kg.search.request import SearchRequest
from kg.search.results import RETRIEVER_SOURCES
from kg.search.retrievers.fulltext import retrieve_fulltext
from kg.search.retrievers.graph import retrieve_graph
from kg.search.retrievers.vector import retrieve_vector
from kg.search.understanding import parse_query
from kg.search.understanding.ordering import order_cue
from kg.vectors.payload import PassagePayload
from tests.fakes_search import World, small_world

COPY_TEXT = "Trump and Petro committed to taking joint actions against the ELN rebels."


def _event(event_id: str, sources: int, *reports: str) -> EventRecord:
    return EventRecord(
        id=event_id,
        iri=f"urn:ev:{event_id}",
        type="X",
        article_count=sources,
        source_count=sources,
        first_reported=None,
        last_reported=None,
        confidence=0.9,
        lead_id=reports[0],
        report_ids=tuple(sorted(reports)),
    )


def news_world() -> World:
    """The small world plus ``art3`` (a copy of ``art1``) and events.

    - ``p5`` in ``art3`` repeats ``p0`` (the joint action) nearly word for word;
      ``a_joint_copy`` is its action; ``art3`` is ``DUPLICATE_OF`` ``art1``;
    - ``ev_joint`` (a_joint, a_joint_copy): 2 sources; ``ev_accuse`` (a_accuse): 4 sources,
      so by source count the accusation comes before the joint action, which is the more
      relevant (more confident) of the two.
    """
    world = small_world()
    graph = world.graph
    graph.articles_by_id["art3"] = ArticleRecord("art3", "urn:art3", "Copy", date(2026, 1, 9))
    graph.passages_by_id["p5"] = PassageRecord("p5", "urn:p5", "art3", 0, COPY_TEXT, 0, 73)
    graph.mentions["p5"] = {"trump", "petro", "eln"}
    joint = graph.actions_by_id["a_joint"]
    graph.actions_by_id["a_joint_copy"] = dataclasses.replace(
        joint, id="a_joint_copy", iri="urn:a:copy", passage_id="p5", article_id="art3"
    )
    graph.roles += [
        ("a_joint_copy", "HAS_ACTOR", "trump"),
        ("a_joint_copy", "HAS_ACTOR", "petro"),
        ("a_joint_copy", "HAS_TARGET", "eln"),
    ]
    graph.duplicate_of["art3"] = "art1"
    joint_event = _event("ev_joint", 2, "a_joint", "a_joint_copy")
    graph.events_by_action = {
        "a_joint": joint_event,
        "a_joint_copy": joint_event,
        "a_accuse": _event("ev_accuse", 4, "a_accuse"),
    }
    payload = PassagePayload(
        passage_id="p5",
        passage_iri="urn:p5",
        article_id="art3",
        article_iri="urn:art3",
        index=0,
        start=0,
        end=73,
        text=COPY_TEXT,
        entity_ids=("eln", "petro", "trump"),
        published=date(2026, 1, 9),
        title="Copy",
    )
    world.vectors.points["p5"] = VectorPoint(
        "p5", world.embedder.embed(COPY_TEXT), payload.to_dict()
    )
    return world


@pytest.fixture
def world() -> World:
    return news_world()


@pytest.fixture
def search(world: World) -> Iterator[HybridSearch]:
    engine = HybridSearch(world.graph, world.vectors, world.embedder, Settings())
    yield engine
    engine.close()


def _articles(world: World, passage_ids: Sequence[str]) -> set[str]:
    return {world.graph.passages_by_id[p].article_id for p in passage_ids}


# ---------------------------------------------------------------------- duplicates


def test_copies_are_left_out_of_search_by_default(world: World, search: HybridSearch) -> None:
    view = search.view(SearchRequest("actions against the ELN", 10))
    assert "art3" not in {p.passage.article_id for p in view.passages}
    assert "a_joint_copy" not in {a.action.id for a in view.actions}
    assert {p.passage.id for p in view.passages} >= {"p0"}  # the original stays
    assert "a_joint" in {a.action.id for a in view.actions}
    assert view.include_duplicates is False


def test_include_duplicates_brings_the_copies_back(world: World, search: HybridSearch) -> None:
    view = search.view(SearchRequest("actions against the ELN", 10, include_duplicates=True))
    assert "p5" in {p.passage.id for p in view.passages}
    assert "a_joint_copy" in {a.action.id for a in view.actions}
    assert view.include_duplicates is True


def test_the_vector_retriever_excludes_copies_in_the_store(world: World) -> None:
    """Asked for one hit with the copy's own words, Qdrant answers the nearest original:
    a post-filter would have answered nothing (the copy ate the top-1)."""
    only_originals = retrieve_vector(
        world.vectors, world.embedder, world.graph, COPY_TEXT, SearchScope(), 1
    )
    assert [r.key for r in only_originals.ranked] == ["p0"]
    everything = retrieve_vector(
        world.vectors,
        world.embedder,
        world.graph,
        COPY_TEXT,
        SearchScope(include_duplicates=True),
        1,
    )
    assert [r.key for r in everything.ranked] == ["p5"]


def test_fulltext_and_graph_retrievers_exclude_copies(world: World, search: HybridSearch) -> None:
    words = "joint actions rebels"
    assert "p5" not in {
        r.key for r in retrieve_fulltext(world.graph, words, SearchScope(), 10).ranked
    }
    with_copies = retrieve_fulltext(world.graph, words, SearchScope(include_duplicates=True), 10)
    assert with_copies.ranked[0].key == "p5"  # the only passage saying "rebels"

    understanding = search.understand("actions against the ELN")
    graph = retrieve_graph(world.graph, understanding, SearchScope(), 10)
    assert "a_joint_copy" not in {a.action_id for a in graph.actions}
    assert "art3" not in _articles(world, [r.key for r in graph.ranked])
    graph_all = retrieve_graph(world.graph, understanding, SearchScope(include_duplicates=True), 10)
    assert "a_joint_copy" in {a.action_id for a in graph_all.actions}


def test_queries_without_entities_leave_copies_out_too(search: HybridSearch) -> None:
    view = search.view(SearchRequest("joint actions rebels", 10))
    assert "art3" not in {p.passage.article_id for p in view.passages}
    assert "a_joint_copy" not in {a.action.id for a in view.actions}


# ---------------------------------------------------------------------- ordering cues


@pytest.mark.parametrize(
    ("query", "phrase"),
    [
        ("most reported actions against the ELN", "most reported"),
        ("the most widely reported attacks on ISIL", "the most widely reported"),
        ("most-reported talks", "most-reported"),
        ("widely reported accusations against Petro", "widely reported"),
        ("actions against the ELN by number of sources", "by number of sources"),
        ("attacks ranked by the number of outlets", "ranked by the number of outlets"),
        ("talks by source count", "by source count"),
        ("agreements reported by the most sources", "reported by the most sources"),
        ("attacks by how many sources reported them", "by how many sources reported them"),
    ],
)
def test_ordering_phrases_are_recognised(query: str, phrase: str) -> None:
    cue = order_cue(query)
    assert cue.by_sources and cue.phrases == (phrase,)
    assert len(cue.text) == len(query) and phrase not in cue.search_text
    parsed = parse_query(query)
    assert parsed.order_by_sources and parsed.order_words == (phrase,)


@pytest.mark.parametrize(
    "query",
    [
        "actions against the ELN",
        "reported attacks on ISIL",
        "sources say the ELN attacked",
        "attacks by the ELN",
        "the most violent attacks",
    ],
)
def test_other_queries_keep_relevance(query: str) -> None:
    assert not order_cue(query).by_sources
    assert not parse_query(query).order_by_sources


def test_an_ordering_phrase_names_no_actor() -> None:
    """ "by number of sources" would otherwise read as "by X": X acts."""
    parsed = parse_query("actions against the ELN by number of sources")
    assert [(s.text, s.role) for s in parsed.role_spans] == [("the ELN", "target")]
    assert not any("sources" in c.text for c in parsed.candidates)


# ---------------------------------------------------------------------- ranking by sources


def test_most_reported_ranks_actions_by_source_count(search: HybridSearch) -> None:
    relevance = search.view(SearchRequest("actions against the ELN", 10))
    assert [a.action.id for a in relevance.actions][:2] == ["a_joint", "a_accuse"]
    assert relevance.order_by == "relevance"

    view = search.view(SearchRequest("most reported actions against the ELN", 10))
    assert view.understanding.order_by_sources
    assert view.order_by == "source_count"
    assert [a.action.id for a in view.actions] == ["a_accuse", "a_joint"]
    votes = [next(w for w in a.why if w.retriever == RETRIEVER_SOURCES) for a in view.actions]
    assert [(w.rank, w.score) for w in votes] == [(1, 4.0), (2, 2.0)]
    assert [a.event.source_count if a.event else None for a in view.actions] == [4, 2]


def test_one_action_per_event_when_ranked_by_sources(search: HybridSearch) -> None:
    request = SearchRequest(
        "actions against the ELN", 10, include_duplicates=True, order_by="source_count"
    )
    ids = [a.action.id for a in search.view(request).actions]
    assert ids[0] == "a_accuse"
    assert len({"a_joint", "a_joint_copy"} & set(ids)) == 1


def test_an_explicit_order_wins_over_the_query(search: HybridSearch) -> None:
    view = search.view(
        SearchRequest("most reported actions against the ELN", 10, order_by="RELEVANCE")
    )
    assert view.order_by == "relevance"
    assert [a.action.id for a in view.actions][:2] == ["a_joint", "a_accuse"]


def test_an_unknown_order_is_refused() -> None:
    with pytest.raises(InvalidQueryError) as info:
        SearchRequest("x", order_by="loudest")
    assert info.value.field == "order_by"


def test_rest_renders_source_counts_and_the_order(search: HybridSearch) -> None:
    out = to_response(search.view(SearchRequest("most reported actions against the ELN", 10)))
    assert out.order_by == "source_count" and out.understanding.order_by_sources
    assert [(a.action_id, a.source_count, a.event_id) for a in out.actions] == [
        ("a_accuse", 4, "ev_accuse"),
        ("a_joint", 2, "ev_joint"),
    ]


# ---------------------------------------------------------------------- GraphQL


class _Reader:
    """The reader behind the DataLoaders: reports' actions and which articles are copies."""

    def __init__(self, world: World) -> None:
        self.world = world

    def actions_by_ids(self, ids: Sequence[str]) -> dict[str, ActionRecord]:
        return {i: self.world.graph.actions_by_id[i] for i in ids}

    def duplicate_of_by_ids(self, ids: Sequence[str]) -> dict[str, str]:
        return {
            i: self.world.graph.duplicate_of[i] for i in ids if i in self.world.graph.duplicate_of
        }

    def __getattr__(self, name: str) -> Any:
        def read(*args: Any, **kwargs: Any) -> Any:
            raise AssertionError(f"a resolver read what the search read: {name}")

        return read


GQL = """query($q: String!, $dup: Boolean!, $order: SearchOrder) {
  search(query: $q, limit: 10, includeDuplicates: $dup, orderBy: $order) {
    orderBy includeDuplicates understanding { orderBySources orderWords }
    actions { id sourceCount reports { action { id } } why { retriever rank score } } } }"""


def _graphql(world: World, search: HybridSearch, variables: dict[str, Any]) -> Any:
    async def run() -> Any:
        services = SimpleNamespace(settings=Settings(), reader=_Reader(world))
        context = RequestContext(services=cast(Any, services), api_key=None, search=search)
        return await build_schema().execute(GQL, variable_values=variables, context_value=context)

    result = asyncio.run(run())
    assert result.errors is None, result.errors
    return result.data["search"]


def test_graphql_orders_by_sources_and_hides_copy_reports(
    world: World, search: HybridSearch
) -> None:
    q = "actions against the ELN"
    data = _graphql(world, search, {"q": q, "dup": False, "order": "SOURCE_COUNT"})
    assert data["orderBy"] == "SOURCE_COUNT" and data["includeDuplicates"] is False
    assert [(a["id"], a["sourceCount"]) for a in data["actions"]] == [
        ("a_accuse", 4),
        ("a_joint", 2),
    ]
    joint = data["actions"][1]
    # The event has two reports; the copy's is left out as search leaves the copy out.
    assert [r["action"]["id"] for r in joint["reports"]] == ["a_joint"]

    everything = _graphql(world, search, {"q": q, "dup": True, "order": None})
    assert everything["orderBy"] == "RELEVANCE" and everything["includeDuplicates"] is True
    joint = next(a for a in everything["actions"] if a["id"] == "a_joint")
    assert sorted(r["action"]["id"] for r in joint["reports"]) == ["a_joint", "a_joint_copy"]

    asked = _graphql(world, search, {"q": "most widely reported " + q, "dup": False})
    assert asked["understanding"] == {
        "orderBySources": True,
        "orderWords": ["most widely reported"],
    }
    assert asked["orderBy"] == "SOURCE_COUNT"
