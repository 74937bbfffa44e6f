"""Compiling ``ontology/shapes.ttl`` into :class:`~kg.rdf.shapes.CompiledShapes`, and the
pyshacl reference the compiled checks are tested against."""

from __future__ import annotations

import re
from typing import Any

from rdflib import RDF, SH, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.term import BNode, Node

from kg.rdf.shapes import (
    _DATATYPE_VALUES,
    _NODE_KEYS,
    _PROPERTY_KEYS,
    EVIDENCE_TARGET_QUERY,
    NK_NS,
    CompiledShapes,
    NodeShape,
    PropertyShape,
    Step,
    UnsupportedShapes,
    Violation,
)
from kg.rdf.triples import Triples, term_of

# --------------------------------------------------------------------------- compiling


def compile_shapes(shapes: Graph, ontology: Graph) -> CompiledShapes:
    """Compile the (notation-expanded) shapes graph.

    Raises:
        UnsupportedShapes: a shape uses a SHACL feature not implemented here.
    """
    compiled = []
    for node in sorted(set(shapes.subjects(RDF.type, SH.NodeShape)), key=str):
        compiled.append(_node_shape(shapes, node))
    return CompiledShapes(compiled, Triples.from_graph(ontology))


def _node_shape(g: Graph, node: Node) -> NodeShape:
    for predicate in set(g.predicates(node)):
        if predicate not in _NODE_KEYS:
            raise UnsupportedShapes(f"{node}: {predicate} is not compiled")
    message = _message(g, node, required=False)
    shape = NodeShape(
        node=str(node),
        message=message,
        target_classes=tuple(str(c) for c in g.objects(node, SH.targetClass)),
        target_subjects_of=tuple(str(p) for p in g.objects(node, SH.targetSubjectsOf)),
        classes=tuple(str(c) for c in g.objects(node, SH["class"])),
    )
    for target in g.objects(node, SH.target):
        query = g.value(target, SH.select)
        if g.value(target, RDF.type) != SH.SPARQLTarget or query is None:
            raise UnsupportedShapes(f"{node}: target {target} is not compiled")
        if " ".join(str(query).split()) != EVIDENCE_TARGET_QUERY:
            raise UnsupportedShapes(f"{node}: only the evidence SPARQL target is compiled")
        shape.evidence_target = True
    for prop in g.objects(node, SH.property):
        shape.properties.append(_property_shape(g, prop))
    for head in g.objects(node, SH["or"]):
        for alternative in Collection(g, head):
            shape.alternatives.append(_property_shape(g, alternative, own_message=False))
    if (shape.classes or shape.alternatives) and message is None:
        raise UnsupportedShapes(f"{node}: a node-level constraint needs an sh:message")
    return shape


def _property_shape(g: Graph, node: Node, *, own_message: bool = True) -> PropertyShape:
    for predicate in set(g.predicates(node)):
        if predicate not in _PROPERTY_KEYS:
            raise UnsupportedShapes(f"{node}: {predicate} is not compiled")
    path_node = g.value(node, SH.path)
    if path_node is None:
        raise UnsupportedShapes(f"{node}: a property shape without sh:path")
    path = _path(g, path_node)
    pattern = g.value(node, SH.pattern)
    allowed = g.value(node, SH["in"])
    has_value = g.value(node, SH.hasValue)
    less_than = g.value(node, SH.lessThan)
    less_than_or_equals = g.value(node, SH.lessThanOrEquals)
    classes = tuple(str(c) for c in g.objects(node, SH["class"]))
    datatype = g.value(node, SH.datatype)
    node_kind = g.value(node, SH.nodeKind)
    if node_kind is not None and node_kind not in (SH.IRI, SH.Literal, SH.BlankNode):
        raise UnsupportedShapes(f"{node}: node kind {node_kind} is not compiled")
    if datatype is not None and str(datatype) not in _DATATYPE_VALUES:
        raise UnsupportedShapes(f"{node}: datatype {datatype} is not compiled")
    for bound in (less_than, less_than_or_equals):
        if bound is not None and not isinstance(bound, URIRef):
            raise UnsupportedShapes(f"{node}: sh:lessThan(OrEquals) needs an IRI")
    return PropertyShape(
        node=str(node),
        path=path,
        result_path=str(path_node) if isinstance(path_node, URIRef) else None,
        # Inside sh:or a shape reports nothing itself: the node shape's message is used.
        message=_message(g, node, required=own_message) or "",
        min_count=_int(g, node, SH.minCount),
        max_count=_int(g, node, SH.maxCount),
        datatype=str(datatype) if datatype is not None else None,
        min_length=_int(g, node, SH.minLength),
        pattern=re.compile(str(pattern)) if pattern is not None else None,
        min_inclusive=_value(g.value(node, SH.minInclusive)),
        max_inclusive=_value(g.value(node, SH.maxInclusive)),
        less_than=str(less_than) if less_than is not None else None,
        less_than_or_equals=str(less_than_or_equals) if less_than_or_equals is not None else None,
        classes=classes,
        allowed=frozenset(term_of(v) for v in Collection(g, allowed)) if allowed else None,
        has_value=term_of(has_value) if has_value is not None else None,
        node_kind=str(node_kind) if node_kind is not None else None,
    )


