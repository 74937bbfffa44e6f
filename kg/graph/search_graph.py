"""``Neo4jSearchGraph``: the :class:`kg.core.ports.SearchGraph` port over Neo4j.

Search hands typed arguments in and gets records back; the Cypher (in
:mod:`kg.graph.search_queries`), the Lucene syntax (:mod:`kg.graph.lucene`) and the row
shapes stay on this side of the port. Batch reads by id reuse :mod:`kg.graph.reads`, so a
search and the GraphQL loaders read a passage, an article or an action the same way.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from kg.core.records import (
    ActionEvidence,
    ActionRecord,
    ArticleRecord,
    EntityEvidence,
    EntityMatch,
    EntityRecord,
    EventRecord,
    Participants,
    PassageContext,
    PassageRecord,
    PassageRole,
    Role,
    ScoredPassage,
    SearchScope,
)
from kg.graph import rows as convert
from kg.graph import search_queries as q
from kg.graph.events import event_record, read_events_by_action_ids
from kg.graph.lucene import lucene_phrase, lucene_terms
from kg.graph.reads import Neo4jGraphReader
from kg.graph.store import CypherReader

# Lucene refuses queries with too many clauses (1024 by default); stay far below.
_MAX_NAME_PHRASES = 200

ENTITY_WALK = 100
"""The most actions, and mentions, of an entity that search's evidence read walks.

