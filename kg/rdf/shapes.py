"""The SHACL shapes compiled to Python checks over :class:`~kg.rdf.triples.Triples`.

pyshacl evaluates the shapes through rdflib, term by term: about 0.2 s for a short article
and a minute for a 100 KB one, several times spaCy's parse of it. The shapes use a small
part of SHACL, so they are compiled once, from ``ontology/shapes.ttl`` (the single source
of truth stays the Turtle), into checks that read dictionaries:

- targets: ``sh:targetClass`` (instances of the class and its subclasses),
  ``sh:targetSubjectsOf``, and the one SHACL-AF SPARQL target of the evidence check,
  recognised by its query text and evaluated natively;
- paths: an IRI, ``sh:inversePath``, and sequences of those and ``sh:oneOrMorePath``;
- constraints: ``sh:minCount``, ``sh:maxCount``, ``sh:datatype``, ``sh:minLength``,
  ``sh:pattern``, ``sh:minInclusive``, ``sh:maxInclusive``, ``sh:lessThan``, ``sh:class``
  (following ``rdfs:subClassOf``), ``sh:in``, ``sh:hasValue``, and ``sh:or`` of property
  shapes on a node shape.

Validation runs over the data with the ontology mixed in, as pyshacl's ``ont_graph`` does,
and reports each failure as pyshacl's report gives it (focus node, its classes, the
shape's message, the path and the value), so :meth:`Ontology.violations` reads the same
either way. A shape using anything else makes
:func:`kg.rdf.shapes_compile.compile_shapes` raise :class:`UnsupportedShapes`, and
validation falls back to pyshacl; the unit tests check that both give the same violations
on valid documents and on hundreds of broken ones. On literals of the wrong type (which the
mapping never makes) the checks are stricter than pyshacl, never laxer.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from rdflib import RDF, RDFS, SH, XSD, URIRef

from kg.rdf.triples import Iri, Lit, Term, Triples

# The SPARQL target of nks:EvidencePassageShape, whitespace-normalised; evaluated natively
# by _evidence_targets. Any other SPARQL target is not compiled.
EVIDENCE_TARGET_QUERY = (
    "SELECT ?this WHERE { ?this nk:evidencedBy ?passage ; nk:evidenceStart ?start ; "
    "nk:reportedIn ?article . OPTIONAL { ?passage nk:start ?passageStart ; nk:end "
    "?passageEnd . } FILTER (!BOUND(?passageStart) || !BOUND(?passageEnd) || ?start < "
    "?passageStart || ?start >= ?passageEnd || NOT EXISTS { ?article nk:hasPassage "
    "?passage }) }"
)
NK_NS = "https://w3id.org/newskg/ontology#"

_NODE_KEYS = {RDF.type, SH.targetClass, SH.targetSubjectsOf, SH.target, SH.property}
_NODE_KEYS |= {SH["class"], SH["or"], SH.message, SH.prefixes, SH.declare}
_PROPERTY_KEYS = {RDF.type, SH.path, SH.message, SH.minCount, SH.maxCount, SH.datatype}
_PROPERTY_KEYS |= {SH.minLength, SH.pattern, SH.minInclusive, SH.maxInclusive, SH.lessThan}
_PROPERTY_KEYS |= {
    SH["class"],
    SH["in"],
    SH.hasValue,
    SH.nodeKind,
    SH.lessThanOrEquals,
    # Expanded into sh:in by the ontology loader (kg.rdf.ontology._expand_notation_lists).
    URIRef("https://w3id.org/newskg/shapes#inNotationsOf"),
    URIRef("https://w3id.org/newskg/shapes#inConceptsOf"),
}

# Well-formed Python values per datatype (a literal built by the mapping carries one).
_DATATYPE_VALUES: dict[str, Callable[[Any], bool]] = {
    str(XSD.string): lambda v: isinstance(v, str),
    str(XSD.anyURI): lambda v: isinstance(v, str),
    str(XSD.integer): lambda v: isinstance(v, int) and not isinstance(v, bool),
    str(XSD.boolean): lambda v: isinstance(v, bool),
    str(XSD.double): lambda v: isinstance(v, float),
    str(XSD.date): lambda v: isinstance(v, date) and not isinstance(v, datetime),
}


class UnsupportedShapes(ValueError):
    """The shapes use a SHACL feature the compiled checks do not implement."""


@dataclass(frozen=True, slots=True)
class Violation:
    """One failed SHACL check: the node it is about, that node's classes, the message."""

    focus: str
    kinds: tuple[str, ...]
    message: str


