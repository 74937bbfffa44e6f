"""The Cypher behind :class:`kg.graph.events.Neo4jEvents`.

Built on first use from the ontology's allow-list (labels and relationship types are
checked by :mod:`kg.graph.schema`); every statement takes its values as parameters and
batches with ``UNWIND``. Lookups start from ids (uniqueness-constrained, so indexed) and
walk relationships: candidates are found through the entities an action involves, never
by scanning every action.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from kg.graph.schema import label, rel_type


@dataclass(frozen=True, slots=True)
class EventCypher:
    """The event statements, one field per query."""

    set_embeddings: str
    article_actions: str
    events_of_articles: str
    reports_of_events: str
    candidates: str
    co_reports: str
    reports: str
    replace_events: str
    drop_events: str
    events_by_action_ids: str
    event_projection: str
    """The event action ``x`` reports and its reports' ids (``{event, report_ids}``, or
    null), as ``events_by_action_ids`` returns them, for other queries."""


@cache
def event_cypher() -> EventCypher:
    """The statements of the default ontology, built once."""
    action, article, entity, event = (
        label("Action"),
        label("Article"),
        label("Entity"),
        label("Event"),
    )
    reported_in, reports = rel_type("REPORTED_IN"), rel_type("REPORTS")
    roles = f"{rel_type('HAS_ACTOR')}|{rel_type('HAS_TARGET')}"
    has_actor, has_target = rel_type("HAS_ACTOR"), rel_type("HAS_TARGET")
    event_fields = (
        "{.id, .iri, .type, .articleCount, .sourceCount, .firstReported, .lastReported,"
        " .eventConfidence, .leadAction}"
    )
    return EventCypher(
        # $rows: [{id, vector}]
        set_embeddings=f"""
UNWIND $rows AS row
MATCH (x:{action} {{id: row.id}})
SET x.evidenceEmbedding = row.vector
""",
        # $ids: article ids -> rows {id} of their actions
        article_actions=f"""
UNWIND $ids AS aid
MATCH (x:{action})-[:{reported_in}]->(:{article} {{id: aid}})
RETURN x.id AS id
""",
        # $ids: article ids -> rows {id} of the events their actions report
        events_of_articles=f"""
UNWIND $ids AS aid
MATCH (:{article} {{id: aid}})<-[:{reported_in}]-(:{action})-[:{reports}]->(ev:{event})
RETURN DISTINCT ev.id AS id
""",
        # $ids: event ids -> the actions still reporting them
        reports_of_events=f"""
UNWIND $ids AS eid
MATCH (:{event} {{id: eid}})<-[:{reports}]-(x:{action})
RETURN DISTINCT x.id AS id
""",
        # $ids: action ids, $window: days -> actions that could report the same event:
        # same type, a shared actor or target, dated within the window, embedded (an action
        # stored before events existed has no embedding and no event); and the other
        # reports of their current events.
        candidates=f"""
UNWIND $ids AS xid
MATCH (x:{action} {{id: xid}})-[:{reported_in}]->(xa:{article})
WITH x, coalesce(x.date, xa.published) AS xd
MATCH (x)-[:{roles}]->(:{entity})<-[:{roles}]-(y:{action})
WHERE y.type = x.type AND y.id <> x.id AND y.evidenceEmbedding IS NOT NULL
MATCH (y)-[:{reported_in}]->(ya:{article})
WITH DISTINCT y, xd, coalesce(y.date, ya.published) AS yd
WHERE xd IS NULL OR yd IS NULL OR abs(duration.inDays(xd, yd).days) <= $window
RETURN y.id AS id
UNION
UNWIND $ids AS xid
MATCH (:{action} {{id: xid}})-[:{reports}]->(:{event})<-[:{reports}]-(y:{action})
RETURN y.id AS id
""",
        # $ids: action ids -> every action reporting the same event as one of them
        co_reports=f"""
UNWIND $ids AS xid
MATCH (:{action} {{id: xid}})-[:{reports}]->(:{event})<-[:{reports}]-(y:{action})
RETURN DISTINCT y.id AS id
""",
        # $ids: action ids -> what the merge rule needs of each
        reports=f"""
UNWIND $ids AS xid
MATCH (x:{action} {{id: xid}})-[:{reported_in}]->(a:{article})
OPTIONAL MATCH (x)-[:{reports}]->(ev:{event})
RETURN x.id AS id, x.iri AS iri, x.type AS type, x.date AS date,
       x.confidence AS confidence, x.evidenceEmbedding AS embedding,
       a.id AS article_id, a.source AS source, a.published AS published,
       [(x)-[:{has_actor}]->(e:{entity}) | e.id] AS actors,
       [(x)-[:{has_target}]->(e:{entity}) | e.id] AS targets,
       ev.id AS event_id, ev.articleCount AS event_articles, ev.sourceCount AS event_sources
""",
        # $action_ids: the region; $events: [{id, iri, props, reports}] its new events.
        # Old REPORTS links of the region go, then the events are merged and linked.
        replace_events=f"""
CALL () {{
    UNWIND $action_ids AS xid
    MATCH (:{action} {{id: xid}})-[r:{reports}]->(:{event})
    DELETE r
}}
UNWIND $events AS row
MERGE (ev:{event} {{id: row.id}})
SET ev = row.props, ev.id = row.id, ev.iri = row.iri
WITH ev, row
UNWIND row.reports AS xid
MATCH (x:{action} {{id: xid}})
MERGE (x)-[:{reports}]->(ev)
RETURN count(*) AS written
""",
        # $ids: event ids -> delete those no action reports
        drop_events=f"""
UNWIND $ids AS eid
MATCH (ev:{event} {{id: eid}})
WHERE NOT EXISTS {{ (ev)<-[:{reports}]-(:{action}) }}
DETACH DELETE ev
RETURN count(*) AS dropped
""",
        event_projection=(
            f"head([(x)-[:{reports}]->(ev:{event}) | {{event: ev {event_fields},"
            f" report_ids: [(ev)<-[:{reports}]-(y:{action}) | y.id]}}])"
        ),
        events_by_action_ids=f"""
UNWIND $ids AS xid
MATCH (:{action} {{id: xid}})-[:{reports}]->(ev:{event})
RETURN xid AS action_id, ev {event_fields} AS event,
       [(ev)<-[:{reports}]-(y:{action}) | y.id] AS report_ids
""",
    )