A walked row costs 30-45 db hits (its evidence passage and article, the near-duplicate
check): with 100, one entity's read stays near 10,000 db hits whatever the graph holds.
On the Reuters-21578 graph, "United States" passes it before 1,000 articles (125 actions,
367 mentions); at 5,000 articles, so do most countries the bench queries name.
"""


def _scope_params(scope: SearchScope) -> dict[str, Any]:
    return {
        "from": scope.from_date,
        "to": scope.to_date,
        "types": list(scope.types),
        "mention": scope.mention,
        "duplicates": scope.include_duplicates,
    }


def _passage(row: Mapping[str, Any]) -> PassageRecord | None:
    if row.get("passage_id") is None:
        return None  # an action without evidence in scope (OPTIONAL MATCH)
    return PassageRecord(
        id=str(row["passage_id"]),
        iri=str(row.get("passage_iri") or ""),
        article_id=str(row.get("article_id") or ""),
        index=int(row.get("passage_index") or 0),
        text=str(row.get("text") or ""),
        start=int(row.get("start") or 0),
        end=int(row.get("end") or 0),
    )


def _evidence(row: Mapping[str, Any]) -> ActionEvidence:
    rel = row.get("rel")
    return ActionEvidence(
        action_id=str(row["action_id"]),
        type=str(row["type"]),
        confidence=float(row["confidence"]),
        rel=None if rel is None else str(rel),
        passage=_passage(row),
    )


def _entity(row: Mapping[str, Any]) -> EntityRecord:
    return EntityRecord(
        id=str(row["id"]),
        iri=str(row.get("iri") or ""),
        name=str(row.get("name") or ""),
        type=str(row.get("type") or "Entity"),
        aliases=tuple(str(a) for a in row.get("aliases") or ()),
        wikidata=row.get("wikidata"),
    )


class Neo4jSearchGraph:
    """Hybrid search's graph reads over a Neo4j connection.

    The by-id reads are the API's (:class:`Neo4jGraphReader`), so search and the resolvers
    read records one way.

    Args:
        store: The connection whose ``run_read`` runs the queries (it owns the driver).
        walk: :meth:`entity_evidence` walks the actions (the mentions) of an entity that
            plays a role in (is mentioned by) at most this many; past it, it looks them up
            among ``near``.
    """

    def __init__(self, store: CypherReader, walk: int = ENTITY_WALK) -> None:
        self._store = store
        self._reader = Neo4jGraphReader(store)
        self._walk = walk

    def resolve_entity(self, key: str) -> EntityRecord | None:
        """See :meth:`kg.core.ports.SearchGraph.resolve_entity`."""
        return self._reader.resolve_entity(key)

    def entities_named(self, names: Sequence[str], limit: int) -> tuple[EntityMatch, ...]:
        """See :meth:`kg.core.ports.SearchGraph.entities_named`."""
        phrases = [p for p in dict.fromkeys(names) if p][:_MAX_NAME_PHRASES]
        if not phrases:
            return ()
        lucene = " OR ".join(lucene_phrase(p) for p in phrases)
        rows = self._store.run_read(
            q.SEARCH_ENTITIES_BY_FULLTEXT, {"lucene": lucene, "limit": limit}
        )
        return tuple(EntityMatch(_entity(r["entity"]), float(r["score"])) for r in rows)

    def passages_matching(
        self, words: Sequence[str], scope: SearchScope, limit: int
    ) -> list[ScoredPassage]:
        """See :meth:`kg.core.ports.SearchGraph.passages_matching`."""
        lucene = lucene_terms(" ".join(words))
        if not lucene:
            return []
        rows = self._store.run_read(
            q.SEARCH_PASSAGES_FULLTEXT,
            # The index is asked for more than `limit`: the filters drop some of its hits.
            {"q": lucene, "limit": limit * 3, **_scope_params(scope), "entity": scope.mention},
        )
        out = []
        for row in rows[:limit]:
            passage = _passage(row)
            if passage is not None:
                out.append(ScoredPassage(passage, float(row["score"])))
        return out

    def entity_evidence(
        self,
        entities: Sequence[tuple[str, Role]],
        scope: SearchScope,
        action_limit: int,
        passage_limit: int,
        near: Sequence[str] = (),
    ) -> list[EntityEvidence]:
        """See :meth:`kg.core.ports.SearchGraph.entity_evidence`.

        The actions of an entity playing a role in more than ``walk`` actions are not
        walked (their number grows with the graph): they are those evidenced by the
        passages of ``near``; likewise its mentions, past ``walk``, are those of ``near``.
        """
        if not entities:
            return []
        params = self._evidence_params(entities, scope, action_limit, passage_limit, near)
        rows = self._store.run_read(q.SEARCH_ENTITY_EVIDENCE, {**params, "events": False})
        return [_entity_evidence(r) for r in rows]

    def evidence_context(
        self,
        entities: Sequence[tuple[str, Role]],
        scope: SearchScope,
        action_limit: int,
        passage_limit: int,
        near: Sequence[str],
        also: Sequence[str],
        roles_of: Sequence[str],
        events: bool = False,
    ) -> tuple[list[EntityEvidence], PassageContext]:
        """See :meth:`kg.core.ports.SearchGraph.evidence_context`."""
        params = self._evidence_params(entities, scope, action_limit, passage_limit, near)
        rows = self._store.run_read(
            q.SEARCH_EVIDENCE_CONTEXT,
            {
                **params,
                "events": events,
                "ids": list(dict.fromkeys(also)),
                "entities": list(roles_of),
                "texts": False,
                "actions": False,
            },
        )
        if not rows:
            return [], PassageContext()
        found = sorted(rows[0]["found"], key=lambda r: int(r["i"]))
        return [_entity_evidence(r) for r in found], _context(rows[0])

    def _evidence_params(
        self,
        entities: Sequence[tuple[str, Role]],
        scope: SearchScope,
        action_limit: int,
        passage_limit: int,
        near: Sequence[str],
    ) -> dict[str, Any]:
        return {
            **_scope_params(scope),
            "asks": [
                {"entity": entity_id, "rels": list(q.ROLE_RELS[role])}
                for entity_id, role in entities
            ],
            "action_limit": action_limit,
            "passage_limit": passage_limit,
            "walk": self._walk,
            "near": list(dict.fromkeys(near)),
        }

    def actions_of_types(
        self, types: Sequence[str], scope: SearchScope, limit: int, near: Sequence[str] = ()
    ) -> list[ActionEvidence]:
        """See :meth:`kg.core.ports.SearchGraph.actions_of_types`.

        Past ``walk`` actions of the types, only those evidenced by ``near`` are read.
        """
        rows = self._store.run_read(
            q.SEARCH_ACTIONS_OF_TYPES,
            {
                **_scope_params(scope),
                "types": list(types),
                "limit": limit,
                "walk": self._walk,
                "near": list(dict.fromkeys(near)),
            },
        )
        return [_evidence(r) for r in rows]

    def actions_of_passages(
        self, passage_ids: Sequence[str], scope: SearchScope
    ) -> list[ActionEvidence]:
        """See :meth:`kg.core.ports.SearchGraph.actions_of_passages`."""
        if not passage_ids:
            return []
        rows = self._store.run_read(
            q.SEARCH_ACTIONS_OF_PASSAGES, {**_scope_params(scope), "ids": list(passage_ids)}
        )
        return [_evidence(r) for r in rows]

    def passages_with_action_types(
        self, passage_ids: Sequence[str], types: Sequence[str]
    ) -> frozenset[str]:
        """See :meth:`kg.core.ports.SearchGraph.passages_with_action_types`."""
        if not passage_ids or not types:
            return frozenset()
        rows = self._store.run_read(
            q.SEARCH_PASSAGES_WITH_ACTION_TYPES, {"ids": list(passage_ids), "types": list(types)}
        )
        return frozenset(str(r["passage_id"]) for r in rows)

    def copy_article_ids(self) -> frozenset[str]:
        """See :meth:`kg.core.ports.SearchGraph.copy_article_ids`."""
        rows = self._store.run_read(q.SEARCH_COPY_ARTICLES, {})
        return frozenset(str(r["article_id"]) for r in rows)

    def events(self, action_ids: Sequence[str]) -> dict[str, EventRecord]:
        """See :meth:`kg.core.ports.SearchGraph.events`."""
        return read_events_by_action_ids(self._store, action_ids)

    def passages(self, ids: Sequence[str]) -> dict[str, PassageRecord]:
        """See :meth:`kg.core.ports.SearchGraph.passages`."""
        return self._reader.passages_by_ids(ids) if ids else {}

    def articles(self, ids: Sequence[str]) -> dict[str, ArticleRecord]:
        """See :meth:`kg.core.ports.SearchGraph.articles`."""
        return self._reader.articles_by_ids(ids) if ids else {}

    def actions(self, ids: Sequence[str]) -> dict[str, ActionRecord]:
        """See :meth:`kg.core.ports.SearchGraph.actions`."""
        return self._reader.actions_by_ids(ids) if ids else {}

    def participants(self, action_ids: Sequence[str]) -> dict[str, Participants]:
        """See :meth:`kg.core.ports.SearchGraph.participants`."""
        return self._reader.participants_by_action_ids(action_ids) if action_ids else {}

    def passage_roles(
        self, passage_ids: Sequence[str], entity_ids: Sequence[str]
    ) -> list[PassageRole]:
        """See :meth:`kg.core.ports.SearchGraph.passage_roles`."""
        if not passage_ids or not entity_ids:
            return []
        rows = self._store.run_read(
            q.SEARCH_PASSAGE_ROLES, {"ids": list(passage_ids), "entities": list(entity_ids)}
        )
        return [part for r in rows if (part := _role(r, str(r["passage_id"]))) is not None]

    def passage_context(
        self,
        passage_ids: Sequence[str],
        entity_ids: Sequence[str],
        texts: bool = True,
        actions: SearchScope | None = None,
    ) -> PassageContext:
        """See :meth:`kg.core.ports.SearchGraph.passage_context`."""
        if not passage_ids:
            return PassageContext()
        params = {
            **_scope_params(actions or SearchScope()),
            "ids": list(dict.fromkeys(passage_ids)),
            "entities": list(entity_ids),
            "texts": texts,
            "actions": actions is not None,
        }
        rows = self._store.run_read(q.SEARCH_PASSAGE_CONTEXT, params)
        return _context(rows[0]) if rows else PassageContext()


def _entity_evidence(row: Mapping[str, Any]) -> EntityEvidence:
    """One entity's row of the evidence read (its actions' events only when asked)."""
    actions = row["actions"]
    return EntityEvidence(
        actions=tuple(_evidence(a) for a in actions),
        passages=tuple(p for p in map(_passage, row["passages"]) if p is not None),
        records={a["action_id"]: convert.action(a["action"]) for a in actions},
        participants={a["action_id"]: convert.participants(a["participants"]) for a in actions},
        events={
            a["action_id"]: event_record(a["event"]["event"], a["event"]["report_ids"])
            for a in actions
            if a.get("event") is not None
        },
    )


def _context(row: Mapping[str, Any]) -> PassageContext:
    """The passage-context columns (``passages``, ``articles``) of a read's one row."""
    out = _Context()
    for found in row["passages"]:
        out.add(found)
    for article in row["articles"]:
        record = convert.article(article)
        out.articles[record.id] = record
    return PassageContext(
        out.passages,
        out.articles,
        out.roles,
        out.actions,
        out.records,
        out.participants,
        out.events,
    )


