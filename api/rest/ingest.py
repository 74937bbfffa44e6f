"""Bulk ingest through the running server: ``/ingest/jobs``.

The server owns the stores, so a command that wants to add articles while it serves opens
a job, appends batches of article records, closes it and polls its status. Every route
needs the API key, or the server's local token (``var/server.json``, see
:mod:`kg.ops.server_handle`). Each batch is bounded by the request-body limit; a job is
not.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Security
from pydantic import BaseModel, Field

from api.dependencies import _api_key_scheme, api_key_problem, get_services
from kg.core.errors import ArticleParseError, AuthenticationError, ServiceUnavailableError
from kg.core.models import Article, ArticleIn
from kg.ingest.jobs import IngestJobs, JobStatus
from kg.ingest.parsing import parse_article_in
from kg.services import Services

router = APIRouter(prefix="/ingest", tags=["ingest"])

MAX_BATCH = 500  # records per request; the body limit bounds their size


class ArticleRecordIn(ArticleIn):
    """An article record with where it came from, for error messages."""

    origin: str | None = Field(default=None, max_length=2000)


class BatchIn(BaseModel):
    """One batch of a job: records to ingest, and records the client already rejected."""

    articles: list[ArticleRecordIn] = Field(default_factory=list, max_length=MAX_BATCH)
    rejected: list[Annotated[str, Field(max_length=4000)]] = Field(
        default_factory=list, max_length=MAX_BATCH
    )


def require_write_key(
    request: Request,
    services: Annotated[Services, Depends(get_services)],
    given: Annotated[str | None, Security(_api_key_scheme)],
) -> None:
    """Refuse a request without the API key or the server's local token.

    Raises:
        AuthenticationError: neither is given (401).
    """
    token = getattr(request.app.state, "local_token", None)
    problem = api_key_problem(services.settings, given, token)
    if problem is not None:
        raise AuthenticationError(problem)


def get_jobs(request: Request) -> IngestJobs:
    """The app's ingest jobs (built by the lifespan).

    Raises:
        ServiceUnavailableError: the lifespan has not run.
    """
    jobs: IngestJobs | None = getattr(request.app.state, "ingest_jobs", None)
    if jobs is None:
        raise ServiceUnavailableError("api", "ingest jobs are not initialised (lifespan not run)")
    return jobs


Jobs = Annotated[IngestJobs, Depends(get_jobs)]
WRITE = [Depends(require_write_key)]


def status_body(job: JobStatus) -> dict[str, Any]:
    """A job's status as JSON."""
    return {
        "id": job.id,
        "state": job.state,
        "finished": job.finished,
        "closed": job.closed,
        "received": job.received,
        "processed": job.processed,
        "stored": job.stored,
        "created": job.created,
        "passages": job.passages,
        "actions": job.actions,
        "rejected": job.rejected,
        "errors": list(job.errors),
        "createdAt": job.created_at,
        "finishedAt": job.finished_at,
    }


@router.post("/jobs", status_code=201, dependencies=WRITE, summary="Open an ingest job")
def open_job(jobs: Jobs) -> dict[str, Any]:
    """Open a job; append batches to it, then close it."""
    return status_body(jobs.open())


@router.post(
    "/jobs/{job_id}/articles", status_code=202, dependencies=WRITE, summary="Append a batch"
)
def add_batch(
    job_id: str,
    batch: BatchIn,
    jobs: Jobs,
    services: Annotated[Services, Depends(get_services)],
) -> dict[str, Any]:
    """Queue a batch of article records; a malformed or over-long record is rejected alone."""
    max_chars = services.settings.max_article_chars
    articles: list[Article] = []
    rejected = list(batch.rejected)
    for number, record in enumerate(batch.articles, start=1):
        origin = record.origin or f"job {job_id} record {number}"
        try:
            articles.append(parse_article_in(record, origin, max_chars))
        except ArticleParseError as exc:
            rejected.append(str(exc))
    return status_body(jobs.add(job_id, articles, rejected))


@router.post("/jobs/{job_id}/close", dependencies=WRITE, summary="Close a job")
def close_job(job_id: str, jobs: Jobs) -> dict[str, Any]:
    """No more batches; the job is done once its queued articles are handled."""
    return status_body(jobs.close(job_id))


@router.get("/jobs/{job_id}", dependencies=WRITE, summary="A job's status")
def job_status(job_id: str, jobs: Jobs) -> dict[str, Any]:
    """Progress and outcome of a job."""
    return status_body(jobs.status(job_id))
