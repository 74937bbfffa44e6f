"""Events in RDF: the export of an Event and its reports validates against the shapes, and
Actions and Events link to their PLOVER concept by IRI (sem:eventType)."""

from __future__ import annotations

import dataclasses
from datetime import date

from rdflib import URIRef

from kg.core.event_merge import event_iri
from kg.core.identity import stable_id
from kg.core.models import NodeRow, RelRow
from kg.rdf.mapping import SEM_EVENT_TYPE, document_to_rdf, rdf_to_rows, rows_to_rdf
from kg.rdf.ontology import PLOVER, load_ontology
from tests.unit.rdf_fixtures import build_document


def _event_rows() -> tuple[list[NodeRow], list[RelRow], NodeRow]:
    onto = load_ontology()
    rows = rdf_to_rows(document_to_rdf(build_document()), onto)
    action = next(n for n in rows.nodes if n.labels == ("Action",))
    iri = event_iri(action.iri)
    event = NodeRow(
        id=stable_id(iri),
        iri=iri,
        labels=("Event",),
        properties={
            "type": action.properties["type"],
            "articleCount": 1,
            "sourceCount": 1,
            "firstReported": date(2016, 6, 20),
            "lastReported": date(2016, 6, 20),
            "eventConfidence": 0.8,
            "leadAction": action.id,
        },
    )
    # The stored embedding is the store's own; the export leaves it out.
    nodes = [
        dataclasses.replace(n, properties={**n.properties, "evidenceEmbedding": [0.1, 0.2]})
        if n.id == action.id
        else n
        for n in rows.nodes
    ]
    rels = [*rows.relationships, RelRow("REPORTS", action.id, event.id)]
    return [*nodes, event], rels, action


def test_exported_events_validate_and_link_their_plover_concept() -> None:
    onto = load_ontology()
    nodes, rels, action = _event_rows()
    g = rows_to_rdf(nodes, rels, onto)
    assert onto.validate(g) == []
    concept = PLOVER[action.properties["type"]]
    event = URIRef(event_iri(action.iri))
    assert (event, SEM_EVENT_TYPE, concept) in g
    assert (URIRef(action.iri), SEM_EVENT_TYPE, concept) in g
    assert not any("evidenceEmbedding" in str(p) for p in g.predicates())


def test_an_event_without_reports_or_with_a_bad_count_fails_the_shapes() -> None:
    onto = load_ontology()
    nodes, rels, _ = _event_rows()
    alone = rows_to_rdf(nodes, [r for r in rels if r.type != "REPORTS"], onto)
    assert any("at least one Action" in m for m in onto.validate(alone))
    bad = [
        dataclasses.replace(n, properties={**n.properties, "sourceCount": 3})
        if n.labels == ("Event",)
        else n
        for n in nodes
    ]
    assert any("no more sources" in m for m in onto.validate(rows_to_rdf(bad, rels, onto)))
