"""The ``Evidence`` type: the quoted span an action was extracted from."""

from typing import TYPE_CHECKING, Annotated, Self

import strawberry

from api.graphql.context import GraphQLInfo
from api.graphql.fields import described_field
from kg.core.records import ActionRecord

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
        return await load_article(info, self.article_id)

    @classmethod
    def from_action(cls, r: ActionRecord) -> Self:
        """The evidence span of an action (or of one report of an event)."""
        return cls(
            text=r.evidence_text or "",
            start=r.evidence_start,
            end=r.evidence_end,
            passage_id=r.passage_id,
            article_id=r.article_id,
        )


async def load_article(info: GraphQLInfo, article_id: str | None) -> "Article | None":
    """The article with this id, through the request's loader (None for no id or no node)."""
    from api.graphql.article import Article

    if article_id is None:
        return None
    record = await info.context.loaders.article.load(article_id)
    return Article.from_record(record) if record else None
