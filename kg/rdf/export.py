"""Export the knowledge graph as RDF (Turtle, N-Triples or JSON-LD) in the newskg ontology.

:func:`stream_rdf` reads the graph a page of nodes at a time (a cursor on the node id) and
serialises each page on its own, so memory holds one page, never the graph: Turtle and
N-Triples are concatenations of per-page documents (Turtle allows its ``@prefix``
directives to repeat), and JSON-LD is one ``@graph`` array whose items are written page by
page (a node's triples all sit in its page: they start at it).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any, Literal

from rdflib import Graph

from kg.core.models import GraphPage, NodeRow, RelRow
from kg.core.ports import GraphExporter
from kg.rdf.mapping import rows_to_rdf
from kg.rdf.ontology import load_ontology

RdfFormat = Literal["turtle", "n-triples", "json-ld"]
FORMATS: tuple[str, ...] = ("turtle", "n-triples", "json-ld")
PAGE_NODES = 500
"""Nodes per page: a page and its serialisation take a few megabytes at most."""


def stream_rdf(
    store: GraphExporter, fmt: str = "turtle", page_nodes: int = PAGE_NODES
) -> Iterator[str]:
    """Serialise the graph page by page.

    Args:
        store: The graph to read, one :meth:`~GraphExporter.export_page` per page.
        fmt: ``"turtle"``, ``"n-triples"`` or ``"json-ld"``.
        page_nodes: Nodes per page.

    Yields:
        Pieces of the document, in order; joined they are the whole export.

    Raises:
        ValueError: an unknown format (before anything is read), or a node outside the
            ontology.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown RDF format {fmt!r}; use one of {', '.join(FORMATS)}")
    return _json_ld(store, page_nodes) if fmt == "json-ld" else _text(store, fmt, page_nodes)


def export_graph(store: GraphExporter, fmt: str = "turtle") -> str:
    """The whole export as one string (:func:`stream_rdf`, joined)."""
    return "".join(stream_rdf(store, fmt))


def _pages(store: GraphExporter, page_nodes: int) -> Iterator[Graph]:
    onto = load_ontology()
    after = ""
    while True:
        page = store.export_page(after, page_nodes)
        if not page.rows.nodes:
            return
        yield rows_to_rdf(*_present(page), onto, page.end_iris)
        after = page.last_id or after
        if len(page.rows.nodes) < page_nodes:
            return


def _present(page: GraphPage) -> tuple[list[NodeRow], list[RelRow]]:
    """The page's nodes and relationships, less what a concurrent write deleted.

    Neo4j reads committed data, not a snapshot: a node deleted by a write (an article
    replaced or deleted) after the page's query matched it comes back without labels, id
    or IRI, and it is no longer part of the graph. It is left out with its relationships;
    the export stays whole for everything else (an article written meanwhile may show in
    part, as the README says).
    """
    nodes = [n for n in page.rows.nodes if n.labels and n.id and n.iri]
    kept = {n.id for n in nodes}
    rels = [
        r
        for r in page.rows.relationships
        if r.start_id in kept and (r.end_id in kept or page.end_iris.get(r.end_id))
    ]
    return nodes, rels


def _text(store: GraphExporter, fmt: str, page_nodes: int) -> Iterator[str]:
    rdflib_format = "nt" if fmt == "n-triples" else "turtle"
    for graph in _pages(store, page_nodes):
        yield graph.serialize(format=rdflib_format)


def _context() -> dict[str, str]:
    empty = rows_to_rdf((), (), load_ontology())
    return {prefix: str(ns) for prefix, ns in empty.namespaces() if prefix}


def _json_ld(store: GraphExporter, page_nodes: int) -> Iterator[str]:
    context = _context()
    yield '{\n"@context": ' + json.dumps(context, indent=2) + ',\n"@graph": ['
    first = True
    for graph in _pages(store, page_nodes):
        for item in _items(json.loads(graph.serialize(format="json-ld", context=context))):
            yield ("\n" if first else ",\n") + json.dumps(item, indent=2)
            first = False
    yield "\n]\n}\n"


def _items(document: Any) -> list[Any]:
    """The node objects of a compacted JSON-LD document (one node comes without @graph)."""
    if isinstance(document, list):
        return document
    if "@graph" in document:
        return list(document["@graph"])
    return [{k: v for k, v in document.items() if k != "@context"}]
