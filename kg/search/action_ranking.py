"""Ranking the actions a search returns, from graph evidence and the fused passages.

Actions are ranked after the passages, because an action's evidence passage ranking well
among the fused passages is evidence for the action too (its ``why`` says so with an
``evidence`` vote). A query asking for the most widely reported actions then reorders
them by their event's number of distinct sources (:func:`rank_by_sources`).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import replace

from kg.core.records import ActionEvidence, EventRecord
from kg.search.fusion import Fused
from kg.search.results import (
    ORDER_SOURCE_COUNT,
    RETRIEVER_EVIDENCE,
    RETRIEVER_GRAPH,
    RETRIEVER_SOURCES,
    ActionHit,
    QueryUnderstanding,
    Why,
)
from kg.search.retrievers.graph import GraphAction


def orders_by_sources(order_by: str | None, understanding: QueryUnderstanding) -> bool:
    """The request's order when it gives one; otherwise what the query asks ("most reported")."""
    if order_by is not None:
        return order_by == ORDER_SOURCE_COUNT
    return understanding.order_by_sources


def _passage_ranks(fused: Sequence[Fused]) -> dict[str, tuple[int, float]]:
    return {f.key: (i + 1, f.score) for i, f in enumerate(fused)}


def rank_graph_actions(
    actions: Sequence[GraphAction],
    fused: Sequence[Fused],
    limit: int,
    *,
    rrf_k: int,
    weight_graph: float,
) -> tuple[ActionHit, ...]:
    """Rank the graph retriever's actions (a query naming entities).

    Each action scores as a graph vote in weighted RRF, plus its evidence passage's fused
    score when that passage is among ``fused``.

    Args:
        actions: The graph retriever's actions, best first.
        fused: The fused passages, best first.
        limit: How many actions to keep.
        rrf_k: The RRF damping constant.
        weight_graph: The graph retriever's weight.
    """
    passage_rank = _passage_ranks(fused)
    scored = []
    for i, action in enumerate(actions, start=1):
        why = [Why(RETRIEVER_GRAPH, i, round(action.score, 6), action.path)]
        score = weight_graph / (rrf_k + i)
        if action.passage_id in passage_rank:
            rank, passage_score = passage_rank[action.passage_id]
            score += passage_score
            why.append(Why(RETRIEVER_EVIDENCE, rank, round(passage_score, 6)))
        scored.append(ActionHit(action.action_id, round(score, 6), tuple(why)))
    scored.sort(key=lambda a: -a.score)
    return tuple(scored[:limit])


def rank_evidenced_actions(
    evidence: Sequence[ActionEvidence],
    fused: Sequence[Fused],
    event_types: Collection[str],
    limit: int,
) -> tuple[ActionHit, ...]:
    """Rank the actions evidenced by the fused passages (a query naming no entity).

    An action scores its best evidence passage's fused score, doubled when the query names
    its type.

    Args:
        evidence: Actions evidenced by (some of) the fused passages.
        fused: The fused passages, best first.
        event_types: The PLOVER types the query's event words name.
        limit: How many actions to keep.
    """
    passage_rank = _passage_ranks(fused)
    hits: dict[str, ActionHit] = {}
    for found in evidence:
        if found.passage is None or found.passage.id not in passage_rank:
            continue
        rank, passage_score = passage_rank[found.passage.id]
        score = passage_score
        if found.type in event_types:
            score += passage_score  # the query names this kind of event
        path = (f"Passage:{found.passage.index}", "EVIDENCED_BY", f"Action:{found.type}")
        hit = ActionHit(
            found.action_id,
            round(score, 6),
            (Why(RETRIEVER_EVIDENCE, rank, round(passage_score, 6), path),),
        )
        if found.action_id not in hits or hits[found.action_id].score < hit.score:
            hits[found.action_id] = hit
    return tuple(sorted(hits.values(), key=lambda a: -a.score)[:limit])


def rank_by_sources(
    hits: Sequence[ActionHit], events: Mapping[str, EventRecord], limit: int
) -> tuple[ActionHit, ...]:
    """One hit per event, the events reported by the most distinct sources first.

    Each event is shown by its best-scored report among ``hits``; equal counts keep the
    relevance order. An action without an event is an event of one source. Each kept hit
    gets a ``sources`` vote: its rank by source count, and the count.

    Args:
        hits: The ranked actions, best first (every candidate, not only the first
            ``limit``: a widely reported event may rank low by relevance).
        events: The event of each action, by action id (actions without one are absent).
        limit: How many actions to keep.
    """
    best: dict[str, tuple[int, int, ActionHit]] = {}  # event -> (sources, order, hit)
    for order, hit in enumerate(hits):
        event = events.get(hit.action_id)
        key = event.id if event is not None else hit.action_id
        if key not in best:
            best[key] = (event.source_count if event is not None else 1, order, hit)
    # Most sources first; the relevance order breaks ties.
    ranked = sorted(best.values(), key=lambda item: (-item[0], item[1]))[:limit]
    return tuple(
        replace(hit, why=(*hit.why, Why(RETRIEVER_SOURCES, rank, float(count))))
        for rank, (count, _, hit) in enumerate(ranked, start=1)
    )
