"""The graph retriever: from the query's entities (or event types) to actions and passages.

With entities: the actions in which each entity plays the asked role ("against X" -> X is a
target), their evidence passages first, then the passages that merely mention the entities.
"between X and Y" keeps the actions involving all of them. With event words but no entity:
the actions of the named types and their evidence.
"""

from __future__ import annotations

from concurrent.futures import Executor, Future
from dataclasses import dataclass, replace

from kg.core.ports import SearchGraph
from kg.core.records import ActionEvidence, PassageRecord, SearchScope
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
    """The graph retriever's passages, and the actions it reached, best first."""

    actions: tuple[GraphAction, ...] = ()


def _evidence_path(head: tuple[str, ...], passage: PassageRecord | None) -> tuple[str, ...]:
    if passage is None:
        return head
    return (*head, "EVIDENCED_BY", f"Passage:{passage.index}")


def retrieve_graph(
    graph: SearchGraph,
    understanding: QueryUnderstanding,
    scope: SearchScope,
    depth: int,
    pool: Executor | None = None,
) -> GraphRetrieved:
    """Actions and passages reached from what the query names.

    Args:
        graph: Runs the expansions.
        understanding: The query's entities (with roles) and event types.
        scope: Dates, types and mentioned entity.
        depth: How many actions (and mention passages per entity) to read.
        pool: Reads the mention passages while this thread reads the actions (each read
            is a round trip to the graph); without it, they are read one after the other.
    """
    entities = understanding.entities[:MAX_QUERY_ENTITIES]
    mentions: list[Future[list[PassageRecord]] | list[PassageRecord]] = [
        pool.submit(graph.entity_passages, qe.entity.id, scope, depth)
        if pool is not None
        else graph.entity_passages(qe.entity.id, scope, depth)
        for qe in entities
    ]
    passages: dict[str, PassageRecord] = {}
    actions: list[GraphAction] = []
    if understanding.entities:
        actions = _entity_actions(graph, understanding, scope, depth, passages)
    elif understanding.event_types:
        types = [t for t in understanding.event_types if not scope.types or t in scope.types]
        if types:
            for found in graph.actions_of_types(types, scope, depth):
                _keep(passages, found.passage)
                path = _evidence_path((f"Action:{found.type}",), found.passage)
                actions.append(_graph_action(found, found.confidence, path))

    ranked = [Ranked(a.passage_id, round(a.score, 6), a.path) for a in actions if a.passage_id]
    for qe, mentioned in zip(entities, mentions, strict=True):
        for passage in mentioned if isinstance(mentioned, list) else mentioned.result():
            _keep(passages, passage)
            path = (f"Entity:{qe.entity.name}", "MENTIONS", f"Passage:{passage.index}")
            ranked.append(Ranked(passage.id, MENTION_SCORE, path))
    return GraphRetrieved(first_of_each(ranked), passages, tuple(actions))


def _keep(passages: dict[str, PassageRecord], passage: PassageRecord | None) -> None:
    if passage is not None:
        passages.setdefault(passage.id, passage)


def _graph_action(found: ActionEvidence, score: float, path: tuple[str, ...]) -> GraphAction:
    passage_id = found.passage.id if found.passage else None
    return GraphAction(found.action_id, found.type, score, path, passage_id)


def _entity_actions(
    graph: SearchGraph,
    understanding: QueryUnderstanding,
    scope: SearchScope,
    depth: int,
    passages: dict[str, PassageRecord],
) -> list[GraphAction]:
    pairwise = understanding.pairwise and len(understanding.entities) >= 2
    per_entity: list[dict[str, GraphAction]] = []
    for qe in understanding.entities[:MAX_QUERY_ENTITIES]:
        per_entity.append(
            _actions_of_entity(graph, qe, understanding, pairwise, scope, depth, passages)
        )
    if pairwise:
        common = set.intersection(*(set(found) for found in per_entity))
        merged = {aid: per_entity[0][aid] for aid in common}
    else:
        merged = {}
        for found in per_entity:
            for aid, action in found.items():
                if aid in merged:
                    # Involves several of the query's entities: a stronger match.
                    merged[aid] = replace(
                        merged[aid], score=merged[aid].score + SHARED_ACTION_BONUS
                    )
                else:
                    merged[aid] = action
    return sorted(merged.values(), key=lambda a: -a.score)


def _actions_of_entity(
    graph: SearchGraph,
    qe: QueryEntity,
    understanding: QueryUnderstanding,
    pairwise: bool,
    scope: SearchScope,
    depth: int,
    passages: dict[str, PassageRecord],
) -> dict[str, GraphAction]:
    role = "any" if pairwise else qe.role
    found: dict[str, GraphAction] = {}
    # Twice the depth: an action appears once per evidence row, and several rows may repeat.
    for evidence in graph.entity_actions(qe.entity.id, role, scope, depth * 2):
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
