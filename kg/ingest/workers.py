"""Preparing articles in worker processes: one per core, models loaded once per process.

spaCy, the rule-based extractors, the SHACL checks and the embedder all hold the GIL, so a
second core only helps from a second process. :class:`PreparePool` keeps a persistent
``ProcessPoolExecutor`` whose initializer builds, in each worker, the extractor and the
embedder :func:`kg.services.build_services` would build (and warms them up); each task is
one batch through :meth:`IngestPipeline.prepare_many`, which sends back
:class:`~kg.ingest.prepared.PreparedArticle` and :class:`~kg.ingest.prepared.IngestFailure`
values: frozen, picklable data. Workers never touch a store: the parent process writes.

The workers are started with ``spawn`` (a forked copy of a process that has started
torch's or the Neo4j driver's threads can hang), and each runs torch on one thread, so the
processes share the cores instead of fighting over them. They run at a lower priority
(``settings.ingest_worker_nice``), so a server's searches are not queued behind them.
"""

from __future__ import annotations

import collections
import multiprocessing
import os
import threading
import time
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from typing import TYPE_CHECKING, Any, cast

from kg.core.config import Settings
from kg.core.errors import ConfigurationError
from kg.core.models import Article
from kg.core.ports import ArticleWriter, VectorStore
from kg.ingest.prepared import Outcome

if TYPE_CHECKING:
    from kg.ingest.pipeline import IngestPipeline

_PIPELINE: Any = None  # the worker's pipeline, built by _start_worker


class _NoStore:
    """The stores of a worker that only prepares: touching one is a bug, said loudly."""

    def __init__(self, setting: str) -> None:
        self._setting = setting

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):  # pickling and copying look these up
            raise AttributeError(name)
        raise ConfigurationError(
            f"an ingest worker prepares only; it has no store (called {name!r})",
            setting=self._setting,
        )


def prepare_only_pipeline(settings: Settings, setting: str) -> IngestPipeline:
    """A pipeline that prepares and never stores, its models loaded and warmed up now.

    What every worker runs, in a process of :class:`PreparePool` or a Ray actor: the
    extractor and embedder :func:`kg.services.build_services` would build, and stores that
    fail loudly (naming ``setting``) if touched.
    """
    from kg.extraction.extractor import extractor_from_settings
    from kg.ingest.pipeline import IngestPipeline
    from kg.vectors.embedder import embedder_from_settings

    embedder = embedder_from_settings(settings)
    extractor = extractor_from_settings(settings)
    pipeline = IngestPipeline(
        writer=cast(ArticleWriter, _NoStore(setting)),
        vectors=cast(VectorStore, _NoStore(setting)),
        embedder=embedder,
        extractor=extractor,
        settings=settings,
    )
    # Load spaCy, the gazetteers, the dictionaries and the embedding model now, once,
    # rather than inside the first batch.
    embedder.embed(["warm up"])
    extractor.extract("Officials met in Paris on Monday.", None)
    return pipeline


_WATCH_THREAD = "newskg-parent-watch"


def watch_parent(every: float = 1.0) -> threading.Thread:
    """End this process, from a daemon thread, once the process that started it is gone.

    A ``ProcessPoolExecutor`` worker waits on its call queue, and ``spawn`` hands it both
    ends of that queue's pipe, so it never sees end-of-file when its parent is killed
    (``kill -9`` of ``kg serve`` mid-job, say): without this it would hold its models'
    memory, about 1.5 GB, until the machine restarts.
    """
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(every)
        os._exit(1)  # nothing to flush: workers never touch a store

    thread = threading.Thread(target=watch, name=_WATCH_THREAD, daemon=True)
    thread.start()
    return thread


def watching_parent() -> bool:
    """Whether this process runs :func:`watch_parent`'s thread."""
    return any(t.name == _WATCH_THREAD and t.is_alive() for t in threading.enumerate())


def _start_worker(settings: Settings) -> None:
    """Build and warm up the worker's extractor and embedder (runs once per process)."""
    global _PIPELINE
    watch_parent()
    if settings.ingest_worker_nice:
        # Lower priority, models' loading included: under `kg serve`, answering queries
        # comes before preparing articles (bench/serve_while_ingest.py measures both).
        os.nice(settings.ingest_worker_nice)
    for name in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
        os.environ[name] = "1"
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    _PIPELINE = prepare_only_pipeline(settings, "ingest_workers")
    try:
        import torch

        torch.set_num_threads(1)
    except ImportError:  # pragma: no cover - torch comes with sentence-transformers
        pass


def _prepare(articles: list[Article]) -> list[Outcome]:
    outcomes: list[Outcome] = _PIPELINE.prepare_many(articles)
    return outcomes


def default_workers(settings: Settings) -> int:
    """``settings.ingest_workers``, or one per core when it is 0."""
    return settings.ingest_workers or os.cpu_count() or 1


class PreparePool:
    """Worker processes that prepare batches of articles.

    Args:
        settings: What the workers build their extractor and embedder from.
        workers: How many processes.
        in_flight_per_worker: Batches handed out per worker before waiting for the oldest
            (two keep every worker busy while the parent stores; more only cost memory).
        batches_per_worker: A worker is replaced after this many batches: spaCy's string
            store grows with every new word it sees, so a worker that lived for millions
            of articles would grow too (a replacement reloads the models, ~10 s).
    """

    def __init__(
        self,
        settings: Settings,
        workers: int,
        in_flight_per_worker: int = 2,
        batches_per_worker: int = 1000,
    ) -> None:
        self.workers = workers
        self.in_flight = max(1, workers * in_flight_per_worker)
        self._executor = ProcessPoolExecutor(
            max_workers=workers,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_start_worker,
            initargs=(settings,),
            max_tasks_per_child=batches_per_worker,
        )

    def map_bounded(self, batches: Iterable[list[Article]]) -> Iterator[list[Outcome]]:
        """Prepare each batch in a worker; results come back in input order.

        At most ``in_flight`` batches are out at once and the input is read only as
        results are taken, so memory stays flat whatever the input's length.
        """
        pending: collections.deque[Future[list[Outcome]]] = collections.deque()
        try:
            for batch in batches:
                pending.append(self._executor.submit(_prepare, batch))
                if len(pending) >= self.in_flight:
                    yield pending.popleft().result()
            while pending:
                yield pending.popleft().result()
        finally:
            for future in pending:
                future.cancel()

    def close(self) -> None:
        """Stop the workers."""
        self._executor.shutdown(wait=True, cancel_futures=True)
