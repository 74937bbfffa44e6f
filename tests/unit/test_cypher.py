"""Cypher built from the ontology: allow-lists and generated statements (no services)."""

from __future__ import annotations

import dataclasses
import re
import subprocess
import sys

import pytest

from kg.graph import export_queries, schema, search_queries, write_queries
from kg.graph.read_queries import MAX_PATH_HOPS, read_cypher, shortest_path_query
from kg.graph.reads import RELS_BY_ROLE
from kg.rdf.ontology import load_ontology
from tests.conftest import ROOT


def test_allow_list_refuses_unknown_names() -> None:
    assert schema.label("ArmedGroup") == "ArmedGroup"
    assert schema.rel_type("HAS_ACTOR") == "HAS_ACTOR"
    assert schema.prop("aliases") == "aliases"
    with pytest.raises(ValueError, match="Robot"):
        schema.label("Robot")
    with pytest.raises(ValueError):
        schema.label("Entity) DETACH DELETE (n")
    with pytest.raises(ValueError):
        schema.rel_type("KNOWS")
    with pytest.raises(ValueError):
        schema.prop("password")


def test_schema_statements() -> None:
    onto = load_ontology()
    constraints = schema.constraint_statements(onto)
    assert len(constraints) == 12
    assert (
        "CREATE CONSTRAINT entity_id_unique IF NOT EXISTS FOR (n:Entity) REQUIRE n.id IS UNIQUE"
        in constraints
    )
    assert schema.fulltext_index_statements(onto) == [
        "CREATE FULLTEXT INDEX entity_names IF NOT EXISTS FOR (n:Entity) "
        "ON EACH [n.aliasText, n.name]",
        "CREATE FULLTEXT INDEX passage_text IF NOT EXISTS FOR (n:Passage) ON EACH [n.text]",
    ]
    # Search selects actions by type; the index keeps that from reading every action.
    assert schema.range_index_statements(onto) == [
        "CREATE RANGE INDEX action_type IF NOT EXISTS FOR (n:Action) ON (n.type)"
    ]
    assert "RangeIndex" not in onto.node_labels


def test_node_merge_queries() -> None:
    onto = load_ontology()
    entity = write_queries.merge_nodes_query(onto.class_spec("ArmedGroup"), onto)
    assert "MERGE (n:Entity {id: row.id})" in entity
    assert "n:Entity:Organization:ArmedGroup" in entity
    assert "SET n.aliases = reduce(" in entity
    assert "SET n.aliasText = reduce(" in entity
    assert "actorTexts" not in entity
    article = write_queries.merge_nodes_query(onto.class_spec("Article"), onto)
    assert "SET n = row.props" in article
    assert "aliases" not in article


def test_relationship_merge_query_matches_by_top_labels() -> None:
    onto = load_ontology()
    query = write_queries.merge_relationships_query(onto.relationships["HAS_ACTOR"], onto)
    assert "MATCH (a:Action {id: row.start})" in query
    assert "MATCH (b:Entity {id: row.end})" in query
    assert "MERGE (a)-[:HAS_ACTOR]->(b)" in query


def test_export_and_count_queries_cover_the_ontology() -> None:
    onto = load_ontology()
    for name in onto.node_labels:
        assert f"'{name}' AS label" in export_queries.count_nodes_by_label()
    for name in onto.relationship_types:
        assert f"[:{name}]" in export_queries.export_relationships_from()
    for name in onto.top_labels:
        assert f"MATCH (n:{name})" in export_queries.export_nodes_page()


def test_relationship_sets_are_derived_from_the_ontology() -> None:
    assert schema.relationship_types_between({"Action"}, {"Entity"}) == (
        "ATTRIBUTED_TO",
        "HAS_ACTOR",
        "HAS_PLACE",
        "HAS_TARGET",
    )
    assert schema.relationship_types_between({"Entity"}, {"Role"}) == ("HOLDS_ROLE",)
    assert schema.relationship_types_between({"Entity"}, {"Action"}) == ()
    assert schema.fulltext_index("Entity") == "entity_names"
    assert schema.fulltext_index("Passage") == "passage_text"
    with pytest.raises(ValueError, match="Action"):
        schema.fulltext_index("Action")


def _statements() -> list[tuple[str, str]]:
    """Every statement the graph adapters send that does not depend on a batch."""
    found = [(f"read.{k}", v) for k, v in dataclasses.asdict(read_cypher()).items()]
    found += [(f"path.{h}", shortest_path_query(h)) for h in range(1, MAX_PATH_HOPS + 1)]
    found += [(name, getattr(search_queries, name)) for name in search_queries.__all__]
    for module in (write_queries, export_queries):
        for name, value in vars(module).items():
            wrapped = getattr(value, "__wrapped__", None)  # the functools.cache'd builders
            if callable(wrapped) and not name.startswith("_"):
                found.append((name, value()))
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


def test_builders_are_cached_and_names_unknown_to_search_raise() -> None:
    assert read_cypher() is read_cypher()
    assert write_queries.delete_article() is write_queries.delete_article()
    with pytest.raises(AttributeError):
        _ = search_queries.SEARCH_NOTHING
    with pytest.raises(ValueError):
        shortest_path_query(MAX_PATH_HOPS + 1)


def test_replace_keeps_the_article_node_and_delete_removes_it() -> None:
    assert "DETACH DELETE a\n" in write_queries.delete_article()
    clear = write_queries.clear_article()
    assert "DETACH DELETE a\n" not in clear
    assert "MATCH (a)-[link]-()" in clear
    assert "SET a.id = $id" in write_queries.claim_article()


def test_role_relationships_are_in_the_ontology() -> None:
    types = load_ontology().relationship_types
    assert {rel for rels in RELS_BY_ROLE.values() for rel in rels} <= types


def test_importing_the_graph_adapter_parses_no_ontology() -> None:
    code = (
        "import kg.graph.admin, kg.graph.reads, kg.graph.writes, kg.graph.search_queries\n"
        "import kg.services, kg.rdf.ontology as o\n"
        "assert not o._CACHE, 'the ontology was parsed at import time'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)


def test_entity_lookup_by_name_reads_indexes_not_every_entity() -> None:
    # entity(name:) and the search's entity filter: the id by its constraint's index, names
    # and aliases through the fulltext index, so the lookup does not grow with the graph.
    query = read_cypher().entity_by_key
    assert "db.index.fulltext.queryNodes('entity_names', $phrase" in query
    assert "MATCH (e:Entity {id: $key})" in query
    assert "MATCH (e:Entity)\nWHERE" not in query
