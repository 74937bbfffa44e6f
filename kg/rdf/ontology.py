"""The ontology (ontology/*.ttl) read with rdflib, and everything Neo4j needs derived from it.

Node labels, relationship types, property keys, list-valued keys, uniqueness constraints,
fulltext indexes and the PLOVER vocabularies all come from the Turtle files, so the graph
schema has one source of truth. :meth:`Ontology.validate` checks a data graph against the
SHACL shapes.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable, Mapping
from functools import cached_property
from pathlib import Path
from types import MappingProxyType

from rdflib import RDF, RDFS, SH, SKOS, BNode, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection

from kg.core.config import PROJECT_ROOT
from kg.core.identity import ONTOLOGY_NS
from kg.rdf.shapes import CompiledShapes, UnsupportedShapes, Violation
from kg.rdf.shapes_compile import compile_shapes, pyshacl_violations
from kg.rdf.specs import (
    NK,
    ClassSpec,
    DerivedJoinSpec,
    FulltextIndexSpec,
    PropertySpec,
    RelationshipSpec,
    derive_classes,
    derive_properties,
    derive_relationships,
    flag,
    local_name,
    text_of,
)
from kg.rdf.triples import Triples

log = logging.getLogger(__name__)

PLOVER = Namespace("https://w3id.org/newskg/plover#")
SHAPES_NS = Namespace("https://w3id.org/newskg/shapes#")
ONTOLOGY_DIR = PROJECT_ROOT / "ontology"
_IN_NOTATIONS_OF = SHAPES_NS["inNotationsOf"]
_IN_CONCEPTS_OF = SHAPES_NS["inConceptsOf"]

_ONTOLOGY_FILE = "newskg.ttl"
_PLOVER_FILE = "plover.ttl"
_SHAPES_FILE = "shapes.ttl"


class Ontology:
    """The parsed ontology, the PLOVER schemes and the shapes, with derived Neo4j schema.

    Build it with :func:`load_ontology` (cached per directory). Instances are immutable and
    hashed by identity.
    """

    def __init__(self, graph: Graph, plover: Graph, shapes: Graph, directory: Path) -> None:
        self.directory = directory
        self.graph = graph
        self.plover = plover
        self.shapes = _expand_notation_lists(shapes, plover)
        self._classes = derive_classes(graph)
        self._properties = derive_properties(graph)
        self._relationships = derive_relationships(graph, self._classes)

    # ------------------------------------------------------------------ labels

    @property
    def classes(self) -> Mapping[str, ClassSpec]:
        """Every node class, keyed by label."""
        return self._classes

    @cached_property
    def node_labels(self) -> frozenset[str]:
        """The allow-list of Neo4j node labels."""
        return frozenset(self._classes)

    @cached_property
    def top_labels(self) -> tuple[str, ...]:
        """Labels whose nodes are merged on id and carry uniqueness constraints."""
        return tuple(
            sorted(label for label in self._classes if flag(self.graph, NK[label], NK["topLabel"]))
        )

    def labels_for(self, class_name: str) -> tuple[str, ...]:
        """The labels of a node of a class (local name or IRI): the class and its superclasses.

        Raises:
            ValueError: the class is not in the ontology.
        """
        return self.class_spec(class_name).labels

    def class_spec(self, class_name: str) -> ClassSpec:
        """The class spec for a local name or an nk: IRI.

        Raises:
            ValueError: the class is not in the ontology.
        """
        name = local_name(URIRef(class_name)) if class_name.startswith(ONTOLOGY_NS) else class_name
        spec = self._classes.get(name)
        if spec is None:
            raise ValueError(f"unknown class {class_name!r}; known: {sorted(self._classes)}")
        return spec

    def class_for_labels(self, labels: Iterable[str]) -> ClassSpec:
        """The class whose label set is exactly ``labels``.

        Raises:
            ValueError: no class has that label set.
        """
        wanted = frozenset(labels)
        for spec in self._classes.values():
            if frozenset(spec.labels) == wanted:
                return spec
        raise ValueError(f"no ontology class has exactly the labels {sorted(wanted)}")

    # ------------------------------------------------------------------ relationships

    @property
    def relationships(self) -> Mapping[str, RelationshipSpec]:
        """Every relationship type, keyed by type."""
        return self._relationships

    @cached_property
    def relationship_types(self) -> frozenset[str]:
        """The allow-list of Neo4j relationship types."""
        return frozenset(self._relationships)

    @cached_property
    def relationship_by_iri(self) -> Mapping[str, RelationshipSpec]:
        """Relationship specs keyed by object property IRI."""
        return MappingProxyType({s.iri: s for s in self._relationships.values()})

    # ------------------------------------------------------------------ properties

    @property
    def properties(self) -> Mapping[str, PropertySpec]:
        """Every node property, keyed by datatype property IRI."""
        return self._properties

    @cached_property
    def property_by_key(self) -> Mapping[str, PropertySpec]:
        """Node property specs keyed by Neo4j key."""
        return MappingProxyType({s.key: s for s in self._properties.values()})

    @cached_property
    def key_by_iri(self) -> Mapping[str, str]:
        """Datatype property IRI -> Neo4j property key."""
        return MappingProxyType({iri: s.key for iri, s in self._properties.items()})

    @cached_property
    def iri_by_key(self) -> Mapping[str, str]:
        """Neo4j property key -> datatype property IRI."""
        return MappingProxyType({s.key: iri for iri, s in self._properties.items()})

    @cached_property
    def multi_valued_keys(self) -> frozenset[str]:
        """Neo4j keys stored as lists."""
        return frozenset(s.key for s in self._properties.values() if s.multi_valued)

    def properties_of(self, label: str) -> tuple[PropertySpec, ...]:
        """The properties a node of class ``label`` may have (by rdfs:domain), sorted by key."""
        labels = self.labels_for(label)
        return tuple(
            sorted(
                (s for s in self._properties.values() if s.domain is None or s.domain in labels),
                key=lambda s: s.key,
            )
        )

    @cached_property
    def id_key(self) -> str:
        """The Neo4j key of the node id (``nk:id``)."""
        return self._properties[str(NK["id"])].key

    @cached_property
    def iri_key(self) -> str:
        """The Neo4j key holding the node IRI."""
        return next(s.key for s in self._properties.values() if s.node_iri)

    @cached_property
    def uniqueness_constraints(self) -> tuple[tuple[str, str], ...]:
        """(label, property key) pairs that must be unique."""
        unique_keys = sorted(s.key for s in self._properties.values() if s.unique)
        return tuple((label, key) for label in self.top_labels for key in unique_keys)

    @cached_property
    def fulltext_indexes(self) -> tuple[FulltextIndexSpec, ...]:
        """The fulltext indexes to create."""
        return self._index_specs("FulltextIndex")

    @cached_property
    def range_indexes(self) -> tuple[FulltextIndexSpec, ...]:
        """The range indexes to create (properties that reads select nodes by)."""
        return self._index_specs("RangeIndex")

    def _index_specs(self, kind: str) -> tuple[FulltextIndexSpec, ...]:
        g = self.graph
        specs = []
        for index in g.subjects(RDF.type, NK[kind]):
            name = text_of(g, index, NK["indexName"])
            if name is None:
                raise ValueError(f"{kind} {index} has no nk:indexName")
            labels = tuple(sorted(local_name(c) for c in g.objects(index, NK["indexLabel"])))
            props = tuple(
                sorted(self._properties[str(p)].key for p in g.objects(index, NK["indexProperty"]))
            )
            specs.append(FulltextIndexSpec(name=name, labels=labels, properties=props))
        return tuple(sorted(specs, key=lambda s: s.name))

    @cached_property
    def derived_joins(self) -> tuple[DerivedJoinSpec, ...]:
        """Store-computed join properties (``aliasText`` from ``name`` and ``aliases``)."""
        g = self.graph
        specs = []
        for iri, spec in self._properties.items():
            head = g.value(URIRef(iri), NK["joinOf"])
            if head is None:
                continue
            members = list(Collection(g, head))
            if len(members) != 2:
                raise ValueError(f"{iri}: nk:joinOf needs (scalar list), got {members}")
            scalar, listed = (self._properties[str(m)] for m in members)
            domain = g.value(URIRef(iri), RDFS.domain)
            if domain is None:
                raise ValueError(f"{iri}: a derived property needs an rdfs:domain")
            specs.append(
                DerivedJoinSpec(
                    label=local_name(domain),
                    key=spec.key,
                    scalar_key=scalar.key,
                    list_key=listed.key,
                    separator=text_of(g, URIRef(iri), NK["joinSeparator"]) or " ",
                )
            )
        return tuple(specs)

    # ------------------------------------------------------------------ PLOVER

    @cached_property
    def plover_types(self) -> tuple[str, ...]:
        """PLOVER event type notations, in the manual's order."""
        order = self.plover.value(PLOVER.EventTypeOrder, SKOS.memberList)
        ordered = [c for c in Collection(self.plover, order)] if order is not None else []
        in_scheme = set(self.plover.subjects(SKOS.inScheme, PLOVER.EventTypes))
        if set(ordered) != in_scheme:
            raise ValueError("plover:EventTypeOrder does not list exactly plover:EventTypes")
        return tuple(str(self.plover.value(c, SKOS.notation)) for c in ordered)

    @cached_property
    def plover_modes(self) -> frozenset[str]:
        """PLOVER mode notations."""
        return frozenset(
            str(self.plover.value(c, SKOS.notation))
            for c in self.plover.subjects(SKOS.inScheme, PLOVER.Modes)
        )

    @cached_property
    def plover_modes_by_type(self) -> Mapping[str, frozenset[str]]:
        """The modes that refine each event type (skos:related)."""
        by_type: dict[str, set[str]] = {t: set() for t in self.plover_types}
        for concept in self.plover.subjects(SKOS.inScheme, PLOVER.Modes):
            mode = str(self.plover.value(concept, SKOS.notation))
            for related in self.plover.objects(concept, SKOS.related):
                by_type[str(self.plover.value(related, SKOS.notation))].add(mode)
        return MappingProxyType({t: frozenset(m) for t, m in by_type.items()})

    # ------------------------------------------------------------------ validation

    @cached_property
    def compiled_shapes(self) -> CompiledShapes | None:
        """The shapes compiled to Python checks; None when they use a feature that is not
        compiled (validation then runs pyshacl)."""
        try:
            return compile_shapes(self.shapes, self.graph)
        except UnsupportedShapes as exc:
            log.warning("SHACL shapes not compiled (%s): validating with pyshacl", exc)
            return None

    def check(self, triples: Triples) -> list[Violation]:
        """Validate triples against the SHACL shapes, one result per failing check.

        Returns:
            The violations, sorted by message; empty when the triples conform.
        """
        compiled = self.compiled_shapes
        if compiled is None:
            return self.violations_pyshacl(triples.to_graph())
        return compiled.violations(triples)

    def violations(self, graph: Graph) -> list[Violation]:
        """Validate a data graph against the SHACL shapes, one result per failing check.

        The ontology is mixed into the data so that ``sh:class`` follows
        ``rdfs:subClassOf``; event types and modes are checked with ``sh:in`` lists made
        from the PLOVER schemes (see :func:`_expand_notation_lists`). The compiled shapes
        (:mod:`kg.rdf.shapes`) do it; :meth:`violations_pyshacl` is the reference.

        Args:
            graph: The data graph (not modified).

        Returns:
            The violations, sorted by message; empty when the graph conforms.
        """
        return self.check(Triples.from_graph(graph))

    def violations_pyshacl(self, graph: Graph) -> list[Violation]:
        """Like :meth:`violations`, with pyshacl (about a hundred times slower)."""
        return pyshacl_violations(graph, self.shapes, self.graph)

    def validate(self, graph: Graph) -> list[str]:
        """Validate a data graph against the SHACL shapes.

        Returns:
            Human-readable violation messages, sorted; empty when the graph conforms.
        """
        return [v.message for v in self.violations(graph)]


