"""The ``/graphql`` router: Strawberry's, with the API's JSON errors for malformed bodies.

Strawberry answers a body it cannot use with a plain-text 400, and a JSON body that is not
an object (``null``, ``[]``, ``1``, ``"q"``) crashed it with a 500. Here both become the
app's JSON envelope, ``BAD_REQUEST`` (400), like every other error of the API.
"""

from __future__ import annotations

from typing import Any

from cross_web import AsyncHTTPRequestAdapter
from cross_web import HTTPException as StrawberryHTTPException
from starlette.exceptions import HTTPException
from strawberry.fastapi import GraphQLRouter
from strawberry.http import GraphQLRequestData

from api.graphql.context import RequestContext


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
