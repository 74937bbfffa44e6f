"""The ``Evidence`` type: the quoted span an action was extracted from."""

from typing import TYPE_CHECKING, Annotated

import strawberry

from api.graphql.context import GraphQLInfo
from api.graphql.fields import described_field

if TYPE_CHECKING:
    from api.graphql.article import Article
    from api.graphql.passage import Passage


@strawberry.type(
    description="Where a statement comes from: `article.body[start:end] == text`, inside `passage`."
)
class Evidence:
    text: str
    start: int | None
    end: int | None
    passage_id: strawberry.Private[str | None]
    article_id: strawberry.Private[str | None]

    @described_field(description="The passage holding the evidence span.")
    async def passage(
        self, info: GraphQLInfo
    ) -> Annotated["Passage", strawberry.lazy("api.graphql.passage")] | None:
        from api.graphql.passage import Passage

        if self.passage_id is None:
            return None
        record = await info.context.loaders.passage.load(self.passage_id)
        return Passage.from_record(record) if record else None

    @described_field(description="The article reporting it.")
    async def article(
        self, info: GraphQLInfo
    ) -> Annotated["Article", strawberry.lazy("api.graphql.article")] | None:
        from api.graphql.article import Article

        if self.article_id is None:
            return None
        record = await info.context.loaders.article.load(self.article_id)
        return Article.from_record(record) if record else None
