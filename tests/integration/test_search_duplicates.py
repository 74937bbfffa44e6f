"""Near-duplicates out of search on the real Neo4j, Qdrant and models.

A story and its wire copy (``DUPLICATE_OF`` the story) are ingested through the feed sink,
both dated :data:`tests.news_support.STORY_DAY`; every search is filtered to that day, so
only these two articles can answer. Each retriever leaves the copy out in its own query
(Cypher, or Qdrant's filter) unless the scope includes duplicates; the engine then shows
neither its passages nor its actions.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from kg.core.filters import SearchFilter
from kg.core.models import Article
from kg.core.records import SearchScope
from kg.graph.search_graph import Neo4jSearchGraph
from kg.search.engine import HybridSearch
from kg.search.request import SearchRequest
from kg.search.retrievers.fulltext import retrieve_fulltext
from kg.search.retrievers.graph import retrieve_graph
from kg.search.retrievers.vector import retrieve_vector
from kg.services import Services
from tests.news_support import STORY_DAY, story_and_copy

pytestmark = pytest.mark.integration

QUERY = "actions against the ELN"


@pytest.fixture(scope="module")
def articles(
    services: Services, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Article, Article]]:
    with story_and_copy(services, tmp_path_factory.mktemp("dedup")) as pair:
        yield pair


def _scope(include: bool) -> SearchScope:
    return SearchScope(STORY_DAY, STORY_DAY, include_duplicates=include)


def _article_ids(services: Services, passage_ids: list[str]) -> set[str]:
    return {p.article_id for p in services.reader.passages_by_ids(passage_ids).values()}


def test_each_retriever_leaves_the_copy_out_in_its_query(
    services: Services, articles: tuple[Article, Article]
) -> None:
    original, copy = articles
    graph = Neo4jSearchGraph(services.graph)
    assert copy.id in graph.copy_article_ids()
    assert original.id not in graph.copy_article_ids()
    search = HybridSearch(graph, services.vectors, services.embedder, services.settings)
    try:
        understanding = search.understand(QUERY)
        assert understanding.entities, understanding
        for include in (False, True):
            scope = _scope(include)
            vector = retrieve_vector(
                services.vectors, services.embedder, graph, "soldiers freed by the ELN", scope, 20
            )
            fulltext = retrieve_fulltext(graph, "soldiers freed rebels Arauca", scope, 20)
            found = retrieve_graph(graph, understanding, scope, 20)
            for name, ranked in (
                ("vector", vector.ranked),
                ("fulltext", fulltext.ranked),
                ("graph", found.ranked),
            ):
                seen = _article_ids(services, [r.key for r in ranked])
                assert original.id in seen, (name, include)
                assert (copy.id in seen) is include, (name, include)
            action_articles = {
                a.article_id for a in graph.actions([x.action_id for x in found.actions]).values()
            }
            assert (copy.id in action_articles) is include
    finally:
        search.close()


def test_search_shows_the_copy_only_when_asked(
    services: Services, articles: tuple[Article, Article]
) -> None:
    original, copy = articles
    flt = SearchFilter(STORY_DAY, STORY_DAY)
    default = services.search.view(SearchRequest(QUERY, 50, flt))
    assert {p.passage.article_id for p in default.passages} == {original.id}
    assert default.actions and {a.action.article_id for a in default.actions} == {original.id}

    both = services.search.view(SearchRequest(QUERY, 50, flt, include_duplicates=True))
    assert {p.passage.article_id for p in both.passages} == {original.id, copy.id}
    assert {a.action.article_id for a in both.actions} == {original.id, copy.id}
