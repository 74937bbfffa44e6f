"""The API tests' shared fixtures: services over the real Neo4j with a Qdrant of the
module's own, and a live server (uvicorn on a free port) over them. A module that needs
other settings defines its own ``services``; ``client`` then serves those."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from api.app import create_app
from kg.core.config import get_settings
from kg.services import Services, bootstrap, build_services, close
from tests.live_server import LiveClient, live_client


@pytest.fixture(scope="module")
def services(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Services]:
    built = build_services(get_settings(qdrant_dir=tmp_path_factory.mktemp("qdrant")))
    bootstrap(built)
    yield built
    close(built)


@pytest.fixture(scope="module")
def client(services: Services) -> Iterator[LiveClient]:
    with live_client(create_app(services=services)) as running:
        yield running
