"""Choosing the vector store.

``open_vector_store`` returns the qdrant-client adapter when ``NEWSKG_QDRANT_URL`` is set
and the embedded qdrant-edge shard under ``var/qdrant`` otherwise. Adapters are imported
lazily so that the embedded path never imports qdrant-client and vice versa. What both
adapters share (the payload, its indexes and filter terms) is in :mod:`kg.vectors.payload`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kg.core.config import Settings
    from kg.core.ports import VectorStore


def open_vector_store(settings: Settings) -> VectorStore:
    """Return the vector store the settings select. Does no I/O.

    Args:
        settings: ``qdrant_url`` (and ``qdrant_api_key``) select a Qdrant server through
            qdrant-client; without a URL the embedded qdrant-edge shard at
            ``settings.qdrant_path`` is used. ``qdrant_collection`` names the collection.

    Returns:
        An adapter implementing :class:`kg.core.ports.VectorStore`.
    """
    if settings.qdrant_url:
        from kg.vectors.qdrant_server import QdrantClientStore

        api_key = settings.qdrant_api_key.get_secret_value() if settings.qdrant_api_key else None
        from kg.core.breaker import CircuitBreaker

        return QdrantClientStore(
            settings.qdrant_collection,
            url=settings.qdrant_url,
            api_key=api_key,
            timeout=settings.qdrant_timeout_s,
            breaker=CircuitBreaker(
                "qdrant", settings.breaker_failures, settings.breaker_cooldown_s
            ),
        )

    from kg.vectors.qdrant_edge import QdrantEdgeStore

    return QdrantEdgeStore(settings.qdrant_path, settings.qdrant_collection)
