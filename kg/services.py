"""Wiring: build the stores, models and pipeline from settings, without doing I/O.

:func:`build_services` only constructs objects; :func:`bootstrap` is the one explicit
step that connects, creates constraints and indexes, and checks the vector size.
"""

from __future__ import annotations

from contextlib import ExitStack
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kg.core.config import Settings
from kg.core.ports import GraphStore, VectorStore
from kg.extraction.extractor import extractor_from_settings
from kg.graph.store import graph_store_from_settings
from kg.ingest.pipeline import IngestPipeline
from kg.vectors.embedder import Embedder, embedder_from_settings
from kg.vectors.factory import open_vector_store

if TYPE_CHECKING:
    from kg.feeds.sink import ArticleSink
    from kg.ingest.dedup import Deduplicator


@dataclass
class Services:
    """Everything a command or the API needs, built once per process."""

    settings: Settings
    graph: GraphStore
    vectors: VectorStore
    embedder: Embedder
    pipeline: IngestPipeline


def build_services(settings: Settings) -> Services:
    """Construct the services. No connection is opened and no model is loaded here."""
    graph = graph_store_from_settings(settings)
    vectors = open_vector_store(settings)
    embedder = embedder_from_settings(settings)
    pipeline = IngestPipeline(
        graph=graph,
        vectors=vectors,
        embedder=embedder,
        extractor=extractor_from_settings(settings),
        settings=settings,
    )
    return Services(
        settings=settings, graph=graph, vectors=vectors, embedder=embedder, pipeline=pipeline
    )


def bootstrap(services: Services) -> None:
    """Create graph constraints and indexes, and the vector collection (idempotent).

    Raises:
        ServiceUnavailableError: Neo4j or Qdrant cannot be reached.
        VectorSizeMismatchError: the collection was made for another model.
    """
    services.graph.bootstrap()
    services.vectors.bootstrap(services.embedder.dimension)


def close(services: Services) -> None:
    """Release connections and file locks."""
    services.graph.close()
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
        graph = graph_store_from_settings(settings)
        stack.callback(graph.close)
        client = ServerIngest(handle.url, handle.token)
        return ServerSink(client, dedup, graph=graph), f"through the server at {handle.url}"
    services = build_services(settings)
    stack.callback(close, services)
    bootstrap(services)
    return PipelineSink(services.pipeline, dedup, graph=services.graph), "in this process"
