"""Neo4j Browser, served by the Maven-assembled server, checked in headless Chromium.

One test dumps the rendered DOM (``chromium --dump-dom``); the others drive the page as a
person would (type the credentials, press Connect, run a query) over the DevTools protocol
on a pipe with the stdlib-only client in ``browser/cdp.py``.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from browser.cdp import DevTools, chromium_command, find_chromium
from kg.core.config import Settings, get_settings
from kg.ops import neo4j_server

pytestmark = pytest.mark.integration

CHROMIUM = find_chromium()
requires_chromium = pytest.mark.skipif(
    CHROMIUM is None, reason="chromium is not installed (apt-get install -y chromium)"
)


@pytest.fixture
def browser_page(server: neo4j_server.ServerStatus, tmp_path: Path) -> Iterator[DevTools]:
    assert CHROMIUM is not None
    devtools = DevTools(CHROMIUM, tmp_path / "profile")
    try:
        devtools.open(server.browser_url)
        devtools.wait_for("!!document.querySelector('[data-testid=connect]')")
        yield devtools
    finally:
        devtools.close()


def _connect(page: DevTools, user: str, password: str) -> None:
    # Only ever with the right password: the Browser retries a refused login several times,
    # which locks user neo4j out for a few seconds (dbms.security.auth_max_failed_attempts)
    # and would fail other tests sharing the server.
    page.type_into("[data-testid=username]", user)
    page.type_into("[data-testid=password]", password)
    page.evaluate("document.querySelector('[data-testid=connect]').click()")


@requires_chromium
def test_dumped_dom_shows_the_browser_connect_form(
    server: neo4j_server.ServerStatus, tmp_path: Path
) -> None:
    assert CHROMIUM is not None
    result = subprocess.run(
        [
            *chromium_command(CHROMIUM, tmp_path / "profile"),
            "--virtual-time-budget=15000",  # let the single-page app render
            "--dump-dom",
            server.browser_url,
        ],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )

    assert result.returncode == 0, result.stderr[-2000:]
    dom = result.stdout
    assert "<title>Neo4j Browser</title>" in dom
    assert "Connect to Neo4j" in dom
    assert 'data-testid="connect"' in dom
    assert f'value="localhost:{get_settings().neo4j_bolt_port}"' in dom


@requires_chromium
def test_browser_logs_in_and_runs_cypher(
    browser_page: DevTools, settings: Settings, tmp_path: Path
) -> None:
    _connect(browser_page, settings.neo4j_user, settings.neo4j_password.get_secret_value())
    browser_page.wait_for("document.body.innerText.includes('You are connected as user')")

    browser_page.type_into("[data-testid=activeEditor] textarea", "RETURN 40 + 2 AS answer")
    browser_page.press_enter()
    frame = browser_page.wait_for(
        "Array.from(document.querySelectorAll('[data-testid=frame]'))"
        ".map(f => f.innerText).find(t => t.includes('RETURN 40 + 2') && t.includes('42'))"
    )

    assert "answer" in frame
    browser_page.screenshot(tmp_path / "neo4j-browser.png")  # for a person to look at
