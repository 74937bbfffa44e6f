"""Export the whole knowledge graph as RDF (Turtle or JSON-LD) in the newskg ontology."""

from __future__ import annotations

from typing import Literal

from rdflib import Graph

from kg.core.models import NodeRow, RelRow
from kg.core.ports import GraphStore
from kg.graph import cypher
from kg.rdf.mapping import rows_to_rdf
from kg.rdf.ontology import Ontology, load_ontology

RdfFormat = Literal["turtle", "json-ld"]


def export_rdf_graph(store: GraphStore, ontology: Ontology | None = None) -> Graph:
    """Read every node and relationship of the ontology from the store as an RDF graph.

    Args:
        store: The graph store to read.
        ontology: Defaults to :func:`~kg.rdf.ontology.load_ontology`.

    Returns:
        A graph that validates against the shapes when the store holds valid documents.
    """
    onto = ontology or load_ontology()
    nodes = [
        NodeRow(
            id=row["id"],
            iri=row["iri"],
            labels=tuple(row["labels"]),
            properties=row["properties"],
        )
        for row in store.run_read(cypher.EXPORT_NODES, {})
    ]
    rels = [
        RelRow(type=row["type"], start_id=row["start_id"], end_id=row["end_id"])
        for row in store.run_read(cypher.EXPORT_RELATIONSHIPS, {})
    ]
    return rows_to_rdf(nodes, rels, onto)


def export_graph(store: GraphStore, fmt: RdfFormat = "turtle") -> str:
    """Serialise the whole graph.

    Args:
        store: The graph store to read.
        fmt: ``"turtle"`` or ``"json-ld"``.

    Returns:
        The serialised RDF.

    Raises:
        ValueError: an unknown format, or a node outside the ontology.
    """
    if fmt not in ("turtle", "json-ld"):
        raise ValueError(f"unknown RDF format {fmt!r}; use 'turtle' or 'json-ld'")
    graph = export_rdf_graph(store)
    if fmt == "json-ld":
        context = {prefix: str(ns) for prefix, ns in graph.namespaces() if prefix}
        return graph.serialize(format="json-ld", context=context, indent=2)
    return graph.serialize(format="turtle")
