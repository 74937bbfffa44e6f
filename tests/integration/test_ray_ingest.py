"""`kg ingest --ray local` on a real local Ray (2 workers) against the real Neo4j: the same
graph and the same vectors as an in-process ingest of the same file, the bad record named.

Ray is started by the command itself (in this process, as a driver), so the test also checks
that the workers import this checkout's ``kg``, not another install.
"""

from __future__ import annotations

import contextlib
import json
import uuid
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

import kg
from kg.cli import app
from kg.core.errors import NotFoundError
from kg.core.identity import article_iri, stable_id
from kg.ingest.parsing import parse_path
from kg.services import Services
from kg.vectors.qdrant_edge import QdrantEdgeStore
from tests.conftest import SEED
from tests.integration.conftest import same_embeddings

pytestmark = pytest.mark.integration

ray = pytest.importorskip("ray")

# A short second story, so the copies are not all alike.
OTHER = (
    "Rebels of the National Liberation Army attacked a police station in Arauca on Monday, "
    "the army said. Colombia's defence minister condemned the attack."
)


def _write_input(path: Path) -> list[str]:
    """Three copies of the seed and one other story, each under its own URL, and a bad
    record in the middle; returns the article ids."""
    (seed,) = parse_path(SEED)
    records: list[dict[str, Any]] = []
    for _ in range(3):
        records.append(
            {
                "title": seed.title,
                "text": seed.body,
                "url": f"https://test.newskg.invalid/{uuid.uuid4()}",
                "published": seed.published.isoformat() if seed.published else None,
                "source": seed.source,
            }
        )
    records.append(
        {
            "title": "Attack in Arauca",
            "text": OTHER,
            "url": f"https://test.newskg.invalid/{uuid.uuid4()}",
            "published": "2026-01-05",
        }
    )
    lines = [json.dumps(r) for r in records]
    lines.insert(2, json.dumps({"title": "no text"}))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return [stable_id(article_iri(r["url"], "", "")) for r in records]


def _graph_snapshot(services: Services, article_ids: list[str]) -> dict[str, Any]:
    """Every node within two links of the articles (other articles left out), with labels
    and properties, and the links among them that touch a non-entity node."""
    rows = services.graph.run_read(
        "MATCH (a:Article) WHERE a.id IN $ids "
        "MATCH (a)-[*0..2]-(n) WHERE NOT n:Article OR n.id IN $ids "
        "WITH collect(DISTINCT n) AS ns "
        "UNWIND ns AS n "
        "OPTIONAL MATCH (n)-[r]->(m) WHERE m IN ns AND NOT (n:Entity AND m:Entity) "
        "RETURN n.id AS id, labels(n) AS labels, properties(n) AS props, "
        "collect([type(r), m.id, properties(r)]) AS links",
        {"ids": article_ids},
    )
    embeddings = {r["id"]: r["props"].pop("evidenceEmbedding", None) for r in rows}
    graph = {
        row["id"]: (
            sorted(row["labels"]),
            row["props"],
            sorted((t, m, sorted(p.items())) for t, m, p in row["links"] if t is not None),
        )
        for row in rows
    }
    return {"graph": graph, "embeddings": embeddings}


def _vector_snapshot(qdrant_dir: Path, passage_ids: list[str]) -> dict[str, Any]:
    store = QdrantEdgeStore(qdrant_dir, "passages")
    try:
        return {hit.id: dict(hit.payload) for hit in store.retrieve(passage_ids)}
    finally:
        store.close()


def _passage_ids(services: Services, article_ids: list[str]) -> list[str]:
    rows = services.graph.run_read(
        "MATCH (a:Article)-[:HAS_PASSAGE]->(p:Passage) WHERE a.id IN $ids "
        "RETURN p.id AS id ORDER BY id",
        {"ids": article_ids},
    )
    return [row["id"] for row in rows]


def _delete(services: Services, article_ids: list[str]) -> None:
    for article_id in article_ids:
        with contextlib.suppress(NotFoundError):
            services.pipeline.delete_article(article_id)


def _ingest(args: list[str], qdrant_dir: Path) -> str:
    result = CliRunner().invoke(app, args, env={"NEWSKG_QDRANT_DIR": str(qdrant_dir)})
    assert result.exit_code == 2, result.output  # 2: a record was rejected
    assert "ingested 4 article(s) (4 new" in result.output, result.output
    assert "in.jsonl:3: text: Field required" in result.output, result.output
    return result.output


def test_ray_ingest_matches_in_process_ingest(services: Services, tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    article_ids = _write_input(source)
    try:
        output = _ingest(
            ["ingest", "--ray", "local", "--ray-workers", "2", str(source)], tmp_path / "q-ray"
        )
        assert "prepared on 2 Ray worker(s)" in output
        # The workers imported this checkout's kg (PYTHONPATH handed to them), not another.
        assert f"kg from {Path(kg.__file__).parent}" in output
        assert not ray.is_initialized()  # the command shut down the Ray it started
        on_ray = _graph_snapshot(services, article_ids)
        ray_passages = _passage_ids(services, article_ids)
        ray_vectors = _vector_snapshot(tmp_path / "q-ray", ray_passages)
        _delete(services, article_ids)
        assert _passage_ids(services, article_ids) == []

        _ingest(["ingest", "--in-process", str(source)], tmp_path / "q-local")
        in_process = _graph_snapshot(services, article_ids)
        local_passages = _passage_ids(services, article_ids)
        local_vectors = _vector_snapshot(tmp_path / "q-local", local_passages)
    finally:
        _delete(services, article_ids)

    assert {i for i in article_ids if i in on_ray["graph"]} == set(article_ids)
    assert len(ray_passages) > 4
    assert on_ray["graph"] == in_process["graph"]
    assert same_embeddings(on_ray["embeddings"], in_process["embeddings"])
    assert ray_passages == local_passages
    assert sorted(ray_vectors) == ray_passages
    assert ray_vectors == local_vectors
