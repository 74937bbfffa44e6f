"""``kg extract``: JSONL records in, one JSON object of entities and actions out per record.

Input lines are ``{"id": ..., "text": ..., "published": "YYYY-MM-DD"?}``; blank lines are
skipped. Lines are split on ``\n`` only and decoded one by one
(:func:`kg.core.lines.numbered_lines`), so a line that is not UTF-8 is one bad record.
Output names are the resolved entity's canonical name when the participant was resolved,
else its surface text; ``actor_texts``/``target_texts`` keep the surface texts.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from kg.core.errors import ArticleParseError, ArticleTooLargeError
from kg.core.lines import TOO_DEEP, numbered_lines
from kg.core.models import Action, Extraction, Participant
from kg.extraction.extractor import Extractor


class ExtractRecord(BaseModel):
    """One input line of ``kg extract``."""

    model_config = ConfigDict(extra="ignore")

    id: str | int
    text: str = Field(min_length=1)
    published: date | None = None


def parse_record(
    line: str, *, source: str = "<input>", line_number: int | None = None
) -> ExtractRecord:
    """Parse and validate one JSONL line.

    Raises:
        ArticleParseError: not JSON, not an object, or missing/invalid fields; names the line.
    """
    try:
        raw = json.loads(line)
    except json.JSONDecodeError as exc:
        raise ArticleParseError(source, f"not valid JSON: {exc.msg}", line=line_number) from exc
    except RecursionError as exc:  # the parser recurses per level: "[[[[..." exhausts it
        raise ArticleParseError(source, f"not valid JSON: {TOO_DEEP}", line=line_number) from exc
    if not isinstance(raw, dict):
        raise ArticleParseError(source, "expected a JSON object", line=line_number)
    try:
        return ExtractRecord.model_validate(raw)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc']) or 'record'}: {err['msg']}"
            for err in exc.errors()
        )
        raise ArticleParseError(source, problems, line=line_number) from exc


def _name(p: Participant, names: dict[str, str]) -> str:
    return names.get(p.entity_key, p.text) if p.entity_key else p.text


def action_record(action: Action, text: str, names: dict[str, str]) -> dict[str, Any]:
    """The JSON form of one action."""
    return {
        "type": action.type,
        "mode": action.mode,
        "actors": [_name(p, names) for p in action.actors],
        "targets": [_name(p, names) for p in action.targets],
        "actor_texts": [p.text for p in action.actors],
        "target_texts": [p.text for p in action.targets],
        "actor_codes": [p.code for p in action.actors],
        "target_codes": [p.code for p in action.targets],
        "date": action.date.isoformat() if action.date else None,
        "date_text": action.date_text,
        "place": _name(action.place, names) if action.place else None,
        "evidence": text[action.start : action.end],
        "start": action.start,
        "end": action.end,
        "trigger": action.trigger,
        "attributed_to": [_name(p, names) for p in action.attributed_to],
        "negated": action.negated,
        "hypothetical": action.hypothetical,
        "future": action.future,
        "confidence": action.confidence,
    }


def extraction_record(record_id: str | int, text: str, extraction: Extraction) -> dict[str, Any]:
    """The JSON output object for one record."""
    names = {e.key: e.name for e in extraction.entities}
    return {
        "id": record_id,
        "entities": [
            {
                "name": names.get(m.entity_key, m.text),
                "type": m.type,
                "start": m.start,
                "end": m.end,
            }
            for m in extraction.mentions
        ],
        "actions": [action_record(a, text, names) for a in extraction.actions],
    }


def extract_records(
    lines: Iterable[str | bytes],
    extractor: Extractor,
    *,
    source: str = "<input>",
    max_chars: int | None = None,
    on_error: Callable[[ArticleParseError], None] | None = None,
) -> Iterator[dict[str, Any]]:
    """Run ``extractor`` over JSONL lines, yielding one output object per record.

    Args:
        lines: JSONL lines split on ``\n`` only (a binary file, ``data.split(b"\n")`` or
            strings); blank lines are skipped.
        extractor: Any :class:`~kg.extraction.extractor.Extractor`.
        source: Name of the input, used in error messages.
        max_chars: The longest text accepted (``NEWSKG_MAX_ARTICLE_CHARS``); None for any.
        on_error: Called with each bad line's error, and the next line is read; when None
            the first bad line raises.

    Raises:
        ArticleParseError: a malformed line when ``on_error`` is None (the message names
            the line number); :class:`ArticleTooLargeError` for a text over ``max_chars``.
    """
    for number, line in numbered_lines(lines, source):
        try:
            if isinstance(line, ArticleParseError):
                raise line
            if not line.strip():
                continue
            record = parse_record(line, source=source, line_number=number)
            if max_chars is not None and len(record.text) > max_chars:
                raise ArticleTooLargeError(source, len(record.text), max_chars, line=number)
        except ArticleParseError as exc:
            if on_error is None:
                raise
            on_error(exc)
            continue
        extraction = extractor.extract(record.text, record.published)
        yield extraction_record(record.id, record.text, extraction)
