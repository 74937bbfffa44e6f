"""The Cypher that counts and exports the whole graph, for :class:`kg.graph.admin.Neo4jGraphAdmin`.

One ``UNION ALL`` branch per ontology label or relationship type, so everything the ontology
knows is covered and nothing else is read. Built on first use, not at import.
"""

from __future__ import annotations

from functools import cache

from kg.graph.schema import label, rel_type
from kg.rdf.ontology import load_ontology


@cache
def count_nodes_by_label() -> str:
    """One row ``{label, count}`` per ontology label (a node counts under each of its labels)."""
    parts = [
        # Counting before naming the label: a constant in RETURN would be a grouping key,
        # and an empty label would then yield no row at all.
        f"MATCH (n:{label(name)}) WITH count(n) AS count RETURN '{name}' AS label, count"
        for name in sorted(load_ontology().node_labels)
    ]
    return "\nUNION ALL\n".join(parts)


@cache
def export_nodes_page() -> str:
    """The next ``$limit`` nodes by id after ``$after``: ``{id, iri, labels, properties}``.

    Each branch walks its label's id constraint index in order, so a page reads about
    ``$limit`` nodes per label, not the graph.
    """
    branches = [
        f"MATCH (n:{label(name)}) WHERE n.id > $after RETURN n ORDER BY n.id LIMIT $limit"
        for name in load_ontology().top_labels
    ]
    return (
        "CALL () {\n" + "\nUNION ALL\n".join(branches) + "\n}\n"
        "WITH n ORDER BY n.id LIMIT $limit\n"
        "RETURN n.id AS id, n.iri AS iri, labels(n) AS labels, properties(n) AS properties"
    )


@cache
def export_relationships_from() -> str:
    """The relationships starting at ``$ids``: ``{type, start_id, end_id, end_iri}``."""
    onto = load_ontology()
    parts = []
    for name in sorted(onto.relationship_types):
        spec = onto.relationships[name]
        parts.append(
            f"MATCH (a:{label(spec.start_label)})-[:{rel_type(name)}]->"
            f"(b:{label(spec.end_label)}) WHERE a.id IN $ids "
            f"RETURN '{name}' AS type, a.id AS start_id, b.id AS end_id, b.iri AS end_iri"
        )
    return "\nUNION ALL\n".join(parts)
