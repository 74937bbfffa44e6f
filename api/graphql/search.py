"""Search result types: fused passages, the entities involved, matching actions; each hit
says why it was returned."""

import datetime
from typing import TYPE_CHECKING, Annotated, Self

import strawberry

from api.graphql.action import Action, action_fields
from api.graphql.context import GraphQLInfo
from api.graphql.entity import Entity
from api.graphql.fields import described_field
from kg.core.records import ActionRecord
from kg.search.results import PassageHit as PassageHitData
from kg.search.results import Why as WhyData

if TYPE_CHECKING:
    from api.graphql.article import Article
    from api.graphql.passage import Passage


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
    def from_data(cls, hit: PassageHitData) -> Self:
        return cls(
            id=strawberry.ID(hit.passage_id),
            text=hit.text,
            start=hit.start,
            end=hit.end,
            score=hit.score,
            why=[Why.from_data(w) for w in hit.why],
            article_id=hit.article_id,
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

    @classmethod
    def from_hit(cls, record: ActionRecord, score: float, why: list[Why]) -> Self:
        return cls(**action_fields(record), score=score, why=why)


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


@strawberry.type(description="Everything a search returns.")
class SearchResult:
    query: str
    passages: list[PassageHit]
    entities: list[Entity]
    actions: list[ActionHit]
    understanding: QueryUnderstanding
