"""``GET /search`` and ``POST /search``: hybrid search with explained, hydrated results."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response

from api.dependencies import get_search, get_services, require_read_key
from api.rest.search_models import SearchRequest, SearchResponse, to_response
from kg.core.filters import SearchFilter
from kg.search import request as search_request
from kg.search.engine import HybridSearch
from kg.search.request import MAX_LIMIT, MIN_LIMIT, parse_types
from kg.search.view import SearchView
from kg.services import Services

__all__ = ["router", "to_response"]

router = APIRouter(tags=["search"])


def _json(view: SearchView) -> Response:
    # Validated once (SearchResponse) and serialised once by pydantic: as a Response, it is
    # not validated again against the response model nor walked by jsonable_encoder.
    return Response(to_response(view).model_dump_json(), media_type="application/json")


# --------------------------------------------------------------------------- routes


@router.get(
    "/search",
    response_model=SearchResponse,
    dependencies=[Depends(require_read_key)],
    summary="Hybrid graph + semantic search",
    description=(
        "Searches passages by vector similarity, BM25 full text and graph expansion from the "
        'entities the query names ("against X" asks for actions targeting X), fused by '
        "weighted reciprocal rank fusion. Every hit lists `why`: the retrievers that found it, "
        "their ranks and scores, and the graph path. Near-duplicate copies are left out unless "
        "`include_duplicates=true`; `order_by=source_count` lists one action per event, the "
        'most reported first (unset, the query decides: "most reported ...").'
    ),
)
def search_get(
    search: Annotated[HybridSearch, Depends(get_search)],
    services: Annotated[Services, Depends(get_services)],
    q: Annotated[
        str,
        Query(
            min_length=1,
            description="The search query (at most NEWSKG_MAX_QUERY_CHARS characters and "
            "NEWSKG_MAX_QUERY_WORDS words).",
            openapi_examples={
                "against": {
                    "summary": "Actions against a group",
                    "value": "actions against the ELN",
                },
                "between": {
                    "summary": "Between two countries",
                    "value": "talks between Colombia and the United States",
                },
            },
        ),
    ],
    limit: Annotated[
        int, Query(ge=MIN_LIMIT, le=MAX_LIMIT, description="Maximum passages (and actions).")
    ] = 10,
    from_: Annotated[
        date | None,
        Query(alias="from", description="Earliest date (inclusive), YYYY-MM-DD."),
    ] = None,
    to: Annotated[date | None, Query(description="Latest date (inclusive), YYYY-MM-DD.")] = None,
    types: Annotated[
        list[str] | None,
        Query(
            description="PLOVER types, comma-separated or repeated (types=ASSAULT,ACCUSE).",
            openapi_examples={"assault": {"summary": "Only assaults", "value": ["ASSAULT"]}},
        ),
    ] = None,
    entity: Annotated[
        str | None, Query(description="Only results involving this entity (id or name).")
    ] = None,
    include_duplicates: Annotated[
        bool, Query(description="Also search near-duplicate copies (left out by default).")
    ] = False,
    order_by: Annotated[
        str | None,
        Query(
            description="`relevance` or `source_count` (one action per event, most sources "
            "first); unset, the query decides.",
            openapi_examples={"sources": {"summary": "Most reported", "value": "source_count"}},
        ),
    ] = None,
) -> Response:
    """Search with query-string parameters."""
    flt = SearchFilter(from_date=from_, to_date=to, types=parse_types(types), entity=entity)
    request = search_request.SearchRequest(
        q,
        limit,
        flt,
        services.settings,
        include_duplicates=include_duplicates,
        order_by=order_by,
    )
    return _json(search.view(request))


@router.post(
    "/search",
    response_model=SearchResponse,
    dependencies=[Depends(require_read_key)],
    summary="Hybrid graph + semantic search (JSON body)",
    description="The same search as `GET /search`, with the parameters in a JSON body.",
)
def search_post(
    search: Annotated[HybridSearch, Depends(get_search)],
    services: Annotated[Services, Depends(get_services)],
    body: SearchRequest,
) -> Response:
    """Search with a JSON body."""
    flt = SearchFilter(
        from_date=body.from_, to_date=body.to, types=tuple(body.types), entity=body.entity
    )
    request = search_request.SearchRequest(
        body.q,
        body.limit,
        flt,
        services.settings,
        include_duplicates=body.include_duplicates,
        order_by=body.order_by,
    )
    return _json(search.view(request))
