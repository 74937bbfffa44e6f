"""The Neo4j adapter of :class:`~kg.core.ports.ConsistencyGraph`: what ``kg check`` reads.

Articles are read in pages by id (the uniqueness constraint's index orders them), so a
check of a large graph holds one page of articles and their passages at a time.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from kg.core.records import CheckScope, StoredPassage
from kg.graph import rows as convert
from kg.graph.schema import vocabulary
from kg.graph.store import CypherReader


@dataclass(frozen=True, slots=True)
class _Cypher:
    article_ids_after: str
    stored_passages: str
    existing_passage_ids: str


@cache
def _cypher() -> _Cypher:
    v = vocabulary()
    return _Cypher(
        # Empty $ids and null $prefix filter nothing: one statement serves every scope.
        article_ids_after=f"""
MATCH (a:{v.article})
WHERE ($after IS NULL OR a.id > $after)
  AND (size($ids) = 0 OR a.id IN $ids)
  AND ($prefix IS NULL OR a.url STARTS WITH $prefix)
RETURN a.id AS id ORDER BY a.id LIMIT $limit
""",
        stored_passages=f"""
UNWIND $ids AS id
MATCH (a:{v.article} {{id: id}})-[:{v.has_passage}]->(p:{v.passage})
RETURN a {{.id, .iri, .title, .published, .url, .source, .section}} AS article,
       p {{.id, .iri, .index, .text, .start, .end}} AS passage,
       [(p)-[:{v.mentions}]->(e:{v.entity}) | e.id] AS entity_ids
ORDER BY a.id, p.index
""",
        existing_passage_ids=f"""
UNWIND $ids AS id
MATCH (:{v.article})-[:{v.has_passage}]->(p:{v.passage} {{id: id}})
RETURN DISTINCT p.id AS id
""",
    )


class Neo4jConsistencyGraph:
    """The graph as ``kg check`` compares it with the vectors. The constructor does no I/O.

    Args:
        db: The shared connection (anything that runs a read query).
    """

    def __init__(self, db: CypherReader) -> None:
        self._db = db

    def article_ids_after(self, scope: CheckScope, after: str | None, limit: int) -> list[str]:
        """At most ``limit`` ids of articles in ``scope``, in id order, after ``after``."""
        rows = self._db.run_read(
            _cypher().article_ids_after,
            {
                "after": after,
                "ids": list(scope.article_ids),
                "prefix": scope.url_prefix,
                "limit": limit,
            },
        )
        return [str(r["id"]) for r in rows]

    def stored_passages(self, article_ids: Sequence[str]) -> list[StoredPassage]:
        """The passages of these articles, with their article and mentioned entities."""
        if not article_ids:
            return []
        rows = self._db.run_read(_cypher().stored_passages, {"ids": list(article_ids)})
        return [
            StoredPassage(
                passage=convert.passage(r["passage"], r["article"]["id"]),
                article=convert.article(r["article"]),
                entity_ids=tuple(sorted({str(e) for e in r["entity_ids"]})),
            )
            for r in rows
        ]

    def existing_passage_ids(self, ids: Sequence[str]) -> frozenset[str]:
        """The ids among ``ids`` of passages stored in an article."""
        if not ids:
            return frozenset()
        rows = self._db.run_read(_cypher().existing_passage_ids, {"ids": list(ids)})
        return frozenset(str(r["id"]) for r in rows)
