"""The Neo4j adapter of :class:`~kg.core.ports.EventIndex` and
:class:`~kg.core.ports.EventReader`: one event, many reports.

After an article is written (or deleted), :meth:`Neo4jEvents.refresh` recomputes the
events of a closed *region* of actions: the article's actions (and the remaining reports
of the events they reported before), the actions that could report the same events as
those (same type, a shared actor or target, dates within the window: walked from the
entities, never a scan), and every report of the events these already report. One hop
suffices because the stored events are already the components of the merge rule: a new
action can only join components it touches, and those come whole. So a pass costs what
the articles' neighbourhood holds, not what the graph holds. The region's events are then
the connected components of the merge rule (:func:`kg.core.event_merge.group_reports`),
named after their smallest report IRI, so the result does not depend on the order articles
arrived in. All of it in one write transaction.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

import neo4j

from kg.core.event_merge import EventGroup, MergeRule, Report, group_reports
from kg.core.records import EventRecord, EventUpdate
from kg.graph.event_queries import event_cypher
from kg.graph.store import CypherReader, Neo4jConnection

log = logging.getLogger(__name__)


def _date(value: Any) -> date | None:
    if value is None:
        return None
    to_native = getattr(value, "to_native", None)
    native = to_native() if callable(to_native) else value
    return native if isinstance(native, date) else None


def _report(row: Mapping[str, Any]) -> Report:
    published = _date(row["published"])
    return Report(
        id=row["id"],
        iri=row["iri"],
        type=row["type"],
        actors=frozenset(row["actors"]),
        targets=frozenset(row["targets"]),
        date=_date(row["date"]) or published,
        article_id=row["article_id"],
        source=row["source"],
        published=published,
        confidence=float(row["confidence"] if row["confidence"] is not None else 0.5),
        embedding=tuple(row["embedding"] or ()),
    )


def _record(group: EventGroup) -> EventRecord:
    return EventRecord(
        id=group.id,
        iri=group.iri,
        type=group.type,
        article_count=group.article_count,
        source_count=group.source_count,
        first_reported=group.first_reported,
        last_reported=group.last_reported,
        confidence=group.confidence,
        lead_id=group.lead_id,
        report_ids=group.report_ids,
    )


class Neo4jEvents:
    """Events in Neo4j. The constructor does no I/O.

    Args:
        db: The shared connection.
        rule: The merge thresholds.
        max_region: The most actions one pass reads; a larger region is cut (logged), so
            a hub entity cannot make one write read the whole graph.
    """

    def __init__(self, db: Neo4jConnection, rule: MergeRule, max_region: int = 2000) -> None:
        self._db = db
        self._rule = rule
        self._max_region = max_region

    # ------------------------------------------------------------------ EventIndex

    def events_of_articles(self, article_ids: Sequence[str]) -> tuple[str, ...]:
        """The ids of the events the articles' actions report."""
        rows = self._db.run_read(event_cypher().events_of_articles, {"ids": list(article_ids)})
        return tuple(sorted(r["id"] for r in rows))

    def refresh(
        self,
        article_ids: Sequence[str],
        embeddings: Mapping[str, Sequence[float]],
        previous: Sequence[str] = (),
    ) -> EventUpdate:
        """Recompute the events around the articles in one write transaction."""
        q = event_cypher()
        vectors = [{"id": k, "vector": list(v)} for k, v in sorted(embeddings.items()) if v]
        rule, cap = self._rule, self._max_region

        def work(tx: neo4j.ManagedTransaction) -> EventUpdate:
            if vectors:
                tx.run(q.set_embeddings, {"rows": vectors}).consume()
            seeds: set[str] = set()
            if article_ids:
                ids = list(article_ids)
                seeds |= {r["id"] for r in tx.run(q.article_actions, {"ids": ids})}
            if previous:
                seeds |= {r["id"] for r in tx.run(q.reports_of_events, {"ids": list(previous)})}
            region = set(seeds)
            if seeds:
                params = {"ids": sorted(seeds), "window": rule.window_days}
                region |= {r["id"] for r in tx.run(q.candidates, params)}
            # One hop is enough: the stored events are the components of the merge rule
            # already, so a stored action outside the seeds' reach joins a seed's event only
            # through a candidate's event, which comes whole. (Walking candidates of
            # candidates took in a whole stretch of the graph around a hub entity, more
            # the more the graph held: the region was cut at the cap on a 10k graph.)
            reached = sorted(region - seeds)
            if reached and len(region) < cap:
                region |= {r["id"] for r in tx.run(q.co_reports, {"ids": reached})}
            if len(region) >= cap:
                log.warning("event merge region of %d actions (cap %d)", len(region), cap)
            rows = list(tx.run(q.reports, {"ids": sorted(region)}))
            # An action without an embedding (stored before events existed) gets none.
            reports = [_report(r) for r in rows if r["embedding"]]
            # What each event held before this pass: its remaining reports and its stored
            # counts (after a deletion the reports left may be the same, the counts not).
            before: dict[str, set[str]] = {}
            counts: dict[str, tuple[int, int]] = {}
            for r in rows:
                if r["event_id"] is not None:
                    before.setdefault(r["event_id"], set()).add(r["id"])
                    counts[r["event_id"]] = (r["event_articles"], r["event_sources"])
            groups = group_reports(reports, rule)
            payload = [
                {
                    "id": g.id,
                    "iri": g.iri,
                    "reports": list(g.report_ids),
                    "props": {
                        "type": g.type,
                        "articleCount": g.article_count,
                        "sourceCount": g.source_count,
                        "firstReported": g.first_reported,
                        "lastReported": g.last_reported,
                        "eventConfidence": g.confidence,
                        "leadAction": g.lead_id,
                    },
                }
                for g in groups
            ]
            tx.run(q.replace_events, {"action_ids": sorted(region), "events": payload}).consume()
            old = sorted(set(before) | set(previous))
            new_ids = {g.id for g in groups}
            if old:
                tx.run(q.drop_events, {"ids": old}).consume()
            changed = tuple(
                _record(g)
                for g in groups
                if before.get(g.id) != set(g.report_ids)
                or counts.get(g.id) != (g.article_count, g.source_count)
            )
            return EventUpdate(changed=changed, removed=tuple(e for e in old if e not in new_ids))

        return self._db.execute_write(work)

    # ------------------------------------------------------------------ EventReader

    def events_by_action_ids(self, ids: Sequence[str]) -> dict[str, EventRecord]:
        """The event each action reports; actions without one are absent."""
        return read_events_by_action_ids(self._db, ids)


def read_events_by_action_ids(db: CypherReader, ids: Sequence[str]) -> dict[str, EventRecord]:
    """The event each action in ``ids`` reports (one batch read); others are absent.

    Shared by the API's reader (:class:`Neo4jEvents`) and search's
    (:class:`kg.graph.search_graph.Neo4jSearchGraph`), so both read an event one way.
    """
    if not ids:
        return {}
    rows = db.run_read(event_cypher().events_by_action_ids, {"ids": list(ids)})
    return {row["action_id"]: event_record(row["event"], row["report_ids"]) for row in rows}


def event_record(ev: Mapping[str, Any], report_ids: Sequence[str]) -> EventRecord:
    """An event map and its reports' ids (as ``event_projection`` returns them) as a record."""
    return EventRecord(
        id=ev["id"],
        iri=ev["iri"],
        type=ev["type"],
        article_count=int(ev["articleCount"]),
        source_count=int(ev["sourceCount"]),
        first_reported=_date(ev["firstReported"]),
        last_reported=_date(ev["lastReported"]),
        confidence=float(ev["eventConfidence"]),
        lead_id=ev["leadAction"],
        report_ids=tuple(sorted(report_ids)),
    )
