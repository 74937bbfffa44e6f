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

import json
from typing import Any

from cross_web import AsyncHTTPRequestAdapter
from cross_web import HTTPException as StrawberryHTTPException
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from strawberry.exceptions import MissingQueryError
from strawberry.fastapi import GraphQLRouter
from strawberry.http import GraphQLHTTPResponse, GraphQLRequestData
from strawberry.schema.exceptions import CannotGetOperationTypeError, InvalidOperationTypeError
from strawberry.types.execution import ExecutionResult
from strawberry.types.graphql import OperationType
from strawberry.types.unset import UNSET

from api import errors as table
from api.graphql.context import RequestContext
from api.graphql.ws_handlers import LegacyWSHandler, TransportWSHandler
from kg.core.limits import LONE_SURROGATE

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
    """Strawberry's FastAPI router whose body errors reach the app's JSON error handler,
    and whose WebSocket handlers refuse malformed messages (:mod:`api.graphql.ws_handlers`).
    """

    graphql_transport_ws_handler_class = TransportWSHandler
    graphql_ws_handler_class = LegacyWSHandler

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
        """Strawberry's response, with the status noted by :meth:`process_result`.

        Raises:
            HTTPException: 400 (or 405): the body is not JSON, not an object, names no
                query or an unknown operation, or asks for an operation the method does not
                allow (a mutation over GET, a subscription over HTTP). Strawberry's own
                exception would become a plain-text answer; the app's is its JSON envelope.
        """
        try:
            response = await super().run(request, context, root_value)
        except StrawberryHTTPException as exc:
            raise HTTPException(exc.status_code, exc.reason) from exc
        status = getattr(request.state, "graphql_status", None)
        if status is not None:
            response.status_code = status
            response.headers["content-type"] = GRAPHQL_RESPONSE
        return response

    async def execute_single(  # noqa: PLR0913, PLR0917
        self,
        request: Request,
        request_adapter: AsyncHTTPRequestAdapter,
        sub_response: Response,
        context: RequestContext,
        root_value: None,
        request_data: GraphQLRequestData,
    ) -> ExecutionResult:
        """Strawberry's execution of one operation, refusing subscriptions over HTTP.

        Strawberry lets a subscription through a POST (for its multipart transport, which
        this API does not serve) and then resolves it as a query, which fails with an
        unexpected error. Subscriptions are served over WebSocket only (see
        :mod:`api.graphql.subscription`).

        Mirrors Strawberry's ``execute_single`` with the subscription type taken out.

        Raises:
            HTTPException: 400, the operation is a subscription, there is no query, or no
                operation of the given name.
        """
        allowed = OperationType.from_http(request_adapter.method) - {OperationType.SUBSCRIPTION}
        if request_adapter.method == "GET" and not self.allow_queries_via_get:
            allowed -= {OperationType.QUERY}
        try:
            return await self.schema.execute(
                request_data.query,
                root_value=root_value,
                variable_values=request_data.variables,
                context_value=context,
                operation_name=request_data.operation_name,
                allowed_operation_types=allowed,
                operation_extensions=request_data.extensions,
            )
        except CannotGetOperationTypeError as exc:
            raise HTTPException(400, exc.as_http_error_reason()) from exc
        except InvalidOperationTypeError as exc:
            reason = exc.as_http_error_reason(request_adapter.method)
            if exc.operation_type is OperationType.SUBSCRIPTION:
                reason = "subscriptions are served over WebSocket (graphql-transport-ws)"
            raise HTTPException(400, reason) from exc
        except MissingQueryError as exc:
            raise HTTPException(400, "the body names no GraphQL query") from exc

    def decode_json(self, data: str | bytes) -> object:
        """JSON that is Unicode text: a body, a GET's ``variables``, a WebSocket message.

        Raises:
            json.JSONDecodeError: not JSON, nested too deeply to parse, or a string in it
                holds a lone surrogate (``"\\ud800"``), which no UTF-8 encoder takes. Over
                HTTP :meth:`parse_json` makes it a 400; over WebSocket Strawberry closes the
                socket with 4400, as for any message that is not JSON.
        """
        try:
            parsed = super().decode_json(data)
        except RecursionError as exc:
            raise UnusableJSONError("the JSON nests too deeply") from exc
        problem = lone_surrogate(parsed)
        if problem is not None:
            raise UnusableJSONError(f"the JSON {problem}, which is not Unicode text")
        return parsed

    def parse_json(self, data: str | bytes) -> Any:
        """The JSON of a body (or of a GET's ``variables``): one object (batching is off).

        Raises:
            HTTPException: 400, the body is not JSON, not Unicode text, or not an object.
        """
        try:
            parsed = self.decode_json(data)
        except UnusableJSONError as exc:
            raise HTTPException(400, exc.msg) from exc
        except json.JSONDecodeError as exc:
            raise HTTPException(400, f"the body is not JSON: {exc}") from exc
        if not isinstance(parsed, dict):
            raise HTTPException(
                400,
                f"the body must be a JSON object with a `query`, not {_json_kind(parsed)}",
            )
        return parsed


class UnusableJSONError(json.JSONDecodeError):
    """JSON that parses (or would) but cannot be used: too deep, or not Unicode text."""

    def __init__(self, message: str) -> None:
        super().__init__(message, "", 0)
        self.msg = message


def lone_surrogate(value: object) -> str | None:
    """Where ``value`` (parsed JSON) holds a string with a lone surrogate, else None.

    Walks with an explicit stack, so a deeply nested value cannot exhaust the recursion
    limit (the parser already bounds its depth).
    """
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            found = LONE_SURROGATE.search(item)
            if found is not None:
                return f"holds a lone surrogate U+{ord(found.group()):04X}"
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return None


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
