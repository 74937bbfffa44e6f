"""Cypher built from the ontology: allow-lists and generated statements (no services)."""

from __future__ import annotations

import re

import pytest

from kg.graph import cypher
from kg.rdf.ontology import load_ontology


def test_allow_list_refuses_unknown_names() -> None:
    assert cypher.label("ArmedGroup") == "ArmedGroup"
    assert cypher.rel_type("HAS_ACTOR") == "HAS_ACTOR"
    assert cypher.prop("aliases") == "aliases"
    with pytest.raises(ValueError, match="Robot"):
        cypher.label("Robot")
    with pytest.raises(ValueError):
        cypher.label("Entity) DETACH DELETE (n")
    with pytest.raises(ValueError):
        cypher.rel_type("KNOWS")
    with pytest.raises(ValueError):
        cypher.prop("password")


def test_schema_statements() -> None:
    onto = load_ontology()
    constraints = cypher.constraint_statements(onto)
    assert len(constraints) == 10
    assert (
        "CREATE CONSTRAINT entity_id_unique IF NOT EXISTS FOR (n:Entity) REQUIRE n.id IS UNIQUE"
        in constraints
    )
    assert cypher.fulltext_index_statements(onto) == [
        "CREATE FULLTEXT INDEX entity_names IF NOT EXISTS FOR (n:Entity) "
        "ON EACH [n.aliasText, n.name]",
        "CREATE FULLTEXT INDEX passage_text IF NOT EXISTS FOR (n:Passage) ON EACH [n.text]",
    ]


def test_node_merge_queries() -> None:
    onto = load_ontology()
    entity = cypher.merge_nodes_query(onto.class_spec("ArmedGroup"), onto)
    assert "MERGE (n:Entity {id: row.id})" in entity
    assert "n:Entity:Organization:ArmedGroup" in entity
    assert "SET n.aliases = reduce(" in entity
    assert "SET n.aliasText = reduce(" in entity
    assert "actorTexts" not in entity
    article = cypher.merge_nodes_query(onto.class_spec("Article"), onto)
    assert "SET n = row.props" in article
    assert "aliases" not in article


def test_relationship_merge_query_matches_by_top_labels() -> None:
    onto = load_ontology()
    query = cypher.merge_relationships_query(onto.relationships["HAS_ACTOR"], onto)
    assert "MATCH (a:Action {id: row.start})" in query
    assert "MATCH (b:Entity {id: row.end})" in query
    assert "MERGE (a)-[:HAS_ACTOR]->(b)" in query


def test_export_and_count_queries_cover_the_ontology() -> None:
    onto = load_ontology()
    for name in onto.node_labels:
        assert f"'{name}' AS label" in cypher.COUNT_NODES_BY_LABEL
    for name in onto.relationship_types:
        assert f"[:{name}]" in cypher.EXPORT_RELATIONSHIPS
    for name in onto.top_labels:
        assert f"MATCH (n:{name})" in cypher.EXPORT_NODES


def test_relationship_sets_are_derived_from_the_ontology() -> None:
    assert cypher.relationship_types_between({"Action"}, {"Entity"}) == (
        "ATTRIBUTED_TO",
        "HAS_ACTOR",
        "HAS_PLACE",
        "HAS_TARGET",
    )
    assert cypher.relationship_types_between({"Entity"}, {"Role"}) == ("HOLDS_ROLE",)
    assert cypher.relationship_types_between({"Entity"}, {"Action"}) == ()
    assert cypher.fulltext_index("Entity") == "entity_names"
    assert cypher.fulltext_index("Passage") == "passage_text"
    with pytest.raises(ValueError, match="Action"):
        cypher.fulltext_index("Action")


def _statements() -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    for name, value in vars(cypher).items():
        if isinstance(value, str) and name.isupper():
            found.append((name, value))
        elif isinstance(value, dict):
            found.extend((name, v) for v in value.values() if isinstance(v, str))
    return found


def test_every_label_and_relationship_type_in_a_statement_is_in_the_ontology() -> None:
    onto = load_ontology()
    statements = _statements()
    assert len(statements) > 30
    for name, text in statements:
        # (var:Label) or (:Label:Other {...}), and link:Label in WHERE
        for match in re.finditer(r"[(\w]:([A-Za-z_|:]+)", text):
            for part in re.split(r"[|:]", match.group(1)):
                assert part in onto.node_labels | onto.relationship_types, (name, part)
        # [r:TYPE|TYPE*..n]
        for match in re.finditer(r"\[\w*:([A-Z_|]+)", text):
            for part in match.group(1).split("|"):
                assert part in onto.relationship_types, (name, part)
