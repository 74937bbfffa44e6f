"""Refuse request bodies over ``NEWSKG_MAX_BODY_BYTES`` with a JSON 413, before they cost.

A pure ASGI middleware, so it sees the bytes as they arrive: a body announced too large by
``Content-Length`` is refused before any of it is read, and a chunked body (no length) is
counted while it streams and refused once it passes the limit. Without it a client could
make the server buffer, JSON-parse and hand to spaCy as many megabytes as it cares to send.
"""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api import errors as table
from api.rest.error_handlers import send_error


class BodyTooLargeError(HTTPException):
    """Raised from ``receive`` when a streamed body passes the limit.

    An ``HTTPException``, so that whoever reads the body (a FastAPI route, the GraphQL
    router) lets it through to the app's handler, which answers the JSON 413.
    """

    def __init__(self, limit: int) -> None:
        super().__init__(413, _message(limit))
        self.limit = limit


def _message(limit: int) -> str:
    return f"the request body is larger than {limit} bytes (NEWSKG_MAX_BODY_BYTES)"


async def _send_413(send: Send, limit: int) -> None:
    # The rest of the body is not read: the connection cannot be reused.
    await send_error(
        send,
        table.PAYLOAD_TOO_LARGE,
        _message(limit),
        {"limit": limit},
        headers=[(b"connection", b"close")],
    )


def _declared_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None  # the server refuses a malformed length; count instead
    return None


class BodyLimitMiddleware:
    """Answer 413 ``PAYLOAD_TOO_LARGE`` to HTTP requests whose body passes ``max_bytes``."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = _declared_length(scope)
        if declared is not None and declared > self.max_bytes:
            await _send_413(send, self.max_bytes)
            return
        received = 0
        started = False

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise BodyTooLargeError(self.max_bytes)
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counting_receive, tracking_send)
        except BodyTooLargeError:
            # Normally the app's handler answers; this is for a reader that lets it escape.
            if started:
                raise
            await _send_413(send, self.max_bytes)
