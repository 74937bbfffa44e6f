"""JSON errors for the whole app: ``{"error": {"code", "message", "details"}}``.

Known errors (kg.core.errors) keep their message and fields; anything unexpected becomes a 500
with a masked message and is logged with its traceback, never sent to the client.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Mapping
from typing import Any

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from kg.core.errors import (
    ArticleParseError,
    AuthenticationError,
    ConfigurationError,
    GraphQueryError,
    GraphWriteError,
    InvalidQueryError,
    NewsKGError,
    NotFoundError,
    ServiceUnavailableError,
    ValidationFailedError,
)

log = logging.getLogger(__name__)

# Most specific first: the first isinstance match decides.
_STATUS: tuple[tuple[type[NewsKGError], int, str], ...] = (
    (NotFoundError, 404, "not_found"),
    (InvalidQueryError, 422, "invalid_query"),
    (ArticleParseError, 422, "article_parse_error"),
    (ValidationFailedError, 422, "validation_failed"),
    (AuthenticationError, 401, "unauthenticated"),
    (ServiceUnavailableError, 503, "service_unavailable"),
    (ConfigurationError, 500, "configuration_error"),
    (GraphQueryError, 500, "graph_query_error"),
    (GraphWriteError, 500, "graph_write_error"),
)
# 5xx codes whose message may name secrets, paths, queries or stored values: masked.
_MASKED = frozenset(
    {"internal_error", "configuration_error", "graph_query_error", "graph_write_error"}
)
_HTTP_CODES: Mapping[int, str] = {
    400: "bad_request",
    401: "unauthenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    409: "conflict",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "invalid_request",
    429: "too_many_requests",
    503: "service_unavailable",
}


def error_body(code: str, message: str, details: Any = None) -> dict[str, Any]:
    """The error envelope every endpoint returns."""
    return {"error": {"code": code, "message": message, "details": jsonable_encoder(details)}}


def _details(exc: NewsKGError) -> dict[str, Any]:
    # The exception's own fields (kind/key, field/problem, violations...), minus the message.
    return {
        k: v
        for k, v in vars(exc).items()
        if k != "message" and not k.startswith("_") and k not in ("args",)
    }


def status_of(exc: NewsKGError) -> tuple[int, str]:
    """HTTP status and error code of a newskg error."""
    for kind, status, code in _STATUS:
        if isinstance(exc, kind):
            return status, code
    return 500, "internal_error"


async def _newskg_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, NewsKGError)
    status, code = status_of(exc)
    headers = {"WWW-Authenticate": "ApiKey"} if status == 401 else None
    if status >= 500:
        log.error("%s %s failed: %s", request.method, request.url.path, exc)
        if code in _MASKED:
            return JSONResponse(
                error_body(code, "internal server error; see the server log"), status, headers
            )
    return JSONResponse(error_body(code, exc.message, _details(exc)), status, headers)


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
    return JSONResponse(error_body("invalid_request", message, problems), 422)


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    code = _HTTP_CODES.get(exc.status_code, "http_error")
    return JSONResponse(
        error_body(code, str(exc.detail)),
        exc.status_code,
        headers=getattr(exc, "headers", None),
    )


async def _unexpected_error(request: Request, exc: Exception) -> JSONResponse:
    incident = uuid.uuid4().hex[:12]
    log.exception("unhandled error %s in %s %s", incident, request.method, request.url.path)
    return JSONResponse(
        error_body(
            "internal_error",
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
    app.add_exception_handler(Exception, _unexpected_error)
