"""The Neo4j graph adapters against the real server: schema, writes, deletes, export.

Every test writes documents under its own article URLs and entity keys (a uuid suffix)
and removes exactly the nodes it wrote.
"""

from __future__ import annotations

import dataclasses
import threading
import uuid
from collections.abc import Callable, Iterator

import pytest
from rdflib import RDF, Graph, URIRef

from kg.core.config import get_settings
from kg.core.errors import GraphQueryError, GraphWriteError, ServiceUnavailableError
from kg.core.models import GraphRows, NodeRow, ParsedDocument, RelRow
from kg.core.ports import ArticleWriter, GraphAdmin, GraphReader
from kg.core.records import ArticleWrite
from kg.graph.admin import Neo4jGraphAdmin
from kg.graph.reads import Neo4jGraphReader
from kg.graph.store import Neo4jConnection, connection_from_settings
from kg.graph.writes import Neo4jArticleWriter
from kg.rdf.export import export_graph
from kg.rdf.mapping import document_to_rdf, rdf_to_rows
from kg.rdf.ontology import load_ontology
from kg.rdf.specs import NK
from tests.unit.rdf_fixtures import build_document

pytestmark = pytest.mark.integration


@dataclasses.dataclass(frozen=True)
class Neo4j:
    """The adapters under test, over one connection (``db`` runs the tests' own Cypher)."""

    db: Neo4jConnection
    writer: Neo4jArticleWriter
    admin: Neo4jGraphAdmin

    def write(self, doc: ParsedDocument, rows: GraphRows | None = None) -> ArticleWrite:
        return self.writer.replace_article(rows or rows_of(doc), doc.article.id)


@pytest.fixture(scope="module")
def neo4j() -> Iterator[Neo4j]:
    db = connection_from_settings(get_settings())
    adapters = Neo4j(db=db, writer=Neo4jArticleWriter(db), admin=Neo4jGraphAdmin(db))
    adapters.admin.bootstrap()
    yield adapters
    adapters.admin.close()


@pytest.fixture()
def make_doc(neo4j: Neo4j) -> Iterator[Callable[..., ParsedDocument]]:
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
        neo4j.writer.delete_article(doc.article.id)
        ids |= {n.id for n in rows_of(doc).nodes}
    # Whatever a failed assertion left behind, by id only.
    neo4j.db.run_write("MATCH (n) WHERE n.id IN $ids DETACH DELETE n", {"ids": sorted(ids)})


def rows_of(doc: ParsedDocument) -> GraphRows:
    return rdf_to_rows(document_to_rdf(doc), load_ontology())


def counts(neo4j: Neo4j, ids: set[str]) -> tuple[int, int]:
    """Nodes with these ids, and relationships from them."""
    nodes = neo4j.db.run_read(
        "MATCH (n) WHERE n.id IN $ids RETURN count(n) AS n", {"ids": list(ids)}
    )
    rels = neo4j.db.run_read(
        "MATCH (n)-[r]->() WHERE n.id IN $ids RETURN count(r) AS n", {"ids": list(ids)}
    )
    return int(nodes[0]["n"]), int(rels[0]["n"])


def broken_rows(rows: GraphRows) -> GraphRows:
    """``rows`` plus a last relationship whose end exists nowhere: the check fails after
    every node and most relationships were merged inside the transaction."""
    missing = RelRow("MENTIONS", rows.nodes[0].id, "nope")
    return dataclasses.replace(rows, relationships=rows.relationships + (missing,))


def test_adapters_implement_the_ports() -> None:
    db = connection_from_settings(get_settings())
    writer: ArticleWriter = Neo4jArticleWriter(db)
    reader: GraphReader = Neo4jGraphReader(db)
    admin: GraphAdmin = Neo4jGraphAdmin(db)
    assert writer is not None and reader is not None
    admin.close()  # never connected: nothing to do


def test_unreachable_server_is_service_unavailable() -> None:
    admin = Neo4jGraphAdmin(Neo4jConnection("bolt://127.0.0.1:9", "neo4j", "wrong", "neo4j"))
    with pytest.raises(ServiceUnavailableError) as info:
        admin.ping()
    assert info.value.service == "neo4j"
    admin.close()


