"""A Neo4j Browser guide for newskg, and the Browser style sheet (GraSS).

Play the guide in Neo4j Browser with ``:play http://localhost:8000/browser-guide`` and load
the style with ``:style http://localhost:8000/browser-style.grass``. The Browser fetches both
cross-origin, so these two routes answer CORS requests from the Browser's own origin
(``http://localhost:<neo4j_http_port>``), and Neo4j must allow the host in
``browser.remote_content_hostname_whitelist``: its default has ``localhost`` only, so
``kg.ops.neo4j_conf.render_conf`` adds ``127.0.0.1``. The Browser reads that setting from the
server a moment after connecting and uses its built-in default until then.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from api.dependencies import get_services
from kg.core.config import PROJECT_ROOT
from kg.core.errors import NotFoundError
from kg.services import Services

router = APIRouter(tags=["neo4j-browser"])

GRASS_PATH = PROJECT_ROOT / "browser" / "newskg.grass"


@dataclass(frozen=True, slots=True)
class Block:
    """A runnable block: clicking it puts ``code`` in the Browser's editor."""

    caption: str
    code: str


@dataclass(frozen=True, slots=True)
class Slide:
    """One slide of the guide."""

    title: str
    lead: str
    blocks: tuple[Block, ...]


def slides(base_url: str) -> tuple[Slide, ...]:
    """The guide's slides; ``base_url`` is where this API is reachable (for the style)."""
    style_url = f"{base_url.rstrip('/')}/browser-style.grass"
    return (
        Slide(
            "newskg",
            "News articles as a knowledge graph: who did what to whom, with the passages "
            "that say so.",
            (
                Block("Load the newskg colours and captions.", f":style {style_url}"),
                Block(
                    "What is in the graph: nodes per label.",
                    "MATCH (n) UNWIND labels(n) AS label\n"
                    "RETURN label, count(*) AS nodes ORDER BY nodes DESC",
                ),
            ),
        ),
        Slide(
            "Actions against the ELN",
            "Actions whose target is the National Liberation Army, with their actors and "
            "evidence passages. Entities are found by name or alias through the "
            "<code>entity_names</code> fulltext index.",
            (
                Block(
                    "Actions targeting the ELN.",
                    "CALL db.index.fulltext.queryNodes('entity_names', '\"ELN\"')\n"
                    "YIELD node AS eln WITH eln LIMIT 1\n"
                    "MATCH (act:Action)-[t:HAS_TARGET]->(eln)\n"
                    "OPTIONAL MATCH (act)-[a:HAS_ACTOR]->(actor:Entity)\n"
                    "OPTIONAL MATCH (act)-[ev:EVIDENCED_BY]->(p:Passage)\n"
                    "RETURN act, t, eln, a, actor, ev, p",
                ),
                Block(
                    "The same as a table.",
                    "CALL db.index.fulltext.queryNodes('entity_names', '\"ELN\"')\n"
                    "YIELD node AS eln WITH eln LIMIT 1\n"
                    "MATCH (act:Action)-[:HAS_TARGET]->(eln)\n"
                    "RETURN act.type AS type, act.date AS date,\n"
                    "       [(act)-[:HAS_ACTOR]->(x) | x.name] AS actors,\n"
                    "       act.evidenceText AS evidence\n"
                    "ORDER BY date",
                ),
            ),
        ),
        Slide(
            "An entity's neighbourhood",
            "Set the entity's name, then show the actions it takes part in and the other "
            "entities involved.",
            (
                Block("Choose an entity.", ":param name => 'Colombia'"),
                Block(
                    "Its actions and counterparts.",
                    "MATCH (e:Entity)\n"
                    "WHERE toLower(e.name) = toLower($name)\n"
                    "   OR any(a IN coalesce(e.aliases, []) WHERE toLower(a) = toLower($name))\n"
                    "WITH e LIMIT 1\n"
                    "MATCH path = (e)<-[:HAS_ACTOR|HAS_TARGET|HAS_PLACE]-(:Action)\n"
                    "             -[:HAS_ACTOR|HAS_TARGET]->(:Entity)\n"
                    "RETURN path LIMIT 75",
                ),
                Block(
                    "Roles its people hold.",
                    "MATCH (e:Entity) WHERE toLower(e.name) = toLower($name) WITH e LIMIT 1\n"
                    "MATCH path = (:Person)-[:HOLDS_ROLE]->(:Role)-[:ROLE_IN]->(e)\n"
                    "RETURN path",
                ),
            ),
        ),
        Slide(
            "Timeline between two countries",
            "Every action with one country as actor and the other as target (either way), "
            "in date order.",
            (
                Block("Choose the countries.", ":param pair => ['Colombia', 'United States']"),
                Block(
                    "The timeline.",
                    "MATCH (x:Entity), (y:Entity)\n"
                    "WHERE any(n IN [x.name] + coalesce(x.aliases, [])\n"
                    "          WHERE toLower(n) = toLower($pair[0]))\n"
                    "  AND any(n IN [y.name] + coalesce(y.aliases, [])\n"
                    "          WHERE toLower(n) = toLower($pair[1]))\n"
                    "MATCH (act:Action)-[r1:HAS_ACTOR|HAS_TARGET]->(x),\n"
                    "      (act)-[r2:HAS_ACTOR|HAS_TARGET]->(y)\n"
                    "WHERE type(r1) <> type(r2)\n"
                    "OPTIONAL MATCH (act)-[:REPORTED_IN]->(art:Article)\n"
                    "RETURN coalesce(act.date, art.published) AS day, act.type AS type,\n"
                    "       [(act)-[:HAS_ACTOR]->(a) | a.name] AS actors,\n"
                    "       [(act)-[:HAS_TARGET]->(t) | t.name] AS targets,\n"
                    "       act.evidenceText AS evidence, art.title AS article\n"
                    "ORDER BY day",
                ),
            ),
        ),
        Slide(
            "The passages behind an action",
            "An action's evidence: the passage, its article, and the entities it mentions.",
            (
                Block(
                    "Evidence of the most confident agreements.",
                    "MATCH (act:Action {type: 'AGREE'})-[ev:EVIDENCED_BY]->(p:Passage)\n"
                    "      <-[hp:HAS_PASSAGE]-(art:Article)\n"
                    "WITH act, ev, p, hp, art ORDER BY act.confidence DESC LIMIT 5\n"
                    "OPTIONAL MATCH (p)-[m:MENTIONS]->(e:Entity)\n"
                    "RETURN act, ev, p, hp, art, m, e",
                ),
                Block(
                    "As text, with offsets into the article body.",
                    "MATCH (act:Action)-[:EVIDENCED_BY]->(p:Passage)<-[:HAS_PASSAGE]-(a:Article)\n"
                    "RETURN act.type AS type, act.trigger AS trigger, act.evidenceText AS span,\n"
                    "       act.evidenceStart AS start, act.evidenceEnd AS end,\n"
                    "       p.text AS passage, a.title AS article\n"
                    "LIMIT 25",
                ),
            ),
        ),
    )


