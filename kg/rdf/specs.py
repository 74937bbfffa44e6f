"""The ontology's vocabulary as data: node kinds, properties and relationships, derived
from the OWL graph (``ontology/newskg.ttl``) by :mod:`kg.rdf.ontology`."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from rdflib import OWL, RDF, RDFS, XSD, Graph, Literal, Namespace, URIRef
from rdflib.term import Node

from kg.core.identity import ONTOLOGY_NS

NK = Namespace(ONTOLOGY_NS)


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
    """A Neo4j index over properties of labels: fulltext, or range (``range_indexes``)."""

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


def relationship_type(name: str) -> str:
    """The relationship type of an object property: ``hasActor`` -> ``HAS_ACTOR``."""
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name).upper()


def local_name(iri: Node) -> str:
    """An IRI's name in the nk: namespace (or after its ``#``)."""
    text = str(iri)
    return text[len(ONTOLOGY_NS) :] if text.startswith(ONTOLOGY_NS) else text.rsplit("#", 1)[-1]


def is_nk(node: Node) -> bool:
    """Whether a node is an IRI of the nk: namespace."""
    return isinstance(node, URIRef) and str(node).startswith(ONTOLOGY_NS)


def flag(graph: Graph, subject: Node, predicate: URIRef) -> bool:
    """A boolean annotation of ``subject`` (false when absent)."""
    value = graph.value(subject, predicate)
    return isinstance(value, Literal) and bool(value.toPython())


def text_of(graph: Graph, subject: Node, predicate: URIRef) -> str | None:
    """A literal annotation of ``subject`` as text, or None."""
    value = graph.value(subject, predicate)
    return None if value is None else str(value)


def derive_classes(g: Graph) -> Mapping[str, ClassSpec]:
    """Node kinds: every nk: class with its chain of nk: superclasses as labels."""
    nk_classes = [c for c in g.subjects(RDF.type, OWL.Class) if is_nk(c)]
    # nk:FulltextIndex and nk:RangeIndex describe indexes; they are not node kinds.
    nk_classes = [c for c in nk_classes if c not in (NK["FulltextIndex"], NK["RangeIndex"])]
    specs: dict[str, ClassSpec] = {}
    for cls in nk_classes:
        chain = [cls]
        current = cls
        while True:
            parents = [p for p in g.objects(current, RDFS.subClassOf) if is_nk(p)]
            if not parents:
                break
            if len(parents) > 1:
                raise ValueError(f"{current} has several nk: superclasses: {parents}")
            current = parents[0]
            chain.append(current)
        chain.reverse()
        top = chain[0]
        specs[local_name(cls)] = ClassSpec(
            iri=str(cls),
            label=local_name(cls),
            labels=tuple(local_name(c) for c in chain),
            top_label=local_name(top),
            class_name_key=text_of(g, top, NK["classNameProperty"]),
            shared=flag(g, top, NK["sharedAcrossArticles"]),
        )
    return MappingProxyType(dict(sorted(specs.items())))


def derive_properties(g: Graph) -> Mapping[str, PropertySpec]:
    """Datatype properties as Neo4j property keys, keyed by IRI."""
    specs: dict[str, PropertySpec] = {}
    for prop in g.subjects(RDF.type, OWL.DatatypeProperty):
        if not is_nk(prop):
            continue
        datatype = g.value(prop, RDFS.range)
        domain = g.value(prop, RDFS.domain)
        specs[str(prop)] = PropertySpec(
            iri=str(prop),
            key=text_of(g, prop, NK["neo4jProperty"]) or local_name(prop),
            datatype=str(datatype) if datatype is not None else str(XSD.string),
            multi_valued=flag(g, prop, NK["multiValued"]),
            unique=flag(g, prop, NK["uniqueKey"]),
            node_iri=flag(g, prop, NK["nodeIri"]),
            derived=flag(g, prop, NK["derivedInStore"]),
            domain=local_name(domain) if domain is not None else None,
        )
    keys = [s.key for s in specs.values()]
    duplicates = {k for k in keys if keys.count(k) > 1}
    if duplicates:
        raise ValueError(f"several datatype properties map to Neo4j keys {duplicates}")
    return MappingProxyType(dict(sorted(specs.items())))


def derive_relationships(
    g: Graph, classes: Mapping[str, ClassSpec]
) -> Mapping[str, RelationshipSpec]:
    """Object properties as relationship types between top labels."""
    specs: dict[str, RelationshipSpec] = {}
    for prop in g.subjects(RDF.type, OWL.ObjectProperty):
        if not is_nk(prop):
            continue
        domain, range_ = g.value(prop, RDFS.domain), g.value(prop, RDFS.range)
        if domain is None or range_ is None:
            raise ValueError(f"object property {prop} needs an rdfs:domain and rdfs:range")
        rel_type = relationship_type(local_name(prop))
        specs[rel_type] = RelationshipSpec(
            iri=str(prop),
            type=rel_type,
            start_label=classes[local_name(domain)].top_label,
            end_label=classes[local_name(range_)].top_label,
        )
    return MappingProxyType(dict(sorted(specs.items())))
