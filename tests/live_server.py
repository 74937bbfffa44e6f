"""Serve an app for real: uvicorn on a free loopback port in a thread, and an HTTP client.

The API tests go over HTTP, not through an in-process transport, so they exercise what a
front end would: the socket, the server, the middleware.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING

import httpx
import uvicorn
from fastapi import FastAPI

if TYPE_CHECKING:
    from kg.services import Services


class LiveClient(httpx.Client):
    """An httpx client bound to a served app; ``app`` is the FastAPI object behind it."""

    def __init__(self, app: FastAPI, base_url: str) -> None:
        super().__init__(base_url=base_url, timeout=120)
        self.app = app


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def live_client(app: FastAPI) -> Iterator[LiveClient]:
    """Run ``app`` (lifespan included) until the block ends; yield a client for it."""
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started:  # a startup wait, not an assertion on timing
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the API server did not start")
        time.sleep(0.05)
    try:
        with LiveClient(app, f"http://127.0.0.1:{port}") as client:
            yield client
    finally:
        server.should_exit = True
        thread.join(timeout=30)


@dataclass
class LocalServer:
    """A served app with the local token that ``kg`` clients (server.json) present."""

    services: Services
    client: LiveClient

    @property
    def url(self) -> str:
        """The server's base URL, without a trailing slash."""
        return str(self.client.base_url).rstrip("/")


@contextmanager
def local_server(services: Services, token: str) -> Iterator[LocalServer]:
    """Serve ``services`` with ``token`` as the local client token until the block ends."""
    from api.app import create_app

    with live_client(create_app(services=services, local_token=token)) as client:
        yield LocalServer(services=services, client=client)
