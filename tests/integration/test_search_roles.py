"""Search respects roles on the real stack: "attacks on ISIL" puts ISIL's own attacks last."""

from __future__ import annotations

import uuid
from collections.abc import Callable

import pytest

from kg.core.models import Article
from kg.graph.search_graph import Neo4jSearchGraph
from kg.ingest.pipeline import ArticleReport
from kg.search.engine import HybridSearch
from kg.search.results import RETRIEVER_ROLE
from kg.services import Services

pytestmark = pytest.mark.integration

ISIL_ATTACKS = "ISIL fighters attacked a village"
ISIL_ATTACKED = "Iraqi troops attacked ISIL"
BODY = (
    "ISIL fighters attacked a village near Mosul on Monday, killing twelve people. "
    "The United Nations condemned the ISIL attack on the village.\n\n"
    "Iraqi troops attacked ISIL near Tal Afar on Tuesday, the Iraqi defence ministry said.\n"
)


def test_attacks_on_isil_rank_isil_attacking_below_isil_attacked(
    services: Services, ingest: Callable[[Article], ArticleReport]
) -> None:
    report = ingest(
        Article(
            title="Fighting in northern Iraq",
            body=BODY,
            url=f"https://test.newskg.invalid/roles/{uuid.uuid4()}",
            source="Test Wire",
        )
    )
    search = HybridSearch(
        Neo4jSearchGraph(services.graph), services.vectors, services.embedder, services.settings
    )
    try:
        result = search.search("attacks on ISIL", limit=100)
    finally:
        search.close()
    assert [q.role for q in result.understanding.entities] == ["target"]
    ours = [p for p in result.passages if p.article_id == report.article_id]
    texts = [p.text for p in ours]
    attacking = next(i for i, t in enumerate(texts) if ISIL_ATTACKS in t)
    attacked = next(i for i, t in enumerate(texts) if ISIL_ATTACKED in t)
    assert attacked < attacking, texts
    # The passage where ISIL attacks was found by more than one retriever, and says why
    # it ranks lower anyway.
    demoted = ours[attacking]
    assert len({w.retriever for w in demoted.why} - {RETRIEVER_ROLE}) >= 2
    (vote,) = [w for w in demoted.why if w.retriever == RETRIEVER_ROLE]
    assert vote.path[1:3] == ("HAS_ACTOR", "Action:ASSAULT")
    (kept,) = [w for w in ours[attacked].why if w.retriever == RETRIEVER_ROLE]
    assert kept.path[1] == "HAS_TARGET"