class _Context:
    """The records of one passage-context read, gathered passage by passage."""

    def __init__(self) -> None:
        self.passages: dict[str, PassageRecord] = {}
        self.articles: dict[str, ArticleRecord] = {}
        self.roles: dict[str, tuple[PassageRole, ...]] = {}
        self.actions: dict[str, tuple[ActionEvidence, ...]] = {}
        self.records: dict[str, ActionRecord] = {}
        self.participants: dict[str, Participants] = {}
        self.events: dict[str, EventRecord] = {}

    def add(self, found: Mapping[str, Any]) -> None:
        passage_id = str(found["id"])
        passage = None
        if found["passage"] is not None:
            passage = convert.passage(found["passage"], found["article_id"])
            self.passages[passage_id] = passage
        parts = [_role(r, passage_id) for r in found["roles"]]
        if kept := tuple(p for p in parts if p is not None):
            self.roles[passage_id] = kept
        if found["actions"]:
            self.actions[passage_id] = tuple(
                ActionEvidence(
                    str(x["action_id"]), str(x["type"]), float(x["confidence"]), None, passage
                )
                for x in found["actions"]
            )
        for x in found["actions"]:
            self.records[x["action_id"]] = convert.action(x["action"])
            self.participants[x["action_id"]] = convert.participants(x["participants"])
            if x["event"] is not None:
                found_event = x["event"]
                event = event_record(found_event["event"], found_event["report_ids"])
                self.events[x["action_id"]] = event


def _role(row: Mapping[str, Any], passage_id: str) -> PassageRole | None:
    """A role-check row as a record; None for a relationship that names no role."""
    roles: dict[str, Role] = {q.ROLE_RELS["actor"][0]: "actor", q.ROLE_RELS["target"][0]: "target"}
    role = roles.get(str(row["rel"]))
    if role is None:
        return None
    return PassageRole(
        passage_id=passage_id,
        entity_id=str(row["entity_id"]),
        role=role,
        action_id=str(row["action_id"]),
        action_type=str(row["type"]),
    )
