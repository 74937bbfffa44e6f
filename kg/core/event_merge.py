"""One event, many reports: which actions of different articles report the same event.

Pure functions over plain records, so the rule can be tested and benchmarked without a
store. Two reports are *linked* when they have the same PLOVER type, share a resolved actor
and (when both name one) a resolved target, are dated within ``window_days`` (the action's
date, else its article's publication date) and their evidence embeddings are at least
``min_similarity`` similar (cosine). An event is a connected component of the links.

Components of a symmetric relation do not depend on the order the reports arrived in, and
an event is named after the smallest IRI of its reports, so ingesting A then B makes the
same events as B then A.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from kg.core.identity import DATA_NS, _digest, stable_id


@dataclass(frozen=True, slots=True)
class Report:
    """One action as the graph holds it, with what the merge rule needs.

    Attributes:
        id: The action's id.
        iri: The action's IRI.
        type: Its PLOVER type.
        actors: Ids of its resolved actors.
        targets: Ids of its resolved targets.
        date: The action's date, else its article's publication date (None if neither).
        article_id: The article reporting it.
        source: The article's source (outlet); None when unknown.
        published: The article's publication date.
        confidence: The extractor's confidence in the action.
        embedding: The evidence text's embedding (L2-normalised); empty when unknown.
    """

    id: str
    iri: str
    type: str
    actors: frozenset[str]
    targets: frozenset[str]
    date: dt.date | None
    article_id: str
    source: str | None
    published: dt.date | None
    confidence: float
    embedding: tuple[float, ...] = ()


@dataclass(frozen=True, slots=True)
class MergeRule:
    """The thresholds of the merge (from the settings)."""

    window_days: int = 3
    min_similarity: float = 0.5


@dataclass(frozen=True, slots=True)
class EventGroup:
    """An event and the reports that make it up.

    Attributes:
        id: uuid5 of ``iri``.
        iri: Derived from the smallest IRI of the reports.
        type: The PLOVER type its reports share.
        lead_id: The id of the report with the smallest IRI.
        report_ids: Every report's id, sorted.
        article_count: Distinct articles.
        source_count: Distinct sources; an article with no source counts as its own.
        first_reported: The earliest publication date (None if none is dated).
        last_reported: The latest publication date.
        confidence: Noisy-or of the reports' confidences, one per article (the best).
    """

    id: str
    iri: str
    type: str
    lead_id: str
    report_ids: tuple[str, ...]
    article_count: int
    source_count: int
    first_reported: dt.date | None
    last_reported: dt.date | None
    confidence: float


def event_iri(lead_iri: str) -> str:
    """The IRI of the event whose smallest report IRI is ``lead_iri``."""
    return f"{DATA_NS}event/{_digest(lead_iri)}"


def cosine(a: Sequence[float], b: Sequence[float]) -> float:
    """Cosine similarity; 0 when either vector is empty or zero."""
    if not a or not b or len(a) != len(b):
        return 0.0
    dot = sum(x * y for x, y in zip(a, b, strict=True))
    norm = math.sqrt(sum(x * x for x in a)) * math.sqrt(sum(y * y for y in b))
    return dot / norm if norm else 0.0


def participants_overlap(a: Report, b: Report) -> bool:
    """A shared actor, and a shared target unless one of them names none."""
    if not a.actors & b.actors:
        return False
    return not (a.targets and b.targets) or bool(a.targets & b.targets)


def dates_close(a: Report, b: Report, window_days: int) -> bool:
    """Dated within the window; an undated report does not rule a link out."""
    if a.date is None or b.date is None:
        return True
    return abs((a.date - b.date).days) <= window_days


def same_event(a: Report, b: Report, rule: MergeRule) -> bool:
    """Whether two reports of different articles report the same event."""
    return (
        a.article_id != b.article_id
        and a.type == b.type
        and participants_overlap(a, b)
        and dates_close(a, b, rule.window_days)
        and cosine(a.embedding, b.embedding) >= rule.min_similarity
    )


def candidates_of(report: Report, others: Iterable[Report], rule: MergeRule) -> list[Report]:
    """The reports the store must look at for ``report``: same type, a shared participant,
    close dates (what an index lookup by type and participant gives; a superset of links)."""
    people = report.actors | report.targets
    return [
        o
        for o in others
        if o.id != report.id
        and o.type == report.type
        and (o.actors | o.targets) & people
        and dates_close(report, o, rule.window_days)
    ]


def group_reports(reports: Iterable[Report], rule: MergeRule) -> list[EventGroup]:
    """Partition reports into events: the connected components of :func:`same_event`.

    Args:
        reports: Every report of a closed region (a component never leaves it).
        rule: The thresholds.

    Returns:
        One group per event, sorted by IRI; every report is in exactly one.
    """
    items = sorted({r.id: r for r in reports}.values(), key=lambda r: r.iri)
    parent = list(range(len(items)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    by_type: dict[str, list[int]] = {}
    for i, r in enumerate(items):
        by_type.setdefault(r.type, []).append(i)
    for indices in by_type.values():
        for n, i in enumerate(indices):
            for j in indices[n + 1 :]:
                if same_event(items[i], items[j], rule):
                    ri, rj = find(i), find(j)
                    if ri != rj:
                        parent[max(ri, rj)] = min(ri, rj)
    components: dict[int, list[Report]] = {}
    for i, r in enumerate(items):
        components.setdefault(find(i), []).append(r)
    groups = [_group(members) for members in components.values()]
    return sorted(groups, key=lambda g: g.iri)


def _group(members: Sequence[Report]) -> EventGroup:
    lead = min(members, key=lambda r: r.iri)
    iri = event_iri(lead.iri)
    articles: dict[str, Report] = {}
    for r in members:
        best = articles.get(r.article_id)
        if best is None or r.confidence > best.confidence:
            articles[r.article_id] = r
    sources = {r.source or f"article:{r.article_id}" for r in articles.values()}
    dated = sorted(d for d in (r.published for r in articles.values()) if d is not None)
    doubt = 1.0
    for r in articles.values():
        doubt *= 1.0 - min(max(r.confidence, 0.0), 1.0)
    return EventGroup(
        id=stable_id(iri),
        iri=iri,
        type=lead.type,
        lead_id=lead.id,
        report_ids=tuple(sorted(r.id for r in members)),
        article_count=len(articles),
        source_count=len(sources),
        first_reported=dated[0] if dated else None,
        last_reported=dated[-1] if dated else None,
        confidence=round(1.0 - doubt, 6),
    )


def changed_groups(
    before: Mapping[str, tuple[str, ...]], after: Sequence[EventGroup]
) -> list[EventGroup]:
    """The groups of ``after`` that are new or whose reports changed (``before``: event id ->
    report ids)."""
    return [g for g in after if before.get(g.id) != g.report_ids]


__all__ = [
    "EventGroup",
    "MergeRule",
    "Report",
    "candidates_of",
    "changed_groups",
    "cosine",
    "event_iri",
    "group_reports",
    "same_event",
]
