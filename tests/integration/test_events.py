"""Events across articles on the real Neo4j and models: two outlets' reports of one
agreement are one event; the graph does not depend on the ingest order; deleting reports
updates and then removes the event."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import replace
from datetime import date

import pytest

from kg.core.models import Article
from kg.ingest.pipeline import ArticleReport
from kg.services import Services

pytestmark = pytest.mark.integration

TEXT_A = (
    "The Colombian government and the National Liberation Army (ELN) signed a ceasefire "
    "agreement in Havana on Monday, officials said."
)
TEXT_B = (
    "Colombia's government signed a ceasefire accord with the National Liberation Army "
    "(ELN) in Havana on Monday, ending months of fighting."
)
TEXT_OTHER = (
    "The ELN rebels attacked a military base in Arauca on Monday, killing two soldiers, "
    "the army said."
)


def _article(text: str, source: str, tag: str, run: str) -> Article:
    return Article(
        title=f"Ceasefire {tag}",
        body=text,
        published=date(2025, 3, 4),
        url=f"https://test.newskg.invalid/events/{run}/{tag}",
        source=source,
    )


def _events(services: Services, article_ids: list[str]) -> set[tuple[str, int, int, tuple]]:
    rows = services.graph.run_read(
        "UNWIND $ids AS aid MATCH (:Article {id: aid})<-[:REPORTED_IN]-(:Action)"
        "-[:REPORTS]->(ev:Event) WITH DISTINCT ev "
        "MATCH (ev)<-[:REPORTS]-(x:Action) "
        "RETURN ev.id AS id, ev.type AS type, ev.articleCount AS articles, "
        "ev.sourceCount AS sources, collect(x.id) AS reports",
        {"ids": article_ids},
    )
    return {(r["id"], r["articles"], r["sources"], tuple(sorted(r["reports"]))) for r in rows}


def test_two_reports_one_event_in_any_order_and_deletes_update_it(
    services: Services, ingest: Callable[[Article], ArticleReport]
) -> None:
    run = uuid.uuid4().hex
    a = _article(TEXT_A, "Outlet A", "a", run)
    b = _article(TEXT_B, "Outlet B", "b", run)
    other = _article(TEXT_OTHER, "Outlet B", "c", run)

    ra, rb, rc = ingest(a), ingest(b), ingest(other)
    ids = [ra.article_id, rb.article_id, rc.article_id]
    first = _events(services, ids)
    shared = [e for e in first if e[1] == 2]
    assert shared, first
    assert shared[0][2] == 2  # two outlets
    # Every action reports exactly one event.
    rows = services.graph.run_read(
        "UNWIND $ids AS aid MATCH (:Article {id: aid})<-[:REPORTED_IN]-(x:Action) "
        "RETURN x.id AS id, COUNT { (x)-[:REPORTS]->(:Event) } AS n",
        {"ids": ids},
    )
    assert rows and all(r["n"] == 1 for r in rows)
    # The attack is not the agreement.
    attack = {r["id"] for r in rows} - {x for e in first if e[1] == 2 for x in e[3]}
    assert {x for e in shared for x in e[3]}.isdisjoint(attack) and attack

    for article_id in ids:
        services.pipeline.delete_article(article_id)
    assert _events(services, ids) == set()

    rc2, rb2, ra2 = ingest(other), ingest(b), ingest(a)
    assert _events(services, ids) == first

    # Deleting one report updates the event; deleting the last removes it.
    deleted = services.pipeline.delete_article(ra2.article_id)
    assert deleted.events.changed or deleted.events.removed
    after = _events(services, [rb2.article_id, rc2.article_id])
    assert all(e[1] == 1 for e in after)
    event_ids = {e[0] for e in first}
    services.pipeline.delete_article(rb2.article_id)
    services.pipeline.delete_article(rc2.article_id)
    left = services.graph.run_read(
        "MATCH (ev:Event) WHERE ev.id IN $ids RETURN count(ev) AS n", {"ids": sorted(event_ids)}
    )
    assert left[0]["n"] == 0


def test_a_chain_of_reports_is_one_event_whatever_the_order(
    services: Services, ingest: Callable[[Article], ArticleReport]
) -> None:
    """a~b and b~c, but a and c are too far apart in time to link: one event of three in
    every order. When c comes last it reaches a only through b's stored event, which the
    events pass takes whole (it looks one hop around the new actions, not further)."""
    run = uuid.uuid4().hex
    # No weekday in the text: each report is dated by its article (3 days apart, the window).
    text_a = TEXT_A.replace(" on Monday", "")
    text_b = TEXT_B.replace(" on Monday", "")
    days = {"a": date(2025, 3, 1), "b": date(2025, 3, 4), "c": date(2025, 3, 7)}
    texts = {"a": text_a, "b": text_b, "c": text_b}
    articles = {
        tag: replace(_article(texts[tag], f"Outlet {tag}", tag, run), published=days[tag])
        for tag in days
    }
    seen = []
    for order in ("abc", "cab", "acb"):
        ids = [ingest(articles[tag]).article_id for tag in order]
        events = _events(services, ids)
        seen.append({(e[1], e[2], e[3]) for e in events if e[1] > 1})
        assert any(e[1] == 3 for e in events), (order, events)
        for article_id in ids:
            services.pipeline.delete_article(article_id)
    assert seen[0] == seen[1] == seen[2]
