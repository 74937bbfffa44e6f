"""The event merge rule: which reports of different articles are one event."""

from __future__ import annotations

import itertools
from datetime import date

from kg.core.event_merge import MergeRule, Report, group_reports, same_event

RULE = MergeRule(window_days=3, min_similarity=0.5)
NEAR, FAR = (1.0, 0.0), (0.0, 1.0)


def report(
    n: int,
    article: str,
    *,
    type: str = "AGREE",
    actors: set[str] | None = None,
    targets: set[str] | None = None,
    day: int = 10,
    vector: tuple[float, ...] = NEAR,
    source: str | None = None,
) -> Report:
    return Report(
        id=f"x{n}",
        iri=f"https://w3id.org/newskg/id/article/{article}/action/{n}",
        type=type,
        actors=frozenset(actors if actors is not None else {"gov"}),
        targets=frozenset(targets if targets is not None else {"eln"}),
        date=date(2025, 1, day),
        article_id=article,
        source=source or f"outlet-{article}",
        published=date(2025, 1, day),
        confidence=0.5,
        embedding=vector,
    )


def test_each_criterion_can_keep_two_reports_apart() -> None:
    a = report(1, "a")
    assert same_event(a, report(2, "b"), RULE)
    assert not same_event(a, report(2, "a"), RULE)  # same article
    assert not same_event(a, report(2, "b", type="ACCUSE"), RULE)
    assert not same_event(a, report(2, "b", actors={"farc"}), RULE)
    assert not same_event(a, report(2, "b", targets={"farc"}), RULE)
    assert same_event(a, report(2, "b", targets=set()), RULE)  # no target named: actors do
    assert not same_event(a, report(2, "b", day=20), RULE)
    assert not same_event(a, report(2, "b", vector=FAR), RULE)


def test_events_are_components_and_do_not_depend_on_order() -> None:
    reports = [
        report(1, "a", source="Reuters"),
        report(2, "b", source="AP"),
        report(3, "c", day=12, source="Reuters"),
        report(4, "d", vector=FAR),
        report(5, "e", type="ACCUSE"),
    ]
    results = {tuple(group_reports(order, RULE)) for order in itertools.permutations(reports)}
    assert len(results) == 1
    (groups,) = results
    by_size = sorted(groups, key=lambda g: -len(g.report_ids))
    big = by_size[0]
    assert big.report_ids == ("x1", "x2", "x3")
    assert (big.article_count, big.source_count) == (3, 2)
    assert (big.first_reported, big.last_reported) == (date(2025, 1, 10), date(2025, 1, 12))
    assert big.lead_id == "x1" and big.confidence == 0.875
    assert len(groups) == 3 and all(len(g.report_ids) == 1 for g in by_size[1:])
