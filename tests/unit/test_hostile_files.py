"""Hostile but honest input files: JSON Lines split on "\\n" only, decoded per line, sized.

``kg ingest`` and ``kg extract`` keep the good records of a file and name the bad ones.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from kg import cli
from kg.core.errors import ArticleParseError, ArticleTooLargeError
from kg.core.lines import numbered_lines
from kg.core.models import Article, Extraction
from kg.ingest.parsing import parse_path, read_path


def _record(title: str, text: str = "Troops withdrew from the town.") -> bytes:
    # ensure_ascii=False: the separators stay raw characters in the file, as a probe sent them
    return json.dumps({"title": title, "text": text}, ensure_ascii=False).encode("utf-8")


def test_raw_line_separators_inside_a_record_do_not_split_it(tmp_path: Path) -> None:
    path = tmp_path / "seps.jsonl"
    text = "First\u2028second\u2029third\x1cfourth\x85fifth."
    path.write_bytes(_record("Seps", text) + b"\n" + _record("Next") + b"\n")
    records = read_path(path)
    assert [type(r) for r in records] == [Article, Article], records
    first, second = records
    # One record: the body runs from the first word to the last (whitespace is normalised).
    assert isinstance(first, Article) and first.body.startswith("First")
    assert first.body.endswith("fifth.")
    assert isinstance(second, Article) and second.title == "Next"


def test_a_raw_carriage_return_does_not_shift_line_numbers(tmp_path: Path) -> None:
    path = tmp_path / "cr.jsonl"
    # Line 1 holds a raw \r between tokens (JSON whitespace); line 2 has no text.
    path.write_bytes(b'{"title": "A",\r "text": "Body."}\n{"title": "no text"}\n')
    records = read_path(path)
    assert isinstance(records[0], Article)
    assert isinstance(records[1], ArticleParseError) and records[1].line == 2


def test_crlf_files_and_a_byte_order_mark_are_read(tmp_path: Path) -> None:
    path = tmp_path / "crlf.jsonl"
    path.write_bytes(b"\xef\xbb\xbf" + _record("A") + b"\r\n" + _record("B") + b"\r\n")
    assert [a.title for a in parse_path(path)] == ["A", "B"]


def test_a_latin1_line_is_one_bad_record_not_a_bad_file(tmp_path: Path) -> None:
    path = tmp_path / "mixed.jsonl"
    latin1 = json.dumps({"title": "Caf\u00e9", "text": "Body."}, ensure_ascii=False)
    path.write_bytes(_record("Good") + b"\n" + latin1.encode("latin-1") + b"\n" + _record("Also"))
    records = read_path(path)
    assert [r.title for r in records if isinstance(r, Article)] == ["Good", "Also"]
    (error,) = [r for r in records if isinstance(r, ArticleParseError)]
    assert error.line == 2 and "not UTF-8" in error.problem
    assert str(error).startswith(f"{path}:2: ")


def test_numbered_lines_takes_strings_and_bytes() -> None:
    out = list(numbered_lines([b"a\r\n", "b\n", b"\xff"], "in"))
    assert out[:2] == [(1, "a"), (2, "b")]
    assert isinstance(out[2][1], ArticleParseError) and out[2][0] == 3


@pytest.mark.parametrize("suffix", [".jsonl", ".json"])
def test_an_article_over_the_size_limit_names_the_limit_and_the_size(
    tmp_path: Path, suffix: str
) -> None:
    path = tmp_path / f"big{suffix}"
    path.write_bytes(_record("Big", "word " * 30) + (b"\n" + _record("Small", "ok.")))
    if suffix == ".json":
        path.write_text(json.dumps([{"title": "Big", "text": "word " * 30}]))
    records = read_path(path, max_chars=100)
    error = records[0]
    assert isinstance(error, ArticleTooLargeError)
    assert (error.size, error.limit) == (150, 100)
    assert "150 characters" in error.problem and "limit is 100" in error.problem
    assert "NEWSKG_MAX_ARTICLE_CHARS" in error.problem


def test_a_seed_text_over_the_size_limit_is_refused(seed_path: Path) -> None:
    with pytest.raises(ArticleTooLargeError):
        parse_path(seed_path, max_chars=100)


# --------------------------------------------------------------------------- kg extract


class _Stub:
    def extract(self, text: str, published: date | None) -> Extraction:
        return Extraction(entities=(), mentions=(), actions=())


@pytest.fixture
def stub_extractor(monkeypatch: pytest.MonkeyPatch) -> None:
    import kg.extraction.extractor as extractor_module

    def stub(settings: Any) -> _Stub:
        return _Stub()

    monkeypatch.setattr(extractor_module, "extractor_from_settings", stub)


def test_kg_extract_reports_bad_bytes_and_keeps_the_good_lines(
    tmp_path: Path, stub_extractor: None
) -> None:
    path = tmp_path / "in.jsonl"
    path.write_bytes(
        b'{"id": 1, "text": "Good \xe2\x80\xa8 one."}\n'
        b'{"id": 2, "text": "caf\xe9"}\n'
        b'{"id": 3, "text": "Good too."}\n'
    )
    result = CliRunner().invoke(cli.app, ["extract", str(path)])
    assert result.exit_code == 2, result.output
    assert [json.loads(line)["id"] for line in result.stdout.splitlines()] == [1, 3]
    assert f"{path}:2: the line is not UTF-8" in result.stderr
    assert "Traceback" not in result.output


def test_kg_extract_refuses_an_over_long_text(tmp_path: Path, stub_extractor: None) -> None:
    path = tmp_path / "in.jsonl"
    path.write_text('{"id": 1, "text": "' + "x" * 50 + '"}\n{"id": 2, "text": "ok"}\n')
    result = CliRunner().invoke(
        cli.app, ["extract", str(path)], env={"NEWSKG_MAX_ARTICLE_CHARS": "20"}
    )
    assert result.exit_code == 2, result.output
    assert [json.loads(line)["id"] for line in result.stdout.splitlines()] == [2]
    assert "limit is 20" in result.stderr


def test_kg_extract_on_a_missing_file_is_a_clean_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli.app, ["extract", str(tmp_path / "nope.jsonl")])
    assert result.exit_code == 1
    assert "cannot read" in result.stderr and "Traceback" not in result.output


def test_kg_extract_reads_stdin_as_bytes(stub_extractor: None) -> None:
    stdin = b'{"id": 1, "text": "caf\xe9"}\n{"id": 2, "text": "Good."}\r\n'
    result = CliRunner().invoke(cli.app, ["extract", "-"], input=stdin)
    assert result.exit_code == 2, result.output
    assert [json.loads(line)["id"] for line in result.stdout.splitlines()] == [2]
    assert "<stdin>:1: the line is not UTF-8" in result.stderr


def test_an_article_too_large_is_payload_too_large_in_the_error_table() -> None:
    from api import errors as table

    row = table.code_of(ArticleTooLargeError("api", 10, 5))
    assert (row.code, row.status) == ("PAYLOAD_TOO_LARGE", 413)
    assert table.code_of(ArticleParseError("api", "bad")).code == "ARTICLE_PARSE_ERROR"


DEEP = b"[" * 100_000  # Python's JSON parser recurses per level: RecursionError, a traceback


def test_a_deeply_nested_line_is_one_bad_record(tmp_path: Path) -> None:
    path = tmp_path / "deep.jsonl"
    path.write_bytes(DEEP + b"\n" + _record("Good") + b"\n")
    records = read_path(path)
    assert [r.title for r in records if isinstance(r, Article)] == ["Good"]
    (error,) = [r for r in records if isinstance(r, ArticleParseError)]
    assert error.line == 1 and "nested too deeply" in error.problem


def test_a_deeply_nested_json_file_is_a_parse_error(tmp_path: Path) -> None:
    path = tmp_path / "deep.json"
    path.write_bytes(DEEP)
    (error,) = read_path(path)
    assert isinstance(error, ArticleParseError) and "nested too deeply" in error.problem


def test_kg_extract_reports_a_deeply_nested_line(tmp_path: Path, stub_extractor: None) -> None:
    path = tmp_path / "in.jsonl"
    path.write_bytes(DEEP + b'\n{"id": 2, "text": "Good."}\n')
    result = CliRunner().invoke(cli.app, ["extract", str(path)])
    assert result.exit_code == 2, result.output
    assert [json.loads(line)["id"] for line in result.stdout.splitlines()] == [2]
    assert f"{path}:1: not valid JSON: nested too deeply" in result.stderr
    assert "Traceback" not in result.output
