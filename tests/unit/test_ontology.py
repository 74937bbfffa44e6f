"""The ontology and what Neo4j derives from it (no services)."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.core.models import ENTITY_TYPES, PLOVER_TYPES
from kg.rdf.ontology import ONTOLOGY_DIR, load_ontology
from kg.rdf.specs import relationship_type


def test_load_is_cached_per_path() -> None:
    assert load_ontology() is load_ontology(ONTOLOGY_DIR)
    assert load_ontology() is load_ontology(Path(str(ONTOLOGY_DIR) + "/."))


def test_labels_follow_the_class_hierarchy() -> None:
    onto = load_ontology()
    assert onto.labels_for("ArmedGroup") == ("Entity", "Organization", "ArmedGroup")
    assert onto.labels_for("Country") == ("Entity", "Place", "Country")
    assert onto.labels_for("Person") == ("Entity", "Person")
    assert onto.labels_for("Article") == ("Article",)
    assert onto.class_spec("Government").top_label == "Entity"
    with pytest.raises(ValueError, match="Robot"):
        onto.labels_for("Robot")


def test_every_entity_type_is_a_class_below_entity() -> None:
    onto = load_ontology()
    for entity_type in ENTITY_TYPES:
        assert onto.labels_for(entity_type)[0] == "Entity"
    expected = {*ENTITY_TYPES, "Entity", "Article", "Passage", "Action", "Event", "Role"}
    assert onto.node_labels == expected


def test_class_for_labels_is_the_exact_label_set() -> None:
    onto = load_ontology()
    assert onto.class_for_labels(["Organization", "Entity", "ArmedGroup"]).label == "ArmedGroup"
    with pytest.raises(ValueError):
        onto.class_for_labels(["Entity", "Person", "Organization"])


def test_relationship_types() -> None:
    onto = load_ontology()
    assert relationship_type("hasActor") == "HAS_ACTOR"
    assert relationship_type("roleIn") == "ROLE_IN"
    assert onto.relationship_types == {
        "HAS_PASSAGE",
        "MENTIONS",
        "HAS_ACTOR",
        "HAS_TARGET",
        "HAS_PLACE",
        "ATTRIBUTED_TO",
        "EVIDENCED_BY",
        "REPORTED_IN",
        "HOLDS_ROLE",
        "ROLE_IN",
        "STATED_IN",
        "DUPLICATE_OF",
        "REPORTS",
    }
    actor = onto.relationships["HAS_ACTOR"]
    assert (actor.start_label, actor.end_label) == ("Action", "Entity")
    assert onto.relationships["HOLDS_ROLE"].end_label == "Role"


def test_property_keys_and_multi_valued() -> None:
    onto = load_ontology()
    ns = "https://w3id.org/newskg/ontology#"
    assert onto.key_by_iri[ns + "alias"] == "aliases"
    assert onto.key_by_iri[ns + "eventType"] == "type"
    assert onto.key_by_iri[ns + "published"] == "published"
    assert onto.iri_by_key["actorTexts"] == ns + "actorText"
    assert onto.multi_valued_keys == {
        "aliases",
        "actorTexts",
        "targetTexts",
        "actorCodes",
        "targetCodes",
    }
    assert (onto.id_key, onto.iri_key) == ("id", "iri")
    entity_keys = {p.key for p in onto.properties_of("Person")}
    assert {"name", "aliases", "aliasText", "wikidata", "id", "iri"} <= entity_keys
    assert "evidenceText" not in entity_keys


def test_uniqueness_constraints_cover_every_top_label() -> None:
    onto = load_ontology()
    assert onto.top_labels == ("Action", "Article", "Entity", "Event", "Passage", "Role")
    assert set(onto.uniqueness_constraints) == {
        (label, key) for label in onto.top_labels for key in ("id", "iri")
    }


def test_fulltext_indexes() -> None:
    specs = {s.name: s for s in load_ontology().fulltext_indexes}
    assert set(specs) == {"entity_names", "passage_text"}
    assert specs["entity_names"].labels == ("Entity",)
    assert specs["entity_names"].properties == ("aliasText", "name")
    assert specs["passage_text"].labels == ("Passage",)
    assert specs["passage_text"].properties == ("text",)


def test_alias_text_is_a_store_derived_join() -> None:
    (join,) = load_ontology().derived_joins
    assert (join.label, join.key, join.scalar_key, join.list_key) == (
        "Entity",
        "aliasText",
        "name",
        "aliases",
    )
    assert join.separator == " | "


def test_plover_scheme_equals_the_models_types() -> None:
    onto = load_ontology()
    assert onto.plover_types == PLOVER_TYPES


def test_plover_modes() -> None:
    onto = load_ontology()
    assert {
        "phone",
        "visit",
        "allege",
        "abduct",
        "ceasefire",
        "demo",
        "troops",
    } <= onto.plover_modes
    assert "visit" in onto.plover_modes_by_type["CONSULT"]
    assert "seize" in onto.plover_modes_by_type["ASSAULT"]
    assert "seize" in onto.plover_modes_by_type["COERCE"]
    assert "economic" in onto.plover_modes_by_type["AGREE"]
    assert "seize" not in onto.plover_modes_by_type["AGREE"]
