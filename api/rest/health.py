"""``GET /health``: is the API up, and can it reach Neo4j and Qdrant?"""

from __future__ import annotations

import logging
from typing import Annotated, Any

from fastapi import APIRouter, Depends
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from api.dependencies import get_services
from kg.services import Services

router = APIRouter(tags=["operations"])
log = logging.getLogger(__name__)


class ServiceHealth(BaseModel):
    """One backing service's state; ``error`` says why it is down."""

    ok: bool
    error: str | None = None


class HealthResponse(BaseModel):
    """Overall status: ``ok`` when every service answers, else ``degraded`` (HTTP 503)."""

    status: str
    neo4j: ServiceHealth
    qdrant: ServiceHealth


def _probe(name: str, ping: Any) -> ServiceHealth:
    try:
        ping()
    except Exception as exc:  # any failure means "down"; the reason is reported, not raised
        log.warning("health: %s is down: %s", name, exc)
        return ServiceHealth(ok=False, error=str(exc) or type(exc).__name__)
    return ServiceHealth(ok=True)


@router.get(
    "/health",
    response_model=HealthResponse,
    summary="Liveness and dependencies",
    responses={
        200: {
            "description": "Neo4j and Qdrant both answer.",
            "content": {
                "application/json": {
                    "example": {"status": "ok", "neo4j": {"ok": True}, "qdrant": {"ok": True}}
                }
            },
        },
        503: {
            "model": HealthResponse,
            "description": "Neo4j or Qdrant does not answer; same shape, with the reason.",
            "content": {
                "application/json": {
                    "example": {
                        "status": "degraded",
                        "neo4j": {"ok": False, "error": "Neo4j is unavailable: ..."},
                        "qdrant": {"ok": True},
                    }
                }
            },
        },
    },
)
def health(services: Annotated[Services, Depends(get_services)]) -> JSONResponse:
    """Ping Neo4j and Qdrant; 200 when both answer, 503 otherwise."""
    body = HealthResponse(
        status="ok",
        neo4j=_probe("neo4j", services.admin.ping),
        qdrant=_probe("qdrant", services.vectors.ping),
    )
    healthy = body.neo4j.ok and body.qdrant.ok
    if not healthy:
        body.status = "degraded"
    return JSONResponse(
        status_code=200 if healthy else 503, content=body.model_dump(exclude_none=True)
    )
