"""The Neo4j graph store against the real server: schema, writes, deletes, export.

Every test writes documents under its own article URLs and entity keys (a uuid suffix)
and removes exactly the nodes it wrote.
"""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Callable, Iterator

import pytest
from rdflib import RDF, Graph, URIRef

from kg.core.config import get_settings
from kg.core.errors import GraphQueryError, GraphWriteError, ServiceUnavailableError
from kg.core.models import GraphRows, NodeRow, ParsedDocument, RelRow
from kg.core.ports import GraphStore
from kg.graph import cypher
from kg.graph.store import Neo4jGraphStore, graph_store_from_settings
from kg.rdf.export import export_graph
from kg.rdf.mapping import document_to_rdf, rdf_to_rows
from kg.rdf.ontology import NK, load_ontology
from tests.unit.rdf_fixtures import build_document

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def store() -> Iterator[Neo4jGraphStore]:
    graph = graph_store_from_settings(get_settings())
    graph.bootstrap()
    yield graph
    graph.close()


@pytest.fixture()
def make_doc(store: Neo4jGraphStore) -> Iterator[Callable[..., ParsedDocument]]:
    """Build fixture documents unique to this test; delete everything they wrote afterwards."""
    suffix = f"-{uuid.uuid4().hex[:12]}"
    written: list[ParsedDocument] = []

    def _make(name: str = "a") -> ParsedDocument:
        doc = build_document(f"https://test.newskg.invalid/{name}{suffix}", key_suffix=suffix)
        written.append(doc)
        return doc

    yield _make
    ids: set[str] = set()
    for doc in written:
        store.run_write(cypher.DELETE_ARTICLE, {"id": doc.article.id})
        ids |= {n.id for n in rows_of(doc).nodes}
    # Whatever a failed assertion left behind, by id only.
    store.run_write("MATCH (n) WHERE n.id IN $ids DETACH DELETE n", {"ids": sorted(ids)})


def rows_of(doc: ParsedDocument) -> GraphRows:
    return rdf_to_rows(document_to_rdf(doc), load_ontology())


def counts(store: GraphStore, ids: set[str]) -> tuple[int, int]:
    """Nodes with these ids, and relationships from them."""
    nodes = store.run_read("MATCH (n) WHERE n.id IN $ids RETURN count(n) AS n", {"ids": list(ids)})
    rels = store.run_read(
        "MATCH (n)-[r]->() WHERE n.id IN $ids RETURN count(r) AS n", {"ids": list(ids)}
    )
    return int(nodes[0]["n"]), int(rels[0]["n"])


def test_store_implements_the_port() -> None:
    graph: GraphStore = graph_store_from_settings(get_settings())
    graph.close()  # never connected: nothing to do


def test_unreachable_server_is_service_unavailable() -> None:
    graph = Neo4jGraphStore("bolt://127.0.0.1:9", "neo4j", "wrong", "neo4j")
    with pytest.raises(ServiceUnavailableError) as info:
        graph.ping()
    assert info.value.service == "neo4j"
    graph.close()


def test_bootstrap_is_idempotent(store: Neo4jGraphStore) -> None:
    store.bootstrap()
    before = store.run_read("SHOW CONSTRAINTS YIELD name RETURN name", {})
    store.bootstrap()
    after = store.run_read("SHOW CONSTRAINTS YIELD name RETURN name", {})
    assert sorted(r["name"] for r in before) == sorted(r["name"] for r in after)
    names = {r["name"] for r in after}
    for label, key in load_ontology().uniqueness_constraints:
        assert f"{label.lower()}_{key}_unique" in names
    indexes = store.run_read(
        "SHOW FULLTEXT INDEXES YIELD name, state, labelsOrTypes, properties "
        "RETURN name, state, labelsOrTypes, properties",
        {},
    )
    by_name = {r["name"]: r for r in indexes}
    assert by_name["entity_names"]["state"] == "ONLINE"
    assert sorted(by_name["entity_names"]["properties"]) == ["aliasText", "name"]
    assert by_name["passage_text"]["labelsOrTypes"] == ["Passage"]


