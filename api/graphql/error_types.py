"""Expected failures, as data; unexpected ones, masked.

The convention, applied everywhere:

* Fields that look one thing up or walk the graph (``entity``, ``article``, ``passage``,
  ``neighbors``, ``path``) and every mutation return a union of their payload and the
  error types below. Each error type implements the ``Error`` interface (``message``,
  ``code``), so clients can select ``... on Error { code message }`` once.
* Collection fields (``search``, ``entities``, ``actions``, ``articles``) return their
  payload directly; a bad argument there (``first`` too large, ``from`` after ``to``, a
  foreign cursor, a search filter naming no entity) is a GraphQL error whose
  ``extensions.code`` is ``INVALID_FILTER``, with the same ``field`` the typed error would
  carry.
* A newskg error raised while resolving keeps a code (:class:`CodedErrors`):
  ``InvalidQueryError`` -> ``INVALID_FILTER``, ``NotFoundError`` -> ``NOT_FOUND``,
  ``AuthenticationError`` -> ``AUTHENTICATION_REQUIRED`` (their messages kept), and
  ``ServiceUnavailableError`` -> ``SERVICE_UNAVAILABLE`` with the message "a backing
  service is unavailable" (the details go to the server log).
* Operations refused before execution (too deep, too costly, a read without the API key
  when reads require one) are validation errors with ``extensions.code``
  ``QUERY_TOO_DEEP`` / ``QUERY_TOO_COSTLY`` / ``AUTHENTICATION_REQUIRED``.
* Anything else is a bug: its message is replaced by "Unexpected error." and it is logged.
"""

from __future__ import annotations

from typing import Any

import strawberry
from graphql import GraphQLError
from strawberry.extensions import MaskErrors

from api import errors as table
from kg.core import errors as kg_errors

# The codes come from the one error table (api/errors.py), shared with REST.
INVALID_FILTER = table.INVALID_FILTER.code
NOT_FOUND = table.NOT_FOUND.code
VALIDATION_FAILED = table.VALIDATION_FAILED.code
PAYLOAD_TOO_LARGE = table.PAYLOAD_TOO_LARGE.code
AUTHENTICATION_REQUIRED = table.AUTHENTICATION_REQUIRED.code
QUERY_TOO_DEEP = table.QUERY_TOO_DEEP.code
QUERY_TOO_COSTLY = table.QUERY_TOO_COSTLY.code
GRAPHQL_PARSE_FAILED = table.GRAPHQL_PARSE_FAILED.code
GRAPHQL_VALIDATION_FAILED = table.GRAPHQL_VALIDATION_FAILED.code
SERVICE_UNAVAILABLE = table.SERVICE_UNAVAILABLE.code
UNEXPECTED_MESSAGE = table.INTERNAL_ERROR.public_message or "Unexpected error."


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


def _code_and_message(exc: BaseException) -> tuple[str, str, dict[str, Any]] | None:
    """The code, client message and extra extensions of a newskg error; None otherwise.

    Only the errors a client can act on keep a code; the 5xx ones other than an outage are
    bugs or misconfiguration, masked like any unexpected error.
    """
    row = table.code_of(exc)
    if row.status >= 500 and row is not table.SERVICE_UNAVAILABLE:
        return None
    extra: dict[str, Any] = {}
    if isinstance(exc, kg_errors.InvalidQueryError):
        extra = {"field": exc.field}
    elif isinstance(exc, kg_errors.NotFoundError):
        extra = {"kind": exc.kind, "key": exc.key}
    return row.code, table.public_message(exc), extra


def _raised_in_resolver(error: GraphQLError) -> bool:
    original = error.original_error
    return original is not None and not isinstance(original, GraphQLError)


def should_mask_error(error: GraphQLError) -> bool:
    """Whether ``error`` is a bug: raised in a resolver and not a newskg error with a code.

    Validation errors and GraphQL errors raised on purpose (``invalid_argument``) are not.
    """
    original = error.original_error
    return _raised_in_resolver(error) and (original is None or _code_and_message(original) is None)


def coded_error(error: GraphQLError) -> GraphQLError | None:
    """``error`` with the ``extensions.code`` of the newskg error it wraps, or None."""
    original = error.original_error
    found = _code_and_message(original) if original is not None else None
    if found is None:
        return None
    code, message, extra = found
    return GraphQLError(
        message,
        nodes=error.nodes,
        source=error.source,
        positions=error.positions,
        path=error.path,
        extensions={**(error.extensions or {}), "code": code, **extra},
    )


class CodedErrors(MaskErrors):
    """Errors raised in resolvers, as clients see them.

    A newskg error gets its ``extensions.code`` (see the module docstring); anything else is
    a bug, masked as "Unexpected error." (the schema logs it with its traceback).
    """

    def __init__(self) -> None:
        super().__init__(should_mask_error=_raised_in_resolver, error_message=UNEXPECTED_MESSAGE)

    def anonymise_error(self, error: GraphQLError) -> GraphQLError:
        return coded_error(error) or super().anonymise_error(error)
