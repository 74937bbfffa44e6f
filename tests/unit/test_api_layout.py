"""The API's modules depend on each other in one direction: GraphQL never imports REST."""

from __future__ import annotations

import subprocess
import sys

from api.app import create_app
from kg.core.config import Settings


def test_graphql_does_not_import_rest() -> None:
    code = (
        "import sys, api.graphql.schema; "
        "print(sorted(m for m in sys.modules if m.startswith('api.rest')))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"


def test_every_rest_router_is_mounted() -> None:
    app = create_app(settings=Settings())
    paths = set(app.openapi()["paths"])
    assert {"/graphql", "/search", "/health", "/metrics", "/rdf", "/browser-guide"} <= paths
    assert hasattr(app.state, "metrics")
