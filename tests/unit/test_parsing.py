"""Parsing of every input format, boilerplate removal and malformed input."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from kg.core.errors import ArticleParseError
from kg.core.limits import MAX_LABEL_CHARS, MAX_TITLE_CHARS
from kg.core.models import Article
from kg.ingest.furniture import strip_boilerplate
from kg.ingest.parsing import iter_input_files, parse_jsonl, parse_path, read_path
from tests.conftest import GOLD, SEED

GOLD_ARTICLE = json.loads(GOLD.read_text())["article"]


def test_seed_header_fields() -> None:
    (article,) = parse_path(SEED)
    assert article.title == GOLD_ARTICLE["title"]
    assert article.section == GOLD_ARTICLE["section"]
    assert article.source == GOLD_ARTICLE["source"]
    assert article.published == date.fromisoformat(GOLD_ARTICLE["published"])


def test_seed_body_has_no_site_furniture() -> None:
    (article,) = parse_path(SEED)
    assert article.body.startswith(GOLD_ARTICLE["first_body_words"])
    assert article.body.endswith(GOLD_ARTICLE["last_body_words"])
    for furniture in (
        "Edited By",
        "Reviewed By",
        "Editorial Context",
        "Methodology",
        "Verified by",
    ):
        assert furniture not in article.body


def test_strip_boilerplate_cuts_at_end_marker_and_drops_lines() -> None:
    text = "Edited ByDesk\nFirst para.\n\nSecond\nline.\n\nEditorial Context & Insight\n\nTail."
    assert strip_boilerplate(text) == "First para.\n\nSecond line."


def test_json_and_jsonl(tmp_path: Path) -> None:
    record = {
        "title": "T",
        "text": "Body text.",
        "published": "2026-01-02",
        "url": "https://example.org/a",
        "source": "S",
    }
    (tmp_path / "one.json").write_text(json.dumps(record))
    (tmp_path / "many.jsonl").write_text(
        json.dumps(record) + "\n\n" + json.dumps(record | {"title": "U"})
    )
    one = parse_path(tmp_path / "one.json")
    many = parse_path(tmp_path / "many.jsonl")
    assert [a.title for a in one] == ["T"]
    assert [a.title for a in many] == ["T", "U"]
    assert one[0].published == date(2026, 1, 2)
    assert one[0].url == "https://example.org/a"
    assert one[0].id == many[0].id  # same URL, same id


def test_malformed_jsonl_names_line_and_problem(tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text('{"title": "ok", "text": "fine"}\n{"title": "no text"}\n')
    with pytest.raises(ArticleParseError) as info:
        parse_path(path)
    assert info.value.line == 2
    assert "text" in info.value.problem
    assert "bad.jsonl:2" in str(info.value)


def test_invalid_json_and_bad_date(tmp_path: Path) -> None:
    (tmp_path / "broken.json").write_text("{not json")
    with pytest.raises(ArticleParseError, match="invalid JSON"):
        parse_path(tmp_path / "broken.json")
    (tmp_path / "date.json").write_text(
        json.dumps({"title": "T", "text": "x", "published": "soon"})
    )
    with pytest.raises(ArticleParseError, match="published"):
        parse_path(tmp_path / "date.json")


def test_seed_text_without_date_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "nodate.txt"
    path.write_text("Title\nWorld\n\nBody without a date.\n")
    with pytest.raises(ArticleParseError, match="date line"):
        parse_path(path)


def test_unsupported_suffix(tmp_path: Path) -> None:
    path = tmp_path / "a.pdf"
    path.write_text("x")
    with pytest.raises(ArticleParseError, match="unsupported"):
        parse_path(path)


RSS = """<?xml version="1.0"?>
<rss version="2.0"><channel><title>Example Wire</title>
<item><title>First</title><link>https://example.org/1</link>
<pubDate>Thu, 08 Jan 2026 10:00:00 GMT</pubDate>
<description>&lt;p&gt;Rebels attacked the town.&lt;/p&gt;
&lt;p&gt;Share this article&lt;/p&gt;</description></item>
</channel></rss>"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Atom Desk</title>
<entry><title>Second</title><link href="https://example.org/2"/>
<updated>2026-01-09T08:00:00Z</updated>
<content type="html">&lt;p&gt;Talks resumed in Oslo.&lt;/p&gt;</content></entry></feed>"""


def test_rss_and_atom(tmp_path: Path) -> None:
    (tmp_path / "f.rss").write_text(RSS)
    (tmp_path / "f.atom").write_text(ATOM)
    (rss,) = parse_path(tmp_path / "f.rss")
    (atom,) = parse_path(tmp_path / "f.atom")
    assert (rss.title, rss.source, rss.url, rss.published) == (
        "First",
        "Example Wire",
        "https://example.org/1",
        date(2026, 1, 8),
    )
    assert rss.body == "Rebels attacked the town."
    assert (atom.title, atom.source, atom.body) == ("Second", "Atom Desk", "Talks resumed in Oslo.")


def test_iter_input_files_expands_directories(tmp_path: Path) -> None:
    (tmp_path / "b.json").write_text("{}")
    (tmp_path / "a.txt").write_text("x")
    (tmp_path / "ignored.pdf").write_text("x")
    assert [p.name for p in iter_input_files([tmp_path])] == ["a.txt", "b.json"]


def test_one_bad_record_does_not_lose_the_good_ones(tmp_path: Path) -> None:
    path = tmp_path / "mixed.jsonl"
    good = {"title": "Good", "text": "Troops withdrew from the town.", "url": "https://e.org/g"}
    path.write_text(json.dumps(good) + "\n{not json\n" + json.dumps({"title": "No text"}) + "\n")
    records = read_path(path)
    assert [r.title for r in records if isinstance(r, Article)] == ["Good"]
    errors = [r for r in records if isinstance(r, ArticleParseError)]
    assert [(e.line, "JSON" in e.problem or "text" in e.problem) for e in errors] == [
        (2, True),
        (3, True),
    ]
    with pytest.raises(ArticleParseError):  # the strict reader still refuses the file
        parse_path(path)


def test_an_over_long_title_or_source_is_one_named_bad_record() -> None:
    # The short fields have bounds of their own (kg.core.limits), below the body limit.
    lines = [
        json.dumps({"title": "t" * (MAX_TITLE_CHARS + 1), "text": "Some text."}),
        json.dumps({"title": "ok", "text": "Some text.", "source": "s" * (MAX_LABEL_CHARS + 1)}),
        json.dumps({"title": "t" * MAX_TITLE_CHARS, "text": "Some text.", "source": "Reuters"}),
    ]
    first, second, third = parse_jsonl(lines, "feed.jsonl")
    assert isinstance(first, ArticleParseError) and first.line == 1
    assert "title" in str(first) and str(MAX_TITLE_CHARS) in str(first)
    assert isinstance(second, ArticleParseError) and second.line == 2 and "source" in str(second)
    assert not isinstance(third, ArticleParseError)
    assert third.source == "Reuters"
