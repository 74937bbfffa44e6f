"""The GraphQL schema, with its guards.

``schema`` (default limits) is what ``strawberry export-schema api.graphql.schema:schema``
exports; the app builds its own with :func:`build_schema` from the settings' limits.
"""

import logging
from functools import partial

import strawberry
from graphql import GraphQLError
from strawberry.extensions import MaxAliasesLimiter, MaxTokensLimiter
from strawberry.types import ExecutionContext

from api.graphql.error_types import CodedErrors, should_mask_error
from api.graphql.limits import CostLimiter, LimitErrorCodes, ReadAccessGuard
from api.graphql.mutation import Mutation
from api.graphql.query import Query
from api.graphql.subscription import Subscription
from api.graphql.validation import CachedValidation, DepthLimiter, DocumentCache
from kg.core.errors import ServiceUnavailableError

log = logging.getLogger("api.graphql")

DEFAULT_MAX_DEPTH = 10
DEFAULT_MAX_COST = 5000
MAX_ALIASES = 30
MAX_TOKENS = 5000


class NewsKGSchema(strawberry.Schema):
    """Logs unexpected errors with their traceback, outages with their details (the client
    only sees "a backing service is unavailable"), expected errors at debug level."""

    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        for error in errors:
            if should_mask_error(error):
                log.error(
                    "unexpected GraphQL error at %s", error.path, exc_info=error.original_error
                )
            elif isinstance(error.original_error, ServiceUnavailableError):
                log.warning("GraphQL error at %s: %s", error.path, error.original_error)
            else:
                log.debug("GraphQL error: %s", error.message)


def build_schema(
    max_depth: int = DEFAULT_MAX_DEPTH, max_cost: int = DEFAULT_MAX_COST
) -> strawberry.Schema:
    """The schema with a depth limit of ``max_depth`` and a cost limit of ``max_cost``."""
    return NewsKGSchema(
        query=Query,
        mutation=Mutation,
        subscription=Subscription,
        extensions=[
            # Factories, not instances: extensions keep per-operation state.
            LimitErrorCodes,
            ReadAccessGuard,
            partial(MaxTokensLimiter, MAX_TOKENS),
            partial(MaxAliasesLimiter, MAX_ALIASES),
            partial(DepthLimiter, max_depth),
            partial(CostLimiter, max_cost),
            CodedErrors,
            partial(CachedValidation, DocumentCache()),
        ],
    )


schema = build_schema()
