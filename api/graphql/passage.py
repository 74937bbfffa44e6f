"""The ``Passage`` type: a span of an article body, the unit of evidence and search."""

from typing import TYPE_CHECKING, Annotated, Self

import strawberry

from api.graphql.context import GraphQLInfo
from api.graphql.fields import described_field
from kg.core.records import PassageRecord

if TYPE_CHECKING:
    from api.graphql.article import Article


@strawberry.type(description="A passage; `start`/`end` are offsets into the article body.")
class Passage:
    id: strawberry.ID
    index: int
    text: str
    start: int
    end: int
    article_id: strawberry.Private[str]

    @classmethod
    def from_record(cls, record: PassageRecord) -> Self:
        return cls(
            id=strawberry.ID(record.id),
            index=record.index,
            text=record.text,
            start=record.start,
            end=record.end,
            article_id=record.article_id,
        )

    @described_field(description="The article this passage is part of.")
    async def article(
        self, info: GraphQLInfo
    ) -> Annotated["Article", strawberry.lazy("api.graphql.article")] | None:
        from api.graphql.article import Article

        record = await info.context.loaders.article.load(self.article_id)
        return Article.from_record(record) if record else None
