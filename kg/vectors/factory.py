"""Choosing the vector store, and what both Qdrant adapters share.

``open_vector_store`` returns the qdrant-client adapter when ``NEWSKG_QDRANT_URL`` is set
and the embedded qdrant-edge shard under ``var/qdrant`` otherwise. Adapters are imported
lazily so that the embedded path never imports qdrant-client and vice versa.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from kg.core.models import VectorFilter

if TYPE_CHECKING:
    from kg.core.config import Settings
    from kg.core.ports import VectorStore

# Payload keys the filters use (see the payload contract in the schema).
ARTICLE_ID_KEY = "article_id"
ENTITY_IDS_KEY = "entity_ids"
PUBLISHED_DAY_KEY = "published_day"

# Payload indexes: (key, kind). Keyword for ids, integer for the day ordinal.
PAYLOAD_INDEXES: tuple[tuple[str, str], ...] = (
    (ARTICLE_ID_KEY, "keyword"),
    (ENTITY_IDS_KEY, "keyword"),
    (PUBLISHED_DAY_KEY, "integer"),
)


@dataclass(frozen=True, slots=True)
class FilterTerms:
    """A :class:`VectorFilter` reduced to the payload conditions both adapters build.

    Every set field is one ``must`` condition; ``article_ids`` and ``entity_ids`` are
    any-of matches, the day bounds an inclusive range on ``published_day``.
    """

    article_ids: tuple[str, ...] = ()
    entity_ids: tuple[str, ...] = ()
    day_from: int | None = None
    day_to: int | None = None

    @property
    def empty(self) -> bool:
        """True when nothing is filtered."""
        return (
            not self.article_ids
            and not self.entity_ids
            and self.day_from is None
            and self.day_to is None
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
    )


def open_vector_store(settings: Settings) -> VectorStore:
    """Return the vector store the settings select. Does no I/O.

    Args:
        settings: ``qdrant_url`` (and ``qdrant_api_key``) select a Qdrant server through
            qdrant-client; without a URL the embedded qdrant-edge shard at
            ``settings.qdrant_path`` is used. ``qdrant_collection`` names the collection.

    Returns:
        An adapter implementing :class:`kg.core.ports.VectorStore`.
    """
    if settings.qdrant_url:
        from kg.vectors.qdrant_server import QdrantClientStore

        api_key = settings.qdrant_api_key.get_secret_value() if settings.qdrant_api_key else None
        return QdrantClientStore(
            settings.qdrant_collection, url=settings.qdrant_url, api_key=api_key
        )

    from kg.vectors.qdrant_edge import QdrantEdgeStore

    return QdrantEdgeStore(settings.qdrant_path, settings.qdrant_collection)