def test_bootstrap_is_idempotent(neo4j: Neo4j) -> None:
    neo4j.admin.bootstrap()
    before = neo4j.db.run_read("SHOW CONSTRAINTS YIELD name RETURN name", {})
    neo4j.admin.bootstrap()
    after = neo4j.db.run_read("SHOW CONSTRAINTS YIELD name RETURN name", {})
    assert sorted(r["name"] for r in before) == sorted(r["name"] for r in after)
    names = {r["name"] for r in after}
    for label, key in load_ontology().uniqueness_constraints:
        assert f"{label.lower()}_{key}_unique" in names
    indexes = neo4j.db.run_read(
        "SHOW FULLTEXT INDEXES YIELD name, state, labelsOrTypes, properties "
        "RETURN name, state, labelsOrTypes, properties",
        {},
    )
    by_name = {r["name"]: r for r in indexes}
    assert by_name["entity_names"]["state"] == "ONLINE"
    assert sorted(by_name["entity_names"]["properties"]) == ["aliasText", "name"]
    assert by_name["passage_text"]["labelsOrTypes"] == ["Passage"]


def test_replacing_twice_gives_the_same_graph(
    neo4j: Neo4j, make_doc: Callable[..., ParsedDocument]
) -> None:
    doc = make_doc()
    rows = rows_of(doc)
    ids = {n.id for n in rows.nodes}
    assert not neo4j.writer.article_exists(doc.article.id)
    assert neo4j.write(doc) == ArticleWrite(existed=False, removed_passage_ids=())
    assert neo4j.writer.article_exists(doc.article.id)
    first = counts(neo4j, ids)
    replaced = neo4j.write(doc)
    assert replaced.existed
    assert sorted(replaced.removed_passage_ids) == sorted(p.id for p in doc.passages)
    assert counts(neo4j, ids) == first == (len(rows.nodes), len(rows.relationships))
    farc = neo4j.db.run_read(
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
    hits = neo4j.db.run_read(
        "CALL db.index.fulltext.queryNodes('entity_names', $q) YIELD node "
        "WHERE node.id IN $ids RETURN node.name AS name",
        {"q": "Revolutionary", "ids": list(ids)},
    )
    assert [h["name"] for h in hits] == ["FARC"]


def test_replacing_with_fewer_passages_leaves_nothing_stale(
    neo4j: Neo4j, make_doc: Callable[..., ParsedDocument]
) -> None:
    doc = make_doc()
    neo4j.write(doc)
    first, second = doc.passages
    # The second passage, its mentions and the actions it evidenced disappear.
    shorter = dataclasses.replace(
        doc,
        passages=(first,),
        extraction=dataclasses.replace(
            doc.extraction,
            mentions=tuple(m for m in doc.extraction.mentions if m.end <= first.end),
            actions=tuple(a for a in doc.extraction.actions if a.end <= first.end),
        ),
    )
    result = neo4j.write(shorter)
    assert result.existed
    assert set(result.removed_passage_ids) == {first.id, second.id}
    rows = neo4j.db.run_read(
        "MATCH (a:Article {id: $id}) "
        "RETURN COUNT { (a)-[:HAS_PASSAGE]->() } AS passages, "
        "COUNT { ()-[:REPORTED_IN]->(a) } AS actions",
        {"id": doc.article.id},
    )
    assert rows == [{"passages": 1, "actions": len(shorter.extraction.actions)}]
    assert counts(neo4j, {second.id}) == (0, 0)


def test_concurrent_replacements_leave_one_copy(
    neo4j: Neo4j, make_doc: Callable[..., ParsedDocument]
) -> None:
    doc = make_doc()
    first = doc.passages[0]
    # Two versions of the same article (same id): the whole story, and its first passage.
    short = dataclasses.replace(
        doc,
        passages=(first,),
        extraction=dataclasses.replace(
            doc.extraction,
            mentions=tuple(m for m in doc.extraction.mentions if m.end <= first.end),
            actions=tuple(a for a in doc.extraction.actions if a.end <= first.end),
        ),
    )
    versions = [rows_of(doc), rows_of(short)]
    shapes = {
        (len(doc.passages), len(doc.extraction.actions)),
        (len(short.passages), len(short.extraction.actions)),
    }
    passage_ids = [p.id for p in doc.passages]
    results: list[ArticleWrite] = []
    errors: list[BaseException] = []

    def replace(rows: GraphRows, barrier: threading.Barrier) -> None:
        # Each thread has its own connection (driver), as two API processes would.
        db = connection_from_settings(get_settings())
        try:
            writer = Neo4jArticleWriter(db)
            barrier.wait(timeout=30)
            results.append(writer.replace_article(rows, doc.article.id))
        except BaseException as exc:  # reported below, in the test's thread
            errors.append(exc)
        finally:
            db.close()

    for _ in range(3):  # the first round races two creations, later ones two replacements
        barrier = threading.Barrier(2)
        threads = [threading.Thread(target=replace, args=(rows, barrier)) for rows in versions]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        assert not errors, errors
        (row,) = neo4j.db.run_read(
            "MATCH (a:Article {id: $id}) "
            "RETURN count(a) AS articles, sum(COUNT { (a)-[:HAS_PASSAGE]->() }) AS passages, "
            "sum(COUNT { ()-[:REPORTED_IN]->(a) }) AS actions, "
            "COUNT { MATCH (p:Passage) WHERE p.id IN $passages } AS passage_nodes",
            {"id": doc.article.id, "passages": passage_ids},
        )
        # One copy, of one version: never both, never a mix, no passage left dangling.
        assert row["articles"] == 1, row
        assert (row["passages"], row["actions"]) in shapes, row
        assert row["passage_nodes"] == row["passages"], row
    # Exactly one of all these writes created the article; every other one replaced it.
    assert len(results) == 6
    assert [r.existed for r in results].count(False) == 1


def test_failing_write_leaves_nothing(
    neo4j: Neo4j, make_doc: Callable[..., ParsedDocument]
) -> None:
    doc = make_doc()
    rows = rows_of(doc)
    ids = {n.id for n in rows.nodes}
    with pytest.raises(GraphWriteError, match="relationship ends missing") as info:
        neo4j.write(doc, broken_rows(rows))
    assert info.value.query is not None and "MENTIONS" in info.value.query
    assert info.value.written == info.value.expected - 1
    assert counts(neo4j, ids) == (0, 0)
    assert not neo4j.writer.article_exists(doc.article.id)


def test_a_failing_replacement_keeps_the_previous_version(
    neo4j: Neo4j, make_doc: Callable[..., ParsedDocument]
) -> None:
    doc = make_doc()
    rows = rows_of(doc)
    ids = {n.id for n in rows.nodes}
    neo4j.write(doc, rows)
    before = counts(neo4j, ids)
    with pytest.raises(GraphWriteError):
        neo4j.write(doc, broken_rows(rows))
    assert counts(neo4j, ids) == before


def test_constraint_violation_rolls_back(
    neo4j: Neo4j, make_doc: Callable[..., ParsedDocument]
) -> None:
    first, second = make_doc("first"), make_doc("second")
    neo4j.write(first)
    rows = rows_of(second)
    ids = {n.id for n in rows.nodes}
    # A node claiming the first article's IRI under another id breaks iri uniqueness.
    clash = NodeRow(
        id=str(uuid.uuid4()), iri=first.article.iri, labels=("Article",), properties={"title": "x"}
    )
    with pytest.raises(GraphQueryError, match="ConstraintValidationFailed") as info:
        neo4j.write(second, dataclasses.replace(rows, nodes=rows.nodes + (clash,)))
    assert info.value.code == "Neo.ClientError.Schema.ConstraintValidationFailed"
    nodes, _ = counts(neo4j, ids - {n.id for n in rows_of(first).nodes})
    assert nodes == 0


def test_unknown_labels_and_types_are_refused(neo4j: Neo4j) -> None:
    robot = NodeRow(id=str(uuid.uuid4()), iri="urn:x", labels=("Robot",), properties={})
    with pytest.raises(GraphWriteError, match="Robot") as info:
        neo4j.writer.replace_article(GraphRows(nodes=(robot,), relationships=()), robot.id)
    assert (info.value.query, info.value.expected) == (None, 1)
    article = NodeRow(id=str(uuid.uuid4()), iri="urn:y", labels=("Article",), properties={})
    knows = GraphRows(nodes=(article,), relationships=(RelRow("KNOWS", article.id, "b"),))
    with pytest.raises(GraphWriteError, match="KNOWS"):
        neo4j.writer.replace_article(knows, article.id)
    with pytest.raises(GraphWriteError, match="no node for article"):
        neo4j.writer.replace_article(GraphRows(nodes=(robot,), relationships=()), "elsewhere")
    assert not neo4j.writer.article_exists(article.id)


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
def test_refused_queries_are_query_errors_not_outages(neo4j: Neo4j, query: str, code: str) -> None:
    with pytest.raises(GraphQueryError) as info:
        neo4j.db.run_read(query, {})
    assert not isinstance(info.value, ServiceUnavailableError)
    assert info.value.code == code
    assert info.value.detail


def test_delete_article_removes_orphans_and_keeps_shared_entities(
    neo4j: Neo4j, make_doc: Callable[..., ParsedDocument]
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
    neo4j.write(doc_a, rows_a)
    neo4j.write(doc_b, rows_b)
    farc_id = b_farc.id
    (farc,) = neo4j.db.run_read(
        "MATCH (e:Entity {id: $id}) RETURN e.name AS name, e.aliases AS aliases, "
        "e.aliasText AS text",
        {"id": farc_id},
    )
    assert farc["aliases"] == ["Revolutionary Armed Forces of Colombia", "FARC-EP"]
    assert farc["text"] == "FARC | Revolutionary Armed Forces of Colombia | FARC-EP"

    result = neo4j.writer.delete_article(doc_a.article.id)
    assert result is not None
    assert sorted(result.passage_ids) == sorted(p.id for p in doc_a.passages)
    a_only = {e.id for e in doc_a.extraction.entities} - {farc_id}
    assert set(result.entity_ids) == a_only
    # article + 2 passages + 2 actions + 4 entities + 1 role
    assert result.nodes_removed == 10
    remaining_a = {n.id for n in rows_a.nodes} - {farc_id}
    assert counts(neo4j, remaining_a)[0] == 0
    assert neo4j.writer.article_exists(doc_b.article.id)
    assert counts(neo4j, {farc_id})[0] == 1

    result = neo4j.writer.delete_article(doc_b.article.id)
    assert result is not None
    assert result.entity_ids == (farc_id,)
    assert counts(neo4j, {n.id for n in rows_b.nodes})[0] == 0
    assert neo4j.writer.delete_article(doc_b.article.id) is None


def test_counts_by_label(neo4j: Neo4j, make_doc: Callable[..., ParsedDocument]) -> None:
    before = neo4j.admin.counts_by_label()
    neo4j.write(make_doc())
    after = neo4j.admin.counts_by_label()
    assert set(before) == set(after) == load_ontology().node_labels  # zero counts too
    delta = {label: after[label] - before.get(label, 0) for label in after}
    assert delta["Article"] == 1
    assert delta["Passage"] == 2
    assert delta["Entity"] == 5
    assert delta["Organization"] == 2
    assert delta["Place"] == 2
    assert delta["Action"] == 2


def test_export_round_trip(neo4j: Neo4j, make_doc: Callable[..., ParsedDocument]) -> None:
    doc = make_doc()
    rows = rows_of(doc)
    neo4j.write(doc, rows)
    ids = {n.id for n in rows.nodes}
    onto = load_ontology()
    for fmt, parse_format in (("turtle", "turtle"), ("n-triples", "nt"), ("json-ld", "json-ld")):
        text = export_graph(neo4j.admin, fmt)
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
