"""A small in-memory triple index: the RDF of a document without rdflib's cost.

Building an rdflib ``Graph`` (terms, contexts, three indexes) cost about as much as spaCy's
parse of the same article, and reading it back for the rows again; ingest only needs to add
triples, validate them (:mod:`kg.rdf.shapes`) and turn them into rows. So the mapping builds
:class:`Triples`: IRIs are :class:`Iri` strings, literals are :class:`Lit` (a Python value
and its datatype IRI, None for a plain string), and duplicates collapse as in a graph.
:meth:`Triples.to_graph` and :meth:`Triples.from_graph` convert to and from rdflib for
export, tests and the reference validator.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, NamedTuple

from rdflib import Graph, Literal, URIRef
from rdflib.term import BNode, Node


class Iri(str):
    """An IRI (as opposed to a plain string literal)."""

    __slots__ = ()


class Lit(NamedTuple):
    """A literal: its Python value and datatype IRI (None: a plain string).

    ``ill_typed`` marks a literal read from rdflib whose lexical form does not fit its
    datatype (the value is then the lexical form).
    """

    value: Any
    datatype: str | None = None
    ill_typed: bool = False

    def lexical(self) -> str:
        """The lexical form, as rdflib writes it."""
        if self.ill_typed:
            return str(self.value)
        return str(self.to_rdflib())

    def to_rdflib(self) -> Literal:
        """The rdflib literal."""
        datatype = URIRef(self.datatype) if self.datatype else None
        if self.ill_typed:
            return Literal(str(self.value), datatype=datatype)
        return Literal(self.value, datatype=datatype)


Term = Iri | Lit


class Triples:
    """Triples indexed by subject and, for IRI objects, by object; no duplicates."""

    def __init__(self) -> None:
        self.out: dict[str, dict[str, dict[Term, None]]] = {}
        self.inv: dict[str, dict[str, dict[str, None]]] = {}
        self.bnodes: set[str] = set()  # subjects that were blank nodes in rdflib

    def add(self, subject: str, predicate: str, obj: Term) -> None:
        """Add one triple (a duplicate is ignored)."""
        self.out.setdefault(subject, {}).setdefault(predicate, {})[obj] = None
        if isinstance(obj, Iri):
            self.inv.setdefault(obj, {}).setdefault(predicate, {})[subject] = None

    def objects(self, subject: str, predicate: str) -> list[Term]:
        """The objects of ``subject predicate ?o``, in insertion order."""
        return list(self.out.get(subject, {}).get(predicate, ()))

    def subjects(self, predicate: str, obj: str) -> list[str]:
        """The subjects of ``?s predicate obj`` for an IRI ``obj``."""
        return list(self.inv.get(obj, {}).get(predicate, ()))

    def __iter__(self) -> Iterator[tuple[str, str, Term]]:
        for subject, by_predicate in self.out.items():
            for predicate, objects in by_predicate.items():
                for obj in objects:
                    yield subject, predicate, obj

    def __len__(self) -> int:
        return sum(len(o) for p in self.out.values() for o in p.values())

    # ------------------------------------------------------------------ rdflib

    def to_graph(self, graph: Graph | None = None) -> Graph:
        """The triples as an rdflib graph (added to ``graph`` when given)."""
        g = graph if graph is not None else Graph()
        for subject, predicate, obj in self:
            s = BNode(subject) if subject in self.bnodes else URIRef(subject)
            o: Node
            if isinstance(obj, Iri):
                o = BNode(obj) if obj in self.bnodes else URIRef(obj)
            else:
                o = obj.to_rdflib()
            g.add((s, URIRef(predicate), o))
        return g

    @classmethod
    def from_graph(cls, graph: Graph) -> Triples:
        """The triples of an rdflib graph (blank nodes keep their ids)."""
        triples = cls()
        for s, p, o in graph:
            if isinstance(s, BNode):
                triples.bnodes.add(str(s))
            if isinstance(o, BNode):
                triples.bnodes.add(str(o))
            triples.add(str(s), str(p), term_of(o))
        return triples


def term_of(node: Node) -> Term:
    """An rdflib term as a :data:`Term`."""
    if isinstance(node, Literal):
        datatype = str(node.datatype) if node.datatype is not None else None
        if node.ill_typed:
            return Lit(str(node), datatype, ill_typed=True)
        value = node.toPython()
        if isinstance(value, Literal):  # a datatype rdflib does not convert (xsd:anyURI)
            value = str(value)
        return Lit(value, datatype)
    return Iri(str(node))
