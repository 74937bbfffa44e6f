"""Hybrid graph + semantic search (implementation in progress; public types are final)."""

from __future__ import annotations

from kg.search_types import (
    ActionHit,
    EntityRef,
    PassageHit,
    QueryEntity,
    QueryUnderstanding,
    SearchFilter,
    SearchResult,
    Why,
)

__all__ = [
    "ActionHit",
    "EntityRef",
    "HybridSearch",
    "PassageHit",
    "QueryEntity",
    "QueryUnderstanding",
    "SearchFilter",
    "SearchResult",
    "Why",
]


class HybridSearch:
    """Placeholder with the final signature; see the module docstring."""

    def __init__(self, graph: object, vectors: object, embedder: object, settings: object) -> None:
        self._graph = graph

    def search(self, query: str, limit: int = 10, flt: SearchFilter | None = None) -> SearchResult:
        raise NotImplementedError
