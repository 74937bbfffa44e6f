"""Faults lose nothing: a real `kg ingest` killed with SIGKILL mid-way.

The killed process leaves every article whole in the graph or absent; `kg check` finds
only what a crash between the two stores can leave (orphan vectors of the article being
written) and `--repair` mends it; a rerun completes the set, and the graph of those
articles is then exactly what a clean ingest stores.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kg.cli import app
from kg.core.config import get_settings
from kg.core.errors import NotFoundError
from kg.core.models import Article, GraphRows
from kg.core.records import CheckScope
from kg.graph.search_graph import Neo4jSearchGraph
from kg.ingest.parsing import parse_path, read_path
from kg.search.engine import HybridSearch
from kg.services import Services, run_check
from kg.vectors.qdrant_edge import QdrantEdgeStore
from tests.conftest import ROOT, SEED

pytestmark = pytest.mark.integration

COPIES = 8
BATCH = 2  # articles per batch: one graph transaction each, so a kill can fall between them
POLL_SECONDS = 0.02
GIVE_UP_SECONDS = 600  # a bound on waiting for the subprocess, not a timing assertion

Footprint = tuple[frozenset[str], frozenset[tuple[str, str, str]]]

# What one article owns (itself, its passages, its actions) and every relationship that
# touches one of them: the same whatever other articles share its entities and roles. The
# links the Event and duplicate passes add after the article's own write are left out: they
# are not in the article's rows.
DERIVED = ["REPORTS", "DUPLICATE_OF"]
FOOTPRINT = """
MATCH (a:Article {id: $id})
OPTIONAL MATCH (a)-[:HAS_PASSAGE]->(p:Passage)
OPTIONAL MATCH (x:Action)-[:REPORTED_IN]->(a)
WITH a, collect(DISTINCT p) + collect(DISTINCT x) + [a] AS owned
UNWIND owned AS o
MATCH (o)-[r]-() WHERE NOT type(r) IN $derived
WITH owned, collect(DISTINCT r) AS rs
RETURN [o IN owned | o.id] AS owned,
       [r IN rs | [type(r), startNode(r).id, endNode(r).id]] AS rels
