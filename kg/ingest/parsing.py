"""Parse articles from the formats newskg reads: the seed text format, JSON/JSONL, RSS/Atom.

Every parser returns :class:`kg.core.models.Article` objects whose body has had its site
furniture stripped. A malformed input raises :class:`kg.core.errors.ArticleParseError`
naming the file, the line where there is one, and the problem; an article whose text is
longer than ``max_chars`` (``NEWSKG_MAX_ARTICLE_CHARS``) raises its subclass
:class:`kg.core.errors.ArticleTooLargeError`, before any work on the text.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from kg.core.errors import ArticleParseError, ArticleTooLargeError
from kg.core.limits import MAX_ARTICLE_CHARS
from kg.core.lines import TOO_DEEP, numbered_lines
from kg.core.models import Article, ArticleIn
from kg.ingest.furniture import strip_boilerplate

TEXT_SUFFIXES = {".txt"}
JSON_SUFFIXES = {".json"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
FEED_SUFFIXES = {".rss", ".atom", ".xml"}
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | JSON_SUFFIXES | JSONL_SUFFIXES | FEED_SUFFIXES

_DATE_LINE = re.compile(r"^[A-Z][a-z]{2,8}\.? \d{1,2}, \d{4}$")
_DATE_FORMATS = ("%b %d, %Y", "%B %d, %Y", "%b. %d, %Y")


def check_article_size(
    text: str, origin: str, max_chars: int = MAX_ARTICLE_CHARS, line: int | None = None
) -> None:
    """Refuse an article text longer than ``max_chars`` characters.

    Raises:
        ArticleTooLargeError: the text is too long (names the size and the limit).
    """
    if len(text) > max_chars:
        raise ArticleTooLargeError(origin, len(text), max_chars, line=line)


def parse_article_in(
    record: ArticleIn, origin: str = "api", max_chars: int = MAX_ARTICLE_CHARS
) -> Article:
    """Turn a validated input record into an article, stripping boilerplate from its text.

    Raises:
        ArticleTooLargeError: the text is longer than ``max_chars``.
        ArticleParseError: nothing is left of the text once site furniture is removed.
    """
    check_article_size(record.text, origin, max_chars)
    body = strip_boilerplate(record.text)
    if not body:
        raise ArticleParseError(origin, "the text is empty once site furniture is removed")
    return Article(
        title=record.title,
        body=body,
        published=record.published,
        url=str(record.url) if record.url else None,
        source=record.source,
        section=record.section,
        origin=origin,
    )


ParsedRecord = Article | ArticleParseError
"""One record of a multi-article file: the article, or why it was rejected."""


def _try_record(data: Any, origin: str, line: int | None, max_chars: int) -> ParsedRecord:
    try:
        return _record(data, origin, line, max_chars)
    except ArticleParseError as exc:
        return exc


def _record(data: Any, origin: str, line: int | None, max_chars: int) -> Article:
    if not isinstance(data, dict):
        raise ArticleParseError(
            origin, f"expected a JSON object, got {type(data).__name__}", line=line
        )
    text = data.get("text")
    if isinstance(text, str):  # before validation, which copies and strips the text
        check_article_size(text, origin, max_chars, line)
    try:
        record = ArticleIn.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc']) or 'record'}: {err['msg']}"
            for err in exc.errors()
        )
        raise ArticleParseError(origin, problems, line=line) from exc
    return parse_article_in(record, f"{origin}:{line}" if line else origin, max_chars)


def parse_json(text: str, origin: str, max_chars: int = MAX_ARTICLE_CHARS) -> list[ParsedRecord]:
    """Parse a JSON document holding one article object or a list of them.

    Raises:
        ArticleParseError: the document is not JSON at all.
    """
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ArticleParseError(origin, f"invalid JSON: {exc.msg}", line=exc.lineno) from exc
    except RecursionError as exc:  # the parser recurses per level: "[[[[..." exhausts it
        raise ArticleParseError(origin, f"invalid JSON: {TOO_DEEP}") from exc
    items = data if isinstance(data, list) else [data]
    return [
        _try_record(item, origin, None if len(items) == 1 else i + 1, max_chars)
        for i, item in enumerate(items)
    ]


def parse_jsonl(
    lines: Iterable[str | bytes], origin: str, max_chars: int = MAX_ARTICLE_CHARS
) -> list[ParsedRecord]:
    """Parse JSON Lines: one article object per non-blank line; a bad line is one record.

    Args:
        lines: The lines split on ``\n`` only (see :func:`kg.core.lines.numbered_lines`);
            bytes are decoded line by line, so a line that is not UTF-8 is one bad record.
        origin: The input's name, for error messages.
        max_chars: The longest article text accepted.
    """
    return list(iter_jsonl(lines, origin, max_chars))


def iter_jsonl(
    lines: Iterable[str | bytes], origin: str, max_chars: int = MAX_ARTICLE_CHARS
) -> Iterator[ParsedRecord]:
    """:func:`parse_jsonl`, one record at a time as the lines are read."""
    for number, line in numbered_lines(lines, origin):
        if isinstance(line, ArticleParseError):
            yield line
            continue
        if not line.strip():
            continue
        try:
            data = json.loads(line)
        except json.JSONDecodeError as exc:
            yield ArticleParseError(origin, f"invalid JSON: {exc.msg}", line=number)
            continue
        except RecursionError:
            yield ArticleParseError(origin, f"invalid JSON: {TOO_DEEP}", line=number)
            continue
        yield _try_record(data, origin, number, max_chars)


def _parse_date(value: str) -> date | None:
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(value.strip(), fmt).date()
        except ValueError:
            continue
    return None


def _clean_source(line: str) -> str:
    # "Latest News From Euronews | Euronews RSS" -> "Euronews"
    name = line.split("|")[-1].strip()
    name = re.sub(r"\s+(RSS|Atom|Feed)$", "", name, flags=re.IGNORECASE)
    return name or line.strip()


def parse_seed_text(text: str, origin: str, max_chars: int = MAX_ARTICLE_CHARS) -> Article:
    """Parse the scraped-page text format of ``seeds/``.

    The header holds the title (first line), the section (second line), site furniture,
    a source line (``... | Source RSS``) and ``Published`` followed by a date line; the
    body follows the date and runs until the site's closing furniture.
    """
    lines = [line.strip() for line in text.splitlines()]
    non_blank = [line for line in lines if line]
    if not non_blank:
        raise ArticleParseError(origin, "the file is empty")
    title = non_blank[0]
    section = non_blank[1] if len(non_blank) > 1 and len(non_blank[1].split()) <= 3 else None
    date_index = next(
        (i for i, line in enumerate(lines) if _DATE_LINE.match(line) and _parse_date(line)),
        None,
    )
    if date_index is None:
        raise ArticleParseError(
            origin, "no 'Published <Mon D, YYYY>' date line found in the header"
        )
    header = lines[:date_index]
    source = next(
        (_clean_source(line) for line in header if "|" in line or line.endswith(" RSS")), None
    )
    body = strip_boilerplate("\n".join(lines[date_index + 1 :]))
    check_article_size(body, origin, max_chars)
    if not body:
        raise ArticleParseError(origin, "no body text after the date line")
    return Article(
        title=title,
        body=body,
        published=_parse_date(lines[date_index]),
        source=source,
        section=section,
        origin=origin,
    )


def _strip_html(fragment: str) -> str:
    text = re.sub(r"(?i)<br\s*/?>|</p>|</div>", "\n\n", fragment)
    return html.unescape(re.sub(r"<[^>]+>", "", text))


def parse_feed(text: str, origin: str, max_chars: int = MAX_ARTICLE_CHARS) -> list[ParsedRecord]:
    """Parse an RSS or Atom feed; every entry with a title and text becomes an article.

    Raises:
        ArticleParseError: the text is not a feed at all.
    """
    import feedparser  # imported here: only feeds need it

    feed = feedparser.parse(text)
    if feed.bozo and not feed.entries:
        raise ArticleParseError(origin, f"not a readable RSS/Atom feed: {feed.bozo_exception}")
    source = feed.feed.get("title")
    records: list[ParsedRecord] = []
    for number, entry in enumerate(feed.entries, start=1):
        content = entry.get("content")
        raw = content[0].get("value", "") if content else entry.get("summary", "")
        parsed = entry.get("published_parsed") or entry.get("updated_parsed")
        record = {
            "title": entry.get("title"),
            "text": _strip_html(raw),
            "published": date(*parsed[:3]).isoformat() if parsed else None,
            "url": entry.get("link"),
            "source": source,
        }
        line = None if len(feed.entries) == 1 else number
        records.append(_try_record(record, origin, line, max_chars))
    return records


def read_path(path: Path, max_chars: int = MAX_ARTICLE_CHARS) -> list[ParsedRecord]:
    """:func:`iter_path`, as a list."""
    return list(iter_path(path, max_chars))


def iter_path(path: Path, max_chars: int = MAX_ARTICLE_CHARS) -> Iterator[ParsedRecord]:
    """Parse one file, choosing the parser by its suffix, record by record.

    A multi-article file (JSON list, JSONL, feed) gives one entry per record, so one bad
    record is reported without losing the good ones; a file that cannot be read at all
    gives a single error. JSONL is read and decoded line by line as records are taken, so
    a file of any length streams in bounded memory (a line that is not UTF-8 is one bad
    record); the other formats are one document, decoded whole.

    Args:
        path: The file.
        max_chars: The longest article text accepted (``NEWSKG_MAX_ARTICLE_CHARS``).
    """
    origin = str(path)
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        yield ArticleParseError(
            origin,
            f"unsupported file type {suffix!r}; expected one of {sorted(SUPPORTED_SUFFIXES)}",
        )
        return
    if suffix in JSONL_SUFFIXES:
        with path.open("rb") as stream:  # binary: split on "\n" only (kg/core/lines.py)
            yield from iter_jsonl(stream, origin, max_chars)
        return
    try:
        text = path.read_text(encoding="utf-8")
        if suffix in TEXT_SUFFIXES:
            records: list[ParsedRecord] = [parse_seed_text(text, origin, max_chars)]
        elif suffix in JSON_SUFFIXES:
            records = parse_json(text, origin, max_chars)
        else:
            records = parse_feed(text, origin, max_chars)
    except UnicodeDecodeError:
        records = [ArticleParseError(origin, "the file is not UTF-8 text")]
    except ArticleParseError as exc:
        records = [exc]
    yield from records


def parse_path(path: Path, max_chars: int = MAX_ARTICLE_CHARS) -> list[Article]:
    """Parse one file strictly: every record must be a valid article.

    Raises:
        ArticleParseError: the first problem found, naming the file, line and field.
    """
    articles = []
    for record in read_path(path, max_chars):
        if isinstance(record, ArticleParseError):
            raise record
        articles.append(record)
    return articles


def iter_input_files(paths: Iterable[Path]) -> Iterator[Path]:
    """Expand directories into the supported files below them, in a stable order."""
    for path in paths:
        if path.is_dir():
            yield from sorted(
                p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUPPORTED_SUFFIXES
            )
        else:
            yield path
