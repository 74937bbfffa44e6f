"""The graph retriever: from the query's entities (or event types) to actions and passages.

With entities: the actions in which each entity plays the asked role ("against X" -> X is a
target), their evidence passages first, then the passages that merely mention the entities.
"between X and Y" keeps the actions involving all of them. With event words but no entity:
the actions of the named types and their evidence.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

from kg.core.ports import SearchGraph
from kg.core.records import (
    ActionEvidence,
    ActionRecord,
    EntityEvidence,
    EventRecord,
    Participants,
    PassageContext,
    PassageRecord,
    Role,
    SearchScope,
)
from kg.search.fusion import Ranked
from kg.search.results import QueryEntity, QueryUnderstanding
from kg.search.retrievers import Retrieved, first_of_each

MENTION_SCORE = -1.0
"""Graph score of a passage reached only by MENTIONS: below any action evidence (>= 0)."""
EVENT_TYPE_BONUS = 1.0
"""Graph score bonus of an action whose type the query names ("attacks" -> ASSAULT)."""
SHARED_ACTION_BONUS = 0.5
"""Graph score bonus of an action involving several of the query's entities."""
MAX_QUERY_ENTITIES = 5
"""Entities of the query that are expanded (the first ones, in query order)."""


@dataclass(frozen=True, slots=True)
class GraphAction:
    """An action the graph retriever reached.

    Attributes:
        action_id: The action's id.
        type: Its PLOVER type.
        score: Confidence, plus the bonuses above.
        path: How it was reached, e.g. ``("Entity:ELN", "HAS_TARGET", "Action:ACCUSE",
            "EVIDENCED_BY", "Passage:3")``.
        passage_id: Its evidence passage, if any.
    """

    action_id: str
    type: str
    score: float
    path: tuple[str, ...]
    passage_id: str | None


@dataclass(frozen=True, slots=True)
class GraphRetrieved(Retrieved):
    """The graph retriever's passages, and the actions it reached, best first.

    ``records`` and ``participants`` hold what the graph returned with the actions reached
    from entities (by action id); actions of types alone come without them. ``events``
    holds those actions' events and ``context`` the candidates' context, when they were
    asked for and read with the actions (None: not read).
    """

    actions: tuple[GraphAction, ...] = ()
    records: Mapping[str, ActionRecord] = field(default_factory=dict)
    participants: Mapping[str, Participants] = field(default_factory=dict)
    events: Mapping[str, EventRecord] | None = None
    context: PassageContext | None = None


def _evidence_path(head: tuple[str, ...], passage: PassageRecord | None) -> tuple[str, ...]:
    if passage is None:
        return head
    return (*head, "EVIDENCED_BY", f"Passage:{passage.index}")


def retrieve_graph(
    graph: SearchGraph,
    understanding: QueryUnderstanding,
    scope: SearchScope,
    depth: int,
    near: Sequence[str] = (),
    also: Sequence[str] | None = None,
    roles_of: Sequence[str] = (),
    events: bool = False,
) -> GraphRetrieved:
    """Actions and passages reached from what the query names.

    Args:
        graph: Runs the expansions (one read for all the query's entities).
        understanding: The query's entities (with roles) and event types.
        scope: Dates, types and mentioned entity.
        depth: How many actions (and mention passages per entity) to read.
        near: Passages another retriever found: an entity (event types) with too many
            actions or mentions for the graph to walk them reaches only those of ``near``.
        also: When the query names entities: read, with their evidence, the context
            (articles, the parts ``roles_of`` play) of the passages reached and of these
            (``GraphRetrieved.context``). None: no context.
        roles_of: With ``also``, the entities whose parts the context holds.
        events: With ``also``, read the reached actions' events too.
    """
    entities = understanding.entities[:MAX_QUERY_ENTITIES]
    pairwise = understanding.pairwise and len(understanding.entities) >= 2
    asks: list[tuple[str, Role]] = [
        (qe.entity.id, "any" if pairwise else qe.role) for qe in entities
    ]
    found: list[EntityEvidence] = []
    context = None
    # Twice the depth of actions: an action appears once per evidence row, and several
    # rows may repeat.
    if entities and also is not None:
        found, context = graph.evidence_context(
            asks, scope, depth * 2, depth, near, also, roles_of, events
        )
    elif entities:
        found = graph.entity_evidence(asks, scope, depth * 2, depth, near)
    passages: dict[str, PassageRecord] = {}
    actions: list[GraphAction] = []
    if entities:
        actions = _entity_actions(understanding, entities, found, pairwise, passages)
    elif understanding.event_types:
        types = [t for t in understanding.event_types if not scope.types or t in scope.types]
        if types:
            for evidence in graph.actions_of_types(types, scope, depth, near):
                _keep(passages, evidence.passage)
                path = _evidence_path((f"Action:{evidence.type}",), evidence.passage)
                actions.append(_graph_action(evidence, evidence.confidence, path))

    ranked = [Ranked(a.passage_id, round(a.score, 6), a.path) for a in actions if a.passage_id]
    for qe, around in zip(entities, found, strict=True):
        for passage in around.passages:
            _keep(passages, passage)
            path = (f"Entity:{qe.entity.name}", "MENTIONS", f"Passage:{passage.index}")
            ranked.append(Ranked(passage.id, MENTION_SCORE, path))
    records = {k: v for around in found for k, v in around.records.items()}
    participants = {k: v for around in found for k, v in around.participants.items()}
    read = {k: v for around in found for k, v in around.events.items()}
    return GraphRetrieved(
        first_of_each(ranked),
        passages,
        tuple(actions),
        records,
        participants,
        read if context is not None and events else None,
        context,
    )


def _keep(passages: dict[str, PassageRecord], passage: PassageRecord | None) -> None:
    if passage is not None:
        passages.setdefault(passage.id, passage)


def _graph_action(found: ActionEvidence, score: float, path: tuple[str, ...]) -> GraphAction:
    passage_id = found.passage.id if found.passage else None
    return GraphAction(found.action_id, found.type, score, path, passage_id)


def _entity_actions(
    understanding: QueryUnderstanding,
    entities: Sequence[QueryEntity],
    found: Sequence[EntityEvidence],
    pairwise: bool,
    passages: dict[str, PassageRecord],
) -> list[GraphAction]:
    per_entity = [
        _actions_of_entity(qe, around, understanding, passages)
        for qe, around in zip(entities, found, strict=True)
    ]
    if pairwise:
        common = set.intersection(*(set(actions) for actions in per_entity))
        merged = {aid: per_entity[0][aid] for aid in common}
    else:
        merged = {}
        for actions in per_entity:
            for aid, action in actions.items():
                if aid in merged:
                    # Involves several of the query's entities: a stronger match.
                    merged[aid] = replace(
                        merged[aid], score=merged[aid].score + SHARED_ACTION_BONUS
                    )
                else:
                    merged[aid] = action
    return sorted(merged.values(), key=lambda a: -a.score)


def _actions_of_entity(
    qe: QueryEntity,
    around: EntityEvidence,
    understanding: QueryUnderstanding,
    passages: dict[str, PassageRecord],
) -> dict[str, GraphAction]:
    found: dict[str, GraphAction] = {}
    for evidence in around.actions:
        _keep(passages, evidence.passage)
        if evidence.action_id in found:
            continue
        score = evidence.confidence
        if evidence.type in understanding.event_types:
            score += EVENT_TYPE_BONUS
        head = (f"Entity:{qe.entity.name}", str(evidence.rel), f"Action:{evidence.type}")
        found[evidence.action_id] = _graph_action(
            evidence, score, _evidence_path(head, evidence.passage)
        )
    return found
