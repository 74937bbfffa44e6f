"""One search request, validated once, with one set of limits for every API.

REST (``GET``/``POST /search``), GraphQL (``search``), the CLI and the benchmark all build a
:class:`SearchRequest`; constructing it checks and normalises every field, so a request that
exists is valid. Errors are :class:`kg.core.errors.InvalidQueryError`, which each edge maps
to its own error shape.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from kg.core.errors import InvalidQueryError
from kg.core.filters import SearchFilter, check_date_range, check_plover_types
from kg.core.limits import DEFAULT_LIMITS, MAX_QUERY_CHARS, TextLimits, check_name, check_query
from kg.search.results import SEARCH_ORDERS

MAX_QUERY_LENGTH = MAX_QUERY_CHARS
"""The longest query by default, in characters (after trimming); ``limits`` decides."""
MIN_LIMIT = 1
MAX_LIMIT = 100
"""The most passages (and actions) one search returns."""
DEFAULT_LIMIT = 10


@dataclass(frozen=True, slots=True)
class SearchRequest:
    """A search query with its limit and filter; valid once constructed.

    Attributes:
        query: Free text, e.g. "actions against the ELN"; trimmed, at most
            ``max_query_chars`` characters and ``max_query_words`` words.
        limit: The most passages (and actions) to return, 1..100.
        filter: Date, PLOVER type and entity restrictions; types are upper-cased and
            deduplicated, a blank entity is dropped; the entity is a name (at most
            ``max_name_chars``).
        limits: The text limits: the edges pass the running settings; the defaults of
            :mod:`kg.core.limits` otherwise. Every word of the query becomes a Lucene
            clause, so the word limit is what keeps Neo4j from ``TooManyClauses``.
        include_duplicates: Also search near-duplicate copies (articles ``DUPLICATE_OF``
            another: a wire story republished under a new headline). By default their
            passages, actions and evidence are left out; the originals stay.
        order_by: How the actions are ordered: ``"relevance"``, or ``"source_count"``
            (one action per event, the events reported by the most distinct sources
            first); case-insensitive. None (the default) lets the query decide: "most
            reported ...", "... by number of sources" order by source count.

    Raises:
        InvalidQueryError: Empty or too long query (field ``query``), limit out of range
            (``limit``), inverted dates (``from``), unknown type (``types``), too long
            entity (``entity``), unknown order (``order_by``).
    """

    query: str
    limit: int = DEFAULT_LIMIT
    filter: SearchFilter = field(default_factory=SearchFilter)
    limits: TextLimits = field(default=DEFAULT_LIMITS, compare=False, repr=False)
    include_duplicates: bool = False
    order_by: str | None = None

    def __post_init__(self) -> None:
        query = self.query.strip()
        if not query:
            raise InvalidQueryError("query", "must not be empty")
        check_query("query", query, self.limits)
        if not MIN_LIMIT <= self.limit <= MAX_LIMIT:
            raise InvalidQueryError(
                "limit", f"must be between {MIN_LIMIT} and {MAX_LIMIT}, got {self.limit}"
            )
        order = self.order_by.strip().lower() if self.order_by is not None else None
        if order is not None and order not in SEARCH_ORDERS:
            raise InvalidQueryError(
                "order_by", f"unknown order {self.order_by!r}; use {', '.join(SEARCH_ORDERS)}"
            )
        flt = self.filter
        check_date_range(flt.from_date, flt.to_date)
        entity = flt.entity.strip() if flt.entity else None
        check_name("entity", entity, self.limits)
        normalised = SearchFilter(
            flt.from_date, flt.to_date, check_plover_types(flt.types), entity or None
        )
        # Frozen: the normalised values are set once, here, and never change afterwards.
        object.__setattr__(self, "query", query)
        object.__setattr__(self, "filter", normalised)
        object.__setattr__(self, "order_by", order)


def parse_types(raw: str | Sequence[str] | None) -> tuple[str, ...]:
    """Split a comma-separated (or repeated) ``types`` parameter into its items.

    Checking them is :class:`SearchRequest`'s job; this only splits.
    """
    if raw is None:
        return ()
    items = [raw] if isinstance(raw, str) else list(raw)
    return tuple(t.strip() for item in items for t in item.split(",") if t.strip())