def test_write_twice_gives_the_same_graph(
    store: Neo4jGraphStore, make_doc: Callable[..., ParsedDocument]
) -> None:
    rows = rows_of(make_doc())
    ids = {n.id for n in rows.nodes}
    store.write(rows)
    first = counts(store, ids)
    store.write(rows)
    assert counts(store, ids) == first == (len(rows.nodes), len(rows.relationships))
    farc = store.run_read(
        "MATCH (e:Entity) WHERE e.id IN $ids AND e.name = 'FARC' "
        "RETURN labels(e) AS labels, e.type AS type, e.aliases AS aliases, e.aliasText AS text",
        {"ids": list(ids)},
    )
    assert farc == [
        {
            "labels": ["Entity", "Organization", "ArmedGroup"],
            "type": "ArmedGroup",
            "aliases": ["Revolutionary Armed Forces of Colombia"],
            "text": "FARC | Revolutionary Armed Forces of Colombia",
        }
    ]
    hits = store.run_read(
        "CALL db.index.fulltext.queryNodes('entity_names', $q) YIELD node "
        "WHERE node.id IN $ids RETURN node.name AS name",
        {"q": "Revolutionary", "ids": list(ids)},
    )
    assert [h["name"] for h in hits] == ["FARC"]


def test_failing_write_leaves_nothing(
    store: Neo4jGraphStore, make_doc: Callable[..., ParsedDocument]
) -> None:
    rows = rows_of(make_doc())
    ids = {n.id for n in rows.nodes}
    # The last relationship names a node that exists nowhere: the check fails after every
    # node and most relationships were merged inside the transaction.
    broken = dataclasses.replace(
        rows, relationships=rows.relationships + (RelRow("MENTIONS", rows.nodes[0].id, "nope"),)
    )
    with pytest.raises(GraphWriteError, match="relationship ends missing") as info:
        store.write(broken)
    assert info.value.query is not None and "MENTIONS" in info.value.query
    assert info.value.written == info.value.expected - 1
    assert counts(store, ids) == (0, 0)


def test_constraint_violation_rolls_back(
    store: Neo4jGraphStore, make_doc: Callable[..., ParsedDocument]
) -> None:
    first, second = make_doc("first"), make_doc("second")
    store.write(rows_of(first))
    rows = rows_of(second)
    ids = {n.id for n in rows.nodes}
    # A node claiming the first article's IRI under another id breaks iri uniqueness.
    clash = NodeRow(
        id=str(uuid.uuid4()), iri=first.article.iri, labels=("Article",), properties={"title": "x"}
    )
    with pytest.raises(GraphQueryError, match="ConstraintValidationFailed") as info:
        store.write(dataclasses.replace(rows, nodes=rows.nodes + (clash,)))
    assert info.value.code == "Neo.ClientError.Schema.ConstraintValidationFailed"
    nodes, _ = counts(store, ids - {n.id for n in rows_of(first).nodes})
    assert nodes == 0


def test_unknown_labels_and_types_are_refused(store: Neo4jGraphStore) -> None:
    robot = NodeRow(id=str(uuid.uuid4()), iri="urn:x", labels=("Robot",), properties={})
    with pytest.raises(GraphWriteError, match="Robot") as info:
        store.write(GraphRows(nodes=(robot,), relationships=()))
    assert (info.value.query, info.value.expected) == (None, 1)
    with pytest.raises(GraphWriteError, match="KNOWS"):
        store.write(GraphRows(nodes=(), relationships=(RelRow("KNOWS", "a", "b"),)))


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("MATCH (n RETURN n", "Neo.ClientError.Statement.SyntaxError"),
        (
            "CALL db.index.fulltext.queryNodes('entity_names', 'ELN OR') YIELD node RETURN node",
            "Neo.ClientError.Procedure.ProcedureCallFailed",
        ),
    ],
)
def test_refused_queries_are_query_errors_not_outages(
    store: Neo4jGraphStore, query: str, code: str
) -> None:
    with pytest.raises(GraphQueryError) as info:
        store.run_read(query, {})
    assert not isinstance(info.value, ServiceUnavailableError)
    assert info.value.code == code
    assert info.value.detail