"""


def _graph_footprint(services: Services, article_id: str) -> Footprint | None:
    rows = services.graph.run_read(FOOTPRINT, {"id": article_id, "derived": DERIVED})
    if not rows:
        return None
    return frozenset(rows[0]["owned"]), frozenset(tuple(r) for r in rows[0]["rels"])


def _rows_footprint(rows: GraphRows, article_id: str) -> Footprint:
    owned = frozenset(
        {article_id} | {n.id for n in rows.nodes if "Passage" in n.labels or "Action" in n.labels}
    )
    rels = frozenset(
        (r.type, r.start_id, r.end_id)
        for r in rows.relationships
        if r.start_id in owned or r.end_id in owned
    )
    return owned, rels


@pytest.fixture()
def copies(tmp_path: Path, services: Services) -> Iterator[tuple[Path, list[Article]]]:
    """A JSONL of seed copies under URLs of this test's own; their articles are deleted
    afterwards."""
    (seed,) = parse_path(SEED)
    prefix = f"https://test.newskg.invalid/crash-{uuid.uuid4()}/"
    path = tmp_path / "copies.jsonl"
    records = [
        {
            "title": seed.title,
            "text": seed.body,
            "published": seed.published.isoformat() if seed.published else None,
            "url": f"{prefix}{n}",
            "source": seed.source,
        }
        for n in range(COPIES)
    ]
    lines = [json.dumps(r) for r in records]
    lines.insert(3, json.dumps({"title": "no text", "url": f"{prefix}bad"}))  # named, skipped
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    articles = [a for a in read_path(path, 1_000_000) if isinstance(a, Article)]
    assert len(articles) == COPIES
    yield path, articles
    for article in articles:
        with contextlib.suppress(NotFoundError):
            services.pipeline.delete_article(article.id)


def _ingest_process(
    path: Path, var_dir: Path, hold: tuple[Path, int] | None = None
) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "NEWSKG_VAR_DIR": str(var_dir),  # no server.json here: it ingests in this process
        "NEWSKG_INGEST_BATCH_ARTICLES": str(BATCH),
        "NEWSKG_INGEST_WORKERS": "1",
        "HF_HUB_OFFLINE": "1",
        "TRANSFORMERS_OFFLINE": "1",
    }
    env.pop("NEWSKG_QDRANT_DIR", None)
    env.pop("NEWSKG_QDRANT_URL", None)
    command = [sys.executable, "-m", "kg.cli", "ingest", str(path)]
    if hold is not None:  # the Nth graph write waits to be killed, its vectors written
        flag, at = hold
        script = ROOT / "tests" / "integration" / "hold_graph_write.py"
        command = [sys.executable, str(script), str(flag), str(at), "ingest", str(path)]
    return subprocess.Popen(
        command,
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )


def _stored(services: Services, ids: list[str]) -> set[str]:
    rows = services.graph.run_read(
        "MATCH (a:Article) WHERE a.id IN $ids RETURN a.id AS id", {"ids": ids}
    )
    return {r["id"] for r in rows}


def _cli(var_dir: Path, *args: str) -> tuple[int, str]:
    env = {"NEWSKG_VAR_DIR": str(var_dir), "NEWSKG_QDRANT_DIR": None, "NEWSKG_QDRANT_URL": None}
    result = CliRunner().invoke(app, list(args), env=env)
    return result.exit_code, result.output


HELD_AT = 3


@pytest.mark.parametrize("moment", ["after the first article", "between the stores"])
def test_a_killed_ingest_loses_nothing(
    services: Services, copies: tuple[Path, list[Article]], tmp_path: Path, moment: str
) -> None:
    path, articles = copies
    ids = [a.id for a in articles]
    prefix = articles[0].url.rsplit("/", 1)[0] + "/" if articles[0].url else ""
    prepared = {a.id: services.pipeline.prepare(a) for a in articles}
    expected = {i: _rows_footprint(p.rows, i) for i, p in prepared.items()}
    var_dir = tmp_path / "var"
    settings = get_settings(var_dir=var_dir, qdrant_dir=None, qdrant_url=None)

    # Kill the ingest as soon as the graph holds its first batch, or while the third
    # batch's vectors are written and its graph write is not.
    flag = tmp_path / "held"
    between = moment == "between the stores"
    process = _ingest_process(path, var_dir, (flag, HELD_AT) if between else None)

    def ready() -> bool:
        return flag.exists() if between else bool(_stored(services, ids))

    try:
        give_up = time.monotonic() + GIVE_UP_SECONDS
        while not ready():
            assert process.poll() is None, process.communicate()[0].decode()
            assert time.monotonic() < give_up, "the ingest stored nothing"
            time.sleep(POLL_SECONDS)
        process.send_signal(signal.SIGKILL)
        process.wait()
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == -signal.SIGKILL

    # Every article in the graph is whole: what a clean ingest stores for its record.
    stored = _stored(services, ids)
    assert 1 <= len(stored) < COPIES
    for article_id in stored:
        assert _graph_footprint(services, article_id) == expected[article_id]

    # kg check finds only what a crash leaves: vectors of articles the graph lacks.
    scope = CheckScope(url_prefix=prefix)
    report, _ = run_check(settings, scope)
    print(f"killed with {len(stored)} of {COPIES} stored:", *report.lines(), sep="\n")
    assert report.found["missing_vector"] == 0 and report.found["outdated_vector"] == 0
    assert {p.article_id for p in report.problems}.isdisjoint(stored)
    if between:
        held = set(flag.read_text(encoding="utf-8").splitlines())
        passages = sum(len(prepared[h].points) for h in held)
        assert len(held) == BATCH
        assert len(stored) == (HELD_AT - 1) * BATCH
        assert report.found["orphan_vector"] == passages > 0
        assert {p.article_id for p in report.problems} == held
    assert (report.articles, report.points - report.found["orphan_vector"]) == (
        len(stored),
        report.passages,
    )

    # Search shows nothing of an article the graph lacks.
    vectors = QdrantEdgeStore(settings.qdrant_path, settings.qdrant_collection)
    engine = HybridSearch(Neo4jSearchGraph(services.graph), vectors, services.embedder, settings)
    try:
        result = engine.search("joint action against cocaine-smuggling guerrillas", limit=50)
    finally:
        engine.close()
        vectors.close()
    assert {h.article_id for h in result.passages if h.article_id in ids} <= stored

    code, output = _cli(var_dir, "check", "--url-prefix", prefix)
    assert code == (1 if report.total else 0), output
    code, output = _cli(var_dir, "check", "--repair", "--url-prefix", prefix)
    assert code == 0, output
    code, output = _cli(var_dir, "check", "--url-prefix", prefix)
    assert (code, output.splitlines()[-1]) == (0, "consistent"), output

    # A rerun completes the set; the malformed record is named and skipped again.
    rerun = _ingest_process(path, var_dir)
    out, _ = rerun.communicate(timeout=GIVE_UP_SECONDS)
    assert rerun.returncode == 2, out.decode()
    assert f"ingested {COPIES} article(s)" in out.decode()
    assert f"{path}:4: text: Field required" in out.decode()
    code, output = _cli(var_dir, "check", "--url-prefix", prefix)
    assert (code, output.splitlines()[-1]) == (0, "consistent"), output
    assert f"graph: {COPIES} article(s)" in output

    # The graph of those articles is a clean ingest's: same node ids, same relationships.
    assert _stored(services, ids) == set(ids)
    for article_id in ids:
        assert _graph_footprint(services, article_id) == expected[article_id]
