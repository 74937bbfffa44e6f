"""Events in the web explorer, in Debian's Chromium (Playwright) on the real stack: an action
shows how many sources report its event and every report (article, source, URL, evidence
highlighted by offsets); the order and the near-duplicates toggle live in the URL.

Two outlets' reports of one prisoner exchange are ingested (dated 2019, a range no other
test uses; every search here is filtered to it) and deleted afterwards. The browser,
server and skip rules are those of :mod:`tests.web.test_explorer` (its fixtures, through
``conftest.py``).
"""

from __future__ import annotations

import contextlib
import re
import uuid
from collections.abc import Iterator
from datetime import date

import pytest

from kg.core.errors import NotFoundError
from kg.core.models import Article
from tests.news_support import EXCHANGE_A, EXCHANGE_B
from tests.web.test_explorer import Stack, Tab

pytestmark = [pytest.mark.api, pytest.mark.integration]

QUESTION = "most reported agreements with the ELN"
RANGE = "from=2019-05-18&to=2019-05-31"


@pytest.fixture(scope="module")
def event(stack: Stack) -> Iterator[list[str]]:
    """The two reports' article ids (ingested through the stack's pipeline)."""
    run = uuid.uuid4().hex[:12]
    articles = [
        Article(
            title=title,
            body=body,
            published=date(2019, 5, 21),
            url=f"https://test.newskg.invalid/ui-events/{run}/{tag}",
            source=source,
        )
        for tag, title, body, source in (
            ("a", "Colombia and ELN sign prisoner exchange", EXCHANGE_A, "Outlet A"),
            ("b", "Prisoner swap agreed in Caracas", EXCHANGE_B, "Outlet B"),
        )
    ]
    ids = [stack.services.pipeline.ingest_article(a).article_id for a in articles]
    try:
        yield ids
    finally:
        for article_id in ids:
            with contextlib.suppress(NotFoundError):
                stack.services.pipeline.delete_article(article_id)


def test_an_action_shows_its_source_count_and_every_report(
    tab: Tab, stack: Stack, event: list[str]
) -> None:
    tab.open(f"/ui/search?q={QUESTION.replace(' ', '+')}&{RANGE}")
    page = tab.page
    card = page.locator("[data-testid=action]").first
    card.wait_for()
    note = page.get_by_test_id("order-note").inner_text()
    assert "Most reported first" in note and "most reported" in note
    assert "copies (republished wire stories) left out" in note
    assert card.get_by_test_id("source-count").inner_text() == "reported by 2 sources"

    card.locator("[data-testid=reports] > summary").click()
    reports = card.locator("[data-testid=report]")
    assert reports.count() == 2
    assert sorted(reports.locator(".source").all_inner_texts()) == ["Outlet A", "Outlet B"]
    # Each report's mark is its evidence, placed by the API's offsets inside its passage.
    api = stack.gql(
        "query($q: String!, $f: SearchFilterInput) { search(query: $q, limit: 10, filter: $f) {"
        " actions { id reports { action { id } evidence { text start end } article { id } } } } }",
        {"q": QUESTION, "f": {"from": "2019-05-18", "to": "2019-05-31"}},
    )["search"]["actions"]
    (shown,) = [a for a in api if a["id"] == card.get_attribute("data-action-id")]
    assert {r["article"]["id"] for r in shown["reports"]} == set(event)
    for report in shown["reports"]:
        item = card.locator(f"[data-testid=report][data-action-id='{report['action']['id']}']")
        evidence = report["evidence"]
        assert item.locator("mark.evidence").inner_text() == evidence["text"]
        offsets = item.locator(".offsets").inner_text()
        assert offsets == f"chars {evidence['start']}–{evidence['end']}"
        assert item.locator("a.external").get_attribute("href", timeout=5_000)
    card.scroll_into_view_if_needed()
    tab.screenshot("search-events")
    tab.assert_accessible("search page with an event's reports")
    tab.assert_clean()


def test_order_and_duplicates_live_in_the_url(tab: Tab, stack: Stack, event: list[str]) -> None:
    tab.open(f"/ui/search?q={QUESTION.replace(' ', '+')}&{RANGE}")
    page = tab.page
    page.locator("[data-testid=action]").first.wait_for()
    # The date range opens the filters already.
    assert page.locator("details.filters").get_attribute("open") is not None
    page.get_by_label("Order actions").select_option("relevance")
    page.get_by_label("Include near-duplicate copies").check()
    page.get_by_role("button", name="Search").click()
    page.wait_for_url(re.compile(r"order=relevance&duplicates=1$"))
    note = page.get_by_test_id("order-note")
    note.filter(has_text="Near-duplicate copies included").wait_for()
    assert "Most relevant first" in note.inner_text()
    tab.assert_accessible("search page with the order and duplicates filters")
    tab.assert_clean()
