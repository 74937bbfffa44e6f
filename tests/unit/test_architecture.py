"""The architecture, kept: packages import one way, the API on top, modules small.

GraphQL never imports REST; core imports nothing of newskg; the stores import neither
search nor the API; extraction imports no store; nothing imports the API.
"""

from __future__ import annotations

import ast
import subprocess
import sys

from api.app import create_app
from kg.core.config import Settings
from tests.conftest import ROOT


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


# --------------------------------------------------------------------------- package layering

# Which packages each package may import. Data flows one way: core <- rdf/extraction/vectors
# <- graph/ingest/search <- services/cli <- api. Stores never import search or the API,
# extraction never imports a store, and nothing in kg imports the API.
ALLOWED: dict[str, frozenset[str]] = {
    "kg.core": frozenset(),
    "kg.rdf": frozenset({"kg.core"}),
    "kg.extraction": frozenset({"kg.core"}),
    "kg.vectors": frozenset({"kg.core"}),
    "kg.ops": frozenset({"kg.core"}),
    "kg.graph": frozenset({"kg.core", "kg.rdf"}),
    "kg.ingest": frozenset({"kg.core", "kg.rdf", "kg.extraction", "kg.vectors"}),
    # Search reads the lexicon (event words) and the passage payload, never an adapter.
    "kg.search": frozenset({"kg.core", "kg.extraction", "kg.vectors"}),
    "kg.feeds": frozenset({"kg.core", "kg.ingest"}),
}
LAYERS = ("kg.core", "kg.rdf", "kg.extraction", "kg.vectors", "kg.ops", "kg.graph", "kg.ingest")
PACKAGES = (*LAYERS, "kg.search", "kg.feeds")


def _package(module: str) -> str:
    """The layer a module belongs to: ``kg.<package>``, ``api``, or the module itself."""
    parts = module.split(".")
    if parts[0] == "api":
        return "api"
    if len(parts) > 1 and f"kg.{parts[1]}" in PACKAGES:
        return f"kg.{parts[1]}"
    return module


def _imports() -> dict[str, set[tuple[str, str]]]:
    """For each package, the (imported package, importing module) pairs."""
    found: dict[str, set[tuple[str, str]]] = {}
    files = [*ROOT.glob("kg/**/*.py"), *ROOT.glob("api/**/*.py")]
    for path in files:
        module = ".".join(path.relative_to(ROOT).with_suffix("").parts)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names: list[str] = []
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module, *(f"{node.module}.{a.name}" for a in node.names)]
            elif isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            for name in names:
                if name.split(".")[0] in ("kg", "api") and name not in ("kg", "api"):
                    source, target = _package(module), _package(name)
                    if source != target and target in (*PACKAGES, "api"):
                        found.setdefault(source, set()).add((target, module))
    return found


def test_packages_import_only_what_they_may() -> None:
    imports = _imports()
    wrong = sorted(
        f"{module} imports {target}"
        for source, allowed in ALLOWED.items()
        for target, module in imports.get(source, ())
        if target not in allowed
    )
    assert not wrong, "\n".join(wrong)


def test_nothing_in_kg_imports_the_api() -> None:
    imports = _imports()
    # kg.cli is the entry point on top of everything: `kg serve` runs the API.
    wrong = sorted(
        module
        for source, pairs in imports.items()
        if source not in ("api", "kg.cli")
        for target, module in pairs
        if target == "api"
    )
    assert not wrong


def test_no_package_cycles() -> None:
    imports = _imports()
    graph = {source: {t for t, _ in pairs} for source, pairs in imports.items()}

    def reaches(start: str, goal: str, seen: set[str]) -> bool:
        for nxt in graph.get(start, ()):
            if nxt == goal or (nxt not in seen and reaches(nxt, goal, seen | {nxt})):
                return True
        return False

    cyclic = sorted(p for p in graph if reaches(p, p, {p}))
    assert not cyclic


def test_modules_stay_small() -> None:
    # "Small modules": one reason to change each; ~400 lines is the house limit.
    big = sorted(
        f"{path.relative_to(ROOT)}: {n} lines"
        for path in [*ROOT.glob("kg/**/*.py"), *ROOT.glob("api/**/*.py")]
        if (n := len(path.read_text(encoding="utf-8").splitlines())) > 420
    )
    assert not big, "\n".join(big)
