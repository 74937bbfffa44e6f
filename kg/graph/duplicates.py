"""Reads of ``DUPLICATE_OF``: which stored article a near-duplicate copies.

The link is written when a copy is stored (:class:`kg.feeds.sink.PipelineSink`); the
label and relationship type come from the ontology's allow-list like every other query.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

from kg.core.ports import GraphStore
from kg.graph.cypher import label, rel_type


@cache
def duplicate_of_query() -> str:
    """``{id, original_id}`` for each copy among ``$ids``; built once, on first use."""
    article, duplicate_of = label("Article"), rel_type("DUPLICATE_OF")
    return (
        "UNWIND $ids AS id "
        f"MATCH (:{article} {{id: id}})-[:{duplicate_of}]->(o:{article}) "
        "RETURN id, o.id AS original_id ORDER BY o.id"
    )


def duplicate_of_by_ids(graph: GraphStore, ids: Sequence[str]) -> dict[str, str]:
    """The original of each article in ``ids`` that is a copy; others are absent."""
    rows = graph.run_read(duplicate_of_query(), {"ids": sorted(set(ids))})
    found: dict[str, str] = {}
    for row in rows:
        found.setdefault(str(row["id"]), str(row["original_id"]))
    return found