# A path step: (predicate, inverse, one_or_more).
Step = tuple[str, bool, bool]


@dataclass
class PropertyShape:
    """A compiled property shape."""

    node: str
    path: tuple[Step, ...]
    result_path: str | None  # the path when it is one IRI (pyshacl reports only those)
    message: str
    min_count: int | None = None
    max_count: int | None = None
    datatype: str | None = None
    min_length: int | None = None
    pattern: re.Pattern[str] | None = None
    min_inclusive: Any = None
    max_inclusive: Any = None
    less_than: str | None = None
    less_than_or_equals: str | None = None
    classes: tuple[str, ...] = ()
    allowed: frozenset[Term] | None = None
    has_value: Term | None = None
    node_kind: str | None = None  # sh:IRI, sh:Literal or sh:BlankNode


@dataclass
class NodeShape:
    """A compiled node shape."""

    node: str
    message: str | None
    target_classes: tuple[str, ...] = ()
    target_subjects_of: tuple[str, ...] = ()
    evidence_target: bool = False
    properties: list[PropertyShape] = field(default_factory=list)
    classes: tuple[str, ...] = ()
    alternatives: list[PropertyShape] = field(default_factory=list)  # sh:or


class _Data:
    """The data triples with the ontology's mixed in (read-only view)."""

    def __init__(self, data: Triples, ontology: Triples) -> None:
        self.data = data
        self.ontology = ontology
        subclass = str(RDFS.subClassOf)
        self.subclass_triples = any(subclass in p for p in data.out.values())

    def objects(self, subject: str, predicate: str) -> list[Term]:
        found = self.data.objects(subject, predicate)
        extra = self.ontology.objects(subject, predicate)
        return found + [o for o in extra if o not in found] if extra else found

    def subjects(self, predicate: str, obj: str) -> list[str]:
        found = self.data.subjects(predicate, obj)
        extra = self.ontology.subjects(predicate, obj)
        return found + [s for s in extra if s not in found] if extra else found


