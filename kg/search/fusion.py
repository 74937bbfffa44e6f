"""Weighted reciprocal rank fusion (RRF) that keeps each retriever's vote as provenance.

RRF (Cormack, Clarke & Buettcher, 2009) scores a document ``d`` as
``sum_r w_r / (k + rank_r(d))`` over the retrievers ``r`` that returned it. It needs no
score calibration between retrievers (cosine, BM25 and graph scores are incomparable), and
``k`` damps the advantage of the very first ranks.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from kg.search.results import RETRIEVERS, Why


@dataclass(frozen=True, slots=True)
class Ranked:
    """One retriever's result: a key (passage or action id), its raw score, its graph path."""

    key: str
    score: float
    path: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Fused:
    """A fused result: its RRF score and every retriever's vote for it."""

    key: str
    score: float
    why: tuple[Why, ...]


def reciprocal_rank_fusion(
    rankings: Mapping[str, Sequence[Ranked]],
    weights: Mapping[str, float],
    k: int,
) -> list[Fused]:
    """Fuse ranked lists by weighted RRF.

    Args:
        rankings: Retriever name -> its results, best first. A key repeated in one list
            counts once, at its first (best) rank; later repeats are ignored.
        weights: Retriever name -> weight; a retriever missing here weighs 1.0, and a
            weight of 0 keeps the retriever's ``why`` but adds nothing to the score.
        k: The RRF damping constant (60 in the original paper); must be >= 0.

    Returns:
        Fused results, best first; ties keep the order of first appearance across
        ``rankings`` (in its iteration order). Each result's ``why`` lists the retrievers
        that returned it, in :data:`kg.search.results.RETRIEVERS` order, then any others.
    """
    if k < 0:
        raise ValueError("k must be >= 0")
    scores: dict[str, float] = {}
    votes: dict[str, list[Why]] = {}
    order: dict[str, int] = {}
    for retriever, ranked in rankings.items():
        weight = weights.get(retriever, 1.0)
        seen: set[str] = set()
        rank = 0
        for item in ranked:
            if item.key in seen:
                continue
            seen.add(item.key)
            rank += 1
            order.setdefault(item.key, len(order))
            scores[item.key] = scores.get(item.key, 0.0) + weight / (k + rank)
            votes.setdefault(item.key, []).append(Why(retriever, rank, item.score, item.path))

    def retriever_order(why: Why) -> tuple[int, str]:
        known = RETRIEVERS.index(why.retriever) if why.retriever in RETRIEVERS else len(RETRIEVERS)
        return (known, why.retriever)

    fused = [
        Fused(key, scores[key], tuple(sorted(votes[key], key=retriever_order))) for key in scores
    ]
    fused.sort(key=lambda f: (-f.score, order[f.key]))
    return fused
