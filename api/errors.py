"""The one error table of the API: every failure has one code, in REST and in GraphQL alike.

REST answers ``{"error": {"code", "message", "details"}}`` with the table's HTTP status;
GraphQL puts the same code in ``extensions.code`` (or in the ``code`` of a typed error
returned as data). The README's "Errors" section is generated from :data:`ERROR_TABLE`
(see :func:`markdown_table`), so the documentation and the code cannot drift apart.

A code's message is the exception's own unless the code is *masked*: then the client gets
the code's fixed public message and the details go to the server log, because those
messages may name hosts, queries, paths or stored values.
"""

from __future__ import annotations

from dataclasses import dataclass

from kg.core import errors as kg


@dataclass(frozen=True, slots=True)
class ErrorCode:
    """One row of the table.

    Attributes:
        code: The code clients see (REST ``error.code``, GraphQL ``extensions.code``).
        status: The HTTP status REST answers with.
        meaning: What it means, for the README.
        public_message: When set, the message clients get instead of the exception's.
    """

    code: str
    status: int
    meaning: str
    public_message: str | None = None


NOT_FOUND = ErrorCode("NOT_FOUND", 404, "The entity, article, passage or route does not exist.")
INVALID_FILTER = ErrorCode(
    "INVALID_FILTER",
    422,
    "An argument is out of range, too long or inconsistent (`field` names it): an empty or "
    "over-long query, a bad date range, an unknown PLOVER type, a forged cursor.",
)
INVALID_REQUEST = ErrorCode(
    "INVALID_REQUEST", 422, "The request does not fit its schema (a missing or mistyped field)."
)
BAD_REQUEST = ErrorCode(
    "BAD_REQUEST",
    400,
    "The body is not valid JSON (nested too deeply, or a lone surrogate such as `\\ud800`, "
    "which is not Unicode text) or not an operation (no query, an unknown `operationName`), "
    "or its transport does not serve it (a mutation over GET, a subscription over HTTP).",
)
GRAPHQL_PARSE_FAILED = ErrorCode(
    "GRAPHQL_PARSE_FAILED", 400, "The GraphQL document has a syntax error."
)
GRAPHQL_VALIDATION_FAILED = ErrorCode(
    "GRAPHQL_VALIDATION_FAILED",
    400,
    "The GraphQL document or its variables do not fit the schema (an unknown field or "
    "fragment; a variable missing, mistyped or out of range).",
)
QUERY_TOO_DEEP = ErrorCode("QUERY_TOO_DEEP", 400, "The GraphQL operation nests too deeply.")
QUERY_TOO_COSTLY = ErrorCode("QUERY_TOO_COSTLY", 400, "The GraphQL operation would cost too much.")
ARTICLE_PARSE_ERROR = ErrorCode(
    "ARTICLE_PARSE_ERROR", 422, "An input article is malformed (the source and field are named)."
)
VALIDATION_FAILED = ErrorCode(
    "VALIDATION_FAILED", 422, "The extracted records do not conform to the SHACL shapes."
)
PAYLOAD_TOO_LARGE = ErrorCode(
    "PAYLOAD_TOO_LARGE", 413, "The request body or the article is too large."
)
AUTHENTICATION_REQUIRED = ErrorCode(
    "AUTHENTICATION_REQUIRED", 401, "A valid `X-API-Key` header is required."
)
FORBIDDEN = ErrorCode("FORBIDDEN", 403, "The request is not allowed.")
METHOD_NOT_ALLOWED = ErrorCode("METHOD_NOT_ALLOWED", 405, "The route does not take this method.")
NOT_ACCEPTABLE = ErrorCode("NOT_ACCEPTABLE", 406, "No representation fits the `Accept` header.")
CONFLICT = ErrorCode("CONFLICT", 409, "The request conflicts with the stored state.")
UNSUPPORTED_MEDIA_TYPE = ErrorCode(
    "UNSUPPORTED_MEDIA_TYPE", 415, "The body's media type is not taken."
)
CLIENT_CLOSED_REQUEST = ErrorCode(
    "CLIENT_CLOSED_REQUEST",
    499,
    "The client hung up before its request body had arrived (logged, nobody receives it).",
)
TOO_MANY_REQUESTS = ErrorCode(
    "TOO_MANY_REQUESTS", 429, "Too many failed attempts; wait for `Retry-After` seconds."
)
SERVICE_UNAVAILABLE = ErrorCode(
    "SERVICE_UNAVAILABLE",
    503,
    "Neo4j or Qdrant cannot answer now; retry later.",
    public_message="a backing service is unavailable",
)
CONFIGURATION_ERROR = ErrorCode(
    "CONFIGURATION_ERROR", 500, "The server is misconfigured.", "internal server error"
)
GRAPH_QUERY_ERROR = ErrorCode(
    "GRAPH_QUERY_ERROR", 500, "Neo4j refused a statement.", "internal server error"
)
GRAPH_WRITE_ERROR = ErrorCode(
    "GRAPH_WRITE_ERROR", 500, "A graph write was rolled back.", "internal server error"
)
INTERNAL_ERROR = ErrorCode(
    "INTERNAL_ERROR", 500, "A bug; the server log has the incident.", "Unexpected error."
)

