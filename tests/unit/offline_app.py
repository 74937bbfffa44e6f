"""The real app over HTTP without Neo4j, Qdrant or models, for guards that act before them.

The services are stand-ins with real settings and no stores: a request that reaches a
store fails, so a test passing here proves its guard answered first.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from types import SimpleNamespace
from typing import Any

from api.app import create_app
from kg.core.config import Settings
from tests.fakes import Unreachable
from tests.live_server import LiveClient, live_client


def offline_services(settings: Settings) -> Any:
    """Stand-in services with no stores: a request that reaches one fails the test."""
    return SimpleNamespace(
        settings=settings,
        graph=None,
        reader=Unreachable("reader"),  # the loaders bind to it; no request reaches it
        search=Unreachable("search"),
        writer=None,
        admin=None,
        vectors=None,
        embedder=None,
    )


@contextmanager
def offline_client(**settings: Any) -> Iterator[LiveClient]:
    """Serve ``create_app`` with ``Settings(**settings)`` and no stores; yield a client."""
    built = Settings(**settings)
    with live_client(create_app(settings=built, services=offline_services(built))) as client:
        yield client


def error_of(response: Any) -> dict[str, Any]:
    """The ``error`` of a JSON error envelope (checking its shape)."""
    body = response.json()
    assert set(body) == {"error"}, body
    assert set(body["error"]) == {"code", "message", "details"}, body
    return dict(body["error"])
