"""The Neo4j Browser guide (HTML slides with runnable Cypher) and the GraSS style."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from types import SimpleNamespace

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from api.rest import browser_guide
from api.rest.browser_guide import GRASS_PATH, render_guide, slides
from kg.core.config import get_settings

BASE = "http://localhost:8000/"


class GuideParser(HTMLParser):
    """Collects the tag structure and the runnable code blocks; checks tags balance."""

    VOID = frozenset({"br", "img", "hr", "input", "meta", "link"})

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.tags: list[tuple[str, str]] = []
        self.runnable: list[str] = []
        self._in_runnable = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        classes = dict(attrs).get("class") or ""
        self.tags.append((tag, classes))
        if tag not in self.VOID:
            self.stack.append(tag)
        if tag == "pre" and "runnable" in classes.split():
            self._in_runnable = True
            self.runnable.append("")

    def handle_endtag(self, tag: str) -> None:
        assert self.stack and self.stack[-1] == tag, f"unbalanced </{tag}> in {self.stack}"
        self.stack.pop()
        if tag == "pre":
            self._in_runnable = False

    def handle_data(self, data: str) -> None:
        if self._in_runnable:
            self.runnable[-1] += data


@pytest.fixture(scope="module")
def parsed() -> GuideParser:
    parser = GuideParser()
    parser.feed(render_guide(BASE))
    parser.close()
    assert parser.stack == []
    return parser


def test_guide_structure(parsed: GuideParser) -> None:
    assert parsed.tags[0] == ("article", "guide")
    assert parsed.tags[1][0] == "carousel"
    assert sum(1 for tag, _ in parsed.tags if tag == "slide") == len(slides(BASE)) >= 5


def test_runnable_blocks_hold_the_promised_cypher(parsed: GuideParser) -> None:
    code = parsed.runnable
    assert len(code) >= 8
    assert f":style {BASE}browser-style.grass" in code
    assert any("HAS_TARGET" in c and "ELN" in c for c in code)  # actions against the ELN
    assert any("$pair" in c and "ORDER BY day" in c for c in code)  # timeline of two countries
    assert any("EVIDENCED_BY" in c and "HAS_PASSAGE" in c for c in code)  # passages behind
    assert any(c.startswith(":param name") for c in code)  # an entity's neighbourhood
    # Unescaped back: quotes and arrows survive the HTML round trip.
    assert any("'\"ELN\"'" in c for c in code)
    assert any("<-[" in c for c in code)


def test_grass_styles_every_node_kind() -> None:
    text = GRASS_PATH.read_text(encoding="utf-8")
    selectors = set(re.findall(r"^(node\.\w+|node|relationship(?:\.\w+)?)\s*\{", text, re.M))
    for name in (
        "Person",
        "Organization",
        "ArmedGroup",
        "Country",
        "Place",
        "Action",
        "Passage",
        "Article",
    ):
        assert f"node.{name}" in selectors
    assert text.count("{") == text.count("}")
    assert re.search(r'node\.Action\s*\{[^}]*caption:\s*"\{type\} \{date\}"', text)
    assert re.search(r'node\.ArmedGroup\s*\{[^}]*caption:\s*"\{name\}"', text)


@pytest.fixture(scope="module")
def client() -> TestClient:
    app = FastAPI()
    app.state.services = SimpleNamespace(settings=get_settings(neo4j_http_port=7474))
    app.include_router(browser_guide.router)
    return TestClient(app)


def test_guide_route_allows_the_browser_origin(client: TestClient) -> None:
    response = client.get("/browser-guide", headers={"Origin": "http://localhost:7474"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert response.headers["access-control-allow-origin"] == "http://localhost:7474"
    assert '<article class="guide">' in response.text
    assert ":style http://testserver/browser-style.grass" in response.text


def test_other_origins_get_no_cors_grant(client: TestClient) -> None:
    response = client.get("/browser-guide", headers={"Origin": "http://evil.example"})
    assert "access-control-allow-origin" not in response.headers


def test_preflight(client: TestClient) -> None:
    response = client.options(
        "/browser-guide",
        headers={"Origin": "http://localhost:7474", "Access-Control-Request-Method": "GET"},
    )
    assert response.status_code == 204
    assert response.headers["access-control-allow-origin"] == "http://localhost:7474"


def test_style_route(client: TestClient) -> None:
    response = client.get("/browser-style.grass", headers={"Origin": "http://localhost:7474"})
    assert response.status_code == 200
    assert "node.Action" in response.text
    assert response.headers["access-control-allow-origin"] == "http://localhost:7474"
