"""Answer ``HEAD`` wherever ``GET`` is answered (RFC 9110 §9.3.2), as static servers do.

FastAPI routes list only the methods they declare, so a monitor's or a link checker's
``HEAD /health`` got a 405. This pure ASGI middleware hands the app a ``GET`` in a copy
of the scope; the server still holds the original ``HEAD`` scope and so sends the
status and headers (``Content-Length`` included) without the body.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Receive, Scope, Send


class HeadAsGetMiddleware:
    """Route ``HEAD`` requests as ``GET``; the server drops the body."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] == "HEAD":
            scope = {**scope, "method": "GET"}
        await self.app(scope, receive, send)
