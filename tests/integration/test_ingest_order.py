"""Ingest is deterministic: the same articles in another order make the same graph, and
re-ingesting them changes nothing.

``prepare`` resolves names only within an article (it reads no store), so an article with
only "Petro" must not resolve differently depending on whether an article naming
"Gustavo Petro" came first. Compared: the nodes within two links of the articles (ids,
labels, properties) and the relationships between them (type, ends, properties).
"""

from __future__ import annotations

import contextlib
import dataclasses
import uuid
from collections.abc import Sequence
from typing import Any

import pytest

from kg.core.errors import NotFoundError
from kg.core.models import Article
from kg.ingest.parsing import parse_path
from kg.services import Services
from tests.conftest import SEED

pytestmark = pytest.mark.integration

Snapshot = tuple[dict[str, Any], frozenset[tuple[str, str, str, str]]]


def _articles() -> list[Article]:
    """Four edits of the seed, each under a URL of its own (so ids of this test alone)."""
    (seed,) = parse_path(SEED)
    run = uuid.uuid4()
    paragraphs = seed.body.split("\n\n")
    edits = [
        ("full", seed.body),
        ("only Petro", seed.body.replace("Gustavo Petro", "Petro")),
        ("first half", "\n\n".join(paragraphs[: max(2, len(paragraphs) // 2)])),
        (
            "second half, full names",
            "Colombian President Gustavo Petro spoke on Thursday.\n\n"
            + "\n\n".join(paragraphs[len(paragraphs) // 2 :]),
        ),
    ]
    return [
        dataclasses.replace(
            seed,
            title=f"{seed.title} ({name})",
            body=text,
            url=f"https://test.newskg.invalid/order/{run}/{i}",
        )
        for i, (name, text) in enumerate(edits)
    ]


def _ingest(services: Services, articles: Sequence[Article]) -> list[str]:
    return [services.pipeline.ingest_article(a).article_id for a in articles]


def _delete(services: Services, article_ids: Sequence[str]) -> None:
    for article_id in article_ids:
        with contextlib.suppress(NotFoundError):
            services.pipeline.delete_article(article_id)


def _snapshot(services: Services, article_ids: Sequence[str]) -> Snapshot:
    """The articles and every node within two links of them, and the links among those.

    The store is shared (other tests, other people's runs) and an ``Event`` is shared by
    every article reporting it: the seed's own copies, ingested and deleted by other tests
    meanwhile, report the same events as these edits. Such an event's counts, confidence
    and id (from its smallest report's IRI) change with those foreign reports, so an
    event with a report outside these articles is compared by what these articles decide:
    which of their actions it groups (see :func:`_scope_shared_events`).
    """
    rows = services.graph.run_read(
        "MATCH (a:Article) WHERE a.id IN $ids "
        "OPTIONAL MATCH (a)-[*1..2]-(n) WHERE NOT n:Article "
        "WITH collect(DISTINCT a) + collect(DISTINCT n) AS nodes "
        "UNWIND nodes AS n "
        "RETURN DISTINCT n.id AS id, labels(n) AS labels, properties(n) AS properties",
        {"ids": list(article_ids)},
    )
    nodes = {
        r["id"]: (sorted(r["labels"]), {k: _plain(v) for k, v in r["properties"].items()})
        for r in rows
    }
    links = services.graph.run_read(
        "MATCH (x)-[r]->(y) WHERE x.id IN $ids AND y.id IN $ids "
        "RETURN x.id AS start, type(r) AS type, y.id AS end, properties(r) AS properties",
        {"ids": list(nodes)},
    )
    rels = frozenset(
        (r["start"], r["type"], r["end"], repr(sorted(r["properties"].items()))) for r in links
    )
    return _scope_shared_events(services, article_ids, nodes, rels)


def _scope_shared_events(
    services: Services,
    article_ids: Sequence[str],
    nodes: dict[str, Any],
    rels: frozenset[tuple[str, str, str, str]],
) -> Snapshot:
    """Replace each event that also has foreign reports by the set of its own reports."""
    rows = services.graph.run_read(
        "MATCH (e:Event)<-[:REPORTS]-(x:Action)-[:REPORTED_IN]->(a:Article) "
        "WHERE e.id IN $ids "
        "RETURN e.id AS id, collect(DISTINCT a.id) AS articles, "
        "collect(DISTINCT CASE WHEN a.id IN $own THEN x.id END) AS reports",
        {"ids": [k for k, (labels, _) in nodes.items() if "Event" in labels], "own": article_ids},
    )
    shared = {
        r["id"]: f"event reported by {sorted(r['reports'])}"
        for r in rows
        if not set(r["articles"]) <= set(article_ids)
    }
    scoped = {shared.get(k, k): ((v[0], {}) if k in shared else v) for k, v in nodes.items()}
    scoped_rels = frozenset((shared.get(a, a), t, shared.get(b, b), p) for a, t, b, p in rels)
    return scoped, scoped_rels


def _difference(got: Snapshot, want: Snapshot) -> tuple[list[Any], set[Any], set[Any]]:
    """Nodes that differ (id, got, want), links only in ``got``, links only in ``want``."""
    nodes = [
        (key, got[0].get(key), want[0].get(key))
        for key in sorted(got[0].keys() | want[0].keys())
        if got[0].get(key) != want[0].get(key)
    ]
    return nodes, set(got[1] - want[1]), set(want[1] - got[1])


def _plain(value: Any) -> Any:
    # Lists are sets in the graph (aliases, texts): their order is the write order.
    return sorted(map(str, value)) if isinstance(value, list) else value


def test_ingest_order_does_not_change_the_graph(services: Services) -> None:
    articles = _articles()
    ids: list[str] = []
    try:
        ids = _ingest(services, articles)
        forward = _snapshot(services, ids)
        assert len(forward[0]) > len(articles) and forward[1]
        _delete(services, ids)

        backward_ids = _ingest(services, list(reversed(articles)))
        assert sorted(backward_ids) == sorted(ids)
        backward = _snapshot(services, ids)
        assert _difference(backward, forward) == ([], set(), set())

        _ingest(services, articles)  # again, everything: nothing changes
        assert _difference(_snapshot(services, ids), forward) == ([], set(), set())
    finally:
        _delete(services, ids)
