"""Ingest jobs: articles handed to a running server in batches, ingested by one writer.

The server that owns the stores (the embedded Qdrant shard is one process's) runs every
write through one :class:`IngestJobs` worker thread, so bulk ingests, the GraphQL
mutations and feed polls never write concurrently. A client opens a job, appends batches,
closes it and polls its :class:`JobStatus` until it is finished; queries go on being
answered meanwhile, since only the worker writes.
"""

from __future__ import annotations

import itertools
import logging
import queue
import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import partial
from typing import Literal

from kg.core.errors import InvalidQueryError, NewsKGError, NotFoundError
from kg.core.models import Article

log = logging.getLogger(__name__)

JobState = Literal["open", "running", "done", "failed"]

MAX_ERRORS_KEPT = 200  # per job: the first ones, so a bad file cannot grow memory


@dataclass(frozen=True, slots=True)
class ArticleOutcome:
    """What ingesting one article did: stored (new or replaced), or why it was rejected."""

    origin: str
    article_id: str | None = None
    created: bool = False
    passages: int = 0
    actions: int = 0
    error: str | None = None


@dataclass(frozen=True, slots=True)
class JobStatus:
    """A job as clients see it.

    Attributes:
        id: The job id.
        state: ``open`` (takes batches), ``running`` (closed, still working), ``done``
            (every article handled) or ``failed`` (the worker stopped on an outage).
        received: Articles (and rejected records) received so far.
        processed: Of those, how many were handled.
        stored: Articles stored (new or replaced).
        created: Of those, how many were new.
        passages: Passages stored.
        actions: Actions stored.
        rejected: Records rejected, each named in ``errors`` (the first ones).
        errors: ``origin: reason`` of rejected records, at most :data:`MAX_ERRORS_KEPT`.
        closed: The client said no more batches will come.
        created_at: When the job was opened (Unix time).
        finished_at: When its last article was handled, once done.
    """

    id: str
    state: JobState
    received: int = 0
    processed: int = 0
    stored: int = 0
    created: int = 0
    passages: int = 0
    actions: int = 0
    rejected: int = 0
    errors: tuple[str, ...] = ()
    closed: bool = False
    created_at: float = field(default_factory=time.time)
    finished_at: float | None = None

    @property
    def finished(self) -> bool:
        """No more work will happen on this job."""
        return self.state in ("done", "failed")


IngestBatch = Callable[[Sequence[Article]], Iterable[ArticleOutcome]]
"""Ingests a batch and reports each article as it is stored (so a job's progress moves
within a client's batch); raises only when the stores are unusable."""


