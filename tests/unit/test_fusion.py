"""Weighted reciprocal rank fusion and its provenance."""

from __future__ import annotations

import pytest

from kg.search.fusion import Ranked, reciprocal_rank_fusion
from kg.search.results import Why


def test_rrf_sums_weighted_reciprocal_ranks() -> None:
    fused = reciprocal_rank_fusion(
        {
            "vector": [Ranked("a", 0.9), Ranked("b", 0.8)],
            "fulltext": [Ranked("b", 7.0), Ranked("c", 3.0)],
        },
        {"vector": 1.0, "fulltext": 2.0},
        k=10,
    )
    scores = {f.key: f.score for f in fused}
    assert scores["a"] == pytest.approx(1 / 11)
    assert scores["b"] == pytest.approx(1 / 12 + 2 / 11)
    assert scores["c"] == pytest.approx(2 / 12)
    assert [f.key for f in fused] == ["b", "c", "a"]


def test_weights_change_the_winner() -> None:
    rankings = {"vector": [Ranked("v", 1.0)], "graph": [Ranked("g", 1.0)]}
    assert reciprocal_rank_fusion(rankings, {"vector": 1.0, "graph": 3.0}, 60)[0].key == "g"
    assert reciprocal_rank_fusion(rankings, {"vector": 3.0, "graph": 1.0}, 60)[0].key == "v"


def test_why_lists_every_retriever_with_rank_score_and_path() -> None:
    path = ("Entity:ELN", "HAS_TARGET", "Action:ACCUSE", "EVIDENCED_BY", "Passage:3")
    fused = reciprocal_rank_fusion(
        {
            "graph": [Ranked("p3", 1.5, path)],
            "fulltext": [Ranked("p1", 4.0), Ranked("p3", 2.5)],
            "vector": [Ranked("p3", 0.7)],
        },
        {},
        k=60,
    )
    top = fused[0]
    assert top.key == "p3"
    # Retrievers in canonical order, whatever order the rankings came in.
    assert top.why == (
        Why("vector", 1, 0.7),
        Why("fulltext", 2, 2.5),
        Why("graph", 1, 1.5, path),
    )
    assert fused[1].why == (Why("fulltext", 1, 4.0),)


def test_repeated_key_counts_once_at_its_best_rank() -> None:
    fused = reciprocal_rank_fusion(
        {"graph": [Ranked("x", 2.0), Ranked("x", 1.0), Ranked("y", 0.5)]}, {}, k=0
    )
    by_key = {f.key: f for f in fused}
    assert by_key["x"].score == pytest.approx(1.0)
    assert by_key["y"].why == (Why("graph", 2, 0.5),)  # rank among unique keys


def test_zero_weight_keeps_provenance_but_adds_nothing() -> None:
    fused = reciprocal_rank_fusion(
        {"vector": [Ranked("a", 0.5)], "graph": [Ranked("b", 1.0)]},
        {"vector": 0.0},
        k=1,
    )
    by_key = {f.key: f for f in fused}
    assert by_key["a"].score == 0.0
    assert by_key["a"].why == (Why("vector", 1, 0.5),)
    assert fused[0].key == "b"


def test_ties_keep_first_appearance_order() -> None:
    fused = reciprocal_rank_fusion(
        {"vector": [Ranked("a", 1.0)], "fulltext": [Ranked("b", 1.0)]}, {}, k=60
    )
    assert [f.key for f in fused] == ["a", "b"]


def test_negative_k_is_refused() -> None:
    with pytest.raises(ValueError):
        reciprocal_rank_fusion({}, {}, k=-1)
