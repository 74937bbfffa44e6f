"""GraphQL and REST render the same search view; GraphQL's resolvers re-read nothing."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace
from typing import Any, cast

from api.graphql.context import RequestContext
from api.graphql.schema import build_schema
from api.rest.search import to_response
from kg.core.config import Settings
from kg.search.engine import HybridSearch
from kg.search.request import SearchRequest
from tests.fakes_search import small_world

QUERY = """{ search(query: "ELN attacks on Colombia", limit: 5) {
  passages { id article { title } passage { index } }
  entities { id name aliases }
  understanding { entities { role entity { name } } }
  actions { id type actors { id name } targets { id name } place { name } } } }"""


class _NoGraph:
    """The reader behind the DataLoaders: any read fails the test."""

    def __getattr__(self, name: str) -> Any:
        def read(*args: Any, **kwargs: Any) -> Any:
            raise AssertionError(f"a resolver read the graph again: {name}")

        return read


def test_graphql_search_resolvers_read_nothing_the_search_read() -> None:
    world = small_world()
    search = HybridSearch(world.graph, world.vectors, world.embedder, Settings())

    async def run() -> Any:
        services = SimpleNamespace(settings=Settings(), reader=_NoGraph())
        context = RequestContext(services=cast(Any, services), api_key=None, search=search)
        return await build_schema().execute(QUERY, context_value=context)

    try:
        result = asyncio.run(run())
        view = search.view(SearchRequest("ELN attacks on Colombia", 5))
    finally:
        search.close()
    assert result.errors is None, result.errors
    data = result.data["search"]
    rest = to_response(view)
    # The same hits, and actors / targets meaning the same thing: resolved entities.
    assert [p["id"] for p in data["passages"]] == [p.passage_id for p in rest.passages]
    assert [a["id"] for a in data["actions"]] == [a.action_id for a in rest.actions]
    for gql, out in zip(data["actions"], rest.actions, strict=True):
        assert [e["id"] for e in gql["actors"]] == [e.id for e in out.actors]
        assert [e["id"] for e in gql["targets"]] == [e.id for e in out.targets]
    attack = next(a for a in rest.actions if a.action_id == "a_attack")
    assert attack.unresolved_targets == ["soldiers"]
    assert all(p["article"]["title"] for p in data["passages"])
