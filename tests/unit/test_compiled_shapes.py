"""The compiled SHACL checks (kg/rdf/shapes.py) report exactly what pyshacl reports.

Every graph here is validated both ways: the hand-built document, then that document with
one triple removed, one value retyped or replaced, one node retyped, one link redirected,
for every triple in turn (a few hundred graphs covering every shape).
"""

from __future__ import annotations

import random
from datetime import date

import pytest
from rdflib import RDF, XSD, Graph, Literal, URIRef

from kg.core.event_merge import event_iri
from kg.core.identity import entity_iri
from kg.rdf.mapping import SEM_EVENT_TYPE, document_to_rdf, document_triples, rows_to_rdf
from kg.rdf.ontology import PLOVER, load_ontology
from kg.rdf.shapes import UnsupportedShapes
from kg.rdf.shapes_compile import compile_shapes
from kg.rdf.specs import NK
from kg.rdf.triples import Triples
from tests.unit.rdf_fixtures import build_document


def _both(g: Graph) -> tuple[list[str], list[str]]:
    onto = load_ontology()
    return (
        [v.message for v in onto.violations(g)],
        [v.message for v in onto.violations_pyshacl(g)],
    )


_ODD_VALUES = {
    None: [Literal(""), Literal("FIGHT"), Literal("Q0"), Literal("x")],
    str(XSD.integer): [Literal(v, datatype=XSD.integer) for v in (-1, 0, 88, 10_000)],
    str(XSD.double): [Literal(v, datatype=XSD.double) for v in (-0.5, 2.5)],
    str(XSD.boolean): [Literal(True, datatype=XSD.boolean)],
    str(XSD.date): [Literal(date(2020, 1, 1), datatype=XSD.date)],
    str(XSD.anyURI): [Literal("not a url", datatype=XSD.anyURI)],
}
_CROSS_TYPED = [
    Literal("x", datatype=XSD.integer),
    Literal(2.5, datatype=XSD.integer),
    Literal(date(2020, 1, 1), datatype=XSD.date),
    Literal(True, datatype=XSD.boolean),
    Literal(3, datatype=XSD.integer),
    Literal("3"),
]
_ODD_NODES = [
    URIRef(entity_iri("nobody")),
    URIRef("https://example.org/thing"),
    NK["Entity"],
    NK["Passage"],
]


def _copy(g: Graph) -> Graph:
    out = Graph()
    for t in g:
        out.add(t)
    return out


def _mutations(g: Graph, *, cross_typed: bool = False) -> list[Graph]:
    """The graph with each triple removed, replaced and doubled by another value.

    The new values keep the literal's datatype (what a mapping bug could make), or with
    ``cross_typed`` they may be any literal.
    """
    rng = random.Random(7)
    out = []
    for triple in sorted(g, key=lambda t: tuple(map(str, t))):
        s, p, o = triple
        if isinstance(o, Literal):
            pool = (
                _CROSS_TYPED
                if cross_typed
                else _ODD_VALUES[str(o.datatype) if o.datatype else None]
            )
        else:
            pool = _ODD_NODES
        removed = _copy(g)
        removed.remove(triple)
        changed = _copy(removed)
        changed.add((s, p, rng.choice(pool)))
        doubled = _copy(g)
        doubled.add((s, p, rng.choice(pool)))
        out += [removed, changed, doubled]
    return out


def test_a_valid_document_is_valid_both_ways() -> None:
    compiled, reference = _both(document_to_rdf(build_document()))
    assert compiled == reference == []


def test_every_mutation_gives_the_same_violations() -> None:
    graphs = _mutations(document_to_rdf(build_document()))
    assert len(graphs) > 150
    differing = []
    failing = 0
    for g in graphs:
        compiled, reference = _both(g)
        failing += bool(reference)
        if compiled != reference:
            differing.append((set(compiled) - set(reference), set(reference) - set(compiled)))
    assert not differing, differing[:3]
    assert failing > 100  # the mutations do break the shapes


def test_ill_typed_values_are_never_missed() -> None:
    # Values of another type than their property's (which the mapping never makes): the
    # compiled checks report everything pyshacl does, and may be stricter (an offset that
    # is not a number fails the evidence check however rdflib's SPARQL compares it).
    for g in _mutations(document_to_rdf(build_document()), cross_typed=True):
        compiled, reference = _both(g)
        assert set(reference) <= set(compiled), set(reference) - set(compiled)


def test_mapping_triples_are_the_graph() -> None:
    doc = build_document()
    triples = document_triples(doc)
    graph = document_to_rdf(doc)
    assert len(triples) == len(graph)
    assert set(Triples.from_graph(graph)) == set(triples)


def test_unknown_features_are_not_compiled() -> None:
    onto = load_ontology()
    shapes = Graph()
    for t in onto.shapes:
        shapes.add(t)
    shape = next(shapes.subjects(RDF.type, URIRef("http://www.w3.org/ns/shacl#NodeShape")))
    shapes.add((shape, URIRef("http://www.w3.org/ns/shacl#closed"), Literal(True)))
    with pytest.raises(UnsupportedShapes):
        compile_shapes(shapes, onto.graph)
    assert onto.compiled_shapes is not None  # the packaged shapes compile


def test_event_shapes_give_the_same_violations() -> None:
    # Events come from the store, not from an article's RDF: the export's shapes (node
    # kinds, concept IRIs, sourceCount <= articleCount) must compile the same way too.
    from tests.unit.test_event_rdf import _event_rows

    onto = load_ontology()
    nodes, rels, action = _event_rows()
    g = rows_to_rdf(nodes, rels, onto)
    event = URIRef(event_iri(action.iri))
    graphs = []
    for triple in sorted(g.triples((event, None, None)), key=lambda t: tuple(map(str, t))):
        removed = _copy(g)
        removed.remove(triple)
        graphs.append(removed)
    as_literal = _copy(g)
    as_literal.remove((event, SEM_EVENT_TYPE, None))
    as_literal.add((event, SEM_EVENT_TYPE, Literal(str(PLOVER[action.properties["type"]]))))
    not_a_concept = _copy(g)
    not_a_concept.remove((event, SEM_EVENT_TYPE, None))
    not_a_concept.add((event, SEM_EVENT_TYPE, NK["Entity"]))
    more_sources = _copy(g)
    more_sources.remove((event, NK["sourceCount"], None))
    more_sources.add((event, NK["sourceCount"], Literal(5, datatype=XSD.integer)))
    graphs += [as_literal, not_a_concept, more_sources]
    failing = 0
    for mutated in graphs:
        compiled, reference = _both(mutated)
        assert compiled == reference
        failing += bool(reference)
    assert failing >= 6
    assert _both(g) == ([], [])
