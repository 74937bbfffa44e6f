"""Wiring: build the stores, models and pipeline from settings, without doing I/O.

:func:`build_services` only constructs objects; :func:`bootstrap` is the one explicit
step that connects, creates constraints and indexes, and checks the vector size.
"""

from __future__ import annotations

from dataclasses import dataclass

from kg.core.config import Settings
from kg.core.ports import GraphStore, VectorStore
from kg.extraction.extractor import extractor_from_settings
from kg.graph.store import graph_store_from_settings
from kg.ingest.pipeline import IngestPipeline
from kg.vectors.embedder import Embedder, embedder_from_settings
from kg.vectors.factory import open_vector_store


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
