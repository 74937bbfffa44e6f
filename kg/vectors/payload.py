"""The Qdrant payload of a passage point: its one definition, written by ingest, read by search.

Both Qdrant adapters create the payload indexes listed in :data:`PAYLOAD_INDEXES` and build
their filters on the keys named here, so a key is spelt in this module only. This module
imports nothing from :mod:`kg.vectors` (the adapters and the factory import it).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from kg.core.models import VectorFilter, VectorPoint
from kg.core.records import StoredPassage

ARTICLE_ID_KEY = "article_id"
ENTITY_IDS_KEY = "entity_ids"
PUBLISHED_DAY_KEY = "published_day"

IndexKind = Literal["keyword", "integer"]

PAYLOAD_INDEXES: tuple[tuple[str, IndexKind], ...] = (
    (ARTICLE_ID_KEY, "keyword"),
    (ENTITY_IDS_KEY, "keyword"),
    (PUBLISHED_DAY_KEY, "integer"),
)
"""Payload indexes, (key, kind): keyword for ids, integer for the publication day ordinal.

Every filter condition of :class:`kg.core.models.VectorFilter` uses one of these keys.
"""


@dataclass(frozen=True, slots=True)
class PassagePayload:
    """What a passage point carries besides its vector: enough to show the hit without Neo4j.

    Attributes:
        passage_id: The passage node's id (also the point id).
        passage_iri: The passage node's IRI.
        article_id: The id of the article the passage is in.
        article_iri: That article's IRI.
        index: The passage's position in the article (0-based).
        start: Start offset of the passage in the article body.
        end: End offset (exclusive).
        text: The passage text.
        entity_ids: Ids of the entities the passage mentions, sorted (filterable).
        published: The article's publication date, if known.
        source: The article's source (publisher), if known.
        title: The article's title.
        url: The article's URL, if known.
    """

    passage_id: str
    passage_iri: str
    article_id: str
    article_iri: str
    index: int
    start: int
    end: int
    text: str
    entity_ids: tuple[str, ...] = ()
    published: date | None = None
    source: str | None = None
    title: str = ""
    url: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """The JSON payload stored with the point.

        ``published_day`` (the date's ordinal) is added when the date is known: it is what
        the date filters compare, as an integer range.
        """
        payload: dict[str, Any] = {
            "passage_id": self.passage_id,
            "passage_iri": self.passage_iri,
            ARTICLE_ID_KEY: self.article_id,
            "article_iri": self.article_iri,
            "index": self.index,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            ENTITY_IDS_KEY: list(self.entity_ids),
            "published": self.published.isoformat() if self.published else None,
            "source": self.source,
            "title": self.title,
            "url": self.url,
        }
        if self.published is not None:
            payload[PUBLISHED_DAY_KEY] = self.published.toordinal()
        return payload

    @classmethod
    def from_dict(cls, payload: Mapping[str, Any], point_id: str = "") -> PassagePayload:
        """Read a stored payload back; missing keys (older points) get neutral values.

        Args:
            payload: The point's payload.
            point_id: The point id, used when the payload lacks ``passage_id``.
        """
        published = payload.get("published")
        return cls(
            passage_id=str(payload.get("passage_id") or point_id),
            passage_iri=str(payload.get("passage_iri") or ""),
            article_id=str(payload.get(ARTICLE_ID_KEY) or ""),
            article_iri=str(payload.get("article_iri") or ""),
            index=int(payload.get("index") or 0),
            start=int(payload.get("start") or 0),
            end=int(payload.get("end") or 0),
            text=str(payload.get("text") or ""),
            entity_ids=tuple(str(e) for e in payload.get(ENTITY_IDS_KEY) or ()),
            published=date.fromisoformat(published) if isinstance(published, str) else None,
            source=_opt_str(payload.get("source")),
            title=str(payload.get("title") or ""),
            url=_opt_str(payload.get("url")),
        )


def passage_payload(stored: StoredPassage) -> PassagePayload:
    """The payload of a passage's point: what ingest writes and ``kg check`` expects."""
    passage, article = stored.passage, stored.article
    return PassagePayload(
        passage_id=passage.id,
        passage_iri=passage.iri,
        article_id=article.id,
        article_iri=article.iri,
        index=passage.index,
        start=passage.start,
        end=passage.end,
        text=passage.text,
        entity_ids=tuple(sorted(stored.entity_ids)),
        published=article.published,
        source=article.source,
        title=article.title,
        url=article.url,
    )


def passage_point(stored: StoredPassage, vector: tuple[float, ...]) -> VectorPoint:
    """The point of a passage: its id, its embedding and :func:`passage_payload`."""
    return VectorPoint(
        id=stored.passage.id, vector=vector, payload=passage_payload(stored).to_dict()
    )


@dataclass(frozen=True, slots=True)
class FilterTerms:
    """A :class:`VectorFilter` reduced to the payload conditions both adapters build.

    Every set field is one ``must`` condition; ``article_ids`` and ``entity_ids`` are
    any-of matches on :data:`ARTICLE_ID_KEY` / :data:`ENTITY_IDS_KEY`, the day bounds an
    inclusive range on :data:`PUBLISHED_DAY_KEY`. ``exclude_article_ids`` is the one
    ``must_not`` condition, an any-of match on :data:`ARTICLE_ID_KEY`.
    """

    article_ids: tuple[str, ...] = ()
    entity_ids: tuple[str, ...] = ()
    day_from: int | None = None
    day_to: int | None = None
    exclude_article_ids: tuple[str, ...] = ()

    @property
    def empty(self) -> bool:
        """True when nothing is filtered."""
        return (
            not self.article_ids
            and not self.entity_ids
            and self.day_from is None
            and self.day_to is None
            and not self.exclude_article_ids
        )


def filter_terms(flt: VectorFilter | None) -> FilterTerms:
    """Reduce a :class:`VectorFilter` to payload conditions (dates become day ordinals)."""
    if flt is None:
        return FilterTerms()
    return FilterTerms(
        article_ids=tuple(dict.fromkeys(flt.article_ids)),
        entity_ids=tuple(dict.fromkeys(flt.entity_ids)),
        day_from=flt.published_from.toordinal() if flt.published_from is not None else None,
        day_to=flt.published_to.toordinal() if flt.published_to is not None else None,
        exclude_article_ids=tuple(dict.fromkeys(flt.exclude_article_ids)),
    )


def _opt_str(value: Any) -> str | None:
    return None if value is None else str(value)