def test_delete_article_removes_orphans_and_keeps_shared_entities(
    store: Neo4jGraphStore, make_doc: Callable[..., ParsedDocument]
) -> None:
    doc_a, doc_b = make_doc("a"), make_doc("b")
    # Article B mentions FARC under another alias; it shares FARC with A and nothing else.
    b_farc = dataclasses.replace(doc_b.extraction.entities[2], aliases=("FARC-EP",))
    b_extraction = dataclasses.replace(
        doc_b.extraction,
        entities=(b_farc,),
        mentions=tuple(m for m in doc_b.extraction.mentions if m.entity_key == b_farc.key),
        actions=(),
        roles=(),
    )
    doc_b = dataclasses.replace(doc_b, extraction=b_extraction)
    rows_a, rows_b = rows_of(doc_a), rows_of(doc_b)
    store.write(rows_a)
    store.write(rows_b)
    farc_id = b_farc.id
    (farc,) = store.run_read(
        "MATCH (e:Entity {id: $id}) RETURN e.name AS name, e.aliases AS aliases, "
        "e.aliasText AS text",
        {"id": farc_id},
    )
    assert farc["aliases"] == ["Revolutionary Armed Forces of Colombia", "FARC-EP"]
    assert farc["text"] == "FARC | Revolutionary Armed Forces of Colombia | FARC-EP"

    (result,) = store.run_write(cypher.DELETE_ARTICLE, {"id": doc_a.article.id})
    assert sorted(result["passage_ids"]) == sorted(p.id for p in doc_a.passages)
    a_only = {e.id for e in doc_a.extraction.entities} - {farc_id}
    assert set(result["entity_ids"]) == a_only
    # article + 2 passages + 2 actions + 4 entities + 1 role
    assert result["nodes_removed"] == 10
    remaining_a = {n.id for n in rows_a.nodes} - {farc_id}
    assert counts(store, remaining_a)[0] == 0
    assert store.run_read(cypher.ARTICLE_EXISTS, {"id": doc_b.article.id})
    assert counts(store, {farc_id})[0] == 1

    (result,) = store.run_write(cypher.DELETE_ARTICLE, {"id": doc_b.article.id})
    assert result["entity_ids"] == [farc_id]
    assert counts(store, {n.id for n in rows_b.nodes})[0] == 0
    assert store.run_write(cypher.DELETE_ARTICLE, {"id": doc_b.article.id}) == []


def test_entities_by_alias_is_case_insensitive(
    store: Neo4jGraphStore, make_doc: Callable[..., ParsedDocument]
) -> None:
    doc = make_doc()
    store.write(rows_of(doc))
    farc = doc.extraction.entities[2]
    rows = store.run_read(
        cypher.ENTITIES_BY_ALIAS, {"names": ["revolutionary armed forces of COLOMBIA"]}
    )
    mine = [r for r in rows if r["id"] == farc.id]
    assert mine == [
        {
            "id": farc.id,
            "key": farc.key,
            "name": "FARC",
            "type": "ArmedGroup",
            "aliases": ["Revolutionary Armed Forces of Colombia"],
        }
    ]


def test_counts_by_label(store: Neo4jGraphStore, make_doc: Callable[..., ParsedDocument]) -> None:
    def by_label() -> dict[str, int]:
        return {r["label"]: r["count"] for r in store.run_read(cypher.COUNT_NODES_BY_LABEL, {})}

    before = by_label()
    store.write(rows_of(make_doc()))
    after = by_label()
    assert set(before) == set(after) == load_ontology().node_labels  # zero counts too
    delta = {label: after[label] - before.get(label, 0) for label in after}
    assert delta["Article"] == 1
    assert delta["Passage"] == 2
    assert delta["Entity"] == 5
    assert delta["Organization"] == 2
    assert delta["Place"] == 2
    assert delta["Action"] == 2


def test_export_round_trip(store: Neo4jGraphStore, make_doc: Callable[..., ParsedDocument]) -> None:
    doc = make_doc()
    rows = rows_of(doc)
    store.write(rows)
    ids = {n.id for n in rows.nodes}
    onto = load_ontology()
    for fmt, parse_format in (("turtle", "turtle"), ("json-ld", "json-ld")):
        text = export_graph(store, fmt)  # type: ignore[arg-type]
        exported = Graph().parse(data=text, format=parse_format)
        mine = Graph()
        subjects = {s for s in exported.subjects(RDF.type, None) if isinstance(s, URIRef)}
        for subject in subjects:
            if str(exported.value(subject, NK["id"])) in ids:
                for triple in exported.triples((subject, None, None)):
                    mine.add(triple)
        assert onto.validate(mine) == [], fmt
        back = rdf_to_rows(mine, onto)
        assert {n.id for n in back.nodes} == ids
        assert set(back.relationships) == set(rows.relationships)
        assert {n.id: dict(n.properties) for n in back.nodes} == {
            n.id: dict(n.properties) for n in rows.nodes
        }
