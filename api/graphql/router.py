"""The ``/graphql`` router: Strawberry's, with the API's JSON errors for malformed bodies.

Strawberry answers a body it cannot use with a plain-text 400, and a JSON body that is not
an object (``null``, ``[]``, ``1``, ``"q"``) crashed it with a 500. Here both become the
app's JSON envelope, ``BAD_REQUEST`` (400), like every other error of the API.

Request errors (the operation never ran: a syntax error, a document that does not fit the
schema, too deep or too costly, reads refused for want of a key) answer with the error
table's status (400, 401) when the client accepts ``application/graphql-response+json``,
the GraphQL-over-HTTP media type that allows it, and with 200 and ``application/json``
otherwise: a legacy ``application/json`` client reads errors only from 2xx bodies
(GraphQL over HTTP, "application/json" responses). Errors raised while resolving keep
200 in both, since the response may hold data for other fields; their code says what
went wrong.
"""

from __future__ import annotations

from typing import Any

from cross_web import AsyncHTTPRequestAdapter
from cross_web import HTTPException as StrawberryHTTPException
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from strawberry.fastapi import GraphQLRouter
from strawberry.http import GraphQLHTTPResponse, GraphQLRequestData
from strawberry.types.execution import ExecutionResult
from strawberry.types.unset import UNSET

from api import errors as table
from api.graphql.context import RequestContext

GRAPHQL_RESPONSE = "application/graphql-response+json"
# The codes of errors that stop an operation before it runs, by code.
_REQUEST_ERRORS = {
    code.code: code
    for code in (
        table.GRAPHQL_PARSE_FAILED,
        table.GRAPHQL_VALIDATION_FAILED,
        table.QUERY_TOO_DEEP,
        table.QUERY_TOO_COSTLY,
        table.AUTHENTICATION_REQUIRED,
    )
}


class NewsKGGraphQLRouter(GraphQLRouter[RequestContext, None]):
    """Strawberry's FastAPI router whose body errors reach the app's JSON error handler."""

    async def parse_http_body(
        self, request: AsyncHTTPRequestAdapter
    ) -> GraphQLRequestData | list[GraphQLRequestData]:
        """The operation in the request (Strawberry's parsing, with the API's errors).

        Raises:
            HTTPException: 400, not JSON, not an object, or an unsupported media type.
        """
        try:
            return await super().parse_http_body(request)
        except StrawberryHTTPException as exc:
            # Strawberry's own exception becomes a plain-text answer; the app's is JSON.
            raise HTTPException(exc.status_code, exc.reason) from exc

    async def process_result(
        self, request: Request, result: ExecutionResult
    ) -> GraphQLHTTPResponse:
        """The response body; notes the table's status of a request error (see above)."""
        status = request_error_status(result)
        if status is not None and GRAPHQL_RESPONSE in request.headers.get("accept", ""):
            request.state.graphql_status = status
        return await super().process_result(request, result)

    async def run(  # type: ignore[override]
        self, request: Request, context: Any = UNSET, root_value: Any = UNSET
    ) -> Response:
        """Strawberry's response, with the status noted by :meth:`process_result`."""
        response = await super().run(request, context, root_value)
        status = getattr(request.state, "graphql_status", None)
        if status is not None:
            response.status_code = status
            response.headers["content-type"] = GRAPHQL_RESPONSE
        return response

    def parse_json(self, data: str | bytes) -> Any:
        """The JSON body, which must be one object (batching is off).

        Raises:
            HTTPException: 400, the body is not JSON or not a JSON object.
        """
        parsed = super().parse_json(data)
        if not isinstance(parsed, dict):
            raise HTTPException(
                400,
                f"the body must be a JSON object with a `query`, not {_json_kind(parsed)}",
            )
        return parsed


def _json_kind(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    return "an array"


def request_error_status(result: ExecutionResult) -> int | None:
    """The table's status when ``result`` failed before execution, else None.

    Such a result has no data and only errors whose code is a request error.
    """
    if result.data is not None or not result.errors:
        return None
    codes = [(e.extensions or {}).get("code") for e in result.errors]
    rows = [_REQUEST_ERRORS.get(c) for c in codes if isinstance(c, str)]
    if len(rows) != len(codes) or any(r is None for r in rows):
        return None
    return max(r.status for r in rows if r is not None)
