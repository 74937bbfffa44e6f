"""Hydrate search hits (ids) into what the API shows: passages with articles, full actions."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from kg.stores import cypher
from kg.stores.ports import GraphStore


@dataclass(frozen=True, slots=True)
class ArticleSummary:
    """The article a passage belongs to."""

    id: str
    title: str
    published: str | None
    url: str | None
    source: str | None


@dataclass(frozen=True, slots=True)
class PassageDetails:
    """A passage with its article."""

    passage_id: str
    text: str
    start: int
    end: int
    index: int
    article: ArticleSummary


@dataclass(frozen=True, slots=True)
class ParticipantDetails:
    """An actor or target: the resolved entity, or only the surface text when unresolved."""

    name: str
    id: str | None = None
    type: str | None = None


@dataclass(frozen=True, slots=True)
class EvidenceDetails:
    """The span of the article body that evidences an action."""

    text: str | None
    start: int | None
    end: int | None
    passage_id: str | None


@dataclass(frozen=True, slots=True)
class ActionDetails:
    """An action with its participants and evidence."""

    action_id: str
    type: str
    date: str | None
    date_text: str | None
    trigger: str | None
    confidence: float
    negated: bool
    actors: tuple[ParticipantDetails, ...]
    targets: tuple[ParticipantDetails, ...]
    evidence: EvidenceDetails
    article_id: str | None


def hydrate_passages(graph: GraphStore, ids: Sequence[str]) -> dict[str, PassageDetails]:
    """Passage id -> details with the article; unknown ids are absent."""
    if not ids:
        return {}
    rows = graph.run_read(cypher.SEARCH_PASSAGE_DETAILS, {"ids": list(ids)})
    out: dict[str, PassageDetails] = {}
    for row in rows:
        out[str(row["passage_id"])] = PassageDetails(
            passage_id=str(row["passage_id"]),
            text=str(row["text"] or ""),
            start=int(row["start"] or 0),
            end=int(row["end"] or 0),
            index=int(row["index"] or 0),
            article=ArticleSummary(
                id=str(row["article_id"]),
                title=str(row["title"] or ""),
                published=row["published"],
                url=row["url"],
                source=row["source"],
            ),
        )
    return out


def _participants(
    resolved: Sequence[Mapping[str, Any]], texts: Sequence[str]
) -> tuple[ParticipantDetails, ...]:
    found = [
        ParticipantDetails(name=str(p["name"]), id=str(p["id"]), type=p.get("type"))
        for p in resolved
        if p.get("id") is not None
    ]
    found.sort(key=lambda p: p.name)
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
    """Action id -> details (participants, evidence); unknown ids are absent."""
    if not ids:
        return {}
    rows = graph.run_read(cypher.SEARCH_ACTION_DETAILS, {"ids": list(ids)})
    out: dict[str, ActionDetails] = {}
    for row in rows:
        action_id = str(row["action_id"])
        if action_id in out:
            continue
        out[action_id] = ActionDetails(
            action_id=action_id,
            type=str(row["type"]),
            date=row["date"],
            date_text=row["date_text"],
            trigger=row["trigger"],
            confidence=float(row["confidence"]),
            negated=bool(row["negated"]),
            actors=_participants(row["actors"] or [], row["actor_texts"] or []),
            targets=_participants(row["targets"] or [], row["target_texts"] or []),
            evidence=EvidenceDetails(
                text=row["evidence_text"],
                start=row["evidence_start"],
                end=row["evidence_end"],
                passage_id=row["passage_id"],
            ),
            article_id=row["article_id"],
        )
    return out