class CompiledShapes:
    """The shapes, compiled. Build with :func:`compile_shapes`."""

    def __init__(self, shapes: list[NodeShape], ontology: Triples) -> None:
        self.shapes = shapes
        self.ontology = ontology
        self._subclasses: dict[str, set[str]] = {}  # from the ontology alone

    # ------------------------------------------------------------------ classes

    def _subclasses_of(self, cls: str, data: _Data) -> set[str]:
        """``cls`` and every class below it (rdfs:subClassOf*, ontology and data)."""
        cacheable = not data.subclass_triples
        if cacheable and cls in self._subclasses:
            return self._subclasses[cls]
        seen = {cls}
        todo = [cls]
        while todo:
            for sub in data.subjects(str(RDFS.subClassOf), todo.pop()):
                if sub not in seen:
                    seen.add(sub)
                    todo.append(sub)
        if cacheable:
            self._subclasses[cls] = seen
        return seen

    def _is_instance(self, node: Term, cls: str, data: _Data) -> bool:
        if not isinstance(node, Iri):
            return False
        below = self._subclasses_of(cls, data)
        return any(t in below for t in data.objects(node, str(RDF.type)))

    # ------------------------------------------------------------------ paths

    def _values(self, focus: str, path: Sequence[Step], data: _Data) -> list[Term]:
        nodes: list[Term] = [Iri(focus)]
        for predicate, inverse, more in path:
            step: dict[Term, None] = {}
            frontier = [n for n in nodes if isinstance(n, Iri)]
            first = True
            seen: set[Term] = set()
            while frontier and (first or more):
                found: list[Term] = []
                for node in frontier:
                    hits: Iterable[Term] = (
                        [Iri(s) for s in data.subjects(predicate, node)]
                        if inverse
                        else data.objects(node, predicate)
                    )
                    for hit in hits:
                        if hit not in seen:
                            seen.add(hit)
                            step[hit] = None
                            found.append(hit)
                frontier = [n for n in found if isinstance(n, Iri)]
                first = False
            nodes = list(step)
        return nodes

    # ------------------------------------------------------------------ checks

    def _check_property(
        self, shape: PropertyShape, focus: str, data: _Data
    ) -> list[tuple[str, str | None, Term | None]]:
        """(message, result path, value) of each failure of ``shape`` on ``focus``."""
        values = self._values(focus, shape.path, data)
        fails: list[tuple[str, str | None, Term | None]] = []

        def fail(value: Term | None) -> None:
            fails.append((shape.message, shape.result_path, value))

        if shape.min_count is not None and len(values) < shape.min_count:
            fail(None)
        if shape.max_count is not None and len(values) > shape.max_count:
            fail(None)
        if shape.has_value is not None and shape.has_value not in values:
            fail(None)
        others = data.objects(focus, shape.less_than) if shape.less_than is not None else []
        others_le = (
            data.objects(focus, shape.less_than_or_equals)
            if shape.less_than_or_equals is not None
            else []
        )
        for value in values:
            if shape.datatype is not None and not _has_datatype(value, shape.datatype):
                fail(value)
            if shape.min_length is not None and len(_lexical(value)) < shape.min_length:
                fail(value)
            if shape.pattern is not None and (
                isinstance(value, Iri)
                and value in data.data.bnodes
                or not shape.pattern.search(_lexical(value))
            ):
                fail(value)
            if shape.min_inclusive is not None and not _compare(value, shape.min_inclusive, ">="):
                fail(value)
            if shape.max_inclusive is not None and not _compare(value, shape.max_inclusive, "<="):
                fail(value)
            if shape.allowed is not None and value not in shape.allowed:
                fail(value)
            if shape.node_kind is not None and _node_kind(value, data) != shape.node_kind:
                fail(value)
            for cls in shape.classes:
                if not self._is_instance(value, cls, data):
                    fail(value)
            for other in others:
                if not isinstance(other, Lit) or not _compare(value, other.value, "<"):
                    fail(value)
            for other in others_le:
                if not isinstance(other, Lit) or not _compare(value, other.value, "<="):
                    fail(value)
        return fails

    def _targets(self, shape: NodeShape, data: _Data) -> list[str]:
        focus: dict[str, None] = {}
        for cls in shape.target_classes:
            for sub in self._subclasses_of(cls, data):
                for node in data.subjects(str(RDF.type), sub):
                    focus[node] = None
        for predicate in shape.target_subjects_of:
            for subject in list(data.data.out) + list(data.ontology.out):
                if data.objects(subject, predicate):
                    focus[subject] = None
        if shape.evidence_target:
            for node in _evidence_targets(data):
                focus[node] = None
        return list(focus)

    def violations(self, triples: Triples) -> list[Violation]:
        """Validate ``triples`` (with the ontology mixed in), one result per failing check.

        Returns:
            The violations sorted by message, as :meth:`Ontology.violations` words them.
        """
        data = _Data(triples, self.ontology)
        found: dict[str, Violation] = {}
        for shape in self.shapes:
            for focus in self._targets(shape, data):
                fails: list[tuple[str, str | None, Term | None]] = []
                for prop in shape.properties:
                    fails += self._check_property(prop, focus, data)
                node_message = shape.message or f"violates {shape.node}"
                for cls in shape.classes:
                    if not self._is_instance(Iri(focus), cls, data):
                        fails.append((node_message, None, Iri(focus)))
                if shape.alternatives and all(
                    self._check_property(alt, focus, data) for alt in shape.alternatives
                ):
                    fails.append((node_message, None, Iri(focus)))
                for message, path, value in fails:
                    violation = _violation(triples, focus, message, path, value)
                    found[violation.message] = violation
        return [found[line] for line in sorted(found)]


