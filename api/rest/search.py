"""``GET /search`` and ``POST /search``: hybrid search with explained, hydrated results."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, ConfigDict, Field

from api.dependencies import get_search, get_services, require_read_key
from kg.core.filters import SearchFilter
from kg.core.models import PloverType
from kg.search.engine import MAX_LIMIT, HybridSearch, parse_types
from kg.search.hydration import (
    ActionDetails,
    ParticipantDetails,
    hydrate_actions,
    hydrate_passages,
)
from kg.search.results import SearchResult, Why
from kg.services import Services

router = APIRouter(tags=["search"])

_EXAMPLE_RESPONSE: dict[str, Any] = {
    "query": "actions against the ELN",
    "passages": [
        {
            "passage_id": "5b1f0f7e-2c1d-5f0a-9a57-3c7f5d0e8a11",
            "text": 'Trump and Petro "committed to taking joint actions" against the National '
            "Liberation Army (ELN), Colombia's last remaining major armed rebel group...",
            "score": 0.0489,
            "start": 812,
            "end": 1040,
            "article": {
                "id": "0d6c5a4e-8f55-5f3c-b3a5-0c2b8f6d1e22",
                "title": "Colombia and US vow joint fight against drug-smuggling gangs",
                "published": "2026-01-08",
                "url": "https://example.org/colombia-us-eln",
            },
            "why": [
                {"retriever": "vector", "rank": 1, "score": 0.61, "path": []},
                {"retriever": "fulltext", "rank": 2, "score": 3.2, "path": []},
                {
                    "retriever": "graph",
                    "rank": 1,
                    "score": 0.8,
                    "path": [
                        "Entity:National Liberation Army",
                        "HAS_TARGET",
                        "Action:AGREE",
                        "EVIDENCED_BY",
                        "Passage:3",
                    ],
                },
            ],
        }
    ],
    "entities": [
        {"id": "9c3e...", "name": "National Liberation Army", "type": "ArmedGroup"},
    ],
    "actions": [
        {
            "action_id": "7f1a...",
            "type": "AGREE",
            "date": "2026-01-07",
            "score": 0.065,
            "actors": [
                {"id": "1a2b...", "name": "Donald Trump", "type": "Person"},
                {"id": "3c4d...", "name": "Gustavo Petro", "type": "Person"},
            ],
            "targets": [
                {"id": "9c3e...", "name": "National Liberation Army", "type": "ArmedGroup"}
            ],
            "evidence": {
                "text": 'Trump and Petro "committed to taking joint actions" against the ELN',
                "start": 812,
                "end": 905,
                "passage_id": "5b1f0f7e-2c1d-5f0a-9a57-3c7f5d0e8a11",
            },
            "why": [{"retriever": "graph", "rank": 1, "score": 0.8, "path": []}],
        }
    ],
    "understanding": {
        "entities": [
            {
                "id": "9c3e...",
                "name": "National Liberation Army",
                "type": "ArmedGroup",
                "span": "the ELN",
                "role": "target",
                "score": 1.0,
            }
        ],
        "event_types": [],
        "event_words": [],
        "role_spans": [{"text": "the ELN", "role": "target"}],
        "pairwise": False,
    },
}


# --------------------------------------------------------------------------- request


class SearchRequest(BaseModel):
    """The body of ``POST /search``."""

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

    q: str = Field(min_length=1, max_length=1000, description="The search query.")
    limit: int = Field(10, ge=1, le=MAX_LIMIT, description="Maximum passages (and actions).")
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


class ParticipantOut(BaseModel):
    """An actor or target; ``id`` is null when the text was not resolved to an entity."""

    id: str | None
    name: str
    type: str | None


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
    actors: list[ParticipantOut]
    targets: list[ParticipantOut]
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

    model_config = ConfigDict(json_schema_extra={"examples": [_EXAMPLE_RESPONSE]})

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


def _participant(p: ParticipantDetails) -> ParticipantOut:
    return ParticipantOut(id=p.id, name=p.name, type=p.type)


def run_search(
    search: HybridSearch, services: Services, q: str, limit: int, flt: SearchFilter
) -> SearchResponse:
    """Search with the app's :class:`HybridSearch` and hydrate the hits."""
    result = search.search(q, limit=limit, flt=flt)
    return to_response(services, result)


def to_response(services: Services, result: SearchResult) -> SearchResponse:
    """Hydrate a :class:`SearchResult` (articles of passages, action details)."""
    passages = hydrate_passages(services.graph, [p.passage_id for p in result.passages])
    actions = hydrate_actions(services.graph, [a.action_id for a in result.actions])
    passage_out = []
    for hit in result.passages:
        details = passages.get(hit.passage_id)
        article = (
            ArticleOut(
                id=details.article.id,
                title=details.article.title,
                published=_iso(details.article.published),
                url=details.article.url,
            )
            if details
            else None
        )
        passage_out.append(
            PassageOut(
                passage_id=hit.passage_id,
                text=hit.text,
                score=hit.score,
                start=hit.start,
                end=hit.end,
                article=article,
                why=_why(hit.why),
            )
        )
    action_out = []
    for action_hit in result.actions:
        details_of_action: ActionDetails | None = actions.get(action_hit.action_id)
        if details_of_action is None:
            continue  # deleted between search and hydration
        action = details_of_action.action
        action_out.append(
            ActionOut(
                action_id=action.id,
                type=action.type,
                date=_iso(action.date),
                score=action_hit.score,
                actors=[_participant(p) for p in details_of_action.actors],
                targets=[_participant(p) for p in details_of_action.targets],
                evidence=EvidenceOut(
                    text=action.evidence_text,
                    start=action.evidence_start,
                    end=action.evidence_end,
                    passage_id=action.passage_id,
                ),
                why=_why(action_hit.why),
            )
        )
    u = result.understanding
    return SearchResponse(
        query=result.query,
        passages=passage_out,
        entities=[EntityOut(id=e.id, name=e.name, type=e.type) for e in result.entities],
        actions=action_out,
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
            max_length=1000,
            description="The search query.",
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
        int, Query(ge=1, le=MAX_LIMIT, description="Maximum passages (and actions).")
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
) -> SearchResponse:
    """Search with query-string parameters."""
    flt = SearchFilter(from_date=from_, to_date=to, types=parse_types(types), entity=entity)
    return run_search(search, services, q, limit, flt)


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
) -> SearchResponse:
    """Search with a JSON body."""
    flt = SearchFilter(
        from_date=body.from_, to_date=body.to, types=tuple(body.types), entity=body.entity
    )
    return run_search(search, services, body.q, body.limit, flt)
