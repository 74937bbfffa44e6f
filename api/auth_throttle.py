"""Throttle API-key guessing: too many wrong keys from one address, and keys are refused.

A pure ASGI middleware in front of REST and GraphQL alike. A request carrying an
``X-API-Key`` header that :func:`~api.dependencies.api_key_problem` rejects is a failure of
its client address. After ``NEWSKG_AUTH_MAX_FAILURES`` failures within
``NEWSKG_AUTH_FAILURE_WINDOW_SECONDS``, every request from that address that carries a key,
right or wrong, gets 429 ``TOO_MANY_REQUESTS`` with ``Retry-After`` until the oldest failure
leaves the window: answering a right key normally would tell a guesser when it had won.
Requests without a key (or with an empty header) are not counted and not refused: they
guess nothing.

The counts live in memory, per process, for at most :data:`MAX_CLIENTS` addresses (the least
recently failing are forgotten first). Behind a reverse proxy every client has the proxy's
address; forwarded headers are not trusted, since any client can forge them.
"""

from __future__ import annotations

import math
import time
from collections import OrderedDict, deque
from collections.abc import Callable

from starlette.types import ASGIApp, Receive, Scope, Send

from api import errors as table
from api.dependencies import API_KEY_HEADER, api_key_problem
from api.rest.error_handlers import send_error
from kg.core.config import Settings

MAX_CLIENTS = 10_000
_HEADER = API_KEY_HEADER.lower().encode("latin-1")


class FailureThrottle:
    """Failures per client within a sliding window, for a bounded number of clients."""

    def __init__(
        self,
        max_failures: int,
        window_seconds: float,
        max_clients: int = MAX_CLIENTS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        """Count up to ``max_failures`` per client over ``window_seconds``.

        Args:
            max_failures: Failures within the window after which a client is refused.
            window_seconds: How long a failure counts.
            max_clients: The most clients remembered; the least recently failing go first.
            clock: Seconds, monotonic (a fake one in tests).
        """
        self.max_failures = max_failures
        self.window = window_seconds
        self.max_clients = max_clients
        self._clock = clock
        self._failures: OrderedDict[str, deque[float]] = OrderedDict()

    def retry_after(self, client: str) -> float | None:
        """Seconds until ``client`` may try a key again, or None when it may now."""
        failures = self._failures.get(client)
        if failures is None:
            return None
        now = self._clock()
        while failures and failures[0] <= now - self.window:
            failures.popleft()
        if not failures:
            del self._failures[client]
            return None
        if len(failures) < self.max_failures:
            return None
        return failures[0] + self.window - now

    def record_failure(self, client: str) -> None:
        """Count one failure of ``client`` now."""
        failures = self._failures.pop(client, None)
        if failures is None:
            failures = deque(maxlen=self.max_failures)
        failures.append(self._clock())
        self._failures[client] = failures  # most recent last
        while len(self._failures) > self.max_clients:
            self._failures.popitem(last=False)


def _given_key(scope: Scope) -> str | None:
    for name, value in scope.get("headers", ()):
        if name == _HEADER:
            return bytes(value).decode("latin-1")
    return None


async def _send_429(send: Send, retry_after: float) -> None:
    seconds = max(1, math.ceil(retry_after))
    message = f"too many wrong API keys from this address; retry in {seconds} s"
    await send_error(
        send,
        table.TOO_MANY_REQUESTS,
        message,
        {"retry_after": seconds},
        headers=[(b"retry-after", str(seconds).encode())],
    )


class KeyThrottleMiddleware:
    """Refuse keys from an address that sent too many wrong ones (see the module docstring)."""

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.settings = settings
        self.throttle = FailureThrottle(
            settings.auth_max_failures, settings.auth_failure_window_seconds
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        given = _given_key(scope) if scope["type"] == "http" else None
        expected = self.settings.api_key.get_secret_value() if self.settings.api_key else ""
        # The server run's local token (kg serve) is a key too; Starlette sets scope["app"].
        local_token = getattr(getattr(scope.get("app"), "state", None), "local_token", None)
        # Without a key to match there is nothing to guess; without a given key (or an
        # empty header), no guess.
        if not given or not (expected or local_token):
            await self.app(scope, receive, send)
            return
        client = scope["client"][0] if scope.get("client") else "unknown"
        wait = self.throttle.retry_after(client)
        if wait is not None:
            await _send_429(send, wait)
            return
        if api_key_problem(self.settings, given, local_token) is not None:
            self.throttle.record_failure(client)
        await self.app(scope, receive, send)
