"""``kg feeds add|list|remove`` and ``kg watch`` without feeds: state under NEWSKG_VAR_DIR."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from kg.cli import app
from kg.core.errors import InvalidQueryError
from kg.feeds.cli import parse_duration
from kg.feeds.state import FeedStore

runner = CliRunner()


@pytest.fixture()
def var_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("NEWSKG_VAR_DIR", str(tmp_path))
    monkeypatch.delenv("NEWSKG_FEEDS_DB", raising=False)
    return tmp_path


@pytest.mark.parametrize(
    ("text", "seconds"), [("15m", 900), ("1h30m", 5400), ("45s", 45), ("1d", 86400), ("60", 60)]
)
def test_parse_duration(text: str, seconds: float) -> None:
    assert parse_duration(text) == seconds


@pytest.mark.parametrize("text", ["soon", "5s", "15 minutes", ""])
def test_parse_duration_refuses(text: str) -> None:
    with pytest.raises(InvalidQueryError):
        parse_duration(text)


def test_add_list_remove(var_dir: Path) -> None:
    result = runner.invoke(app, ["feeds", "add", "https://example.org/rss", "--every", "30m"])
    assert result.exit_code == 0, result.output
    assert "every 30m" in result.output

    store = FeedStore(var_dir / "feeds.sqlite")
    store.record_failure("https://example.org/rss", "HTTP 404 Not Found", base_s=60, max_s=3600)
    store.close()
    listed = runner.invoke(app, ["feeds", "list"])
    assert listed.exit_code == 0
    assert "https://example.org/rss" in listed.output
    assert "last error: HTTP 404 Not Found (1 failure(s) in a row)" in listed.output
    assert "last poll: 20" in listed.output

    assert runner.invoke(app, ["feeds", "remove", "https://example.org/rss"]).exit_code == 0
    assert "no feeds" in runner.invoke(app, ["feeds", "list"]).output
    gone = runner.invoke(app, ["feeds", "remove", "https://example.org/rss"])
    assert gone.exit_code == 1 and "no feed" in gone.output
    assert "Traceback" not in gone.output


def test_bad_input_is_a_message_not_a_traceback(var_dir: Path) -> None:
    bad_every = runner.invoke(app, ["feeds", "add", "https://example.org/rss", "--every", "x"])
    assert bad_every.exit_code == 1 and "is not a duration" in bad_every.output
    not_http = runner.invoke(app, ["feeds", "add", "ftp://example.org/rss"])
    assert not_http.exit_code == 1 and "not an http(s) URL" in not_http.output


def test_watch_without_feeds_says_so(var_dir: Path) -> None:
    result = runner.invoke(app, ["watch", "--once"])
    assert result.exit_code == 0 and "no feeds" in result.output
