"""Neo4j Browser, served by the Maven-assembled server, checked in headless Chromium.

One test dumps the rendered DOM (``chromium --dump-dom``); the others drive the page as a
person would (type the credentials, press Connect, run a query) over the DevTools protocol
on a pipe (``--remote-debugging-pipe``), which needs no Python package beyond the stdlib.
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kg import neo4j_server
from kg.config import Settings, get_settings

pytestmark = pytest.mark.integration

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
requires_chromium = pytest.mark.skipif(
    CHROMIUM is None, reason="chromium is not installed (apt-get install -y chromium)"
)
# Offline, throwaway-profile headless Chromium; no sandbox because tests run as root.
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--window-size=1280,800",
)
WAIT_SECONDS = 60.0


@pytest.fixture(scope="module")
def settings() -> Settings:
    return get_settings()


@pytest.fixture(scope="module")
def server(settings: Settings) -> neo4j_server.ServerStatus:
    return neo4j_server.start(settings)


class DevTools:
    """A minimal Chrome DevTools Protocol client over ``--remote-debugging-pipe``.

    Chromium reads NUL-terminated JSON commands on fd 3 and writes replies and events on
    fd 4; events are skipped, replies are matched by id.
    """

    def __init__(self, chromium: str, profile: Path) -> None:
        to_chrome_r, to_chrome_w = os.pipe()
        from_chrome_r, from_chrome_w = os.pipe()
        os.set_inheritable(to_chrome_r, True)
        os.set_inheritable(from_chrome_w, True)

        def wire_fds() -> None:  # runs in the child, before exec
            os.dup2(to_chrome_r, 3)
            os.dup2(from_chrome_w, 4)

        self._process = subprocess.Popen(
            [
                chromium,
                *CHROMIUM_FLAGS,
                f"--user-data-dir={profile}",
                "--remote-debugging-pipe",
                "about:blank",
            ],
            preexec_fn=wire_fds,
            close_fds=False,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        os.close(to_chrome_r)
        os.close(from_chrome_w)
        self._out = os.fdopen(to_chrome_w, "wb", buffering=0)
        self._in = os.fdopen(from_chrome_r, "rb", buffering=0)
        self._buffer = b""
        self._next_id = 0
        self.session: str | None = None

    def send(self, method: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
        self._next_id += 1
        message: dict[str, Any] = {"id": self._next_id, "method": method, "params": params or {}}
        if self.session is not None and not method.startswith(("Target.", "Browser.")):
            message["sessionId"] = self.session
        self._out.write(json.dumps(message).encode() + b"\0")
        while True:
            while b"\0" not in self._buffer:
                chunk = self._in.read(65536)
                if not chunk:
                    raise RuntimeError(f"chromium closed the DevTools pipe during {method}")
                self._buffer += chunk
            raw, self._buffer = self._buffer.split(b"\0", 1)
            reply = json.loads(raw)
            if reply.get("id") == self._next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                result: dict[str, Any] = reply["result"]
                return result

    def open(self, url: str) -> None:
        target = self.send("Target.createTarget", {"url": url})
        attached = self.send(
            "Target.attachToTarget", {"targetId": target["targetId"], "flatten": True}
        )
        self.session = attached["sessionId"]

    def evaluate(self, expression: str) -> Any:
        reply = self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True})
        return reply["result"].get("value")

    def wait_for(self, expression: str) -> Any:
        """Poll a JavaScript expression until it is truthy; fail after WAIT_SECONDS."""
        deadline = time.monotonic() + WAIT_SECONDS
        while time.monotonic() < deadline:
            value = self.evaluate(expression)
            if value:
                return value
            time.sleep(0.25)
        body = self.evaluate("document.body ? document.body.innerText.slice(-1500) : ''")
        pytest.fail(f"the page never satisfied {expression!r}; it shows:\n{body}")

    def type_into(self, selector: str, text: str) -> None:
        self.evaluate(f"document.querySelector({json.dumps(selector)}).focus()")
        self.send("Input.insertText", {"text": text})

    def press_enter(self) -> None:
        key = {"key": "Enter", "code": "Enter", "windowsVirtualKeyCode": 13}
        self.send("Input.dispatchKeyEvent", {"type": "keyDown", "text": "\r", **key})
        self.send("Input.dispatchKeyEvent", {"type": "keyUp", **key})

    def screenshot(self, path: Path) -> None:
        path.write_bytes(base64.b64decode(self.send("Page.captureScreenshot")["data"]))

    def close(self) -> None:
        try:
            self.send("Browser.close")
        except (RuntimeError, OSError):
            self._process.kill()
        self._process.wait(timeout=30)
        self._out.close()
        self._in.close()


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
            CHROMIUM,
            *CHROMIUM_FLAGS,
            f"--user-data-dir={tmp_path / 'profile'}",
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