def _violation(
    triples: Triples, focus: str, message: str, path: str | None, value: Term | None
) -> Violation:
    kinds = tuple(
        sorted(
            t[len(NK_NS) :]
            for t in triples.objects(focus, str(RDF.type))
            if isinstance(t, Iri) and t.startswith(NK_NS)
        )
    )
    line = f"{'/'.join(kinds) or 'node'} <{focus}>: {message}"
    if path is not None:
        local = path[len(NK_NS) :] if path.startswith(NK_NS) else path.rsplit("#", 1)[-1]
        line += f" [path {local}]"
    if value is not None:
        text = value if isinstance(value, Iri) else value.lexical()
        if text not in line:
            line += f" [value {text}]"
    return Violation(focus=focus, kinds=kinds, message=line)


def _lexical(value: Term) -> str:
    return value if isinstance(value, Iri) else value.lexical()


def _has_datatype(value: Term, datatype: str) -> bool:
    if not isinstance(value, Lit) or value.ill_typed:
        return False
    declared = value.datatype or str(XSD.string)
    return declared == datatype and _DATATYPE_VALUES[datatype](value.value)


def _compare(value: Term, bound: Any, op: str) -> bool:
    if not isinstance(value, Lit) or value.ill_typed:
        return False
    left = value.value
    numeric = (int, float)
    if isinstance(left, bool) or isinstance(bound, bool):
        return False
    if not (
        isinstance(left, numeric)
        and isinstance(bound, numeric)
        or type(left) is type(bound)
        and isinstance(left, (str, date))
    ):
        return False
    if op == ">=":
        return bool(left >= bound)
    if op == "<=":
        return bool(left <= bound)
    return bool(left < bound)


def _evidence_targets(data: _Data) -> list[str]:
    """The focus nodes of the evidence check's SPARQL target (see EVIDENCE_TARGET_QUERY)."""
    nk = NK_NS
    found: list[str] = []
    for this, by_predicate in data.data.out.items():
        passages = by_predicate.get(nk + "evidencedBy", {})
        starts = by_predicate.get(nk + "evidenceStart", {})
        articles = by_predicate.get(nk + "reportedIn", {})
        hit = False
        for passage in passages:
            for start in starts:
                for article in articles:
                    if _evidence_fails(data, passage, start, article):
                        hit = True
        if hit:
            found.append(this)
    return found


def _evidence_fails(data: _Data, passage: Term, start: Term, article: Term) -> bool:
    nk = NK_NS
    if not isinstance(passage, Iri):
        bounds: list[tuple[Term, Term]] = []
    else:
        bounds = [
            (s, e)
            for s in data.objects(passage, nk + "start")
            for e in data.objects(passage, nk + "end")
        ]
    linked = isinstance(article, Iri) and passage in data.objects(article, nk + "hasPassage")
    if not bounds:
        return True
    for passage_start, passage_end in bounds:
        first = _sparql_less(start, passage_start)
        second = _sparql_less(start, passage_end)
        # Offsets that do not compare as numbers (never made by the mapping) fail too:
        # stricter than rdflib's SPARQL, whose handling of such comparisons varies.
        if first is None or second is None or first or not second or not linked:
            return True
    return False


def _sparql_less(left: Term, right: Term) -> bool | None:
    if not isinstance(left, Lit) or not isinstance(right, Lit):
        return None
    a, b = left.value, right.value
    if isinstance(a, bool) or isinstance(b, bool):  # a Python bool is an int; not here
        return None
    if isinstance(a, (int, float)) and isinstance(b, (int, float)) and not left.ill_typed:
        return bool(a < b)
    return None


def _node_kind(value: Term, data: _Data) -> str:
    """The SHACL node kind of a value: sh:Literal, sh:BlankNode or sh:IRI."""
    if isinstance(value, Lit):
        return str(SH.Literal)
    return str(SH.BlankNode) if value in data.data.bnodes else str(SH.IRI)
