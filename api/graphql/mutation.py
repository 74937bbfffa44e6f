"""The root ``Mutation`` type: ingest and delete articles. Both need the API key."""

import asyncio
import datetime
import threading
from collections.abc import Callable
from typing import Annotated, TypeVar

import pydantic
import strawberry

from api.graphql.action import Action
from api.graphql.article import Article
from api.graphql.context import GraphQLInfo
from api.graphql.entity import Entity
from api.graphql.error_types import (
    PAYLOAD_TOO_LARGE,
    VALIDATION_FAILED,
    AuthenticationError,
    NotFoundError,
    ValidationError,
)
from api.graphql.fields import described_mutation
from api.graphql.passage import Passage
from api.instrumentation import record_ingest
from kg.core import errors as kg_errors
from kg.core.models import ArticleIn
from kg.ingest.parsing import parse_article_in

_A = TypeVar("_A")
_R = TypeVar("_R")


@strawberry.input(description="An article to ingest.")
class ArticleInput:
    title: str
    text: str
    published: datetime.date | None = None
    url: str | None = None
    source: str | None = None
    section: str | None = None


@strawberry.type(description="What ingesting an article stored.")
class IngestArticleSuccess:
    article: Article
    created: bool = strawberry.field(description="False when the article was already stored.")
    passages: list[Passage]
    entities: list[Entity]
    actions: list[Action]


@strawberry.type(description="What deleting an article removed.")
class DeleteArticleSuccess:
    article_id: strawberry.ID
    passages_removed: int
    nodes_removed: int


IngestArticleResult = Annotated[
    IngestArticleSuccess | ValidationError | AuthenticationError,
    strawberry.union("IngestArticleResult"),
]
DeleteArticleResult = Annotated[
    DeleteArticleSuccess | NotFoundError | AuthenticationError,
    strawberry.union("DeleteArticleResult"),
]


def _locked(lock: threading.Lock, write: Callable[[_A], _R], arg: _A) -> _R:
    """Run one write under the app's write lock (ingest jobs hold it too)."""
    with lock:
        return write(arg)


def _validation_error(message: str, field: str | None = None) -> ValidationError:
    return ValidationError(message=message, code=VALIDATION_FAILED, field=field)


@strawberry.type(description="Change the graph. Send the API key in the X-API-Key header.")
class Mutation:
    @described_mutation(
        description="Parse, extract, validate and store one article (idempotent per URL)."
    )
    async def ingest_article(self, info: GraphQLInfo, input: ArticleInput) -> IngestArticleResult:
        context = info.context
        problem = context.key_problem()
        if problem:
            return AuthenticationError.of(problem)
        limit = context.settings.max_article_chars
        if len(input.text) > limit:  # before validation and parsing, which copy the text
            too_large = kg_errors.ArticleTooLargeError("api", len(input.text), limit)
            return ValidationError(message=too_large.problem, code=PAYLOAD_TOO_LARGE, field="text")
        try:
            record = ArticleIn.model_validate(
                {
                    "title": input.title,
                    "text": input.text,
                    "published": input.published,
                    "url": input.url,
                    "source": input.source,
                    "section": input.section,
                }
            )
        except pydantic.ValidationError as exc:
            first = exc.errors()[0]
            field = ".".join(str(p) for p in first["loc"]) or None
            return _validation_error(f"{field}: {first['msg']}", field)
        try:
            article = parse_article_in(record, "api", limit)
            report = await asyncio.to_thread(
                _locked, context.write_lock, context.services.pipeline.ingest_article, article
            )
            record_ingest(context.request, report)
        except kg_errors.ArticleParseError as exc:
            return _validation_error(exc.problem, "text")
        except kg_errors.ValidationFailedError as exc:
            return _validation_error(exc.message)
        loaders = context.loaders
        article_record, passages, entities, actions = await asyncio.gather(
            loaders.article.load(report.article_id),
            loaders.article_passages.load(report.article_id),
            loaders.article_entities.load(report.article_id),
            loaders.article_actions.load(report.article_id),
        )
        if article_record is None:  # stored then deleted concurrently: report it plainly
            raise kg_errors.NotFoundError("Article", report.article_id)
        loaders.prime_actions(actions)
        return IngestArticleSuccess(
            article=Article.from_record(article_record),
            created=report.created,
            passages=[Passage.from_record(p) for p in passages],
            entities=[Entity.from_record(e) for e in entities],
            actions=[Action.from_record(a) for a in actions],
        )

    @described_mutation(
        description="Delete an article, its passages (graph and vectors) and the nodes "
        "nothing else supports."
    )
    async def delete_article(self, info: GraphQLInfo, id: strawberry.ID) -> DeleteArticleResult:
        context = info.context
        problem = context.key_problem()
        if problem:
            return AuthenticationError.of(problem)
        try:
            report = await asyncio.to_thread(
                _locked, context.write_lock, context.services.pipeline.delete_article, str(id)
            )
        except kg_errors.NotFoundError as exc:
            return NotFoundError.from_error(exc)
        return DeleteArticleSuccess(
            article_id=strawberry.ID(report.article_id),
            passages_removed=report.passages_removed,
            nodes_removed=report.nodes_removed,
        )
