"""A minimal Chrome DevTools Protocol client for headless Chromium, stdlib only.

Used by the Neo4j Browser integration test and by ``browser/screenshot.py``. Chromium runs
with ``--remote-debugging-pipe``: it reads NUL-terminated JSON commands on fd 3 and writes
replies and events on fd 4, so no websocket library (and no open port) is needed.
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import subprocess
import time
from pathlib import Path
from typing import Any

from kg.core.errors import DevToolsError

# Offline, throwaway-profile headless Chromium; no sandbox because it may run as root.
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
)
DEFAULT_WINDOW = (1280, 800)
WAIT_SECONDS = 60.0


def find_chromium() -> str | None:
    """Path of the Chromium executable, or None if it is not installed."""
    return shutil.which("chromium") or shutil.which("chromium-browser")


def chromium_command(
    chromium: str, profile: Path, window: tuple[int, int] = DEFAULT_WINDOW
) -> list[str]:
    """The headless Chromium command line, without the URL or the DevTools switch.

    Args:
        chromium: Path of the Chromium executable.
        profile: A fresh directory for the throwaway profile.
        window: Window width and height in CSS pixels.
    """
    width, height = window
    return [
        chromium,
        *CHROMIUM_FLAGS,
        f"--window-size={width},{height}",
        f"--user-data-dir={profile}",
    ]


class DevTools:
    """Headless Chromium driven over ``--remote-debugging-pipe``.

    Replies are matched to commands by id; events are read and dropped. Use it as a context
    manager, or call :meth:`close`, so Chromium does not outlive the caller.
    """

    def __init__(
        self,
        chromium: str,
        profile: Path,
        *,
        window: tuple[int, int] = DEFAULT_WINDOW,
        wait_seconds: float = WAIT_SECONDS,
    ) -> None:
        """Launch Chromium on ``about:blank``.

        Args:
            chromium: Path of the Chromium executable (see :func:`find_chromium`).
            profile: A fresh directory for the throwaway profile.
            window: Window width and height in CSS pixels.
            wait_seconds: How long :meth:`wait_for` polls before giving up.
        """
        to_chrome_r, to_chrome_w = os.pipe()
        from_chrome_r, from_chrome_w = os.pipe()
        os.set_inheritable(to_chrome_r, True)
        os.set_inheritable(from_chrome_w, True)

        def wire_fds() -> None:  # runs in the child, before exec
            os.dup2(to_chrome_r, 3)
            os.dup2(from_chrome_w, 4)

        self._process = subprocess.Popen(
            [
                *chromium_command(chromium, profile, window),
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
        self.wait_seconds = wait_seconds
        self.session: str | None = None

    def __enter__(self) -> DevTools:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def send(self, method: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
        """Send one DevTools command and return its result.

        Raises:
            DevToolsError: Chromium answered with an error or closed the pipe.
        """
        self._next_id += 1
        message: dict[str, Any] = {"id": self._next_id, "method": method, "params": params or {}}
        if self.session is not None and not method.startswith(("Target.", "Browser.")):
            message["sessionId"] = self.session
        self._out.write(json.dumps(message).encode() + b"\0")
        while True:
            while b"\0" not in self._buffer:
                chunk = self._in.read(65536)
                if not chunk:
                    raise DevToolsError(method, "chromium closed the DevTools pipe")
                self._buffer += chunk
            raw, self._buffer = self._buffer.split(b"\0", 1)
            reply = json.loads(raw)
            if reply.get("id") == self._next_id:
                if "error" in reply:
                    raise DevToolsError(method, str(reply["error"]))
                result: dict[str, Any] = reply["result"]
                return result

    def open(self, url: str) -> None:
        """Open ``url`` in a new tab and send later page commands to it."""
        target = self.send("Target.createTarget", {"url": url})
        attached = self.send(
            "Target.attachToTarget", {"targetId": target["targetId"], "flatten": True}
        )
        self.session = attached["sessionId"]

    def set_viewport(self, width: int, height: int) -> None:
        """Make the page's viewport exactly ``width`` x ``height`` CSS pixels (scale 1).

        ``--window-size`` sizes the window, whose viewport is a little shorter; screenshots
        come out at the viewport's size.
        """
        self.send(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False},
        )

    def evaluate(self, expression: str) -> Any:
        """Evaluate JavaScript in the page and return its value (JSON-serialisable).

        Raises:
            DevToolsError: The expression threw.
        """
        reply = self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True})
        if "exceptionDetails" in reply:
            details = reply["exceptionDetails"]
            thrown = details.get("exception", {}).get("description") or details.get("text")
            raise DevToolsError(expression, f"the page threw {thrown}")
        return reply["result"].get("value")

    def wait_for(self, expression: str) -> Any:
        """Poll a JavaScript expression until it is truthy and return its value.

        Raises:
            DevToolsError: It was still falsy after ``wait_seconds``; the error carries the
                tail of the page's text, to show what the page was doing instead.
        """
        deadline = time.monotonic() + self.wait_seconds
        while time.monotonic() < deadline:
            value = self.evaluate(expression)
            if value:
                return value
            time.sleep(0.25)
        body = self.evaluate("document.body ? document.body.innerText.slice(-1500) : ''")
        raise DevToolsError(expression, f"never became true; the page shows:\n{body}")

    def type_into(self, selector: str, text: str) -> None:
        """Focus the element matching a CSS selector and type text into it."""
        self.evaluate(f"document.querySelector({json.dumps(selector)}).focus()")
        self.send("Input.insertText", {"text": text})

    def press_enter(self) -> None:
        """Press and release the Enter key in the focused element."""
        key = {"key": "Enter", "code": "Enter", "windowsVirtualKeyCode": 13}
        self.send("Input.dispatchKeyEvent", {"type": "keyDown", "text": "\r", **key})
        self.send("Input.dispatchKeyEvent", {"type": "keyUp", **key})

    def screenshot(self, path: Path) -> None:
        """Save the visible viewport as a PNG."""
        data = self.send("Page.captureScreenshot", {"format": "png"})["data"]
        path.write_bytes(base64.b64decode(data))

    def close(self) -> None:
        """Close Chromium (kill it if it does not answer) and the pipe."""
        try:
            self.send("Browser.close")
        except (DevToolsError, OSError):
            self._process.kill()
        self._process.wait(timeout=30)
        self._out.close()
        self._in.close()
