"""Relay-style pagination: ``Connection``/``Edge``/``PageInfo`` with opaque cursors.

A cursor is the base64 of ``"cursor:<offset>"``. Lists are ordered by a unique key, so
offsets give pages without duplicates or gaps while the data does not change. Cursors come
back from clients, so a decoded offset is checked: ASCII digits only, at most
:data:`MAX_OFFSET` (a forged huge offset overflowed the database driver's 64-bit integers).
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Callable
from typing import Generic, TypeVar

import strawberry

from api.graphql.error_types import invalid_argument
from api.graphql.fields import described_field
from kg.core.records import Page

T = TypeVar("T")
R = TypeVar("R")

DEFAULT_PAGE_SIZE = 10
MAX_PAGE_SIZE = 100
# Deep offsets cost the database a skip over every row before them; lists this long are
# searched or filtered, not paged through.
MAX_OFFSET = 100_000
_PREFIX = "cursor:"
_OFFSET = re.compile(r"[0-9]+")  # ASCII digits only: str.isdigit() takes "²" too


def encode_cursor(offset: int) -> str:
    """The opaque cursor of the item at ``offset``."""
    return base64.urlsafe_b64encode(f"{_PREFIX}{offset}".encode()).decode("ascii")


def decode_cursor(cursor: str) -> int:
    """The offset a cursor points at.

    Raises:
        GraphQLError: (code ``INVALID_FILTER``) the cursor was not made by this API or
            points at :data:`MAX_OFFSET` or beyond.
    """
    if len(cursor) > 64:  # ours are about 20 characters; do not decode megabytes
        raise invalid_argument("after", "is not a valid cursor")
    try:
        text = base64.urlsafe_b64decode(cursor.encode("ascii")).decode("utf-8")
    except (binascii.Error, UnicodeError, ValueError):
        raise invalid_argument("after", "is not a valid cursor") from None
    digits = text.removeprefix(_PREFIX)
    if not text.startswith(_PREFIX) or not _OFFSET.fullmatch(digits):
        raise invalid_argument("after", "is not a valid cursor")
    offset = int(digits)
    if offset >= MAX_OFFSET:
        raise invalid_argument("after", f"points past the last pageable item ({MAX_OFFSET})")
    return offset


def page_window(first: int | None, after: str | None) -> tuple[int, int]:
    """``(offset, limit)`` for a ``first``/``after`` pair.

    Raises:
        GraphQLError: (code ``INVALID_FILTER``) ``first`` is out of range or ``after`` is bad.
    """
    limit = DEFAULT_PAGE_SIZE if first is None else first
    if not 0 <= limit <= MAX_PAGE_SIZE:
        raise invalid_argument("first", f"must be between 0 and {MAX_PAGE_SIZE}")
    offset = 0 if after is None else decode_cursor(after) + 1
    return offset, limit


@strawberry.type(description="Where a page sits in the whole list.")
class PageInfo:
    has_next_page: bool
    has_previous_page: bool
    start_cursor: str | None
    end_cursor: str | None


@strawberry.type(description="One item of a page and its cursor.")
class Edge(Generic[T]):
    cursor: str
    node: T


@strawberry.type(description="A page of a list: pass `pageInfo.endCursor` as `after` for more.")
class Connection(Generic[T]):
    edges: list[Edge[T]]
    page_info: PageInfo
    total_count: int

    @described_field("The page's items, without cursors.")
    def nodes(self) -> list[T]:
        return [edge.node for edge in self.edges]


def connection_parts(page: Page[R], convert: Callable[[R], T]) -> tuple[list[Edge[T]], PageInfo]:
    """Edges and page info of a page; build a concrete connection type from them."""
    edges = [
        Edge(cursor=encode_cursor(page.offset + i), node=convert(item))
        for i, item in enumerate(page.items)
    ]
    info = PageInfo(
        has_next_page=page.has_next,
        has_previous_page=page.offset > 0,
        start_cursor=edges[0].cursor if edges else None,
        end_cursor=edges[-1].cursor if edges else None,
    )
    return edges, info