def _expand_notation_lists(shapes: Graph, schemes: Graph) -> Graph:
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
    for shape, scheme in list(shapes.subject_objects(_IN_NOTATIONS_OF)):
        notations = sorted(
            str(schemes.value(concept, SKOS.notation))
            for concept in schemes.subjects(SKOS.inScheme, scheme)
        )
        if not notations:
            raise ValueError(f"scheme {scheme} has no concepts with a skos:notation")
        head = BNode()
        Collection(expanded, head, [Literal(n) for n in notations])
        expanded.add((shape, SH["in"], head))
    # ``nks:inConceptsOf SCHEME``: the same for the concepts' IRIs (sem:eventType links).
    for shape, scheme in list(shapes.subject_objects(_IN_CONCEPTS_OF)):
        concepts = sorted(schemes.subjects(SKOS.inScheme, scheme), key=str)
        if not concepts:
            raise ValueError(f"scheme {scheme} has no concepts")
        head = BNode()
        Collection(expanded, head, list(concepts))
        expanded.add((shape, SH["in"], head))
    return expanded


_CACHE: dict[Path, Ontology] = {}
_CACHE_LOCK = threading.Lock()


def load_ontology(directory: Path | None = None) -> Ontology:
    """Parse ``newskg.ttl``, ``plover.ttl`` and ``shapes.ttl`` from a directory, once per path.

    Args:
        directory: Where the Turtle files are; defaults to the repository's ``ontology/``.

    Returns:
        The cached :class:`Ontology` for that directory.
    """
    path = (directory or ONTOLOGY_DIR).resolve()
    with _CACHE_LOCK:
        cached = _CACHE.get(path)
        if cached is not None:
            return cached
        graphs = []
        for name in (_ONTOLOGY_FILE, _PLOVER_FILE, _SHAPES_FILE):
            g = Graph()
            g.parse(path / name, format="turtle")
            graphs.append(g)
        ontology = Ontology(graphs[0], graphs[1], graphs[2], path)
        _CACHE[path] = ontology
        return ontology
