"""Expected failures, as data; unexpected ones, masked.

The convention, applied everywhere:

* Fields that look one thing up or walk the graph (``entity``, ``article``, ``passage``,
  ``neighbors``, ``path``) and every mutation return a union of their payload and the
  error types below. Each error type implements the ``Error`` interface (``message``,
  ``code``), so clients can select ``... on Error { code message }`` once.
* Collection fields (``search``, ``entities``, ``actions``, ``articles``) return their
  payload directly; a bad argument there (``first`` too large, ``from`` after ``to``, a
  foreign cursor) is a GraphQL error whose ``extensions.code`` is ``INVALID_FILTER``, with
  the same ``field`` the typed error would carry.
* Operations refused before execution (too deep, too costly, a read without the API key
  when reads require one) are validation errors with ``extensions.code``
  ``QUERY_TOO_DEEP`` / ``QUERY_TOO_COSTLY`` / ``AUTHENTICATION_REQUIRED``.
* Anything else is a bug: its message is replaced by "Unexpected error." and it is logged.
"""

from __future__ import annotations

import strawberry
from graphql import GraphQLError

from kg import errors as kg_errors

INVALID_FILTER = "INVALID_FILTER"
NOT_FOUND = "NOT_FOUND"
VALIDATION_FAILED = "VALIDATION_FAILED"
AUTHENTICATION_REQUIRED = "AUTHENTICATION_REQUIRED"
QUERY_TOO_DEEP = "QUERY_TOO_DEEP"
QUERY_TOO_COSTLY = "QUERY_TOO_COSTLY"


@strawberry.interface(description="An expected failure, returned as data.")
class Error:
    message: str
    code: str


@strawberry.type(description="The requested node does not exist.")
class NotFoundError(Error):
    kind: str
    key: str

    @classmethod
    def from_error(cls, error: kg_errors.NotFoundError) -> NotFoundError:
        return cls(message=error.message, code=NOT_FOUND, kind=error.kind, key=error.key)


@strawberry.type(description="An argument is out of range or inconsistent.")
class InvalidFilterError(Error):
    field: str

    @classmethod
    def from_error(cls, error: kg_errors.InvalidQueryError) -> InvalidFilterError:
        return cls(message=error.message, code=INVALID_FILTER, field=error.field)

    @classmethod
    def of(cls, field: str, problem: str) -> InvalidFilterError:
        return cls.from_error(kg_errors.InvalidQueryError(field, problem))


@strawberry.type(description="The input is malformed or was rejected by the pipeline.")
class ValidationError(Error):
    field: str | None


@strawberry.type(description="The request lacks a valid X-API-Key header.")
class AuthenticationError(Error):
    @classmethod
    def of(cls, message: str) -> AuthenticationError:
        return cls(message=message, code=AUTHENTICATION_REQUIRED)


def invalid_argument(field: str, problem: str) -> GraphQLError:
    """The GraphQL error a collection field raises for a bad argument."""
    return GraphQLError(f"{field}: {problem}", extensions={"code": INVALID_FILTER, "field": field})


def should_mask_error(error: GraphQLError) -> bool:
    """Mask errors raised by bugs; keep validation errors and the ones raised on purpose."""
    original = error.original_error
    if original is None or isinstance(original, GraphQLError):
        return False
    return not isinstance(original, kg_errors.InvalidQueryError)
