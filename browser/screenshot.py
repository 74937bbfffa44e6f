"""Screenshot of Neo4j Browser showing the seed graph, for the README.

Run on demand, with the managed Neo4j server up and the seed ingested::

    .venv/bin/kg neo4j start && .venv/bin/kg ingest seeds/
    .venv/bin/python browser/screenshot.py [--out browser/seed-graph.png]

Headless Chromium opens the Browser, logs in, applies ``browser/newskg.grass`` with the
``:style`` command, runs a Cypher query (by default: the actions around the National
Liberation Army), waits for the force layout to settle, shows the result frame full screen,
zooms it to fit and saves a PNG of the viewport.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

if __package__ in (None, ""):  # run as `python browser/screenshot.py`: make `browser` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from browser.cdp import DevTools, find_chromium  # noqa: E402
from kg.core.config import Settings, get_settings  # noqa: E402
from kg.core.errors import DevToolsError, MissingToolError, ServiceUnavailableError  # noqa: E402
from kg.ops import neo4j_server  # noqa: E402

HERE = Path(__file__).resolve().parent
DEFAULT_GRASS = HERE / "newskg.grass"
DEFAULT_OUT = HERE / "seed-graph.png"
DEFAULT_WINDOW = (1600, 1000)
DEFAULT_QUERY = (
    "MATCH (e:Entity {name: 'National Liberation Army'})<-[r:HAS_TARGET|HAS_ACTOR]-"
    "(a:Action)-[r2:HAS_ACTOR|HAS_TARGET]->(o:Entity) RETURN e, r, a, r2, o"
)
EDITOR = "[data-testid=activeEditor] textarea"
# The result frame: the last one in the stream (`:clear` runs first, so it is the only one).
FRAME = "Array.from(document.querySelectorAll('[data-testid=frame]')).pop()"
# Node positions and the zoom transform: unchanged over SETTLE_POLLS polls means settled.
LAYOUT = (
    f"(() => {{ const svg = {FRAME}.querySelector('svg.neod3viz'); if (!svg) return null;"
    " return Array.from(svg.querySelectorAll('g')).map(g => g.getAttribute('transform'))"
    ".join(';'); })()"
)
SETTLE_POLLS = 4
SETTLE_INTERVAL = 0.5
SELECTOR = re.compile(r"([A-Za-z_][\w.-]*)\s*\{")
QUOTED = re.compile(r'"[^"]*"')  # captions such as "Passage {index}" hold braces too


@dataclass(frozen=True)
class Screenshot:
    """What the saved screenshot shows.

    Attributes:
        path: Where the PNG was written.
        nodes: Nodes drawn in the graph visualisation.
        relationships: Relationships drawn (the Browser also draws those between returned
            nodes that the query did not return).
        size_bytes: Size of the PNG file.
    """

    path: Path
    nodes: int
    relationships: int
    size_bytes: int


def style_command(grass: str) -> str:
    """The ``:style`` command that applies a GraSS style sheet, on one line.

    The Browser's editor auto-indents every typed newline, so the sheet is sent with its
    whitespace collapsed; GraSS does not depend on line breaks.
    """
    return ":style " + " ".join(grass.split())


def grass_selectors(grass: str) -> list[str]:
    """The selectors (``node``, ``node.Person``, ``relationship.HAS_ACTOR``...) of a sheet."""
    return SELECTOR.findall(QUOTED.sub('""', grass))


def _run(page: DevTools, command: str) -> None:
    page.type_into(EDITOR, command)
    page.press_enter()


def _log_in(page: DevTools, settings: Settings) -> None:
    # Only ever with the configured password: a refused login is retried by the Browser and
    # locks the user out for a few seconds (dbms.security.auth_max_failed_attempts).
    page.wait_for("!!document.querySelector('[data-testid=connect]')")
    page.type_into("[data-testid=username]", settings.neo4j_user)
    page.type_into("[data-testid=password]", settings.neo4j_password.get_secret_value())
    page.evaluate("document.querySelector('[data-testid=connect]').click()")
    page.wait_for("document.body.innerText.includes('You are connected as user')")


def _apply_style(page: DevTools, grass: str) -> None:
    _run(page, ":clear")
    _run(page, style_command(grass))
    # The Browser keeps the parsed sheet in localStorage; wait until every rule is there.
    wanted = json.dumps(grass_selectors(grass))
    page.wait_for(
        "(() => { const s = JSON.parse(localStorage['neo4j.grass'] || 'null');"
        f" return !!s && {wanted}.every(k => k in s); }})()"
    )


def _wait_until_settled(page: DevTools) -> None:
    """Wait until the layout and the zoom stop moving (the force simulation has cooled)."""
    deadline = time.monotonic() + page.wait_seconds
    previous: str | None = None
    unchanged = 0
    while time.monotonic() < deadline:
        layout = page.evaluate(LAYOUT)
        unchanged = unchanged + 1 if layout and layout == previous else 0
        if unchanged >= SETTLE_POLLS:
            return
        previous = layout
        time.sleep(SETTLE_INTERVAL)
    raise DevToolsError(LAYOUT, "the graph layout never settled")


def _show_graph(page: DevTools, query: str) -> tuple[int, int]:
    _run(page, ":clear")
    _run(page, query)
    outcome = page.wait_for(
        f"(() => {{ const f = {FRAME}; if (!f) return null; const t = f.innerText;"
        " const m = t.match(/Displaying (\\d+) nodes?, (\\d+) relationships?/);"
        " if (m && f.querySelectorAll('svg.neod3viz g.node').length === Number(m[1]))"
        " return [Number(m[1]), Number(m[2])];"
        " if (/no changes, no records|Error/.test(t)) return t.slice(0, 500); return null; })()"
    )
    if isinstance(outcome, str):
        raise DevToolsError(query, f"the query drew no graph (is the seed ingested?):\n{outcome}")
    _wait_until_settled(page)
    # Full screen gives the canvas the whole viewport; zoom to fit then enlarges the graph.
    page.evaluate(f"{FRAME}.querySelector('button[title=Fullscreen]').click()")
    page.evaluate(f"{FRAME}.querySelector('button[aria-label=zoom-to-fit]').click()")
    _wait_until_settled(page)
    return int(outcome[0]), int(outcome[1])


def take_screenshot(
    settings: Settings,
    out: Path,
    *,
    query: str = DEFAULT_QUERY,
    grass_file: Path = DEFAULT_GRASS,
    window: tuple[int, int] = DEFAULT_WINDOW,
) -> Screenshot:
    """Draw a query's graph in Neo4j Browser, styled with a GraSS sheet, and save a PNG.

    Args:
        settings: Where the Neo4j server listens and its credentials.
        out: The PNG to write (its folder must exist).
        query: A Cypher query that returns nodes and relationships.
        grass_file: The GraSS style sheet to apply with ``:style``.
        window: Viewport width and height in CSS pixels (the PNG's size).

    Raises:
        MissingToolError: Chromium is not installed.
        ServiceUnavailableError: The managed Neo4j server does not answer.
        DevToolsError: The Browser did not log in, style or draw the graph in time.
    """
    chromium = find_chromium()
    if chromium is None:
        raise MissingToolError("chromium", "Install it with: apt-get install -y chromium")
    server = neo4j_server.status(settings)
    if not server.answering:
        raise ServiceUnavailableError(
            "Neo4j", f"{server.detail or 'not running'}; start it with: kg neo4j start"
        )
    grass = grass_file.read_text(encoding="utf-8")
    with (
        tempfile.TemporaryDirectory(prefix="newskg-chromium-") as profile,
        DevTools(chromium, Path(profile), window=window) as page,
    ):
        page.open(server.browser_url)
        page.set_viewport(*window)
        _log_in(page, settings)
        _apply_style(page, grass)
        nodes, relationships = _show_graph(page, query)
        page.screenshot(out)
    return Screenshot(out, nodes, relationships, out.stat().st_size)


def main(argv: list[str] | None = None) -> int:
    """Command line: ``python browser/screenshot.py [--out PNG] [--query CYPHER]``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="PNG to write")
    parser.add_argument("--query", default=DEFAULT_QUERY, help="Cypher query to draw")
    parser.add_argument("--grass", type=Path, default=DEFAULT_GRASS, help="GraSS style sheet")
    parser.add_argument("--width", type=int, default=DEFAULT_WINDOW[0])
    parser.add_argument("--height", type=int, default=DEFAULT_WINDOW[1])
    args = parser.parse_args(argv)
    try:
        shot = take_screenshot(
            get_settings(),
            args.out,
            query=args.query,
            grass_file=args.grass,
            window=(args.width, args.height),
        )
    except (MissingToolError, ServiceUnavailableError, DevToolsError) as error:
        print(f"error: {error.message}", file=sys.stderr)
        return 1
    print(
        f"{shot.path}: {shot.nodes} nodes, {shot.relationships} relationships, "
        f"{shot.size_bytes / 1024:.0f} KB"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
