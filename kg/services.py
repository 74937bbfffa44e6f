"""Wiring: build the stores, models and pipeline from settings, without doing I/O.

:func:`build_services` only constructs objects; :func:`bootstrap` is the one explicit
step that connects, creates constraints and indexes, and checks the vector size.
"""

from __future__ import annotations

from contextlib import ExitStack
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kg.core.config import Settings
from kg.core.ports import ArticleWriter, GraphAdmin, GraphReader, VectorStore
from kg.extraction.extractor import extractor_from_settings
from kg.graph.admin import Neo4jGraphAdmin
from kg.graph.reads import Neo4jGraphReader
from kg.graph.store import Neo4jConnection, connection_from_settings
from kg.graph.writes import Neo4jArticleWriter
from kg.ingest.pipeline import IngestPipeline
from kg.ingest.workers import default_workers
from kg.vectors.embedder import Embedder, embedder_from_settings
from kg.vectors.factory import open_vector_store

if TYPE_CHECKING:
    from kg.feeds.sink import ArticleSink
    from kg.ingest.dedup import Deduplicator


@dataclass
class Services:
    """Everything a command or the API needs, built once per process.

    Attributes:
        settings: The settings everything was built from.
        graph: The Neo4j connection the graph adapters share. Only graph adapters (and
            the search engine, until it has its own adapter) and tests read through it.
        writer: The graph as the ingest pipeline writes it.
        reader: The graph as the API reads it.
        admin: Schema, probes, counts, export; closes the shared connection.
        vectors: The passage vector store.
        embedder: The passage and query embedder.
        pipeline: The ingest pipeline over ``writer`` and ``vectors``.
    """

    settings: Settings
    graph: Neo4jConnection
    writer: ArticleWriter
    reader: GraphReader
    admin: GraphAdmin
    vectors: VectorStore
    embedder: Embedder
    pipeline: IngestPipeline


def build_services(settings: Settings) -> Services:
    """Construct the services. No connection is opened and no model is loaded here."""
    graph = connection_from_settings(settings)
    writer = Neo4jArticleWriter(graph)
    vectors = open_vector_store(settings)
    embedder = embedder_from_settings(settings)
    pipeline = IngestPipeline(
        writer=writer,
        vectors=vectors,
        embedder=embedder,
        extractor=extractor_from_settings(settings),
        settings=settings,
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
    )


def bootstrap(services: Services) -> None:
    """Create graph constraints and indexes, and the vector collection (idempotent).

    Raises:
        ServiceUnavailableError: Neo4j or Qdrant cannot be reached.
        VectorSizeMismatchError: the collection was made for another model.
    """
    services.admin.bootstrap()
    services.vectors.bootstrap(services.embedder.dimension)


def close(services: Services) -> None:
    """Release connections, file locks and ingest worker processes."""
    services.pipeline.close()
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
