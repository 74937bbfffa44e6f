"""The Neo4j adapter of the :class:`~kg.core.ports.ArticleWriter` port: whole articles,
written in one transaction each.

Nodes are merged per ontology class and relationships per type, in batches of
``UNWIND $rows``; the Cypher lives in :mod:`kg.graph.write_queries`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

import neo4j

from kg.core.errors import GraphWriteError
from kg.core.models import GraphRows, NodeRow, RelRow
from kg.core.records import ArticleWrite, DeleteResult
from kg.graph import write_queries as q
from kg.graph.schema import OntologyBacked
from kg.graph.store import Neo4jConnection
from kg.rdf.ontology import Ontology

_BATCH = 1000  # rows per UNWIND: keeps parameter maps small for big multi-article writes

Batch = tuple[str, list[dict[str, Any]]]
"""A merge statement and the rows it unwinds."""


class Neo4jArticleWriter(OntologyBacked):
    """Writes whole articles to Neo4j. The constructor does no I/O.

    Args:
        db: The shared connection.
        ontology: The ontology deriving the merges; defaults to :func:`load_ontology`.
    """

    def __init__(self, db: Neo4jConnection, ontology: Ontology | None = None) -> None:
        super().__init__(ontology)
        self._db = db

    # ------------------------------------------------------------------ port

    def article_exists(self, article_id: str) -> bool:
        """Whether an article with this id is stored."""
        return bool(self._db.run_read(q.article_exists(), {"id": article_id}))

    def replace_article(self, rows: GraphRows, article_id: str) -> ArticleWrite:
        """Replace one article in one write transaction: all or nothing.

        The transaction first claims the article node (MERGE, then a write that takes its
        lock), so a concurrent replacement of the same article waits for this one to
        commit and then replaces it in turn: the graph never holds two copies or a mix.
        Then the previous version is cleared (the article node stays, locked) and every
        node, then every relationship, is merged.

        Args:
            rows: The article's nodes and relationships, the article node included.
            article_id: The article's id.

        Returns:
            Whether the article existed, and the ids of its previous passages.

        Raises:
            GraphWriteError: a label set or relationship type is not in the ontology, a
                relationship names a node that is neither in ``rows`` nor in the graph, or
                ``rows`` hold no node for the article; nothing was written.
            GraphQueryError: Neo4j refused a statement (e.g. a uniqueness constraint);
                nothing was written.
            ServiceUnavailableError: Neo4j cannot be reached; nothing was written.
        """
        if not any(node.id == article_id for node in rows.nodes):
            raise GraphWriteError(f"the rows hold no node for article {article_id!r}")
        # Built before the transaction: an allow-list refusal must not open one.
        batches = self._node_batches(rows.nodes) + self._rel_batches(rows.relationships)
        claim, clear = q.claim_article(), q.clear_article()

        def work(tx: neo4j.ManagedTransaction) -> ArticleWrite:
            # The driver may run this again after a transient error: no state outside it.
            existed = bool(tx.run(claim, {"id": article_id}).single(strict=True)["existed"])
            removed: tuple[str, ...] = ()
            if existed:
                record = tx.run(clear, {"id": article_id}).single()
                if record is not None:
                    removed = tuple(record["passage_ids"])
            _merge(tx, batches)
            return ArticleWrite(existed=existed, removed_passage_ids=removed)

        return self._db.execute_write(work)

    def existing_articles(self, article_ids: Sequence[str]) -> set[str]:
        """The ids among ``article_ids`` of the articles that are stored (one query)."""
        rows = self._db.run_read(q.existing_articles(), {"ids": list(article_ids)})
        return {str(row["id"]) for row in rows}

    def replace_articles(self, batch: Sequence[tuple[GraphRows, str]]) -> list[ArticleWrite]:
        """Replace many articles in ONE write transaction: all or nothing.

        Each article is replaced whole, as :meth:`replace_article` does: the articles are
        claimed (in id order, so two batch writers cannot deadlock on each other), the
        previous versions of those that existed are cleared, then the nodes and
        relationships of all of them are merged with one ``UNWIND`` statement per class
        and relationship type. A node that several articles of the batch write (a shared
        entity) is merged here as successive writes would merge it: the first article's
        labels and scalars, the union of the list properties in order.

        Args:
            batch: ``(rows, article_id)`` pairs; an article id may appear only once.

        Returns:
            For each pair, in order: whether the article existed, and its previous
            passages.

        Raises:
            GraphWriteError: as :meth:`replace_article`, for any article; nothing was written.
            GraphQueryError: Neo4j refused a statement; nothing was written.
            ServiceUnavailableError: Neo4j cannot be reached; nothing was written.
        """
        ids = [article_id for _, article_id in batch]
        if len(set(ids)) != len(ids):
            raise GraphWriteError("an article appears twice in one batch")
        for rows, article_id in batch:
            if not any(node.id == article_id for node in rows.nodes):
                raise GraphWriteError(f"the rows hold no node for article {article_id!r}")
        nodes = self._merged_nodes([node for rows, _ in batch for node in rows.nodes])
        rels = list(dict.fromkeys(rel for rows, _ in batch for rel in rows.relationships))
        batches = self._node_batches(nodes) + self._rel_batches(rels)
        claim, clear = q.claim_articles(), q.clear_article()

        def work(tx: neo4j.ManagedTransaction) -> list[ArticleWrite]:
            existed = {
                str(record["id"]): bool(record["existed"])
                for record in tx.run(claim, {"ids": sorted(ids)})
            }
            removed: dict[str, tuple[str, ...]] = {}
            for article_id in ids:
                if existed[article_id]:
                    record = tx.run(clear, {"id": article_id}).single()
                    removed[article_id] = tuple(record["passage_ids"]) if record else ()
            _merge(tx, batches)
            return [
                ArticleWrite(existed=existed[i], removed_passage_ids=removed.get(i, ()))
                for i in ids
            ]

        return self._db.execute_write(work)

    def _merged_nodes(self, nodes: Sequence[NodeRow]) -> list[NodeRow]:
        """One row per node id, merged as successive MERGE statements would merge them."""
        merged: dict[str, NodeRow] = {}
        for node in nodes:
            first = merged.get(node.id)
            if first is None:
                merged[node.id] = node
                continue
            try:
                shared = self.ontology.class_for_labels(first.labels).shared
            except ValueError as exc:
                raise GraphWriteError(str(exc), expected=1) from exc
            if not shared:  # replaced by each write: the last one wins
                merged[node.id] = node
                continue
            multi = self.ontology.multi_valued_keys
            props = {k: v for k, v in node.properties.items() if v is not None}
            props.update({k: v for k, v in first.properties.items() if v is not None})
            for key in multi:
                old, new = first.properties.get(key) or [], node.properties.get(key) or []
                if old or new:
                    props[key] = list(dict.fromkeys([*old, *new]))
            merged[node.id] = NodeRow(
                id=first.id, iri=node.iri, labels=first.labels, properties=props
            )
        return list(merged.values())

    def delete_article(self, article_id: str) -> DeleteResult | None:
        """Delete an article and what only it supported, in one transaction.

        Returns:
            What was removed, or None when no article has this id.
        """
        lock, delete = q.lock_article(), q.delete_article()

        def work(tx: neo4j.ManagedTransaction) -> DeleteResult | None:
            # Lock first, in its own statement, so the delete below reads the article as
            # the last concurrent writer committed it.
            if tx.run(lock, {"id": article_id}).single() is None:
                return None
            record = tx.run(delete, {"id": article_id}).single()
            if record is None:
                return None
            return DeleteResult(
                passage_ids=tuple(record["passage_ids"]),
                entity_ids=tuple(record["entity_ids"]),
                nodes_removed=int(record["nodes_removed"]),
            )

        return self._db.execute_write(work)

    def link_duplicate(self, copy_id: str, original_id: str) -> None:
        """MERGE ``(copy)-[:DUPLICATE_OF]->(original)`` in one transaction.

        Raises:
            GraphWriteError: either article is not stored; nothing was written.
        """
        batches = self._rel_batches((RelRow("DUPLICATE_OF", copy_id, original_id),))
        self._db.execute_write(lambda tx: _merge(tx, batches))

    # ------------------------------------------------------------------ batches

    def _node_batches(self, nodes: Sequence[NodeRow]) -> list[Batch]:
        grouped: dict[tuple[str, ...], list[dict[str, Any]]] = defaultdict(list)
        for node in nodes:
            props = {k: v for k, v in node.properties.items() if v is not None}
            grouped[node.labels].append({"id": node.id, "iri": node.iri, "props": props})
        batches = []
        for labels, items in sorted(grouped.items()):
            try:
                spec = self.ontology.class_for_labels(labels)
                query = q.merge_nodes_query(spec, self.ontology)
            except ValueError as exc:  # the ontology's allow-list refuses these labels
                raise GraphWriteError(str(exc), expected=len(items)) from exc
            batches += [(query, items[i : i + _BATCH]) for i in range(0, len(items), _BATCH)]
        return batches

    def _rel_batches(self, rels: Sequence[RelRow]) -> list[Batch]:
        grouped: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for rel in rels:
            grouped[rel.type].append({"start": rel.start_id, "end": rel.end_id})
        batches = []
        for rel_type, items in sorted(grouped.items()):
            spec = self.ontology.relationships.get(rel_type)
            if spec is None:
                raise GraphWriteError(
                    f"relationship type {rel_type!r} is not in the ontology", expected=len(items)
                )
            try:
                query = q.merge_relationships_query(spec, self.ontology)
            except ValueError as exc:  # the ontology's allow-list refuses a name
                raise GraphWriteError(str(exc), expected=len(items)) from exc
            batches += [(query, items[i : i + _BATCH]) for i in range(0, len(items), _BATCH)]
        return batches


def _merge(tx: neo4j.ManagedTransaction, batches: Sequence[Batch]) -> None:
    """Run the merge batches in ``tx``; a batch that writes too few rows aborts it."""
    for query, batch in batches:
        written = tx.run(query, {"rows": batch}).single(strict=True)["written"]
        if written != len(batch):
            # Raising rolls the whole transaction back.
            raise GraphWriteError(
                f"wrote {written} of {len(batch)} rows: relationship ends missing",
                query=query,
                written=written,
                expected=len(batch),
            )
