"""WebSocket subscription handlers that refuse malformed messages instead of crashing.

Strawberry's handlers index every message as an object: a message that is JSON but not an
object (``[]``, ``null``), or a ``subscribe`` whose ``payload`` is not an object or whose
``query`` is not a string, raised ``TypeError`` inside the handler and dropped the
connection without a close frame. Here such a message closes the socket the way the
protocol says an invalid message does: ``graphql-transport-ws`` with 4400 and a reason; the
older ``graphql-ws``, which answers errors per operation, with an ``error`` message for a
``start`` and by ignoring any other message, as it ignores unparsable ones.
"""

from __future__ import annotations

from typing import Any

from strawberry.subscriptions.protocols.graphql_transport_ws.handlers import (
    BaseGraphQLTransportWSHandler,
)
from strawberry.subscriptions.protocols.graphql_ws.handlers import BaseGraphQLWSHandler

from api.graphql.context import RequestContext
from api.graphql.error_types import GRAPHQL_VALIDATION_FAILED


def message_problem(message: object, operation_types: tuple[str, ...]) -> str | None:
    """What makes ``message`` unusable, or None when its shape is right.

    Args:
        message: One decoded WebSocket message.
        operation_types: The message types that carry an operation (``subscribe``,
            ``start``): they need a string ``id`` and a ``payload`` object whose ``query``
            is a string and whose ``variables``, if any, are an object.
    """
    if not isinstance(message, dict):
        return "a message must be a JSON object"
    if not isinstance(message.get("type"), str):
        return "a message needs a string `type`"
    if message["type"] not in operation_types:
        return None
    if not isinstance(message.get("id"), str):
        return "an operation message needs a string `id`"
    payload = message.get("payload")
    if not isinstance(payload, dict) or not isinstance(payload.get("query"), str):
        return "an operation message needs a `payload` object with a string `query`"
    if not isinstance(payload.get("variables") or {}, dict):
        return "`payload.variables` must be an object"
    return None


class TransportWSHandler(BaseGraphQLTransportWSHandler[RequestContext, None]):
    """``graphql-transport-ws``: an invalid message closes the socket with 4400, and the
    errors of an ``error`` message carry a code like those over HTTP."""

    async def send_message(self, message: Any) -> None:
        if message.get("type") == "error":
            # The operation never ran: a document that does not fit the schema (graphql-
            # core's errors reach here without the codes the HTTP path adds).
            for error in message.get("payload") or ():
                extensions = error.setdefault("extensions", {})
                extensions.setdefault("code", GRAPHQL_VALIDATION_FAILED)
        await super().send_message(message)

    async def handle_message(self, message: Any) -> None:
        problem = message_problem(message, ("subscribe",))
        if problem is not None:
            await self.handle_invalid_message(problem)
            return
        await super().handle_message(message)


class LegacyWSHandler(BaseGraphQLWSHandler[RequestContext, None]):
    """``graphql-ws``: an invalid ``start`` gets an ``error``; other bad messages are
    ignored, as the protocol's handler ignores unparsable ones."""

    async def handle_message(self, message: Any) -> None:
        problem = message_problem(message, ("start",))
        if problem is None:
            await super().handle_message(message)
        elif isinstance(message, dict) and message.get("type") == "start":
            operation_id = message.get("id")
            await self.send_message(
                {
                    "type": "error",
                    "id": operation_id if isinstance(operation_id, str) else "",
                    "payload": {"message": problem, "extensions": {"code": "BAD_REQUEST"}},
                }
            )
