"""The shapes of ``/search``: the JSON body of ``POST``, the response, and the rendering of a
:class:`kg.search.view.SearchView` into it (:func:`to_response`)."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, Field

from api.rest.search_example import EXAMPLE_RESPONSE
from kg.core.models import PloverType
from kg.core.records import EntityRecord
from kg.search.request import MAX_LIMIT, MIN_LIMIT
from kg.search.results import Why
from kg.search.view import ActionView, SearchView

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
    # strict: JSON `true` is not the number 1.
    limit: int = Field(
        10, ge=MIN_LIMIT, le=MAX_LIMIT, strict=True, description="Maximum passages (and actions)."
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
    include_duplicates: bool = Field(
        False, description="Also search near-duplicate copies (left out by default)."
    )
    order_by: str | None = Field(
        None,
        description="`relevance` or `source_count` (one action per event, most sources "
        'first); unset, the query decides ("most reported ...").',
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
    event_id: str | None = Field(description="The event it reports (one event, many reports).")
    source_count: int = Field(description="Distinct sources (outlets) reporting its event.")
    article_count: int = Field(description="Articles reporting its event.")


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
    order_by_sources: bool = Field(
        description="The query asks for the most widely reported actions first."
    )
    order_words: list[str] = Field(description="The phrases that asked for it.")


class SearchResponse(BaseModel):
    """Search results; every hit says why it was returned."""

    model_config = ConfigDict(json_schema_extra={"examples": [EXAMPLE_RESPONSE]})

    query: str
    passages: list[PassageOut]
    entities: list[EntityOut]
    actions: list[ActionOut]
    understanding: UnderstandingOut
    order_by: str = Field(description="How `actions` are ordered: relevance or source_count.")
    include_duplicates: bool = Field(description="Whether near-duplicate copies were searched.")


# --------------------------------------------------------------------------- logic


def _why(why: tuple[Why, ...]) -> list[WhyOut]:
    return [
        WhyOut(retriever=w.retriever, rank=w.rank, score=w.score, path=list(w.path)) for w in why
    ]


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def _entity(e: EntityRecord) -> EntityOut:
    return EntityOut(id=e.id, name=e.name, type=e.type)


def _action(a: ActionView) -> ActionOut:
    return ActionOut(
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
        # An action no event groups yet is its own event of one article and one source.
        event_id=a.event.id if a.event else None,
        source_count=a.event.source_count if a.event else 1,
        article_count=a.event.article_count if a.event else 1,
    )


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
    actions = [_action(a) for a in view.actions]
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
            order_by_sources=u.order_by_sources,
            order_words=list(u.order_words),
        ),
        order_by=view.order_by,
        include_duplicates=view.include_duplicates,
    )
