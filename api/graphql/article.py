"""The ``Article`` type and its connection."""

import datetime
from typing import TYPE_CHECKING, Annotated, Self

import strawberry

from api.graphql.connection import Connection
from api.graphql.context import GraphQLInfo
from api.graphql.fields import described_field
from kg.core.records import ArticleRecord

if TYPE_CHECKING:
    from api.graphql.action import Action
    from api.graphql.entity import Entity
    from api.graphql.passage import Passage


@strawberry.type(description="A news article, split into passages.")
class Article:
    id: strawberry.ID
    iri: str
    title: str
    published: datetime.date | None
    url: str | None
    source: str | None
    section: str | None

    @classmethod
    def from_record(cls, record: ArticleRecord) -> Self:
        return cls(
            id=strawberry.ID(record.id),
            iri=record.iri,
            title=record.title,
            published=record.published,
            url=record.url,
            source=record.source,
            section=record.section,
        )

    @described_field(description="The article's passages in body order.")
    async def passages(
        self, info: GraphQLInfo
    ) -> list[Annotated["Passage", strawberry.lazy("api.graphql.passage")]]:
        from api.graphql.passage import Passage

        records = await info.context.loaders.article_passages.load(self.id)
        return [Passage.from_record(r) for r in records]

    @described_field(description="Entities the article mentions, most mentioned first.")
    async def entities(
        self, info: GraphQLInfo
    ) -> list[Annotated["Entity", strawberry.lazy("api.graphql.entity")]]:
        from api.graphql.entity import Entity

        records = await info.context.loaders.article_entities.load(self.id)
        return [Entity.from_record(r) for r in records]

    @described_field(description="Actions the article reports, in body order.")
    async def actions(
        self, info: GraphQLInfo
    ) -> list[Annotated["Action", strawberry.lazy("api.graphql.action")]]:
        from api.graphql.action import Action

        records = await info.context.loaders.article_actions.load(self.id)
        info.context.loaders.prime_actions(records)
        return [Action.from_record(r) for r in records]

    @described_field(
        description="The earlier article this one is a near-duplicate of (a wire copy with "
        "a new headline, a trimmed ending or a few words changed), or null."
    )
    async def duplicate_of(self, info: GraphQLInfo) -> "Article | None":
        original = await info.context.loaders.article_duplicate_of.load(self.id)
        if original is None:
            return None
        record = await info.context.loaders.article.load(original)
        return Article.from_record(record) if record else None


@strawberry.type(description="A page of articles.")
class ArticleConnection(Connection[Article]):
    pass