def _path(g: Graph, node: Node) -> tuple[Step, ...]:
    if isinstance(node, URIRef):
        return ((str(node), False, False),)
    if not isinstance(node, BNode):
        raise UnsupportedShapes(f"path {node} is not compiled")
    inverse = g.value(node, SH.inversePath)
    if isinstance(inverse, URIRef):
        return ((str(inverse), True, False),)
    more = g.value(node, SH.oneOrMorePath)
    if isinstance(more, URIRef):
        return ((str(more), False, True),)
    if g.value(node, RDF.first) is not None:
        return tuple(step for member in Collection(g, node) for step in _path(g, member))
    raise UnsupportedShapes(f"path {node} is not compiled")


def _message(g: Graph, node: Node, *, required: bool) -> str | None:
    messages = sorted(str(m) for m in g.objects(node, SH.message))
    if not messages:
        if required:
            raise UnsupportedShapes(f"{node}: a property shape needs an sh:message")
        return None
    return " / ".join(messages)


def _int(g: Graph, node: Node, predicate: URIRef) -> int | None:
    value = g.value(node, predicate)
    return int(value) if isinstance(value, Literal) else None


def _value(node: Node | None) -> Any:
    if node is None:
        return None
    if not isinstance(node, Literal):
        raise UnsupportedShapes(f"{node}: a bound must be a literal")
    return node.toPython()


def pyshacl_violations(graph: Graph, shapes: Graph, ontology: Graph) -> list[Violation]:
    """The reference: validate ``graph`` with pyshacl (ontology mixed in), same wording.

    Args:
        graph: The data graph (not modified).
        shapes: The notation-expanded shapes.
        ontology: The ontology graph.
    """
    import pyshacl  # only the reference needs it; it is slow to import

    conforms, report, _ = pyshacl.validate(
        graph,
        shacl_graph=shapes,
        ont_graph=ontology,
        inference="none",
        advanced=True,  # SHACL-AF: the SPARQL target of the evidence check
        allow_warnings=False,
    )
    if conforms:
        return []
    found: dict[str, Violation] = {}
    for result in report.subjects(RDF.type, SH.ValidationResult):
        focus = report.value(result, SH.focusNode)
        path = report.value(result, SH.resultPath)
        value = report.value(result, SH.value)
        text = " / ".join(sorted(str(m) for m in report.objects(result, SH.resultMessage)))
        kinds = tuple(
            sorted(
                str(t)[len(NK_NS) :]
                for t in graph.objects(focus, RDF.type)
                if isinstance(t, URIRef) and str(t).startswith(NK_NS)
            )
        )
        shape = report.value(result, SH.sourceShape)
        line = f"{'/'.join(kinds) or 'node'} <{focus}>: {text or f'violates {shape}'}"
        if isinstance(path, URIRef):
            local = str(path)
            local = local[len(NK_NS) :] if local.startswith(NK_NS) else local.rsplit("#", 1)[-1]
            line += f" [path {local}]"
        if value is not None and str(value) not in line:
            line += f" [value {value}]"
        found[line] = Violation(focus=str(focus), kinds=kinds, message=line)
    return [found[line] for line in sorted(found)]
