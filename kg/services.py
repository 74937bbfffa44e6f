"""Wiring: build the stores, models and pipeline from settings, without doing I/O.

:func:`build_services` only constructs objects; :func:`bootstrap` is the one explicit
step that connects, creates constraints and indexes, and checks the vector size.
"""

from __future__ import annotations

from contextlib import ExitStack
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kg.core.config import Settings
from kg.core.event_merge import MergeRule
from kg.core.graph_reader import GraphReader
from kg.core.ports import ArticleWriter, GraphAdmin, VectorStore
from kg.extraction.extractor import extractor_from_settings
from kg.graph.admin import Neo4jGraphAdmin
from kg.graph.events import Neo4jEvents
from kg.graph.reads import Neo4jGraphReader
from kg.graph.search_graph import Neo4jSearchGraph
from kg.graph.store import Neo4jConnection, connection_from_settings
from kg.graph.writes import Neo4jArticleWriter
from kg.ingest.pipeline import IngestPipeline
from kg.ingest.workers import default_workers
from kg.search.engine import HybridSearch
from kg.vectors.embedder import Embedder, embedder_from_settings
from kg.vectors.factory import open_vector_store

if TYPE_CHECKING:
    from kg.core.records import CheckScope
    from kg.feeds.sink import ArticleSink
    from kg.ingest.consistency import CheckReport, ConsistencyChecker
    from kg.ingest.dedup import Deduplicator


@dataclass
class Services:
    """Everything a command or the API needs, built once per process.

    Attributes:
        settings: The settings everything was built from.
        graph: The Neo4j connection the graph adapters share. Only graph adapters and
            tests read through it.
        writer: The graph as the ingest pipeline writes it.
        reader: The graph as the API reads it.
        admin: Schema, probes, counts, export; closes the shared connection.
        vectors: The passage vector store.
        embedder: The passage and query embedder.
        pipeline: The ingest pipeline over ``writer`` and ``vectors``.
        search: Hybrid search over the graph (its own read port), the vectors and the
            embedder.
        events: Events across articles (refreshed by the pipeline, read by the API).
    """

    settings: Settings
    graph: Neo4jConnection
    writer: ArticleWriter
    reader: GraphReader
    admin: GraphAdmin
    vectors: VectorStore
    embedder: Embedder
    pipeline: IngestPipeline
    search: HybridSearch
    events: Neo4jEvents | None = None


def build_services(settings: Settings) -> Services:
    """Construct the services. No connection is opened and no model is loaded here."""
    graph = connection_from_settings(settings)
    writer = Neo4jArticleWriter(graph)
    vectors = open_vector_store(settings)
    embedder = embedder_from_settings(settings)
    events = Neo4jEvents(
        graph,
        MergeRule(settings.event_window_days, settings.event_similarity),
        settings.event_max_region,
    )
    pipeline = IngestPipeline(
        writer=writer,
        vectors=vectors,
        embedder=embedder,
        extractor=extractor_from_settings(settings),
        settings=settings,
        events=events,
        workers=default_workers(settings),
    )
    return Services(
        settings=settings,
        graph=graph,
        writer=writer,
        reader=Neo4jGraphReader(graph),
        admin=Neo4jGraphAdmin(graph),
        vectors=vectors,
        embedder=embedder,
        pipeline=pipeline,
        search=HybridSearch(
            Neo4jSearchGraph(graph),
            vectors,
            embedder,
            settings,
            ready=graph.breaker.raise_if_open,
            healthy=lambda: graph.breaker.clean,
        ),
        events=events,
    )


def bootstrap(services: Services, dimension: int | None = None) -> None:
    """Create graph constraints and indexes, and the vector collection (idempotent).

    Args:
        services: The services to bootstrap.
        dimension: The embedding dimension when known already (from a Ray worker), so
            this process need not load the model; default: ask the embedder.

    Raises:
        ServiceUnavailableError: Neo4j or Qdrant cannot be reached.
        VectorSizeMismatchError: the collection was made for another model.
    """
    services.admin.bootstrap()
    services.vectors.bootstrap(services.embedder.dimension if dimension is None else dimension)


def close(services: Services) -> None:
    """Release connections, file locks, the search threads and ingest worker processes."""
    services.search.close()
    services.pipeline.close()
    services.embedder.close()
    services.admin.close()
    services.vectors.close()


def open_article_sink(
    settings: Settings, dedup: Deduplicator | None, stack: ExitStack, *, in_process: bool = False
) -> tuple[ArticleSink, str]:
    """The sink ``kg watch`` ingests through, and a phrase saying which it is.

    When ``kg serve`` runs it owns the stores, so articles go to its ingest jobs (and only
    Neo4j is opened here, for ``DUPLICATE_OF`` links); otherwise the stores and models are
    opened and bootstrapped in this process. Whatever is opened is closed by ``stack``.

    Raises:
        ServiceUnavailableError: a store cannot be reached.
    """
    from kg.feeds.server_sink import ServerSink
    from kg.feeds.sink import PipelineSink
    from kg.ingest.server_client import ServerIngest
    from kg.ops.server_handle import read_handle

    handle = None if in_process else read_handle(settings)
    if handle is not None:
        graph = connection_from_settings(settings)
        stack.callback(graph.close)
        client = ServerIngest(handle.url, handle.token)
        writer = Neo4jArticleWriter(graph)
        return ServerSink(client, dedup, graph=writer), f"through the server at {handle.url}"
    services = build_services(settings)
    stack.callback(close, services)
    bootstrap(services)
    return PipelineSink(services.pipeline, dedup, graph=services.writer), "in this process"


def consistency_checker(services: Services) -> ConsistencyChecker:
    """``kg check`` over the services' stores (and embedder, for repairs)."""
    from kg.graph.consistency import Neo4jConsistencyGraph
    from kg.ingest.consistency import ConsistencyChecker

    return ConsistencyChecker(
        Neo4jConsistencyGraph(services.graph), services.vectors, services.embedder
    )


def run_check(
    settings: Settings, scope: CheckScope, *, repair: bool = False, in_process: bool = False
) -> tuple[CheckReport, str]:
    """Check (and with ``repair`` mend) the two stores; the report and where it ran.

    When ``kg serve`` runs it owns the embedded vector store, so it is asked to do it;
    otherwise the stores are opened here (the embedding model only loads for a repair).

    Raises:
        ServiceUnavailableError: a store or the server cannot be reached.
    """
    from kg.ingest.check_client import ServerCheck
    from kg.ops.server_handle import read_handle

    handle = None if in_process else read_handle(settings)
    if handle is not None:
        report = ServerCheck(handle.url, handle.token).run(scope, repair=repair)
        return report, f"through the server at {handle.url}"
    services = build_services(settings)
    try:
        checker = consistency_checker(services)
        report = checker.repair(scope) if repair else checker.check(scope)
    finally:
        close(services)
    return report, "in this process"
