"""`kg ingest` on a folder with good and bad input: the good is stored, the bad is named."""

from __future__ import annotations

import contextlib
import json
import uuid
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kg.cli import app
from kg.core.errors import NotFoundError
from kg.core.identity import article_iri, stable_id
from kg.services import Services

pytestmark = pytest.mark.integration


def test_ingest_keeps_good_records_and_names_bad_ones(services: Services, tmp_path: Path) -> None:
    url = f"https://test.newskg.invalid/{uuid.uuid4()}"
    good = {"title": "Withdrawal", "text": "Rebels withdrew from Goma on Monday.", "url": url}
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "mixed.jsonl").write_text(
        json.dumps(good) + "\n" + json.dumps({"title": "no text"}) + "\n"
    )
    (tmp_path / "in" / "bad.json").write_text('{"title": "x", "text": "y", "published": "soon"}')
    env = {"NEWSKG_QDRANT_DIR": str(tmp_path / "qdrant")}
    article_id = stable_id(article_iri(url, "", ""))
    try:
        result = CliRunner().invoke(app, ["ingest", str(tmp_path / "in")], env=env)
        assert result.exit_code == 2, result.output
        assert "ingested 1 article(s) (1 new" in result.output
        assert "mixed.jsonl:2: text: Field required" in result.output
        assert "bad.json: published:" in result.output
        assert services.graph.run_read(
            "MATCH (a:Article {id: $id}) RETURN a.title AS title", {"id": article_id}
        ) == [{"title": "Withdrawal"}]
    finally:
        with contextlib.suppress(NotFoundError):
            services.pipeline.delete_article(article_id)


def test_ingest_keeps_the_good_lines_of_a_hostile_jsonl(services: Services, tmp_path: Path) -> None:
    urls = [f"https://test.newskg.invalid/{uuid.uuid4()}" for _ in range(2)]
    separated = {
        "title": "Separated",
        "text": "Rebels withdrew\u2028from Goma on Monday.",
        "url": urls[0],
    }
    after = {"title": "After", "text": "Troops left Bunia on Tuesday.", "url": urls[1]}
    latin1 = json.dumps({"title": "Caf\u00e9", "text": "Body."}, ensure_ascii=False)
    path = tmp_path / "hostile.jsonl"
    path.write_bytes(
        json.dumps(separated, ensure_ascii=False).encode("utf-8")
        + b"\r\n"
        + latin1.encode("latin-1")
        + b"\r\n"
        + json.dumps(after).encode("utf-8")
        + b"\r\n"
    )
    env = {"NEWSKG_QDRANT_DIR": str(tmp_path / "qdrant")}
    ids = [stable_id(article_iri(url, "", "")) for url in urls]
    try:
        result = CliRunner().invoke(app, ["ingest", str(path)], env=env)
        assert result.exit_code == 2, result.output
        assert "ingested 2 article(s) (2 new" in result.output
        assert f"{path}:2: the line is not UTF-8" in result.output
        rows = services.graph.run_read(
            "MATCH (a:Article) WHERE a.id IN $ids RETURN a.title AS title ORDER BY title",
            {"ids": ids},
        )
        assert rows == [{"title": "After"}, {"title": "Separated"}]
    finally:
        for article_id in ids:
            with contextlib.suppress(NotFoundError):
                services.pipeline.delete_article(article_id)
