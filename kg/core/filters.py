"""Input checks and filters shared by every edge (REST, GraphQL, CLI) and by search."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from kg.core.errors import InvalidQueryError
from kg.core.models import PLOVER_TYPES


@dataclass(frozen=True, slots=True)
class SearchFilter:
    """Restricts a search. Unset fields do not filter.

    Attributes:
        from_date: Earliest publication (passages) / action date (actions), inclusive.
        to_date: Latest publication / action date, inclusive.
        types: PLOVER action types; only actions (and graph evidence) of these types.
        entity: An entity id or name; only passages mentioning it / actions involving it.
    """

    from_date: date | None = None
    to_date: date | None = None
    types: tuple[str, ...] = ()
    entity: str | None = None


def check_date_range(date_from: date | None, date_to: date | None, field: str = "from") -> None:
    """Refuse a date range whose start is after its end.

    Raises:
        InvalidQueryError: ``date_from`` is after ``date_to`` (reported on ``field``).
    """
    if date_from and date_to and date_from > date_to:
        raise InvalidQueryError(field, f"{date_from.isoformat()} is after to={date_to.isoformat()}")


def check_cameo_code(value: str | None, field: str) -> str | None:
    """A CAMEO actor code or sector as a filter ("COL", "COLMIL", "GOV"), upper-cased.

    Raises:
        InvalidQueryError: the value is not 3 to 15 letters.
    """
    if value is None:
        return None
    code = value.strip().upper()
    if not (3 <= len(code) <= 15 and code.isascii() and code.isalpha()):
        raise InvalidQueryError(field, f"{value!r} is not a CAMEO code (3 to 15 letters)")
    return code


def check_plover_types(types: Iterable[str], field: str = "types") -> tuple[str, ...]:
    """PLOVER type names, trimmed, upper-cased and deduplicated, blanks dropped.

    Raises:
        InvalidQueryError: a name is not a PLOVER type (reported on ``field``).
    """
    upper = tuple(dict.fromkeys(t.strip().upper() for t in types if t.strip()))
    unknown = [t for t in upper if t not in PLOVER_TYPES]
    if unknown:
        raise InvalidQueryError(
            field,
            f"unknown PLOVER type(s) {', '.join(unknown)}; use {', '.join(PLOVER_TYPES)}",
        )
    return upper


MAX_NEIGHBOR_DEPTH = 3
"""The deepest neighbourhood a traversal may ask for, in entity-to-entity links."""

MAX_PATH_LENGTH = 4
"""The longest shortest path a traversal may ask for, in entity-to-entity links."""
