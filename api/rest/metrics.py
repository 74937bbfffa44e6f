"""``GET /metrics``: the app's Prometheus metrics (see :mod:`api.instrumentation`).

A read like the others: it needs the API key when ``NEWSKG_READS_REQUIRE_KEY`` is set (the
metrics name routes and counts, which a closed deployment does not publish).
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry
from prometheus_client.exposition import generate_latest

from api.dependencies import require_read_key
from api.instrumentation import metrics_of

router = APIRouter(tags=["operations"])


@router.get(
    "/metrics",
    summary="Prometheus metrics",
    response_class=Response,
    dependencies=[Depends(require_read_key)],
    responses={200: {"content": {CONTENT_TYPE_LATEST: {}}, "description": "Prometheus text."}},
)
def metrics(request: Request) -> Response:
    """The app's metrics in the Prometheus text exposition format."""
    found = metrics_of(request.app)
    registry = found.registry if found else CollectorRegistry()
    return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)
