"""One validation per rule: date ranges, PLOVER types and the search limit, for every API."""

from __future__ import annotations

import asyncio
from datetime import date
from types import SimpleNamespace
from typing import Any, cast

import pytest

from api.graphql.context import RequestContext
from api.graphql.schema import build_schema
from kg.core.config import Settings
from kg.core.errors import InvalidQueryError
from kg.core.filters import check_date_range, check_plover_types
from kg.extraction.actions import lexicon
from kg.graph.reads import RELS_BY_ROLE
from kg.search import understanding as query_understanding
from kg.search.engine import MAX_LIMIT, HybridSearch


def test_date_range() -> None:
    check_date_range(None, date(2026, 1, 1))
    check_date_range(date(2026, 1, 1), date(2026, 1, 1))
    with pytest.raises(InvalidQueryError, match="2026-02-01 is after to=2026-01-01") as info:
        check_date_range(date(2026, 2, 1), date(2026, 1, 1))
    assert info.value.field == "from"


def test_plover_types_are_normalised() -> None:
    assert check_plover_types([" assault", "ASSAULT", "", "accuse "]) == ("ASSAULT", "ACCUSE")
    with pytest.raises(InvalidQueryError, match="NOPE") as info:
        check_plover_types(["ASSAULT", "nope"], "type")
    assert info.value.field == "type"


def test_role_relationships() -> None:
    assert set(RELS_BY_ROLE["any"]) == {*RELS_BY_ROLE["actor"], *RELS_BY_ROLE["target"]}


def test_lexicon_path_is_defined_once() -> None:
    assert query_understanding.LEXICON_PATH is lexicon.DEFAULT_LEXICON_PATH


def _graphql_search(limit: int, filter_: str = "") -> Any:
    """Run ``search`` on stores that must never be reached (validation comes first)."""

    async def run() -> Any:
        settings = Settings()
        never = cast(Any, None)
        services = SimpleNamespace(settings=settings, graph=never)
        context = RequestContext(
            services=cast(Any, services),
            api_key=None,
            search=HybridSearch(never, never, never, settings),
        )
        query = f'{{ search(query: "x", limit: {limit} {filter_}) {{ query }} }}'
        return await build_schema().execute(query, context_value=context)

    return asyncio.run(run())


@pytest.mark.parametrize(
    ("limit", "filter_", "field"),
    [
        (MAX_LIMIT + 1, "", "limit"),
        (0, "", "limit"),
        (5, 'filter: {from: "2026-02-01", to: "2026-01-01"}', "from"),
        (5, 'filter: {types: ["NOPE"]}', "types"),
    ],
)
def test_graphql_search_arguments_are_checked_by_the_search(
    limit: int, filter_: str, field: str
) -> None:
    result = _graphql_search(limit, filter_)
    (error,) = result.errors
    assert error.extensions["code"] == "INVALID_FILTER", error
    assert error.extensions["field"] == field
