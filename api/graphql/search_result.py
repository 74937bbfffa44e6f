"""Search result types: fused passages, the entities involved, matching actions; each hit
says why it was returned."""

import datetime
import enum
from typing import TYPE_CHECKING, Annotated, Self

import strawberry

from api.graphql.action import Action, action_fields
from api.graphql.context import GraphQLInfo
from api.graphql.entity import Entity
from api.graphql.fields import described_field
from api.graphql.loaders import Loaders
from kg.core.filters import SearchFilter
from kg.search.results import ORDER_RELEVANCE, ORDER_SOURCE_COUNT
from kg.search.results import Why as WhyData
from kg.search.view import ActionView, PassageView, SearchView

if TYPE_CHECKING:
    from api.graphql.article import Article
    from api.graphql.event import Report
    from api.graphql.passage import Passage


@strawberry.enum(description="How `search` orders its actions.")
class SearchOrder(enum.Enum):
    RELEVANCE = ORDER_RELEVANCE
    """By relevance: graph evidence and the rank of the evidence passage."""
    SOURCE_COUNT = ORDER_SOURCE_COUNT
    """One action per event, the events reported by the most distinct sources first."""


@strawberry.input(description="Restricts a search. Unset fields do not filter.")
class SearchFilterInput:
    from_: datetime.date | None = strawberry.field(
        default=None, name="from", description="Earliest publication / action date."
    )
    to: datetime.date | None = strawberry.field(default=None, description="Latest date.")
    types: list[str] | None = strawberry.field(default=None, description="PLOVER types.")
    entity: str | None = strawberry.field(
        default=None, description="An entity id, name or alias that hits must involve."
    )

    def to_filter(self) -> SearchFilter:
        """The filter as search takes it (checked by :class:`kg.search.request.SearchRequest`)."""
        return SearchFilter(
            from_date=self.from_, to_date=self.to, types=tuple(self.types or ()), entity=self.entity
        )


@strawberry.type(description="One retriever's vote for a hit.")
class Why:
    retriever: str = strawberry.field(description="vector, fulltext or graph.")
    rank: int = strawberry.field(description="1-based rank in that retriever's list.")
    score: float = strawberry.field(description="The retriever's raw score.")
    path: list[str] = strawberry.field(
        description="For graph hits: the path that led to the hit, nodes and relationships."
    )

    @classmethod
    def from_data(cls, why: WhyData) -> Self:
        return cls(retriever=why.retriever, rank=why.rank, score=why.score, path=list(why.path))


@strawberry.type(description="A passage found by search, with its fused score.")
class PassageHit:
    id: strawberry.ID
    text: str
    start: int
    end: int
    score: float
    why: list[Why]
    article_id: strawberry.Private[str]

    @classmethod
    def from_view(cls, hit: PassageView) -> Self:
        return cls(
            id=strawberry.ID(hit.passage.id),
            text=hit.passage.text,
            start=hit.passage.start,
            end=hit.passage.end,
            score=hit.score,
            why=[Why.from_data(w) for w in hit.why],
            article_id=hit.passage.article_id,
        )

    @described_field(description="The article the passage is in.")
    async def article(
        self, info: GraphQLInfo
    ) -> Annotated["Article", strawberry.lazy("api.graphql.article")] | None:
        from api.graphql.article import Article

        record = await info.context.loaders.article.load(self.article_id)
        return Article.from_record(record) if record else None

    @described_field(description="The passage node (index and links).")
    async def passage(
        self, info: GraphQLInfo
    ) -> Annotated["Passage", strawberry.lazy("api.graphql.passage")] | None:
        from api.graphql.passage import Passage

        record = await info.context.loaders.passage.load(self.id)
        return Passage.from_record(record) if record else None


@strawberry.type(description="An action found by search: the action, its score and why.")
class ActionHit(Action):
    score: float
    why: list[Why]
    include_duplicates: strawberry.Private[bool]

    @classmethod
    def from_view(cls, hit: ActionView, include_duplicates: bool = False) -> Self:
        return cls(
            **action_fields(hit.action),
            score=hit.score,
            why=[Why.from_data(w) for w in hit.why],
            include_duplicates=include_duplicates,
        )

    @described_field(
        description="Every article's report of this action's event (this one included). "
        "Without `includeDuplicates`, the reports of near-duplicate copies are left out, "
        "as search leaves them out."
    )
    async def reports(
        self, info: GraphQLInfo
    ) -> list[Annotated["Report", strawberry.lazy("api.graphql.event")]]:
        from api.graphql.event import reports_of

        reports = await reports_of(info, self.record)
        if self.include_duplicates:
            return reports
        copies = await info.context.loaders.article_duplicate_of.load_many(
            [r.record.article_id or "" for r in reports]
        )
        return [r for r, original in zip(reports, copies, strict=True) if original is None]


@strawberry.type(description="An entity named in the query, resolved to the graph.")
class QueryEntity:
    span: str
    role: str = strawberry.field(description="actor, target or any.")
    score: float
    entity: Entity


@strawberry.type(description="How the query was understood.")
class QueryUnderstanding:
    entities: list[QueryEntity]
    event_types: list[str]
    event_words: list[str]
    order_by_sources: bool = strawberry.field(
        description="The query asks for the most widely reported actions first."
    )
    order_words: list[str] = strawberry.field(
        description='The phrases that asked for it ("most widely reported").'
    )


@strawberry.type(description="Everything a search returns.")
class SearchResult:
    query: str
    passages: list[PassageHit]
    entities: list[Entity]
    actions: list[ActionHit]
    understanding: QueryUnderstanding
    order_by: SearchOrder = strawberry.field(description="How `actions` are ordered.")
    include_duplicates: bool = strawberry.field(
        description="Whether near-duplicate copies were searched too."
    )


def prime_loaders(loaders: Loaders, view: SearchView) -> None:
    """Hand the records the search read to the request's DataLoaders.

    The hit types' resolvers (``article``, ``passage``, ``actors``, ``targets``...) then
    read nothing the search already read.
    """
    loaders.prime_actions([a.action for a in view.actions])
    for action in view.actions:
        loaders.participants.prime(action.action.id, action.participants)
        loaders.event.prime(action.action.id, action.event)
        p = action.participants
        loaders.prime_entities([*p.actors, *p.targets, *p.places, *p.attributed_to])
    loaders.prime_entities(list(view.entities))
    for hit in view.passages:
        if hit.article is not None:
            loaders.article.prime(hit.article.id, hit.article)
    # A passage read from an old vector payload may lack its IRI: let the loader read it.
    loaders.prime_passages([h.passage for h in view.passages if h.passage.iri])


def search_result(view: SearchView, loaders: Loaders) -> SearchResult:
    """The GraphQL ``SearchResult`` of a :class:`SearchView`, loaders primed with its records."""
    prime_loaders(loaders, view)
    entities = {e.id: Entity.from_record(e) for e in view.entities}
    u = view.understanding
    return SearchResult(
        query=view.query,
        passages=[PassageHit.from_view(p) for p in view.passages],
        entities=[entities[e.id] for e in view.entities],
        actions=[ActionHit.from_view(a, view.include_duplicates) for a in view.actions],
        understanding=QueryUnderstanding(
            entities=[
                QueryEntity(span=q.span, role=q.role, score=q.score, entity=entities[q.entity.id])
                for q in u.entities
            ],
            event_types=list(u.event_types),
            event_words=list(u.event_words),
            order_by_sources=u.order_by_sources,
            order_words=list(u.order_words),
        ),
        order_by=SearchOrder(view.order_by),
        include_duplicates=view.include_duplicates,
    )
