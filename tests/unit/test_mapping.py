"""Parsed documents -> RDF -> rows -> RDF, and SHACL validation (no services)."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest
from rdflib import RDF, Graph, Literal, URIRef
from rdflib.compare import isomorphic

from kg.core.identity import entity_iri, role_iri, stable_id
from kg.core.models import Action, Participant
from kg.rdf.mapping import document_to_rdf, rdf_to_rows, rows_to_rdf
from kg.rdf.ontology import load_ontology
from kg.rdf.specs import NK
from tests.unit.rdf_fixtures import build_document


def test_document_validates() -> None:
    assert load_ontology().validate(document_to_rdf(build_document())) == []


def test_document_triples() -> None:
    doc = build_document()
    g = document_to_rdf(doc)
    article = URIRef(doc.article.iri)
    assert (article, RDF.type, NK["Article"]) in g
    assert g.value(article, NK["published"]) == Literal(date(2016, 6, 20))
    assert len(list(g.objects(article, NK["hasPassage"]))) == 2
    farc = URIRef(entity_iri("farc"))
    assert (farc, RDF.type, NK["ArmedGroup"]) in g
    # FARC is mentioned in both passages.
    assert len(list(g.subjects(NK["mentions"], farc))) == 2
    role = URIRef(role_iri("juan-fernando-cristo", "interior minister", "colombia"))
    assert (URIRef(entity_iri("juan-fernando-cristo")), NK["holdsRole"], role) in g
    assert (role, NK["roleIn"], URIRef(entity_iri("colombia"))) in g


def test_actions_link_resolved_participants_and_keep_all_texts() -> None:
    doc = build_document()
    g = document_to_rdf(doc)
    retreat = next(a for a in doc.extraction.actions if a.type == "RETREAT")
    x = URIRef(retreat.iri_in(doc.article.iri))
    assert set(g.objects(x, NK["targetText"])) == {Literal("the government")}
    assert list(g.objects(x, NK["hasTarget"])) == []  # unresolved: text only
    assert list(g.objects(x, NK["hasActor"])) == [URIRef(entity_iri("farc"))]
    assert list(g.objects(x, NK["attributedTo"])) == [URIRef(entity_iri("reuters"))]
    assert list(g.objects(x, NK["evidencedBy"])) == [URIRef(doc.passages[1].iri)]
    assert g.value(x, NK["evidenceText"]) == Literal(doc.article.body[retreat.start : retreat.end])
    assert g.value(x, NK["reportedIn"]) == URIRef(doc.article.iri)


def _with_action(action: Action) -> Graph:
    doc = build_document()
    extraction = dataclasses.replace(doc.extraction, actions=(action,))
    return document_to_rdf(dataclasses.replace(doc, extraction=extraction))


def _action(**changes: object) -> Action:
    base = Action(
        type="ACCUSE",
        actors=(Participant("FARC", "farc"),),
        targets=(),
        start=10,
        end=40,
        trigger="met",
    )
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


def test_action_without_evidence_passage_is_reported() -> None:
    # Its start lies past the body: no passage contains it.
    violations = load_ontology().validate(_with_action(_action(start=500, end=510)))
    assert any("exactly one evidencedBy Passage" in v for v in violations), violations


def test_bad_event_type_is_reported() -> None:
    violations = load_ontology().validate(_with_action(_action(type="FIGHT")))
    assert any(
        "event type is not in the PLOVER event type scheme" in v and "[value FIGHT]" in v
        for v in violations
    ), violations


def test_bad_mode_confidence_and_missing_participants_are_reported() -> None:
    action = _action(actors=(), targets=(), mode="juggle", confidence=1.5)
    violations = load_ontology().validate(_with_action(action))
    text = "\n".join(violations)
    assert "the mode is not in the PLOVER mode scheme [path mode] [value juggle]" in text
    assert "confidence, an xsd:double in [0, 1]" in text
    assert "an Action needs at least one participant" in text


def test_passive_action_with_only_a_target_conforms() -> None:
    action = _action(actors=(), targets=(Participant("FARC", "farc"),))
    assert load_ontology().validate(_with_action(action)) == []


def test_reference_to_an_unknown_entity_is_reported() -> None:
    action = _action(actors=(Participant("ELN", "eln"),))
    violations = load_ontology().validate(_with_action(action))
    assert any("hasActor must point to an Entity" in v for v in violations), violations


def test_passage_and_entity_violations() -> None:
    g = document_to_rdf(build_document())
    passage = next(g.subjects(RDF.type, NK["Passage"]))
    g.remove((passage, NK["end"], None))
    g.add((passage, NK["end"], Literal(0)))
    farc = URIRef(entity_iri("farc"))
    g.add((farc, NK["name"], Literal("FARC-EP")))
    g.add((URIRef("https://example.org/thing"), NK["name"], Literal("Thing")))
    text = "\n".join(load_ontology().validate(g))
    assert "start must be less than its end" in text
    assert "exactly one non-empty name" in text
    assert "must be typed with an Entity class" in text


def test_rdf_to_rows_labels_and_properties() -> None:
    doc = build_document()
    rows = rdf_to_rows(document_to_rdf(doc), load_ontology())
    nodes = {n.iri: n for n in rows.nodes}
    farc = nodes[entity_iri("farc")]
    assert farc.id == stable_id(entity_iri("farc"))
    assert farc.labels == ("Entity", "Organization", "ArmedGroup")
    assert farc.properties == {
        "name": "FARC",
        "aliases": ["Revolutionary Armed Forces of Colombia"],
        "type": "ArmedGroup",
    }
    article = nodes[doc.article.iri]
    assert article.properties["published"] == date(2016, 6, 20)
    assert article.properties["url"] == "https://example.org/news/colombia-farc"
    action = next(
        n for n in rows.nodes if n.labels == ("Action",) and n.properties["type"] == "CONSULT"
    )
    assert action.properties["actorTexts"] == ["Juan Fernando Cristo"]
    assert action.properties["confidence"] == 0.8
    assert action.properties["negated"] is False
    # The document exercises every relationship the ontology defines.
    # DUPLICATE_OF links two articles; the dedup step writes it, not one document's mapping.
    between_articles = {"DUPLICATE_OF", "REPORTS"}  # REPORTS: made by the event merge
    assert {r.type for r in rows.relationships} == (
        load_ontology().relationship_types - between_articles
    )
    assert len(rows.nodes) == 1 + 2 + 5 + 1 + 2


def test_rdf_to_rows_rejects_what_the_ontology_does_not_allow() -> None:
    onto = load_ontology()
    g = document_to_rdf(build_document())
    robot = URIRef("https://example.org/robot")
    g.add((robot, RDF.type, NK["Robot"]))
    with pytest.raises(ValueError, match="Robot"):
        rdf_to_rows(g, onto)

    g = document_to_rdf(build_document())
    g.add((URIRef(entity_iri("farc")), RDF.type, URIRef("https://schema.org/Person")))
    with pytest.raises(ValueError, match="not in the ontology"):
        rdf_to_rows(g, onto)

    g = document_to_rdf(build_document())
    g.add((URIRef(entity_iri("farc")), NK["colour"], Literal("red")))
    with pytest.raises(ValueError, match="colour"):
        rdf_to_rows(g, onto)

    g = document_to_rdf(build_document())
    g.add((URIRef(entity_iri("farc")), RDF.type, NK["Person"]))
    with pytest.raises(ValueError, match="incompatible classes"):
        rdf_to_rows(g, onto)


def test_rows_round_trip_to_the_same_rdf() -> None:
    onto = load_ontology()
    g = document_to_rdf(build_document())
    rows = rdf_to_rows(g, onto)
    back = rows_to_rdf(rows.nodes, rows.relationships, onto)
    assert isomorphic(g, back)
    assert onto.validate(back) == []


def test_rows_to_rdf_skips_store_keys_and_rejects_unknown_ones() -> None:
    onto = load_ontology()
    rows = rdf_to_rows(document_to_rdf(build_document()), onto)
    farc = next(n for n in rows.nodes if n.iri == entity_iri("farc"))
    stored = dataclasses.replace(
        farc,
        properties={**farc.properties, "id": farc.id, "iri": farc.iri, "aliasText": "FARC | x"},
    )
    g = rows_to_rdf([stored], [], onto)
    assert set(g.predicates(URIRef(farc.iri), None)) == {
        RDF.type,
        NK["id"],
        NK["name"],
        NK["alias"],
    }
    bad = dataclasses.replace(farc, properties={"colour": "red"})
    with pytest.raises(ValueError, match="colour"):
        rows_to_rdf([bad], [], onto)
    with pytest.raises(ValueError, match="labels"):
        rows_to_rdf([dataclasses.replace(farc, labels=("Entity", "Robot"))], [], onto)


def test_duplicate_entities_and_actions_are_merged() -> None:
    doc = build_document()
    extra = dataclasses.replace(
        doc.extraction.entities[2], name="FARC-EP", aliases=("FARC rebels",)
    )
    extraction = dataclasses.replace(
        doc.extraction,
        entities=(*doc.extraction.entities, extra),
        actions=doc.extraction.actions + doc.extraction.actions[:1],
    )
    g = document_to_rdf(dataclasses.replace(doc, extraction=extraction))
    assert load_ontology().validate(g) == []
    farc = URIRef(entity_iri("farc"))
    assert {str(a) for a in g.objects(farc, NK["alias"])} == {
        "Revolutionary Armed Forces of Colombia",
        "FARC-EP",
        "FARC rebels",
    }


def test_evidence_outside_its_passage_is_reported() -> None:
    doc = build_document()
    g = document_to_rdf(doc)
    retreat = next(a for a in doc.extraction.actions if a.type == "RETREAT")
    x = URIRef(retreat.iri_in(doc.article.iri))
    g.remove((x, NK["evidencedBy"], None))
    g.add((x, NK["evidencedBy"], URIRef(doc.passages[0].iri)))
    violations = load_ontology().validate(g)
    assert len(violations) == 1
    assert "does not contain evidenceStart" in violations[0]
    assert str(x) in violations[0]
