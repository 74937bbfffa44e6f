"""A circuit breaker for one backing store: answer "unavailable" at once while it is down.

Without it, every request made while Neo4j (or a Qdrant server) is down waits for the
driver's connect timeout and retries before failing, and the waiting requests hold the
worker threads that the next requests queue behind. With it, the first failures open the
breaker, and until a cool-down has passed every call fails immediately with
:class:`~kg.core.errors.ServiceUnavailableError`. After the cool-down one call (the
half-open probe) goes through: if it succeeds the breaker closes, if it fails it opens for
another cool-down. A health probe may report its outcome too (:meth:`record_success`,
:meth:`record_failure`), so ``/health`` closes the breaker as soon as the store answers.

States::

    closed --(failure_threshold consecutive outages)--> open
    open --(cooldown passed, next call)--> half-open (that one call is the probe)
    half-open --(probe succeeds)--> closed;  --(probe fails)--> open

Only outages count (connection refused or lost, timeouts): a query the store refuses is
the caller's problem, not the store's, and is reported as a success of the connection.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from enum import StrEnum

from kg.core.errors import ServiceUnavailableError


class BreakerState(StrEnum):
    """Where a breaker is (see the module docstring)."""

    CLOSED = "closed"
    OPEN = "open"
    HALF_OPEN = "half_open"


class CircuitBreaker:
    """Thread-safe circuit breaker for one service. Constructing it does no I/O.

    Args:
        service: The service's name, as :class:`ServiceUnavailableError` reports it.
        failure_threshold: Consecutive outages that open the breaker.
        cooldown_s: How long it stays open before one call may probe the service.
        clock: Monotonic seconds (a parameter so tests can move time).
    """

    def __init__(
        self,
        service: str,
        failure_threshold: int = 2,
        cooldown_s: float = 5.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if failure_threshold < 1 or cooldown_s <= 0:
            raise ValueError("failure_threshold must be >= 1 and cooldown_s > 0")
        self.service = service
        self._threshold = failure_threshold
        self._cooldown = cooldown_s
        self._clock = clock
        self._lock = threading.Lock()
        self._failures = 0
        self._opened_at: float | None = None
        self._probing = False
        self._last_error = ""

    @property
    def state(self) -> BreakerState:
        """The current state (for health, metrics and tests)."""
        with self._lock:
            if self._opened_at is None:
                return BreakerState.CLOSED
            if self._probing or self._clock() - self._opened_at >= self._cooldown:
                return BreakerState.HALF_OPEN
            return BreakerState.OPEN

    @property
    def clean(self) -> bool:
        """True when no failure has been seen since the last success (nothing suspect)."""
        with self._lock:
            return self._failures == 0 and self._opened_at is None

    def before_call(self) -> None:
        """Let a call through, or refuse it at once while the service is known down.

        Raises:
            ServiceUnavailableError: the breaker is open, or half-open with a probe in
                flight. The message says when the next probe may run.
        """
        with self._lock:
            if self._opened_at is None:
                return
            waited = self._clock() - self._opened_at
            if not self._probing and waited >= self._cooldown:
                self._probing = True  # this call is the probe; the others keep failing fast
                return
            retry_in = max(0.0, self._cooldown - waited)
            raise ServiceUnavailableError(
                self.service,
                f"known down, not retried for {retry_in:.1f} s (last error: {self._last_error})",
            )

    def raise_if_open(self) -> None:
        """Refuse when a call would be refused, without taking the probe slot (for work
        before any call, such as embedding a search query).

        Raises:
            ServiceUnavailableError: the breaker is open and its cool-down is not over, or
                another call is probing the service (its answer is not in yet).
        """
        with self._lock:
            if self._opened_at is None:
                return
            if not self._probing and self._clock() - self._opened_at >= self._cooldown:
                return  # the next call may probe: let the work reach it
            error = self._last_error
        raise ServiceUnavailableError(self.service, f"known down ({error})")

    def record_success(self) -> None:
        """The service answered: close the breaker."""
        with self._lock:
            self._failures = 0
            self._opened_at = None
            self._probing = False

    def record_failure(self, error: str = "") -> None:
        """The service could not be reached: count it, and open after the threshold."""
        with self._lock:
            self._failures += 1
            self._last_error = error or self._last_error
            if self._probing or self._failures >= self._threshold:
                self._opened_at = self._clock()
            self._probing = False

    def release(self) -> None:
        """A call ended without telling anything about the service (e.g. a bug raised).

        Frees the probe slot, so a half-open breaker lets the next call probe.
        """
        with self._lock:
            self._probing = False
