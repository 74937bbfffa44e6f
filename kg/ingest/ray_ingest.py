"""Ingest on a Ray cluster: the CPU-heavy stage on Ray workers, the writes in the driver.

Back-fills of millions of articles outgrow one machine, and almost all of the time goes
to :meth:`IngestPipeline.prepare` (spaCy, the coding dictionaries, SHACL, the embedding
model), which reads no store. So:

- Each Ray actor (:class:`PrepareWorker`, one CPU) loads spaCy and the embedding model
  once, then prepares batches of articles and sends back :class:`PreparedArticle` values
  (or :class:`IngestFailure` for a rejected article): typed, frozen, picklable data.
- The driver is the one writer of each store: it calls ``store`` for each result as it
  arrives (in any order; ingest is order-independent), so the graph's one-transaction
  replace and the vectors-first write order hold exactly as in-process.
- At most ``in_flight_per_worker`` batches per worker are outstanding and articles are
  read from the input only as slots free up, so the driver's memory stays flat however
  long the input is.

Ray is imported only here and only when called, so ``kg`` works without it.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import islice
from typing import TYPE_CHECKING, Any, cast

from kg.core.config import PROJECT_ROOT, Settings
from kg.core.errors import ConfigurationError, ServiceUnavailableError
from kg.core.models import Article
from kg.ingest.pipeline import (
    ArticleReport,
    IngestFailure,
    IngestReport,
    PreparedArticle,
    Stored,
)
from kg.ingest.workers import prepare_only_pipeline

if TYPE_CHECKING:
    from types import ModuleType

    from kg.vectors.embedder import Embedder

# What a worker sends back for one article.
Outcome = PreparedArticle | IngestFailure


@dataclass(frozen=True, slots=True)
class RayOptions:
    """How to run on Ray.

    Attributes:
        address: ``"local"`` starts a Ray instance in this process (``num_cpus`` = this
            machine's cores, or ``workers``); ``"auto"`` joins the cluster ``ray start``
            runs on this node; anything else is a cluster address (``HOST:6379``,
            ``ray://HOST:10001``).
        workers: How many preparing actors; default one per CPU of the cluster.
        batch_size: Articles per actor call (fewer round trips; the embedder batches
            passages within an article already).
        in_flight_per_worker: Outstanding batches per actor: two keep each busy while the
            driver stores the previous result, more only cost memory.
    """

    address: str = "local"
    workers: int | None = None
    batch_size: int = 2
    in_flight_per_worker: int = 2


@dataclass(frozen=True, slots=True)
class WorkerInfo:
    """Where a worker runs and which newskg it imported (to catch a stale install)."""

    host: str
    pid: int
    kg_path: str


class PrepareWorker:
    """One preparing worker: the models are loaded once, in the constructor.

    Wrapped by ``ray.remote`` in :func:`ingest_on_ray`; plain Python otherwise (tests).

    Args:
        settings: The driver's settings, so workers split, extract and embed exactly as
            an in-process ingest would (model, passage size, coding dictionaries).
    """

    def __init__(self, settings: Settings) -> None:
        self._pipeline = prepare_only_pipeline(settings, "ray")

    def info(self) -> WorkerInfo:
        """Where this worker runs and which ``kg`` package it imported."""
        import kg

        return WorkerInfo(host=socket.gethostname(), pid=os.getpid(), kg_path=str(kg.__file__))

    def dimension(self) -> int:
        """The embedding dimension, so the driver need not load the model to bootstrap."""
        # The workers' pipelines are built with kg's own Embedder.
        return int(cast("Embedder", self._pipeline.embedder).dimension)

    def prepare(self, articles: list[Article]) -> list[Outcome]:
        """Prepare a batch with one ``nlp.pipe`` and one embedding call; a rejected
        article becomes an :class:`IngestFailure`."""
        outcomes: list[Outcome] = self._pipeline.prepare_many(articles)
        return outcomes


def _ray() -> ModuleType:
    try:
        import ray
    except ImportError as exc:
        raise ConfigurationError(
            "Ray is not installed; install it with `pip install 'ray>=2.40'`", setting="ray"
        ) from exc
    return ray


def worker_env() -> dict[str, str]:
    """Environment of the Ray workers: this newskg on their path, no model hub."""
    path = [str(PROJECT_ROOT), *filter(None, os.environ.get("PYTHONPATH", "").split(os.pathsep))]
    return {
        "PYTHONPATH": os.pathsep.join(dict.fromkeys(path)),
        "HF_HUB_OFFLINE": "1",
        "TRANSFORMERS_OFFLINE": "1",
    }


def connect(options: RayOptions) -> bool:
    """Start or join Ray; returns whether this call did (and so should shut it down).

    Raises:
        ConfigurationError: Ray is not installed.
        ServiceUnavailableError: no Ray cluster answers at the address.
    """
    ray = _ray()
    if ray.is_initialized():  # the caller owns the connection (a test, a notebook)
        return False
    kwargs: dict[str, Any] = {"runtime_env": {"env_vars": worker_env()}}
    if options.address == "local":
        kwargs["num_cpus"] = options.workers or os.cpu_count() or 1
        kwargs["include_dashboard"] = False
    try:
        ray.init(address=options.address, **kwargs)
    except (ConnectionError, RuntimeError) as exc:
        raise ServiceUnavailableError(f"Ray at {options.address!r}", str(exc)) from exc
    return True


class RayPreparers:
    """A pool of :class:`PrepareWorker` actors; the driver hands batches out, bounded.

    Start one with :meth:`start` (after :func:`connect`); :meth:`close` releases it.

    Args:
        actors: Handles of started :class:`PrepareWorker` actors.
        options: Batch size and in-flight bound.
    """

    def __init__(self, actors: list[Any], options: RayOptions) -> None:
        self._ray = _ray()
        self.actors = actors
        self.options = options

    @classmethod
    def start(cls, settings: Settings, options: RayOptions) -> RayPreparers:
        """Start the actors; each loads the models (see :meth:`infos` to wait for that)."""
        ray = _ray()
        count = options.workers or max(1, int(ray.cluster_resources().get("CPU", 1)))
        # Preparing is pure, so a batch lost with its worker is safely run again.
        remote = ray.remote(num_cpus=1, max_restarts=2, max_task_retries=2)(PrepareWorker)
        return cls([remote.remote(settings) for _ in range(count)], options)

    def infos(self) -> list[WorkerInfo]:
        """Each worker's host, pid and ``kg`` path (waits for the models to load)."""
        return cast(list[WorkerInfo], self._ray.get([a.info.remote() for a in self.actors]))

    def dimension(self) -> int:
        """The embedding dimension, from a worker."""
        return int(self._ray.get(self.actors[0].dimension.remote()))

    def run(self, articles: Iterable[Article]) -> Iterator[list[Outcome]]:
        """Prepare every article; batches of outcomes come back as they finish, in any order.

        Raises:
            ServiceUnavailableError: a worker was lost beyond its restarts.
        """
        ray = self._ray
        batches = _batches(articles, self.options.batch_size)
        pending: dict[Any, Any] = {}  # object ref -> the actor that runs it

        def submit(actor: Any) -> bool:
            batch = next(batches, None)
            if batch is None:
                return False
            pending[actor.prepare.remote(batch)] = actor
            return True

        for actor in self.actors:
            for _ in range(self.options.in_flight_per_worker):
                if not submit(actor):
                    break
        while pending:
            done, _ = ray.wait(list(pending), num_returns=1)
            ref = done[0]
            actor = pending.pop(ref)
            submit(actor)  # keep this worker busy while the driver stores the result
            try:
                outcomes = ray.get(ref)
            except ray.exceptions.RayActorError as exc:
                raise ServiceUnavailableError("a Ray worker", str(exc)) from exc
            yield outcomes

    def close(self) -> None:
        """Stop the actors (their models go with them)."""
        for actor in self.actors:
            self._ray.kill(actor)


def _batches(articles: Iterable[Article], size: int) -> Iterator[list[Article]]:
    iterator = iter(articles)
    while batch := list(islice(iterator, size)):
        yield batch


def store_outcomes(
    batches: Iterable[Sequence[Outcome]],
    store_many: Callable[[Sequence[PreparedArticle]], list[Stored]],
    on_done: Callable[[int], object] | None = None,
) -> IngestReport:
    """Write each batch of prepared articles as it comes (the one writer, one graph
    transaction per batch: :meth:`IngestPipeline.store_many`); collect the report.

    Args:
        batches: Prepared articles and rejections, batch by batch, in any order.
        store_many: Writes a batch; an article it cannot store comes back as a failure.
        on_done: Called with the size of each batch done (a progress bar).
    """
    reports: list[ArticleReport] = []
    failures: list[IngestFailure] = []
    for batch in batches:
        failures += [o for o in batch if isinstance(o, IngestFailure)]
        ready = [o for o in batch if isinstance(o, PreparedArticle)]
        for stored in store_many(ready) if ready else []:
            if isinstance(stored, IngestFailure):
                failures.append(stored)
            else:
                reports.append(stored)
        if on_done is not None:
            on_done(len(batch))
    return IngestReport(articles=tuple(reports), failures=tuple(failures))


def ingest_on_ray(
    articles: Iterable[Article],
    settings: Settings,
    options: RayOptions,
    *,
    bootstrap: Callable[[int], None],
    store_many: Callable[[Sequence[PreparedArticle]], list[Stored]],
    progress: bool = False,
) -> tuple[IngestReport, list[WorkerInfo]]:
    """Prepare on Ray, store here: the whole run.

    Args:
        articles: The articles, read lazily as workers free up.
        settings: What the workers prepare with.
        options: Where and how wide to run.
        bootstrap: Creates the stores' schema, given the embedding dimension (from a
            worker, so the driver never loads the model).
        store_many: Writes a batch of prepared articles in the driver.
        progress: Show a progress bar.

    Returns:
        The report, and the workers that prepared.

    Raises:
        ConfigurationError: Ray is not installed.
        ServiceUnavailableError: Ray, a worker or a store cannot be reached.
    """
    started = connect(options)
    try:
        preparers = RayPreparers.start(settings, options)
        try:
            infos = preparers.infos()
            bootstrap(preparers.dimension())
            bar: Any = None
            if progress:
                from tqdm import tqdm

                bar = tqdm(desc=f"ingest on Ray ({len(infos)} workers)", unit="article")
            try:
                report = store_outcomes(
                    preparers.run(articles), store_many, bar.update if bar is not None else None
                )
            finally:
                if bar is not None:
                    bar.close()
        finally:
            preparers.close()
    finally:
        if started:
            _ray().shutdown()
    return report, infos


__all__ = [
    "Outcome",
    "ingest_on_ray",
    "PrepareWorker",
    "RayOptions",
    "RayPreparers",
    "WorkerInfo",
    "connect",
    "store_outcomes",
    "worker_env",
]
