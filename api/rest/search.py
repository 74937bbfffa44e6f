"""``GET /search`` and ``POST /search``: hybrid search with explained, hydrated results."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response
from pydantic import BaseModel, ConfigDict, Field

from api.dependencies import get_search, get_services, require_read_key
from api.rest.search_example import EXAMPLE_RESPONSE
from kg.core.filters import SearchFilter
from kg.core.models import PloverType
from kg.core.records import EntityRecord
from kg.search import request as search_request
from kg.search.engine import HybridSearch
from kg.search.request import MAX_LIMIT, MIN_LIMIT, parse_types
from kg.search.results import Why
from kg.search.view import SearchView
from kg.services import Services

router = APIRouter(tags=["search"])

# --------------------------------------------------------------------------- request
# The bounds below only document the parameters in OpenAPI (and keep FastAPI's
# ``invalid_request`` for malformed input); they are the constants of
# kg.search.request, whose SearchRequest is what checks every request (the model of the
# same name below is only the JSON body).


class SearchRequest(BaseModel):
    """The body of ``POST /search`` (checked by :class:`kg.search.request.SearchRequest`)."""

    model_config = ConfigDict(
        populate_by_name=True,
        extra="forbid",
        json_schema_extra={
            "examples": [
                {"q": "actions against the ELN", "limit": 5},
                {
                    "q": "attacks on Colombian soldiers",
                    "limit": 10,
                    "from": "2026-01-01",
                    "to": "2026-01-31",
                    "types": ["ASSAULT"],
                    "entity": "Colombia",
                },
            ]
        },
    )

    q: str = Field(min_length=1, description="The search query.")
    limit: int = Field(
        10, ge=MIN_LIMIT, le=MAX_LIMIT, description="Maximum passages (and actions)."
    )
    from_: date | None = Field(
        None, alias="from", description="Earliest publication / action date (inclusive)."
    )
    to: date | None = Field(None, description="Latest publication / action date (inclusive).")
    types: list[PloverType] = Field(
        default_factory=list, description="Only actions (and evidence) of these PLOVER types."
    )
    entity: str | None = Field(
        None, description="Only passages mentioning / actions involving this entity (id or name)."
    )


# --------------------------------------------------------------------------- response


class WhyOut(BaseModel):
    """One retriever's vote for a hit."""

    retriever: str
    rank: int
    score: float
    path: list[str]


class ArticleOut(BaseModel):
    """The article a passage comes from."""

    id: str
    title: str
    published: str | None
    url: str | None


class PassageOut(BaseModel):
    """A passage hit."""

    passage_id: str
    text: str
    score: float
    start: int
    end: int
    article: ArticleOut | None
    why: list[WhyOut]


class EntityOut(BaseModel):
    """An entity."""

    id: str
    name: str
    type: str


class EvidenceOut(BaseModel):
    """The text span that evidences an action."""

    text: str | None
    start: int | None
    end: int | None
    passage_id: str | None


class ActionOut(BaseModel):
    """An action hit."""

    action_id: str
    type: str
    date: str | None
    score: float
    actors: list[EntityOut] = Field(description="Who acts: resolved entities.")
    targets: list[EntityOut] = Field(description="Who is acted upon: resolved entities.")
    unresolved_actors: list[str] = Field(
        description="Actors as written that no resolved actor covers."
    )
    unresolved_targets: list[str] = Field(
        description="Targets as written that no resolved target covers."
    )
    evidence: EvidenceOut
    why: list[WhyOut]


class QueryEntityOut(BaseModel):
    """An entity the query names, and the role it was understood to play."""

    id: str
    name: str
    type: str
    span: str
    role: str
    score: float


class RoleSpanOut(BaseModel):
    """A query span and the role its wording implies."""

    text: str
    role: str


class UnderstandingOut(BaseModel):
    """How the query was understood."""

    entities: list[QueryEntityOut]
    event_types: list[str]
    event_words: list[str]
    role_spans: list[RoleSpanOut]
    pairwise: bool


class SearchResponse(BaseModel):
    """Search results; every hit says why it was returned."""

    model_config = ConfigDict(json_schema_extra={"examples": [EXAMPLE_RESPONSE]})

    query: str
    passages: list[PassageOut]
    entities: list[EntityOut]
    actions: list[ActionOut]
    understanding: UnderstandingOut


# --------------------------------------------------------------------------- logic


def _why(why: tuple[Why, ...]) -> list[WhyOut]:
    return [
        WhyOut(retriever=w.retriever, rank=w.rank, score=w.score, path=list(w.path)) for w in why
    ]


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def _entity(e: EntityRecord) -> EntityOut:
    return EntityOut(id=e.id, name=e.name, type=e.type)


def to_response(view: SearchView) -> SearchResponse:
    """Render the search's :class:`SearchView` as the REST response."""
    passages = [
        PassageOut(
            passage_id=p.passage.id,
            text=p.passage.text,
            score=p.score,
            start=p.passage.start,
            end=p.passage.end,
            article=(
                ArticleOut(
                    id=p.article.id,
                    title=p.article.title,
                    published=_iso(p.article.published),
                    url=p.article.url,
                )
                if p.article
                else None
            ),
            why=_why(p.why),
        )
        for p in view.passages
    ]
    actions = [
        ActionOut(
            action_id=a.action.id,
            type=a.action.type,
            date=_iso(a.action.date),
            score=a.score,
            actors=[_entity(e) for e in a.actors],
            targets=[_entity(e) for e in a.targets],
            unresolved_actors=list(a.unresolved_actors),
            unresolved_targets=list(a.unresolved_targets),
            evidence=EvidenceOut(
                text=a.action.evidence_text,
                start=a.action.evidence_start,
                end=a.action.evidence_end,
                passage_id=a.action.passage_id,
            ),
            why=_why(a.why),
        )
        for a in view.actions
    ]
    u = view.understanding
    return SearchResponse(
        query=view.query,
        passages=passages,
        entities=[_entity(e) for e in view.entities],
        actions=actions,
        understanding=UnderstandingOut(
            entities=[
                QueryEntityOut(
                    id=qe.entity.id,
                    name=qe.entity.name,
                    type=qe.entity.type,
                    span=qe.span,
                    role=qe.role,
                    score=qe.score,
                )
                for qe in u.entities
            ],
            event_types=list(u.event_types),
            event_words=list(u.event_words),
            role_spans=[RoleSpanOut(text=t, role=r) for t, r in u.role_spans],
            pairwise=u.pairwise,
        ),
    )


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
        "their ranks and scores, and the graph path."
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
) -> Response:
    """Search with query-string parameters."""
    flt = SearchFilter(from_date=from_, to_date=to, types=parse_types(types), entity=entity)
    return _json(search.view(search_request.SearchRequest(q, limit, flt, services.settings)))


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
    request = search_request.SearchRequest(body.q, body.limit, flt, services.settings)
    return _json(search.view(request))
