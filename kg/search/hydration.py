"""Hydrate search hits (ids) into what the REST API shows: passages with their article,
actions with their participants.

Everything is loaded by the batch getters of :mod:`kg.graph.reads` (the ones behind the
GraphQL DataLoaders), so both APIs read a passage or an action the same way.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from kg.core.ports import GraphStore
from kg.core.records import ActionRecord, ArticleRecord, EntityRecord, PassageRecord
from kg.graph import reads


@dataclass(frozen=True, slots=True)
class PassageDetails:
    """A passage with its article."""

    passage: PassageRecord
    article: ArticleRecord


@dataclass(frozen=True, slots=True)
class ParticipantDetails:
    """An actor or target: the resolved entity, or only the surface text when unresolved."""

    name: str
    id: str | None = None
    type: str | None = None


@dataclass(frozen=True, slots=True)
class ActionDetails:
    """An action with its actors and targets, unresolved ones included."""

    action: ActionRecord
    actors: tuple[ParticipantDetails, ...]
    targets: tuple[ParticipantDetails, ...]


def hydrate_passages(graph: GraphStore, ids: Sequence[str]) -> dict[str, PassageDetails]:
    """Passage id -> the passage and its article; unknown ids are absent."""
    if not ids:
        return {}
    passages = reads.passages_by_ids(graph, ids)
    articles = reads.articles_by_ids(graph, [p.article_id for p in passages.values()])
    return {
        passage_id: PassageDetails(passage, articles[passage.article_id])
        for passage_id, passage in passages.items()
        if passage.article_id in articles
    }


def _participants(
    resolved: Sequence[EntityRecord], texts: Sequence[str]
) -> tuple[ParticipantDetails, ...]:
    found = [ParticipantDetails(name=e.name, id=e.id, type=e.type) for e in resolved]
    # Surface texts not covered by a resolved entity stay visible as unresolved participants.
    known = {p.name.lower() for p in found}
    for text in texts:
        if (
            text
            and text.lower() not in known
            and not any(text.lower() in k or k in text.lower() for k in known)
        ):
            found.append(ParticipantDetails(name=text))
    return tuple(found)


def hydrate_actions(graph: GraphStore, ids: Sequence[str]) -> dict[str, ActionDetails]:
    """Action id -> the action with its actors and targets; unknown ids are absent.

    Resolved participants come first, by name (as
    :func:`kg.graph.reads.participants_by_action_ids` sorts them), then the surface texts no
    resolved participant covers.
    """
    if not ids:
        return {}
    actions = reads.actions_by_ids(graph, ids)
    participants = reads.participants_by_action_ids(graph, list(actions))
    out: dict[str, ActionDetails] = {}
    for action_id, action in actions.items():
        linked = participants.get(action_id)
        out[action_id] = ActionDetails(
            action=action,
            actors=_participants(linked.actors if linked else (), action.actor_texts),
            targets=_participants(linked.targets if linked else (), action.target_texts),
        )
    return out
