"""The API's Neo4j Browser guide and GraSS style, used from the real Neo4j Browser.

The API runs in-process (uvicorn in a thread, on a free port) over the integration
services; headless Chromium opens the Browser served by the managed Neo4j server, logs in
and runs ``:play <api>/browser-guide`` and ``:style <api>/browser-style.grass`` the way a
person would. The Browser fetches both cross-origin, so this exercises the CORS headers,
the guide's HTML format and Neo4j's ``browser.remote_content_hostname_whitelist``.

The seed is ingested under a URL of its own (and deleted afterwards) so the guide's
"actions against the ELN" block has something to draw.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import re
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from api.app import create_app
from api.rest.browser_guide import GRASS_PATH, slides
from browser.cdp import DevTools, find_chromium
from browser.screenshot import grass_selectors
from kg.core.config import Settings
from kg.core.errors import NotFoundError
from kg.ingest.parsing import parse_path
from kg.ops import neo4j_server
from kg.services import Services
from tests.conftest import SEED
from tests.live_server import live_client

pytestmark = pytest.mark.integration

CHROMIUM = find_chromium()
requires_chromium = pytest.mark.skipif(
    CHROMIUM is None, reason="chromium is not installed (apt-get install -y chromium)"
)

EDITOR = "[data-testid=activeEditor]"
FRAMES = "Array.from(document.querySelectorAll('[data-testid=frame]'))"
# Frames stack newest first; the guide is the oldest one once a query has run below it.
GUIDE = f"{FRAMES}.find(f => f.innerText.startsWith(':play '))"
VISIBLE_RUNNABLE = (
    f"Array.from({GUIDE}.querySelectorAll('pre.runnable')).filter(e => e.offsetParent !== null)"
)
# Monaco renders spaces as no-break spaces.
EDITOR_TEXT = f"document.querySelector('{EDITOR} .view-lines').innerText.replace(/\\u00a0/g, ' ')"


@dataclasses.dataclass(frozen=True)
class Api:
    """The in-process API: its port, reachable as localhost and as 127.0.0.1."""

    port: int

    def url(self, host: str = "localhost") -> str:
        return f"http://{host}:{self.port}"


@pytest.fixture(scope="module")
def seeded(services: Services) -> Iterator[str]:
    """The seed, ingested under a URL of its own; yields its article id."""
    (article,) = parse_path(SEED)
    article = dataclasses.replace(article, url=f"https://test.newskg.invalid/{uuid.uuid4()}")
    report = services.pipeline.ingest_article(article)
    yield report.article_id
    with contextlib.suppress(NotFoundError):
        services.pipeline.delete_article(report.article_id)


@pytest.fixture(scope="module")
def api(services: Services) -> Iterator[Api]:
    with live_client(create_app(services=services)) as client:
        yield Api(client.base_url.port or 80)


@pytest.fixture
def page(
    server: neo4j_server.ServerStatus, settings: Settings, tmp_path: Path
) -> Iterator[DevTools]:
    """Neo4j Browser in a fresh profile, logged in (so no style is stored yet)."""
    assert CHROMIUM is not None
    devtools = DevTools(CHROMIUM, tmp_path / "profile", window=(1400, 1000))
    try:
        devtools.open(server.browser_url)
        devtools.set_viewport(1400, 1000)
        devtools.wait_for("!!document.querySelector('[data-testid=connect]')")
        # Only ever the configured password: a refused login is retried by the Browser and
        # locks the user out for a few seconds, failing other tests sharing the server.
        devtools.type_into("[data-testid=username]", settings.neo4j_user)
        devtools.type_into("[data-testid=password]", settings.neo4j_password.get_secret_value())
        devtools.evaluate("document.querySelector('[data-testid=connect]').click()")
        devtools.wait_for("document.body.innerText.includes('You are connected as user')")
        _run(devtools, ":clear")
        yield devtools
    finally:
        devtools.close()


def _run(page: DevTools, command: str) -> None:
    page.type_into(f"{EDITOR} textarea", command)
    page.press_enter()


def _frame_text(page: DevTools, prefix: str) -> str:
    """Wait for the frame of a command and return its text once it has content."""
    found = page.wait_for(
        f"(() => {{ const f = {FRAMES}.find(f => f.innerText.startsWith({json.dumps(prefix)}));"
        " return f && f.innerText.split('\\n').length > 2 ? f.innerText : null; })()"
    )
    return str(found)


def _style_from(page: DevTools, url: str) -> str:
    """Run ``:style <url>`` and return its frame's text.

    The Browser loads the server's ``browser.remote_content_hostname_whitelist`` a moment
    after connecting and applies its built-in default (``guides.neo4j.com,localhost``)
    until then, so a refusal is retried until the server's list has had time to load.
    """
    deadline = time.monotonic() + page.wait_seconds
    while True:
        _run(page, ":clear")
        _run(page, f":style {url}")
        text = _frame_text(page, f":style {url}")
        if "not allowed" not in text or time.monotonic() > deadline:
            return text
        time.sleep(0.5)


@requires_chromium
def test_play_renders_the_guide_and_its_blocks_run(
    page: DevTools, api: Api, seeded: str, tmp_path: Path
) -> None:
    guide_url = f"{api.url()}/browser-guide"
    deck = slides(f"{api.url()}/")
    _run(page, f":play {guide_url}")

    text = _frame_text(page, f":play {guide_url}")
    assert "No guide by that name" not in text, text[:500]
    assert f"1 / {len(deck)}" in text
    assert deck[0].title in text
    page.screenshot(tmp_path / "guide-slide-1.png")

    # The carousel shows one slide at a time: walk through them all. On slide 2, "Actions
    # against the ELN", clicking the first block must fill the editor with its Cypher.
    for number, slide in enumerate(deck, start=1):
        page.wait_for(f"{GUIDE}.innerText.includes({json.dumps(f'{number} / {len(deck)}')})")
        shown = page.evaluate(f"{VISIBLE_RUNNABLE}.map(e => e.innerText.trim())")
        assert slide.title in page.evaluate(f"{GUIDE}.innerText")
        assert shown == [block.code for block in slide.blocks], f"slide {number}"
        if number == 2:
            page.evaluate(f"{VISIBLE_RUNNABLE}[0].click()")
            expected = json.dumps(slide.blocks[0].code)
            assert page.wait_for(f"{EDITOR_TEXT} === {expected}"), (
                "clicking a runnable block did not put its Cypher in the editor"
            )
        if number < len(deck):
            page.evaluate(f"{GUIDE}.querySelector('[data-testid=nextSlide]').click()")

    page.evaluate("document.querySelector('[data-testid=editor-Run]').click()")
    outcome = page.wait_for(
        f"(() => {{ const f = {FRAMES}[0]; if (!f || f.innerText.startsWith(':play')) return null;"
        " const t = f.innerText; const m = t.match(/Displaying (\\d+) nodes?/);"
        " if (m) return Number(m[1]);"
        " if (/no changes, no records|Error/.test(t)) return t.slice(0, 500); return null; })()"
    )
    page.screenshot(tmp_path / "guide-eln-actions.png")
    assert isinstance(outcome, int), f"the ELN block drew no graph:\n{outcome}"
    assert outcome >= 3  # the ELN, at least one action against it, and its evidence


@requires_chromium
def test_style_from_the_api_url_is_applied(
    page: DevTools, api: Api, seeded: str, tmp_path: Path
) -> None:
    grass = GRASS_PATH.read_text(encoding="utf-8")
    # 127.0.0.1, not localhost: Neo4j's default remote-content whitelist lacks it, so this
    # fails on a server whose neo4j.conf predates render_conf's whitelist line.
    style_url = f"{api.url('127.0.0.1')}/browser-style.grass"
    # A fresh profile: the Browser's default style, which has no rule for our labels.
    assert not page.evaluate(
        "'node.Action' in (JSON.parse(localStorage['neo4j.grass'] || 'null') || {})"
    )

    text = _style_from(page, style_url)
    assert "not allowed" not in text, f"{text[:500]}\n(restart Neo4j: kg neo4j stop && start)"
    assert "Error" not in text, text[:500]
    stored = page.wait_for(
        "(() => { const s = JSON.parse(localStorage['neo4j.grass'] || 'null');"
        f" return s && {json.dumps(grass_selectors(grass))}.every(k => k in s) ? s : null; }})()"
    )
    assert stored["node.Action"]["color"] == "#F16667"
    assert stored["node.Action"]["caption"] == "{type} {date}"
    assert stored["relationship.HAS_TARGET"]["color"] == "#EB2728"

    # And drawn with it: the action is a 70px red circle captioned with its type (the
    # Browser's defaults are 50px circles from a palette, captioned with some property).
    _run(page, ":clear")
    _run(page, "MATCH (a:Action)-[t:HAS_TARGET]->(e:Entity) RETURN a, t, e LIMIT 1")
    drawn = page.wait_for(
        f"(() => {{ const f = {FRAMES}[0]; if (!f || !f.innerText.startsWith('MATCH')) return null;"
        " const nodes = Array.from(f.querySelectorAll('svg.neod3viz g.node')).map(g => {"
        "   const c = g.querySelector('circle.b-outline'); const t = g.querySelector('text');"
        "   return c && t ? [c.getAttribute('fill'), c.getAttribute('r'), t.textContent.trim()]"
        "     : null; });"
        " return nodes.length === 2 && nodes.every(n => n) ? nodes : null; })()"
    )
    page.screenshot(tmp_path / "styled-action.png")
    actions = [node for node in drawn if node[0].upper() == "#F16667" and node[1] == "35"]
    assert len(actions) == 1, drawn
    assert re.fullmatch(r"[A-Z_]+", actions[0][2]), drawn  # e.g. ASSAULT, AGREE
