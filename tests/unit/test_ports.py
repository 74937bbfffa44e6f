"""The ports stay narrow and the layers depend on them, not on the Neo4j adapter."""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

import pytest

from kg.core import graph_reader, ports
from kg.graph.admin import Neo4jGraphAdmin
from kg.graph.consistency import Neo4jConsistencyGraph
from kg.graph.reads import Neo4jGraphReader
from kg.graph.writes import Neo4jArticleWriter
from tests.conftest import ROOT
from tests.fakes import InMemoryArticleWriter, InMemoryVectorStore

PORT_CLASSES = [
    ports.ArticleWriter,
    graph_reader.GraphReader,
    ports.GraphExporter,
    ports.GraphAdmin,
    ports.VectorStore,
    ports.ConsistencyGraph,
]


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
    return found


def _methods(cls: type) -> dict[str, inspect.Signature]:
    return {
        name: inspect.signature(member)
        for name, member in inspect.getmembers(cls, inspect.isfunction)
        if not name.startswith("_")
    }


def test_core_imports_nothing_of_newskg_outside_core() -> None:
    for path in sorted((ROOT / "kg" / "core").glob("*.py")):
        outside = {m for m in _imports(path) if m.split(".")[0] in {"kg", "api"}}
        assert all(m.startswith("kg.core") for m in outside), (path.name, outside)


@pytest.mark.parametrize(
    "path",
    [
        "kg/ingest/pipeline.py",
        "kg/ingest/consistency.py",
        "kg/rdf/export.py",
        "api/graphql/loaders.py",
        "api/graphql/query.py",
        "api/rest/health.py",
        "api/rest/rdf.py",
    ],
)
def test_consumers_depend_on_ports_not_on_the_neo4j_adapter(path: str) -> None:
    assert not {m for m in _imports(ROOT / path) if m.startswith("kg.graph")}, path


def test_no_port_takes_query_text() -> None:
    for port in PORT_CLASSES:
        for name, signature in _methods(port).items():
            assert not {"query", "cypher", "params"} & set(signature.parameters), (port, name)
            assert "run_" not in name, (port, name)


@pytest.mark.parametrize(
    ("port", "implementation"),
    [
        (ports.ArticleWriter, Neo4jArticleWriter),
        (ports.ArticleWriter, InMemoryArticleWriter),
        (graph_reader.GraphReader, Neo4jGraphReader),
        (ports.GraphAdmin, Neo4jGraphAdmin),
        (ports.VectorStore, InMemoryVectorStore),
        (ports.ConsistencyGraph, Neo4jConsistencyGraph),
        (ports.ConsistencyGraph, InMemoryArticleWriter),
    ],
)
def test_implementations_have_every_method_of_their_port(port: type, implementation: type) -> None:
    mine = _methods(implementation)
    for name, signature in _methods(port).items():
        assert name in mine, (implementation, name)
        assert list(signature.parameters) == list(mine[name].parameters), (implementation, name)
