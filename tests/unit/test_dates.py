"""Date expressions resolved against a publication date (pure)."""

from __future__ import annotations

from datetime import date

import pytest

from kg.extraction.actions.dates import find_dates, resolve_date, resolve_month, resolve_weekday

THURSDAY = date(2026, 1, 8)


@pytest.mark.parametrize(
    ("text", "expected", "granularity"),
    [
        ("held a call on Wednesday", date(2026, 1, 7), "day"),
        ("said on Thursday", date(2026, 1, 8), "day"),
        ("on Friday", date(2026, 1, 2), "day"),
        ("during a 3 January nighttime raid", date(2026, 1, 3), "day"),
        ("on January 3", date(2026, 1, 3), "day"),
        ("In November, Petro ordered", date(2025, 11, 1), "month"),
        ("began his second term last January", date(2025, 1, 1), "month"),
        ("came to power in 2022", date(2022, 1, 1), "year"),
        ("on 25 December", date(2025, 12, 25), "day"),
        ("on 2024-05-06", date(2024, 5, 6), "day"),
        ("on March 4, 2019", date(2019, 3, 4), "day"),
        ("yesterday", date(2026, 1, 7), "day"),
        ("today", THURSDAY, "day"),
        ("last month", date(2025, 12, 1), "month"),
        ("last year", date(2025, 1, 1), "year"),
        ("two weeks ago", date(2025, 12, 25), "week"),
        ("last Monday", date(2026, 1, 5), "day"),
    ],
)
def test_resolves_against_publication(text: str, expected: date, granularity: str) -> None:
    found = resolve_date(text, THURSDAY)
    assert found is not None
    assert found.value == expected
    assert found.granularity == granularity
    assert text[found.start : found.end] == found.text


def test_future_context_resolves_forward() -> None:
    found = resolve_date("talks will be held on Monday", THURSDAY, future=True)
    assert found is not None and found.value == date(2026, 1, 12)
    assert resolve_month(3, THURSDAY, future=True) == date(2026, 3, 1)
    assert resolve_weekday(3, THURSDAY, future=True) == THURSDAY


def test_may_the_modal_is_not_a_month() -> None:
    assert find_dates("the rebels may attack in may", THURSDAY) == []
    found = resolve_date("elections in May", THURSDAY)
    assert found is not None and found.value == date(2025, 5, 1)


def test_relative_dates_need_a_publication_date() -> None:
    assert resolve_date("on Wednesday", None) is None
    found = resolve_date("on 3 January 2026", None)
    assert found is not None and found.value == date(2026, 1, 3)


def test_several_expressions_in_order_without_overlap() -> None:
    found = find_dates("On Monday, after the 3 January raid, in November", THURSDAY)
    assert [f.text for f in found] == ["Monday", "3 January", "November"]
