"""Find date expressions in text and resolve them against a publication date.

Pure functions, no spaCy. News text mostly speaks of the past relative to the publication
date, so bare weekdays and months resolve to their most recent occurrence on or before the
publication date, unless the caller says the context is future (``will``, ``next``).
Vague expressions keep a coarse value (first day of the month or year) and a granularity;
the caller keeps the original text as ``date_text``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

Granularity = Literal["day", "week", "month", "year"]

MONTHS: dict[str, int] = {
    "january": 1,
    "february": 2,
    "march": 3,
    "april": 4,
    "may": 5,
    "june": 6,
    "july": 7,
    "august": 8,
    "september": 9,
    "october": 10,
    "november": 11,
    "december": 12,
}
_MONTH_ABBR = {name[:3]: num for name, num in MONTHS.items()} | {"sept": 9}
WEEKDAYS: dict[str, int] = {
    "monday": 0,
    "tuesday": 1,
    "wednesday": 2,
    "thursday": 3,
    "friday": 4,
    "saturday": 5,
    "sunday": 6,
}

_MONTH_RE = (
    r"(?:january|february|march|april|may|june|july|august|september|october|november|december"
    r"|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)\.?"
)
_WEEKDAY_RE = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
_DAY_RE = r"(?:[12][0-9]|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_YEAR_RE = r"(?:19|20)[0-9]{2}"

# Ordered: longer, more specific patterns first. Each has named groups read by _resolve_match.
_PATTERNS: tuple[tuple[str, str], ...] = (
    ("iso", rf"\b(?P<y>{_YEAR_RE})-(?P<m>[01][0-9])-(?P<d>[0-3][0-9])\b"),
    ("dmy", rf"\b(?P<d>{_DAY_RE})\s+(?P<mon>{_MONTH_RE})(?:,?\s+(?P<y>{_YEAR_RE}))?\b"),
    ("mdy", rf"\b(?P<mon>{_MONTH_RE})\s+(?P<d>{_DAY_RE})(?:,?\s+(?P<y>{_YEAR_RE}))?\b"),
    ("rel_month", rf"\b(?P<rel>last|next|this|early|late|mid-?)\s*(?P<mon>{_MONTH_RE})\b"),
    ("month_year", rf"\b(?P<mon>{_MONTH_RE})\s+(?P<y>{_YEAR_RE})\b"),
    ("rel_weekday", rf"\b(?P<rel>last|next|this)\s+(?P<wd>{_WEEKDAY_RE})\b"),
    ("weekday", rf"\b(?P<wd>{_WEEKDAY_RE})\b"),
    ("rel_unit", r"\b(?P<rel>last|next|this|past)\s+(?P<unit>week|month|year)\b"),
    (
        "ago",
        r"\b(?P<n>\d+|a|one|two|three|four|five|six|seven|ten)\s+(?P<unit>day|week|month|year)s?\s+ago\b",
    ),
    ("deictic", r"\b(?P<word>today|yesterday|tomorrow|tonight)\b"),
    ("month", rf"\b(?:in|since|until|by|from|during|of|before|after)\s+(?P<mon>{_MONTH_RE})\b"),
    ("year", rf"\b(?:in|since|until|by|from|during|of|before|after)\s+(?P<y>{_YEAR_RE})\b"),
)
_COMPILED = tuple((name, re.compile(rx, re.IGNORECASE)) for name, rx in _PATTERNS)
_NUMBER_WORDS = {"a": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6}
_NUMBER_WORDS |= {"seven": 7, "ten": 10}
# "May" is also a modal verb: a lower-case bare "may" never counts as a month.
_AMBIGUOUS_MONTHS = {"may", "mar", "jan", "sept", "sep", "dec", "aug", "oct", "nov", "jun", "jul"}


@dataclass(frozen=True, slots=True)
class ResolvedDate:
    """A date expression, where it is in the text, and the date it denotes."""

    value: date
    text: str
    start: int
    end: int
    granularity: Granularity


def _month_number(token: str) -> int:
    key = token.lower().rstrip(".")
    return MONTHS.get(key) or _MONTH_ABBR[key[:4] if key == "sept" else key[:3]]


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + (day.month - 1) + months
    return date(index // 12, index % 12 + 1, 1)


def resolve_weekday(weekday: int, published: date, *, future: bool = False) -> date:
    """The most recent ``weekday`` on or before ``published`` (or the next one on or after)."""
    if future:
        return published + timedelta(days=(weekday - published.weekday()) % 7)
    return published - timedelta(days=(published.weekday() - weekday) % 7)


def resolve_month(month: int, published: date, *, future: bool = False) -> date:
    """First day of the most recent ``month`` (the current one counts), or the next one."""
    year = published.year
    if future:
        if month < published.month:
            year += 1
    elif month > published.month:
        year -= 1
    return date(year, month, 1)


def resolve_day_month(
    day: int, month: int, published: date, *, future: bool = False
) -> date | None:
    """The occurrence of ``day month`` nearest the publication date, leaning past or future.

    A date a few days after publication is kept in the same year even in past context:
    articles announce events scheduled for the coming days.
    """
    this_year = _safe_date(published.year, month, day)
    candidates = [
        c
        for c in (_safe_date(published.year - 1, month, day), this_year)
        + (_safe_date(published.year + 1, month, day),)
        if c is not None
    ]
    if not candidates:
        return None
    if future:
        upcoming = [c for c in candidates if c >= published]
        return min(upcoming) if upcoming else max(candidates)
    recent = [c for c in candidates if c <= published + timedelta(days=7)]
    return max(recent) if recent else min(candidates)


def _resolve_match(
    kind: str, m: re.Match[str], published: date | None, future: bool
) -> tuple[date, Granularity] | None:
    g = m.groupdict()
    year = int(g["y"]) if g.get("y") else None
    if kind == "iso":
        value = _safe_date(int(g["y"]), int(g["m"]), int(g["d"]))
        return (value, "day") if value else None
    if kind in ("dmy", "mdy"):
        day = int(re.sub(r"\D", "", g["d"]))
        month = _month_number(g["mon"])
        if year is not None:
            value = _safe_date(year, month, day)
        elif published is not None:
            value = resolve_day_month(day, month, published, future=future)
        else:
            return None
        return (value, "day") if value else None
    if kind == "month_year":
        return date(int(g["y"]), _month_number(g["mon"]), 1), "month"
    if kind == "year":
        return date(int(g["y"]), 1, 1), "year"
    if published is None:
        return None
    if kind == "rel_month":
        month = _month_number(g["mon"])
        rel = g["rel"].lower()
        if rel == "last":
            # "last January" in January 2026 is January 2025: strictly before this month.
            value = resolve_month(month, _add_months(published.replace(day=1), -1))
            return value, "month"
        if rel == "next":
            return resolve_month(month, _add_months(published.replace(day=1), 1), future=True), (
                "month"
            )
        return resolve_month(month, published, future=future), "month"
    if kind == "month":
        return resolve_month(_month_number(g["mon"]), published, future=future), "month"
    if kind == "rel_weekday":
        weekday = WEEKDAYS[g["wd"].lower()]
        rel = g["rel"].lower()
        if rel == "last":
            return resolve_weekday(weekday, published - timedelta(days=1)), "day"
        if rel == "next":
            return resolve_weekday(weekday, published + timedelta(days=1), future=True), "day"
        return resolve_weekday(weekday, published, future=future), "day"
    if kind == "weekday":
        return resolve_weekday(WEEKDAYS[g["wd"].lower()], published, future=future), "day"
    if kind == "rel_unit":
        unit = g["unit"].lower()
        step = {"last": -1, "past": -1, "next": 1, "this": 0}[g["rel"].lower()]
        if unit == "week":
            return published + timedelta(days=7 * step), "week"
        if unit == "month":
            return _add_months(published.replace(day=1), step), "month"
        return date(published.year + step, 1, 1), "year"
    if kind == "ago":
        raw = g["n"].lower()
        n = int(raw) if raw.isdigit() else _NUMBER_WORDS[raw]
        unit = g["unit"].lower()
        if unit == "day":
            return published - timedelta(days=n), "day"
        if unit == "week":
            return published - timedelta(days=7 * n), "week"
        if unit == "month":
            return _add_months(published.replace(day=1), -n), "month"
        return date(published.year - n, 1, 1), "year"
    if kind == "deictic":
        offset = {"today": 0, "tonight": 0, "yesterday": -1, "tomorrow": 1}[g["word"].lower()]
        return published + timedelta(days=offset), "day"
    return None


def find_dates(text: str, published: date | None, *, future: bool = False) -> list[ResolvedDate]:
    """All date expressions in ``text`` that resolve, left to right, without overlaps.

    Args:
        text: Any text, typically one sentence.
        published: The publication date; relative expressions need it.
        future: Resolve bare weekdays and months forward (the context is future).

    Returns:
        The resolved expressions; offsets are into ``text``.
    """
    found: list[ResolvedDate] = []
    taken: list[tuple[int, int]] = []
    for kind, rx in _COMPILED:
        for m in rx.finditer(text):
            start, end = m.span()
            if kind in ("month", "year"):
                # The preposition only anchors the match; the expression is the month/year.
                start = m.start("mon") if kind == "month" else m.start("y")
            if any(s < end and start < e for s, e in taken):
                continue
            mon = m.groupdict().get("mon")
            if (
                mon
                and mon.lower().rstrip(".") in _AMBIGUOUS_MONTHS
                and not mon[0].isupper()
                and kind in ("month", "rel_month")
            ):
                continue  # "in may" is a modal more often than a month when lower case
            resolved = _resolve_match(kind, m, published, future)
            if resolved is None:
                continue
            value, granularity = resolved
            found.append(ResolvedDate(value, text[start:end], start, end, granularity))
            taken.append((start, end))
    return sorted(found, key=lambda r: r.start)


def resolve_date(text: str, published: date | None, *, future: bool = False) -> ResolvedDate | None:
    """The first date expression in ``text`` resolved against ``published``, or None."""
    found = find_dates(text, published, future=future)
    return found[0] if found else None
