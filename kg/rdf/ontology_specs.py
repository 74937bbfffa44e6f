"""The Neo4j schema items derived from the ontology, and small helpers to read it."""

from __future__ import annotations

import re
from dataclasses import dataclass

from rdflib import SH, SKOS, BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.term import Node

from kg.core.identity import ONTOLOGY_NS


@dataclass(frozen=True, slots=True)
class ClassSpec:
    """An ontology class as a Neo4j node kind."""

    iri: str
    label: str  # the class local name
    labels: tuple[str, ...]  # the class and its nk: superclasses, most general first
    top_label: str  # the most general nk: class: nodes are merged on its id
    class_name_key: str | None  # Neo4j key holding the most specific class name, if any
    shared: bool  # shared across articles: keep first scalars, union lists


@dataclass(frozen=True, slots=True)
class PropertySpec:
    """A datatype property as a Neo4j node property."""

    iri: str
    key: str  # the Neo4j property key
    datatype: str  # the xsd range IRI
    multi_valued: bool
    unique: bool
    node_iri: bool  # its value is the node IRI itself (never asserted in RDF)
    derived: bool  # computed by the graph store, absent from extracted RDF
    domain: str | None  # the label of its rdfs:domain; None when any node may have it


@dataclass(frozen=True, slots=True)
class RelationshipSpec:
    """An object property as a Neo4j relationship type."""

    iri: str
    type: str  # UPPER_SNAKE
    start_label: str  # top label of the domain
    end_label: str  # top label of the range


@dataclass(frozen=True, slots=True)
class FulltextIndexSpec:
    """A Neo4j fulltext index."""

    name: str
    labels: tuple[str, ...]
    properties: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class DerivedJoinSpec:
    """A store-computed property: a scalar and a list property joined by a separator."""

    label: str
    key: str
    scalar_key: str
    list_key: str
    separator: str


def relationship_type(local_name: str) -> str:
    """The relationship type of an object property: ``hasActor`` -> ``HAS_ACTOR``."""
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", local_name).upper()


def _local(iri: Node) -> str:
    text = str(iri)
    return text[len(ONTOLOGY_NS) :] if text.startswith(ONTOLOGY_NS) else text.rsplit("#", 1)[-1]


def _is_nk(node: Node) -> bool:
    return isinstance(node, URIRef) and str(node).startswith(ONTOLOGY_NS)


def _flag(graph: Graph, subject: Node, predicate: URIRef) -> bool:
    value = graph.value(subject, predicate)
    return isinstance(value, Literal) and bool(value.toPython())


def _text(graph: Graph, subject: Node, predicate: URIRef) -> str | None:
    value = graph.value(subject, predicate)
    return None if value is None else str(value)


IN_NOTATIONS_OF = URIRef("https://w3id.org/newskg/shapes#inNotationsOf")


def expand_notation_lists(shapes: Graph, schemes: Graph) -> Graph:
    """A copy of the shapes where ``nks:inNotationsOf SCHEME`` becomes ``sh:in`` listing the
    skos:notation of every concept in SCHEME.

    ``sh:in`` is a core constraint pyshacl checks in memory; a SPARQL constraint per action
    was an order of magnitude slower.
    """
    expanded = Graph()
    for triple in shapes:
        expanded.add(triple)
    for prefix, namespace in shapes.namespaces():
        expanded.bind(prefix, namespace)
    for shape, scheme in list(shapes.subject_objects(IN_NOTATIONS_OF)):
        notations = sorted(
            str(schemes.value(concept, SKOS.notation))
            for concept in schemes.subjects(SKOS.inScheme, scheme)
        )
        if not notations:
            raise ValueError(f"scheme {scheme} has no concepts with a skos:notation")
        head = BNode()
        Collection(expanded, head, [Literal(n) for n in notations])
        expanded.add((shape, SH["in"], head))
    return expanded