class IngestJobs:
    """The jobs of one server and the one worker thread that runs them.

    Args:
        ingest: Ingests a batch of articles (the pipeline, under the server's write lock).
        max_jobs: Finished jobs beyond this many are forgotten, oldest first.
    """

    def __init__(self, ingest: IngestBatch, max_jobs: int = 100) -> None:
        self._ingest = ingest
        self._max_jobs = max_jobs
        self._jobs: OrderedDict[str, JobStatus] = OrderedDict()
        self._lock = threading.Lock()
        self._queue: queue.Queue[tuple[str, list[Article]] | None] = queue.Queue()
        self._worker: threading.Thread | None = None
        self._sequence = itertools.count()

    # ------------------------------------------------------------------ client side

    def open(self) -> JobStatus:
        """Open a job that takes batches until it is closed."""
        job = JobStatus(id=f"{next(self._sequence)}-{uuid.uuid4().hex[:12]}", state="open")
        with self._lock:
            self._jobs[job.id] = job
            self._forget_old()
        self._ensure_worker()
        return job

    def add(
        self, job_id: str, articles: Sequence[Article], rejected: Sequence[str] = ()
    ) -> JobStatus:
        """Queue a batch; ``rejected`` names records the client could not parse.

        Raises:
            NotFoundError: no such job.
            InvalidQueryError: the job is closed.
        """
        with self._lock:
            job = self._get(job_id)
            if job.closed or job.finished:
                raise InvalidQueryError("job", f"job {job_id} is {job.state} and takes no batch")
            job = self._jobs[job_id] = replace(
                job,
                received=job.received + len(articles) + len(rejected),
                processed=job.processed + len(rejected),
                rejected=job.rejected + len(rejected),
                errors=(job.errors + tuple(rejected))[:MAX_ERRORS_KEPT],
            )
        if articles:
            self._queue.put((job_id, list(articles)))
        return job

    def close(self, job_id: str) -> JobStatus:
        """Say that no more batches come; the job finishes once its queue is drained.

        Raises:
            NotFoundError: no such job.
        """
        with self._lock:
            job = self._get(job_id)
            job = self._jobs[job_id] = self._settle(replace(job, closed=True))
        return job

    def status(self, job_id: str) -> JobStatus:
        """The job's current status.

        Raises:
            NotFoundError: no such job (never opened, or forgotten long after it finished).
        """
        with self._lock:
            return self._get(job_id)

    def wait(self, job_id: str, timeout: float | None = None) -> JobStatus:
        """Block until the job is finished (or ``timeout`` seconds pass); its status."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            job = self.status(job_id)
            if job.finished or (deadline is not None and time.monotonic() >= deadline):
                return job
            time.sleep(0.05)

    def shutdown(self, timeout: float = 30) -> None:
        """Stop the worker after the batches already queued."""
        worker = self._worker
        if worker is not None and worker.is_alive():
            self._queue.put(None)
            worker.join(timeout)

    # ------------------------------------------------------------------ worker side

    def _ensure_worker(self) -> None:
        with self._lock:
            if self._worker is None or not self._worker.is_alive():
                self._worker = threading.Thread(
                    target=self._run, name="newskg-ingest-jobs", daemon=True
                )
                self._worker.start()

    def _run(self) -> None:
        while (item := self._queue.get()) is not None:
            job_id, articles = item
            self._update(job_id, partial(replace, state="running"))
            handled = 0
            try:
                # Counted one by one: the articles of a stored sub-batch arrive together,
                # so a client's progress bar moves while its large batch is worked on.
                for outcome in self._ingest(articles):
                    self._update(job_id, partial(_counted, outcomes=(outcome,)))
                    handled += 1
            except NewsKGError as exc:  # an outage: the rest of this batch is lost
                log.error("ingest job %s failed: %s", job_id, exc)
                rest = len(articles) - handled
                self._update(job_id, partial(_failed, count=rest, error=str(exc)))
            except Exception:  # a bug: keep the worker alive for the other jobs
                log.exception("ingest job %s failed unexpectedly", job_id)
                rest = len(articles) - handled
                self._update(job_id, partial(_failed, count=rest, error="internal error"))

    def _update(self, job_id: str, change: Callable[[JobStatus], JobStatus]) -> None:
        with self._lock:
            job = self._jobs.get(job_id)
            if job is not None:
                self._jobs[job_id] = self._settle(change(job))

    @staticmethod
    def _settle(job: JobStatus) -> JobStatus:
        """A closed job with nothing left to do is finished."""
        if job.closed and job.processed >= job.received and not job.finished:
            return replace(job, state="done", finished_at=time.time())
        return job

    def _get(self, job_id: str) -> JobStatus:
        job = self._jobs.get(job_id)
        if job is None:
            raise NotFoundError("IngestJob", job_id)
        return job

    def _forget_old(self) -> None:
        finished = [k for k, j in self._jobs.items() if j.finished]
        for key in finished[: max(0, len(self._jobs) - self._max_jobs)]:
            del self._jobs[key]


def _counted(job: JobStatus, outcomes: Sequence[ArticleOutcome]) -> JobStatus:
    stored = [o for o in outcomes if o.error is None]
    errors = tuple(f"{o.origin}: {o.error}" for o in outcomes if o.error is not None)
    state: JobState = "failed" if job.state == "failed" else "running" if job.closed else "open"
    return replace(
        job,
        state=state,
        processed=job.processed + len(outcomes),
        stored=job.stored + len(stored),
        created=job.created + sum(1 for o in stored if o.created),
        passages=job.passages + sum(o.passages for o in stored),
        actions=job.actions + sum(o.actions for o in stored),
        rejected=job.rejected + len(errors),
        errors=(job.errors + errors)[:MAX_ERRORS_KEPT],
    )


def _failed(job: JobStatus, count: int, error: str) -> JobStatus:
    return replace(
        job,
        state="failed",
        processed=job.processed + count,
        rejected=job.rejected + count,
        errors=(job.errors + (f"batch of {count}: {error}",))[:MAX_ERRORS_KEPT],
        finished_at=time.time(),
    )