def render_guide(base_url: str) -> str:
    """The guide as Neo4j Browser guide HTML (``<article class="guide">`` with slides)."""
    parts = ['<article class="guide">', '  <carousel class="deck container-fluid">']
    for slide in slides(base_url):
        parts.append('    <slide class="row-fluid">')
        parts.append('      <div class="col-sm-3">')
        parts.append(f"        <h3>{html.escape(slide.title)}</h3>")
        # Leads are trusted literals of this module and may carry inline markup.
        parts.append(f'        <p class="lead">{slide.lead}</p>')
        parts.append("      </div>")
        parts.append('      <div class="col-sm-9">')
        for block in slide.blocks:
            parts.append("        <figure>")
            code = html.escape(block.code)
            parts.append(f'          <pre class="pre-scrollable code runnable">{code}</pre>')
            parts.append(f"          <figcaption>{html.escape(block.caption)}</figcaption>")
            parts.append("        </figure>")
        parts.append("      </div>")
        parts.append("    </slide>")
    parts.append("  </carousel>")
    parts.append("</article>")
    return "\n".join(parts) + "\n"


def browser_origins(services: Services) -> frozenset[str]:
    """Origins Neo4j Browser is served from (its HTTP connector)."""
    port = services.settings.neo4j_http_port
    return frozenset({f"http://localhost:{port}", f"http://127.0.0.1:{port}"})


def _cors_headers(request: Request, services: Services) -> dict[str, str]:
    origin = request.headers.get("origin")
    headers = {"Vary": "Origin"}
    if origin and origin in browser_origins(services):
        headers["Access-Control-Allow-Origin"] = origin
        headers["Access-Control-Allow-Methods"] = "GET, OPTIONS"
        headers["Access-Control-Allow-Headers"] = request.headers.get(
            "access-control-request-headers", "*"
        )
        headers["Access-Control-Max-Age"] = "600"
    return headers


@router.get(
    "/browser-guide",
    response_class=HTMLResponse,
    summary="Neo4j Browser guide",
    description="Play it in Neo4j Browser: `:play http://localhost:8000/browser-guide`.",
)
def browser_guide(
    request: Request, services: Annotated[Services, Depends(get_services)]
) -> HTMLResponse:
    """The guide, with CORS headers for Neo4j Browser's origin."""
    return HTMLResponse(
        render_guide(str(request.base_url)), headers=_cors_headers(request, services)
    )


def read_grass(path: Path = GRASS_PATH) -> str:
    """The GraSS style sheet's text."""
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise NotFoundError("file", str(path)) from exc


@router.get(
    "/browser-style.grass",
    response_class=Response,
    summary="Neo4j Browser style sheet (GraSS)",
    description="Load it in Neo4j Browser: `:style http://localhost:8000/browser-style.grass`.",
    responses={200: {"content": {"text/plain": {}}}},
)
def browser_style(
    request: Request, services: Annotated[Services, Depends(get_services)]
) -> Response:
    """The GraSS file, with CORS headers for Neo4j Browser's origin."""
    return Response(
        read_grass(),
        media_type="text/plain; charset=utf-8",
        headers=_cors_headers(request, services),
    )


@router.options("/browser-guide", include_in_schema=False)
@router.options("/browser-style.grass", include_in_schema=False)
def browser_preflight(
    request: Request, services: Annotated[Services, Depends(get_services)]
) -> Response:
    """CORS preflight for the two Browser resources."""
    return Response(status_code=204, headers=_cors_headers(request, services))
