"""Operations on the stores the server owns: ``GET /admin/check``, ``POST /admin/check/repair``.

``kg check`` calls these while ``kg serve`` runs (the embedded Qdrant shard is the
server's). Both need the API key or the server's local token, and run under the app's write
lock, so no ingest writes between the two stores while they compare them.
"""

from __future__ import annotations

import threading
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request

from api.dependencies import get_services
from api.rest.ingest import require_write_key
from kg.core.errors import ServiceUnavailableError
from kg.core.records import CheckScope
from kg.services import Services, consistency_checker

router = APIRouter(prefix="/admin", tags=["admin"])

WRITE = [Depends(require_write_key)]
ArticleIds = Annotated[
    list[str], Query(max_length=200, description="Only these articles (repeatable)")
]
UrlPrefix = Annotated[
    str | None, Query(max_length=2000, description="Only articles whose URL starts so")
]


def _write_lock(request: Request) -> threading.Lock:
    lock: threading.Lock | None = getattr(request.app.state, "write_lock", None)
    if lock is None:
        raise ServiceUnavailableError("api", "the write lock is not initialised (lifespan not run)")
    return lock


@router.get("/check", dependencies=WRITE, summary="Compare the graph with the vectors")
def check(
    request: Request,
    services: Annotated[Services, Depends(get_services)],
    article_id: ArticleIds = [],  # noqa: B006 - FastAPI copies a Query default
    url_prefix: UrlPrefix = None,
) -> dict[str, Any]:
    """Counts and problems: orphan, outdated and missing vectors (see ``kg check``)."""
    scope = CheckScope(article_ids=tuple(article_id), url_prefix=url_prefix)
    with _write_lock(request):
        return consistency_checker(services).check(scope).to_dict()


@router.post("/check/repair", dependencies=WRITE, summary="Mend what the check finds")
def repair(
    request: Request,
    services: Annotated[Services, Depends(get_services)],
    article_id: ArticleIds = [],  # noqa: B006 - FastAPI copies a Query default
    url_prefix: UrlPrefix = None,
) -> dict[str, Any]:
    """Delete orphan vectors; re-embed passages whose vector is outdated or missing."""
    scope = CheckScope(article_ids=tuple(article_id), url_prefix=url_prefix)
    with _write_lock(request):
        return consistency_checker(services).repair(scope).to_dict()
