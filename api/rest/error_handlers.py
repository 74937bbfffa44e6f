"""JSON errors for the whole app: ``{"error": {"code", "message", "details"}}``.

Known errors (kg.core.errors) keep their message and fields; anything unexpected becomes a 500
with a masked message and is logged with its traceback, never sent to the client.
"""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import ClientDisconnect
from starlette.types import Send

from api import errors as table
from kg.core.errors import NewsKGError

log = logging.getLogger(__name__)


class ErrorResponse(JSONResponse):
    """A JSON error whose body is ASCII (non-ASCII characters escaped).

    An error message may quote the client's input, and that input may hold a lone
    surrogate (``"\\ud800"`` in a JSON body decodes to one): UTF-8 cannot encode it, so
    the default rendering would fail while answering and the connection would be reset.
    Escaped, it reaches the client as it was sent.
    """

    def render(self, content: Any) -> bytes:
        return json.dumps(content, ensure_ascii=True, separators=(",", ":")).encode("ascii")


def error_body(code: str, message: str, details: Any = None) -> dict[str, Any]:
    """The error envelope every endpoint returns."""
    return {"error": {"code": code, "message": message, "details": jsonable_encoder(details)}}


async def send_error(
    send: Send,
    row: table.ErrorCode,
    message: str,
    details: Any = None,
    headers: Sequence[tuple[bytes, bytes]] = (),
) -> None:
    """Answer with the error envelope straight from an ASGI middleware (before any route)."""
    body = json.dumps(error_body(row.code, message, details)).encode()
    await send(
        {
            "type": "http.response.start",
            "status": row.status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                *headers,
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


def _details(exc: NewsKGError) -> dict[str, Any]:
    # The exception's own fields (kind/key, field/problem, violations...), minus the message.
    return {
        k: v
        for k, v in vars(exc).items()
        if k != "message" and not k.startswith("_") and k not in ("args",)
    }


async def _newskg_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, NewsKGError)
    row = table.code_of(exc)
    headers = {"WWW-Authenticate": "ApiKey"} if row.status == 401 else None
    if row.status >= 500:
        log.error("%s %s failed: %s", request.method, request.url.path, exc)
    if row.public_message is not None:
        # Masked: the message may carry driver internals, hosts or queries.
        return ErrorResponse(error_body(row.code, row.public_message), row.status, headers)
    return ErrorResponse(error_body(row.code, exc.message, _details(exc)), row.status, headers)


async def _validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    problems = [
        {
            "loc": list(err.get("loc", ())),
            "msg": err.get("msg", ""),
            "type": err.get("type", ""),
        }
        for err in exc.errors()
    ]
    first = problems[0] if problems else {"loc": [], "msg": "invalid request"}
    where = ".".join(str(p) for p in first["loc"])
    message = f"{where}: {first['msg']}" if where else str(first["msg"])
    row = table.INVALID_REQUEST
    return ErrorResponse(error_body(row.code, message, problems), row.status)


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    row = table.code_of_status(exc.status_code)
    return ErrorResponse(
        error_body(row.code, str(exc.detail)),
        exc.status_code,
        headers=getattr(exc, "headers", None),
    )


async def _client_gone(request: Request, exc: Exception) -> JSONResponse:
    # Not a bug of ours: a client that hangs up mid-body (a timeout, a killed script) is
    # an everyday event, so it gets one info line instead of a traceback and an incident.
    row = table.CLIENT_CLOSED_REQUEST
    log.info("client closed %s %s before its body arrived", request.method, request.url.path)
    return ErrorResponse(error_body(row.code, "the client closed the request"), row.status)


async def _unexpected_error(request: Request, exc: Exception) -> JSONResponse:
    incident = uuid.uuid4().hex[:12]
    log.exception("unhandled error %s in %s %s", incident, request.method, request.url.path)
    return ErrorResponse(
        error_body(
            table.INTERNAL_ERROR.code,
            f"internal server error (incident {incident}); see the server log",
            {"incident": incident},
        ),
        500,
    )


def install_error_handlers(app: FastAPI) -> None:
    """Make every error of ``app`` a JSON ``{"error": {"code", "message", "details"}}``."""
    app.add_exception_handler(NewsKGError, _newskg_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(ClientDisconnect, _client_gone)
    app.add_exception_handler(Exception, _unexpected_error)
