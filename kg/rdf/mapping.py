"""Extracted records -> RDF -> Neo4j rows, and Neo4j rows -> RDF for export.

RDF is the validated intermediate form: :func:`document_to_rdf` builds it from a
:class:`~kg.core.models.ParsedDocument`, the SHACL shapes check it, and :func:`rdf_to_rows` turns
it into the property-graph rows the graph store writes. Labels, relationship types and
property keys all come from the :class:`~kg.rdf.ontology.Ontology`.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any

from rdflib import RDF, XSD, Graph, Literal, URIRef

from kg.core.identity import entity_iri, role_iri, stable_id
from kg.core.models import (
    Action,
    Entity,
    GraphRows,
    NodeRow,
    ParsedDocument,
    Passage,
    RelRow,
)
from kg.rdf.ontology import PLOVER, Ontology
from kg.rdf.specs import NK
from kg.rdf.triples import Iri, Lit, Triples

_PREFIXES = {
    "nk": str(NK),
    "plover": str(PLOVER),
    "schema": "https://schema.org/",
    "sem": "http://semanticweb.cs.vu.nl/2009/11/sem/",
    "prov": "http://www.w3.org/ns/prov#",
}
SEM_EVENT_TYPE = URIRef(_PREFIXES["sem"] + "eventType")


def _new_graph() -> Graph:
    g = Graph()
    for prefix, ns in _PREFIXES.items():
        g.bind(prefix, ns)
    return g


class _PassageLocator:
    """Finds the passage that contains a body offset."""

    def __init__(self, passages: Sequence[Passage]) -> None:
        self._passages = sorted(passages, key=lambda p: p.start)
        self._starts = [p.start for p in self._passages]

    def containing(self, offset: int) -> Passage | None:
        i = bisect.bisect_right(self._starts, offset) - 1
        if i >= 0 and self._passages[i].start <= offset < self._passages[i].end:
            return self._passages[i]
        return None


def _merge_entities(entities: Iterable[Entity]) -> list[Entity]:
    """One entity per key: the first name and type win, aliases are unioned.

    Two records for the same key would otherwise give the node two names, which the
    shapes reject.
    """
    merged: dict[str, Entity] = {}
    for entity in entities:
        first = merged.get(entity.key)
        if first is None:
            merged[entity.key] = entity
            continue
        aliases = tuple(dict.fromkeys(first.aliases + (entity.name,) + entity.aliases))
        merged[entity.key] = Entity(
            key=first.key,
            name=first.name,
            type=first.type,
            aliases=tuple(a for a in aliases if a != first.name),
            wikidata=first.wikidata or entity.wikidata,
            cameo_code=first.cameo_code or entity.cameo_code,
        )
    return list(merged.values())


def document_to_rdf(doc: ParsedDocument) -> Graph:
    """The RDF description of one parsed document, as an rdflib graph.

    See :func:`document_triples`, which ingest uses (rdflib only costs here).
    """
    return document_triples(doc).to_graph(_new_graph())


_RDF_TYPE = str(RDF.type)
_NK = str(NK)
_DATE, _URI, _INTEGER = str(XSD.date), str(XSD.anyURI), str(XSD.integer)
_BOOLEAN, _DOUBLE = str(XSD.boolean), str(XSD.double)
_SEM_EVENT_TYPE = str(SEM_EVENT_TYPE)


def document_triples(doc: ParsedDocument) -> Triples:
    """The RDF description of one parsed document.

    Entity references (mentions, participants, roles) to keys missing from
    ``doc.extraction.entities`` are kept as bare IRIs, so validation reports them instead
    of the mapping inventing entities.

    Args:
        doc: The article, its passages and its extraction.

    Returns:
        The triples of the Article, Passages, Entities, Roles and Actions.
    """
    g = Triples()
    article = doc.article
    a_iri = Iri(article.iri)

    def add(subject: str, predicate: str, value: object, datatype: str | None) -> None:
        if value is not None:
            g.add(subject, _NK + predicate, Lit(value, datatype))

    def link(subject: str, predicate: str, obj: str) -> None:
        g.add(subject, _NK + predicate, Iri(obj))

    def node(iri: str, cls: str) -> Iri:
        subject = Iri(iri)
        g.add(subject, _RDF_TYPE, Iri(_NK + cls))
        g.add(subject, _NK + "id", Lit(stable_id(iri)))
        return subject

    node(article.iri, "Article")
    add(a_iri, "title", article.title, None)
    add(a_iri, "published", article.published, _DATE)
    add(a_iri, "url", article.url, _URI)
    add(a_iri, "source", article.source, None)
    add(a_iri, "section", article.section, None)

    for passage in doc.passages:
        p = node(passage.iri, "Passage")
        link(a_iri, "hasPassage", p)
        add(p, "text", passage.text, None)
        add(p, "index", passage.index, _INTEGER)
        add(p, "start", passage.start, _INTEGER)
        add(p, "end", passage.end, _INTEGER)

    extraction = doc.extraction
    for entity in _merge_entities(extraction.entities):
        e = node(entity.iri, entity.type)
        add(e, "name", entity.name, None)
        for alias in entity.aliases:
            add(e, "alias", alias, None)
        add(e, "wikidata", entity.wikidata, None)
        add(e, "cameoCode", entity.cameo_code, None)

    locator = _PassageLocator(doc.passages)
    for mention in extraction.mentions:
        holder = locator.containing(mention.start)
        if holder is not None:
            link(holder.iri, "mentions", entity_iri(mention.entity_key))

    for role in extraction.roles:
        r = node(role_iri(role.holder_key, role.title, role.organization_key), "Role")
        add(r, "title", role.title, None)
        link(entity_iri(role.holder_key), "holdsRole", r)
        link(r, "statedIn", article.iri)
        if role.organization_key:
            link(r, "roleIn", entity_iri(role.organization_key))

    seen: set[str] = set()
    for action in extraction.actions:
        iri = action.iri_in(article.iri)
        # Identical extractions give the same IRI; a second copy would double every value.
        if iri in seen:
            continue
        seen.add(iri)
        _add_action(g, node(iri, "Action"), action, doc, locator)
    return g


def _add_action(
    g: Triples,
    x: str,
    action: Action,
    doc: ParsedDocument,
    locator: _PassageLocator,
) -> None:
    def add(predicate: str, value: object, datatype: str | None) -> None:
        if value is not None:
            g.add(x, _NK + predicate, Lit(value, datatype))

    def link(predicate: str, obj: str) -> None:
        g.add(x, _NK + predicate, Iri(obj))

    add("eventType", action.type, None)
    if action.type:
        g.add(x, _SEM_EVENT_TYPE, Iri(PLOVER[action.type]))
    add("mode", action.mode, None)
    add("date", action.date, _DATE)
    add("dateText", action.date_text, None)
    add("negated", action.negated, _BOOLEAN)
    add("hypothetical", action.hypothetical, _BOOLEAN)
    add("future", action.future, _BOOLEAN)
    add("confidence", float(action.confidence), _DOUBLE)
    add("trigger", action.trigger, None)
    add("evidenceStart", action.start, _INTEGER)
    add("evidenceEnd", action.end, _INTEGER)
    add("evidenceText", doc.article.body[action.start : action.end], None)
    for actor in action.actors:
        add("actorText", actor.text, None)
        add("actorCode", actor.code, None)
        if actor.entity_key:
            link("hasActor", entity_iri(actor.entity_key))
    for target in action.targets:
        add("targetText", target.text, None)
        add("targetCode", target.code, None)
        if target.entity_key:
            link("hasTarget", entity_iri(target.entity_key))
    if action.place is not None and action.place.entity_key:
        link("hasPlace", entity_iri(action.place.entity_key))
    for source in action.attributed_to:
        if source.entity_key:
            link("attributedTo", entity_iri(source.entity_key))
    passage = locator.containing(action.start)
    if passage is not None:
        link("evidencedBy", passage.iri)
    link("reportedIn", doc.article.iri)


def link_event_type(g: Graph, subject: URIRef, notation: str | None) -> None:
    """Link an Action or Event to its PLOVER concept by IRI (``sem:eventType``), beside the
    ``nk:eventType`` notation; the link follows from the notation, so it is not stored."""
    if notation:
        g.add((subject, SEM_EVENT_TYPE, PLOVER[notation]))


# --------------------------------------------------------------------------- RDF -> rows


def rdf_to_rows(g: Graph, ontology: Ontology) -> GraphRows:
    """The property-graph rows of an RDF graph (see :func:`triples_to_rows`)."""
    return triples_to_rows(Triples.from_graph(g), ontology)


def triples_to_rows(g: Triples, ontology: Ontology) -> GraphRows:
    """The property-graph rows of RDF triples.

    Every subject must be typed with an ontology class, and every predicate must be
    ``rdf:type`` or an nk: property; relationship ends must be nodes of the graph.

    Args:
        g: Triples built by :func:`document_triples` (or any RDF in the ontology).
        ontology: The ontology giving labels, relationship types and property keys.

    Returns:
        Nodes sorted by id, relationships sorted by (type, start, end).

    Raises:
        ValueError: on a class, predicate or node the ontology does not allow.
    """
    classes: dict[str, list[str]] = {}
    for subject, by_predicate in g.out.items():
        found = list(by_predicate.get(_RDF_TYPE, ()))
        if not found:
            raise ValueError(f"{subject} has properties but no rdf:type")
        if subject in g.bnodes or any(not isinstance(t, Iri) or t in g.bnodes for t in found):
            raise ValueError(f"rdf:type triples need IRIs, got {subject} a {found}")
        classes[subject] = [str(t) for t in found]

    nodes: list[NodeRow] = []
    rels: set[tuple[str, str, str]] = set()
    ids = {subject: stable_id(subject) for subject in classes}
    relationship_by_iri = ontology.relationship_by_iri
    properties = ontology.properties
    for subject, types in classes.items():
        spec = _most_specific(ontology, subject, types)
        props: dict[str, Any] = {}
        multi: dict[str, set[Any]] = {}
        for predicate, objects in g.out[subject].items():
            if predicate in (_RDF_TYPE, _SEM_EVENT_TYPE):
                continue  # sem:eventType follows from nk:eventType
            rel = relationship_by_iri.get(predicate)
            if rel is not None:
                for obj in objects:
                    if obj not in ids:
                        raise ValueError(f"{subject} {rel.type} {obj}: the end node is not typed")
                    rels.add((rel.type, ids[subject], ids[str(obj)]))
                continue
            prop = properties.get(predicate)
            if prop is None or prop.node_iri:
                raise ValueError(f"{subject}: predicate {predicate} is not an ontology property")
            for obj in objects:
                if not isinstance(obj, Lit):
                    raise ValueError(f"{subject} {predicate}: expected a literal, got {obj}")
                value = obj.value
                if prop.multi_valued:
                    multi.setdefault(prop.key, set()).add(value)
                elif prop.key in props and props[prop.key] != value:
                    raise ValueError(f"{subject}: {prop.key} has several values")
                else:
                    props[prop.key] = value
        for key, values in multi.items():
            props[key] = sorted(values)
        node_id = props.pop(ontology.id_key, ids[subject])
        if node_id != ids[subject]:
            raise ValueError(f"{subject}: id {node_id} is not the uuid5 of its IRI")
        if spec.class_name_key:
            props[spec.class_name_key] = spec.label
        nodes.append(NodeRow(id=node_id, iri=subject, labels=spec.labels, properties=props))

    return GraphRows(
        nodes=tuple(sorted(nodes, key=lambda n: n.id)),
        relationships=tuple(RelRow(type=t, start_id=s, end_id=e) for t, s, e in sorted(rels)),
    )


def _most_specific(ontology: Ontology, subject: str, types: list[str]) -> Any:
    specs = [ontology.class_spec(str(t)) for t in types if str(t).startswith(str(NK))]
    if len(specs) != len(types):
        foreign = [str(t) for t in types if not str(t).startswith(str(NK))]
        raise ValueError(f"{subject}: classes {foreign} are not in the ontology")
    deepest = max(specs, key=lambda s: len(s.labels))
    for spec in specs:
        if spec.label not in deepest.labels:
            raise ValueError(f"{subject}: incompatible classes {[s.label for s in specs]}")
    return deepest


# --------------------------------------------------------------------------- rows -> RDF


def _literal(value: Any, datatype: str) -> Literal:
    # neo4j.time.Date / DateTime convert to their Python equivalents.
    to_native = getattr(value, "to_native", None)
    if callable(to_native):
        value = to_native()
    if datatype == str(XSD.date) and not isinstance(value, date):
        value = date.fromisoformat(str(value))
    if datatype == str(XSD.string):
        return Literal(str(value))
    return Literal(value, datatype=URIRef(datatype))


def rows_to_rdf(
    nodes: Iterable[NodeRow],
    rels: Iterable[RelRow],
    ontology: Ontology,
    end_iris: Mapping[str, str] | None = None,
) -> Graph:
    """The RDF form of property-graph rows (the inverse of :func:`rdf_to_rows`).

    Store-derived properties (``aliasText``), the class-name key (``type`` of entities)
    and ``iri`` are not asserted: they follow from the node's IRI and class.

    Args:
        nodes: Nodes, with ``id``/``iri`` possibly repeated inside ``properties``.
        rels: Relationships between the nodes' ids.
        ontology: The ontology giving classes and properties.
        end_iris: IRIs of relationship ends that are not among ``nodes`` (an export page
            links to nodes of other pages).

    Returns:
        A graph that validates against the shapes when the rows came from valid documents.

    Raises:
        ValueError: on a label set, property key or relationship type not in the ontology,
            or a relationship between unknown ids.
    """
    g = _new_graph()
    iri_of: dict[str, URIRef] = {k: URIRef(v) for k, v in (end_iris or {}).items()}
    for row in nodes:
        spec = ontology.class_for_labels(row.labels)
        subject = URIRef(row.iri)
        iri_of[row.id] = subject
        g.add((subject, RDF.type, URIRef(spec.iri)))
        g.add((subject, NK["id"], Literal(row.id)))
        for key, value in _without_store_keys(row.properties, spec.class_name_key, ontology):
            prop = ontology.property_by_key.get(key)
            if prop is None:
                raise ValueError(f"node {row.id}: property {key!r} is not in the ontology")
            if value is None:
                continue
            values = value if prop.multi_valued else [value]
            for item in values:
                g.add((subject, URIRef(prop.iri), _literal(item, prop.datatype)))
            if prop.iri == str(NK["eventType"]):
                link_event_type(g, subject, str(value))
    for rel in rels:
        spec_rel = ontology.relationships.get(rel.type)
        if spec_rel is None:
            raise ValueError(f"relationship type {rel.type!r} is not in the ontology")
        if rel.start_id not in iri_of or rel.end_id not in iri_of:
            raise ValueError(f"{rel.type} {rel.start_id}->{rel.end_id}: unknown node id")
        g.add((iri_of[rel.start_id], URIRef(spec_rel.iri), iri_of[rel.end_id]))
    return g


def _without_store_keys(
    properties: Mapping[str, Any], class_name_key: str | None, ontology: Ontology
) -> list[tuple[str, Any]]:
    skipped = {ontology.id_key, ontology.iri_key}
    if class_name_key:
        skipped.add(class_name_key)
    items = []
    for key, value in sorted(properties.items()):
        if key in skipped:
            continue
        prop = ontology.property_by_key.get(key)
        if prop is not None and prop.derived:
            continue
        items.append((key, value))
    return items