# Most specific first: the first isinstance match decides.
_BY_EXCEPTION: tuple[tuple[type[kg.NewsKGError], ErrorCode], ...] = (
    (kg.NotFoundError, NOT_FOUND),
    (kg.InvalidQueryError, INVALID_FILTER),
    (kg.ArticleTooLargeError, PAYLOAD_TOO_LARGE),
    (kg.ArticleParseError, ARTICLE_PARSE_ERROR),
    (kg.ValidationFailedError, VALIDATION_FAILED),
    (kg.AuthenticationError, AUTHENTICATION_REQUIRED),
    (kg.ServiceUnavailableError, SERVICE_UNAVAILABLE),
    (kg.ConfigurationError, CONFIGURATION_ERROR),
    (kg.GraphQueryError, GRAPH_QUERY_ERROR),
    (kg.GraphWriteError, GRAPH_WRITE_ERROR),
)

_BY_STATUS: dict[int, ErrorCode] = {
    400: BAD_REQUEST,
    401: AUTHENTICATION_REQUIRED,
    403: FORBIDDEN,
    404: NOT_FOUND,
    405: METHOD_NOT_ALLOWED,
    406: NOT_ACCEPTABLE,
    409: CONFLICT,
    413: PAYLOAD_TOO_LARGE,
    415: UNSUPPORTED_MEDIA_TYPE,
    422: INVALID_REQUEST,
    429: TOO_MANY_REQUESTS,
    503: SERVICE_UNAVAILABLE,
}

ERROR_TABLE: tuple[ErrorCode, ...] = (
    NOT_FOUND,
    INVALID_FILTER,
    INVALID_REQUEST,
    BAD_REQUEST,
    GRAPHQL_PARSE_FAILED,
    GRAPHQL_VALIDATION_FAILED,
    QUERY_TOO_DEEP,
    QUERY_TOO_COSTLY,
    ARTICLE_PARSE_ERROR,
    VALIDATION_FAILED,
    PAYLOAD_TOO_LARGE,
    AUTHENTICATION_REQUIRED,
    FORBIDDEN,
    METHOD_NOT_ALLOWED,
    NOT_ACCEPTABLE,
    CONFLICT,
    UNSUPPORTED_MEDIA_TYPE,
    TOO_MANY_REQUESTS,
    CLIENT_CLOSED_REQUEST,
    SERVICE_UNAVAILABLE,
    CONFIGURATION_ERROR,
    GRAPH_QUERY_ERROR,
    GRAPH_WRITE_ERROR,
    INTERNAL_ERROR,
)


def code_of(exc: BaseException) -> ErrorCode:
    """The table's row for an exception; :data:`INTERNAL_ERROR` for anything unexpected."""
    for kind, code in _BY_EXCEPTION:
        if isinstance(exc, kind):
            return code
    return INTERNAL_ERROR


def code_of_status(status: int) -> ErrorCode:
    """The table's row for a bare HTTP status raised by the framework."""
    return _BY_STATUS.get(status, ErrorCode("HTTP_ERROR", status, "Another HTTP error."))


def public_message(exc: BaseException) -> str:
    """The message a client may see for ``exc``: its own, or its code's masked one."""
    code = code_of(exc)
    if code.public_message is not None:
        return code.public_message
    return exc.message if isinstance(exc, kg.NewsKGError) else str(exc)


def markdown_table() -> str:
    """The table as Markdown, for the README."""
    lines = ["| code | HTTP | meaning |", "| --- | --- | --- |"]
    lines += [f"| `{c.code}` | {c.status} | {c.meaning} |" for c in ERROR_TABLE]
    return "\n".join(lines)
