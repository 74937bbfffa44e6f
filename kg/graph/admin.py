"""The Neo4j adapter of :class:`~kg.core.ports.GraphAdmin`: schema, probes, counts, export.

It owns the lifecycle of the connection the other graph adapters share: :meth:`close`
closes it for all of them.
"""

from __future__ import annotations

import neo4j

from kg.core.models import GraphPage, GraphRows, NodeRow, RelRow
from kg.graph import export_queries, schema
from kg.graph.schema import OntologyBacked
from kg.graph.store import Neo4jConnection
from kg.rdf.ontology import Ontology

_INDEX_TIMEOUT_SECONDS = 120


class Neo4jGraphAdmin(OntologyBacked):
    """Schema, probes, counts and export of the graph in Neo4j. The constructor does no I/O.

    Args:
        db: The shared connection.
        ontology: The ontology deriving the schema; defaults to :func:`load_ontology`.
    """

    def __init__(self, db: Neo4jConnection, ontology: Ontology | None = None) -> None:
        super().__init__(ontology)
        self._db = db

    def bootstrap(self) -> None:
        """Create the uniqueness constraints, fulltext and range indexes (idempotent), then
        wait until every index is online."""
        statements = schema.constraint_statements(self.ontology)
        statements += schema.fulltext_index_statements(self.ontology)
        statements += schema.range_index_statements(self.ontology)
        for statement in statements:
            # Schema statements cannot share a transaction with each other's writes.
            self._db.run_auto(statement)
        self._db.run_auto(schema.AWAIT_INDEXES, {"timeout_seconds": _INDEX_TIMEOUT_SECONDS})

    def ping(self) -> None:
        """Raise ServiceUnavailableError unless Neo4j answers a trivial query."""
        # An auto-commit query: managed transactions would retry an outage for seconds.
        self._db.run_auto(schema.PING, probe=True)

    def counts_by_label(self) -> dict[str, int]:
        """Nodes per ontology label, zero counts included."""
        rows = self._db.run_read(export_queries.count_nodes_by_label(), {})
        return {str(r["label"]): int(r["count"]) for r in rows}

    def export_page(self, after: str, limit: int) -> GraphPage:
        """See :meth:`kg.core.ports.GraphExporter.export_page`.

        One read transaction per page: a page is consistent, the whole export is not
        (an article written while it runs may show up in part).
        """
        nodes_query, rels_query = (
            export_queries.export_nodes_page(),
            export_queries.export_relationships_from(),
        )

        def work(tx: neo4j.ManagedTransaction) -> GraphPage:
            nodes = tuple(
                NodeRow(
                    id=row["id"],
                    iri=row["iri"],
                    labels=tuple(row["labels"]),
                    properties=row["properties"],
                )
                for row in tx.run(nodes_query, {"after": after, "limit": limit})
            )
            ids = [node.id for node in nodes]
            rels: list[RelRow] = []
            end_iris: dict[str, str] = {}
            for row in tx.run(rels_query, {"ids": ids}) if ids else ():
                rels.append(
                    RelRow(type=row["type"], start_id=row["start_id"], end_id=row["end_id"])
                )
                end_iris[row["end_id"]] = row["end_iri"]
            return GraphPage(GraphRows(nodes=nodes, relationships=tuple(rels)), end_iris)

        return self._db.execute_read(work)

    def close(self) -> None:
        """Close the shared connection (a later call on any adapter reconnects)."""
        self._db.close()
