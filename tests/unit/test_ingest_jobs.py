"""Ingest jobs: one writer drains every job's batches; clients see counts and errors."""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence

import pytest

from kg.core.errors import (
    ArticleParseError,
    InvalidQueryError,
    NotFoundError,
    ServiceUnavailableError,
)
from kg.core.models import Article
from kg.ingest.jobs import MAX_ERRORS_KEPT, ArticleOutcome, IngestJobs
from kg.ingest.server_client import batches


def article(n: int, body: str = "Text.") -> Article:
    return Article(title=f"T{n}", body=body, url=f"https://example.invalid/{n}", origin=f"f:{n}")


class Recorder:
    """Ingests by remembering; articles whose body says so are rejected."""

    def __init__(self) -> None:
        self.seen: list[str] = []
        self.threads: set[str] = set()
        self.fail_next = False

    def __call__(self, batch: Sequence[Article]) -> list[ArticleOutcome]:
        self.threads.add(threading.current_thread().name)
        if self.fail_next:
            self.fail_next = False
            raise ServiceUnavailableError("neo4j", "down")
        out = []
        for a in batch:
            self.seen.append(a.title)
            if a.body == "bad":
                out.append(ArticleOutcome(origin=a.origin or a.title, error="fails the shapes"))
            else:
                out.append(
                    ArticleOutcome(origin=a.title, article_id=a.title, created=True, passages=2)
                )
        return out


def test_a_job_counts_what_it_stored_and_rejected() -> None:
    recorder = Recorder()
    jobs = IngestJobs(recorder)
    job = jobs.open()
    jobs.add(job.id, [article(1), article(2, "bad")], rejected=["f:3: not UTF-8"])
    jobs.add(job.id, [article(4)])
    assert not jobs.status(job.id).finished  # open until closed
    jobs.close(job.id)
    done = jobs.wait(job.id, timeout=10)
    assert done.state == "done"
    assert (done.received, done.processed, done.stored, done.created) == (4, 4, 2, 2)
    assert done.passages == 4
    assert done.rejected == 2
    assert set(done.errors) == {"f:3: not UTF-8", "f:2: fails the shapes"}
    assert recorder.seen == ["T1", "T2", "T4"]
    jobs.shutdown()


def test_every_job_is_written_by_the_one_worker() -> None:
    recorder = Recorder()
    jobs = IngestJobs(recorder)
    ids = [jobs.open().id for _ in range(3)]
    for n, job_id in enumerate(ids):
        jobs.add(job_id, [article(n)])
        jobs.close(job_id)
    for job_id in ids:
        assert jobs.wait(job_id, timeout=10).state == "done"
    assert recorder.threads == {"newskg-ingest-jobs"}
    jobs.shutdown()


def test_an_outage_fails_the_job_and_spares_the_worker() -> None:
    recorder = Recorder()
    jobs = IngestJobs(recorder)
    recorder.fail_next = True
    first = jobs.open()
    jobs.add(first.id, [article(1)])
    jobs.close(first.id)
    failed = jobs.wait(first.id, timeout=10)
    assert failed.state == "failed"
    assert "neo4j is unavailable" in failed.errors[0]
    second = jobs.open()
    jobs.add(second.id, [article(2)])
    jobs.close(second.id)
    assert jobs.wait(second.id, timeout=10).state == "done"
    jobs.shutdown()


def test_progress_moves_within_one_batch() -> None:
    """A client's batch of many articles is counted as its articles are stored, not at
    its end: the server's ingest yields outcomes one sub-batch at a time."""
    first_stored = threading.Event()
    go_on = threading.Event()

    def stepwise(batch: Sequence[Article]) -> Iterator[ArticleOutcome]:
        for n, a in enumerate(batch):
            if n == 1:
                first_stored.set()
                assert go_on.wait(10)
            yield ArticleOutcome(origin=a.title, article_id=a.title, created=True)

    jobs = IngestJobs(stepwise)
    job = jobs.open()
    jobs.add(job.id, [article(1), article(2), article(3)])
    jobs.close(job.id)
    assert first_stored.wait(10)
    midway = jobs.status(job.id)
    assert (midway.state, midway.processed, midway.stored) == ("running", 1, 1)
    go_on.set()
    done = jobs.wait(job.id, timeout=10)
    assert (done.state, done.processed, done.stored) == ("done", 3, 3)
    jobs.shutdown()


def test_an_outage_midway_counts_the_rest_of_the_batch_as_lost() -> None:
    def one_then_down(batch: Sequence[Article]) -> Iterator[ArticleOutcome]:
        yield ArticleOutcome(origin=batch[0].title, article_id=batch[0].title, created=True)
        raise ServiceUnavailableError("neo4j", "down")

    jobs = IngestJobs(one_then_down)
    job = jobs.open()
    jobs.add(job.id, [article(1), article(2), article(3)])
    jobs.close(job.id)
    failed = jobs.wait(job.id, timeout=10)
    assert (failed.state, failed.processed, failed.stored, failed.rejected) == ("failed", 3, 1, 2)
    assert failed.errors == ("batch of 2: neo4j is unavailable: down",)
    jobs.shutdown()


def test_closed_and_unknown_jobs_are_refused() -> None:
    jobs = IngestJobs(Recorder())
    job = jobs.open()
    jobs.close(job.id)
    with pytest.raises(InvalidQueryError):
        jobs.add(job.id, [article(1)])
    with pytest.raises(NotFoundError):
        jobs.status("nope")
    jobs.shutdown()


def test_errors_kept_are_bounded() -> None:
    jobs = IngestJobs(Recorder())
    job = jobs.open()
    jobs.add(job.id, [], rejected=[f"r{i}" for i in range(MAX_ERRORS_KEPT + 50)])
    status = jobs.close(job.id)
    assert status.rejected == MAX_ERRORS_KEPT + 50
    assert len(status.errors) == MAX_ERRORS_KEPT
    jobs.shutdown()


def test_batches_are_bounded_in_bytes_and_keep_rejections() -> None:
    records: list[Article | ArticleParseError] = [
        article(1, "x" * 600),
        ArticleParseError("f.jsonl", "bad json", line=2),
        article(3, "y" * 600),
        article(4, "z" * 5000),  # alone over the bound: sent alone
    ]
    out = list(batches(records, max_bytes=1500))
    assert [len(b["articles"]) for b in out] == [2, 1]
    assert out[0]["rejected"] == ["f.jsonl:2: bad json"]
    assert [a["origin"] for b in out for a in b["articles"]] == ["f:1", "f:3", "f:4"]
