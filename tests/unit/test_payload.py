"""The Qdrant payload of a passage: one definition, written by ingest and read by search."""

from __future__ import annotations

from datetime import date

from kg.core.models import VectorFilter
from kg.vectors.payload import (
    PAYLOAD_INDEXES,
    PUBLISHED_DAY_KEY,
    PassagePayload,
    filter_terms,
)

PAYLOAD = PassagePayload(
    passage_id="p",
    passage_iri="urn:p",
    article_id="a",
    article_iri="urn:a",
    index=2,
    start=10,
    end=20,
    text="text",
    entity_ids=("e1", "e2"),
    published=date(2026, 1, 8),
    source="src",
    title="Title",
    url="https://example.org",
)


def test_round_trip() -> None:
    stored = PAYLOAD.to_dict()
    assert stored[PUBLISHED_DAY_KEY] == date(2026, 1, 8).toordinal()
    assert stored["entity_ids"] == ["e1", "e2"]
    assert PassagePayload.from_dict(stored) == PAYLOAD


def test_every_filter_key_is_indexed() -> None:
    stored = PAYLOAD.to_dict()
    assert {key for key, _ in PAYLOAD_INDEXES} <= set(stored)
    undated = PassagePayload.from_dict({**stored, "published": None})
    assert PUBLISHED_DAY_KEY not in undated.to_dict()


def test_old_payloads_read_with_neutral_values() -> None:
    payload = PassagePayload.from_dict({"text": "t"}, point_id="p9")
    assert (payload.passage_id, payload.article_id, payload.start) == ("p9", "", 0)


def test_filter_terms() -> None:
    assert filter_terms(None).empty
    terms = filter_terms(VectorFilter(entity_ids=("e", "e"), published_from=date(2026, 1, 1)))
    assert terms.entity_ids == ("e",)
    assert terms.day_from == date(2026, 1, 1).toordinal() and terms.day_to is None
