"""The web explorer's static serving (api/web_ui.py), on a bare app and a fake build."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from api.web_ui import NOT_BUILT, mount_web_ui

INDEX = "<!doctype html><title>newskg explorer</title><div id=root></div>"


@pytest.fixture
def dist(tmp_path: Path) -> Path:
    (tmp_path / "assets").mkdir()
    (tmp_path / "index.html").write_text(INDEX)
    (tmp_path / "assets" / "index-abc123.js").write_text("console.log('app')")
    (tmp_path / "robots.txt").write_text("User-agent: *")
    return tmp_path


def client_for(dist: Path) -> TestClient:
    app = FastAPI()

    @app.get("/health")
    def health() -> dict[str, str]:
        return {"status": "ok"}

    mount_web_ui(app, dist)
    return TestClient(app)


def test_root_redirects_to_ui(dist: Path) -> None:
    client = client_for(dist)
    for path in ("/", "/ui"):
        response = client.get(path, follow_redirects=False)
        assert response.status_code == 307
        assert response.headers["location"] == "/ui/"


@pytest.mark.parametrize(
    "path", ["/ui/", "/ui/search?q=actions+against+the+ELN", "/ui/entity/abc", "/ui/article/x/y"]
)
def test_app_routes_fall_back_to_index(dist: Path, path: str) -> None:
    response = client_for(dist).get(path)
    assert response.status_code == 200
    assert response.text == INDEX
    assert response.headers["content-type"].startswith("text/html")
    assert response.headers["cache-control"] == "no-cache"


def test_assets_are_served_with_a_long_cache(dist: Path) -> None:
    response = client_for(dist).get("/ui/assets/index-abc123.js")
    assert response.status_code == 200
    assert response.text == "console.log('app')"
    assert "javascript" in response.headers["content-type"]
    assert "immutable" in response.headers["cache-control"]
    assert client_for(dist).get("/ui/robots.txt").text == "User-agent: *"


def test_missing_asset_is_404_not_index(dist: Path) -> None:
    response = client_for(dist).get("/ui/assets/gone.js")
    assert response.status_code == 404
    assert INDEX not in response.text


def test_no_file_outside_the_build_is_served(dist: Path) -> None:
    (dist.parent / "secret.txt").write_text("secret")
    response = client_for(dist).get("/ui/%2e%2e/secret.txt")
    assert "secret" not in response.text


def test_unbuilt_app_says_how_to_build_it(tmp_path: Path) -> None:
    client = client_for(tmp_path / "missing")
    response = client.get("/ui/search")
    assert response.status_code == 503
    assert response.text == NOT_BUILT
    assert "make web" in response.text
    assert client.get("/health").json() == {"status": "ok"}


def test_api_routes_are_unchanged(dist: Path) -> None:
    assert client_for(dist).get("/health").json() == {"status": "ok"}


@pytest.mark.parametrize(
    "path",
    [
        "/ui/index.html%00.js",  # a NUL byte: Path.resolve raised ValueError, a 500
        "/ui/assets/%00",
        "/ui/" + "x" * 5000,  # a name too long for the file system: OSError, a 500
        "/ui/" + "a/" * 3000,
    ],
)
def test_paths_that_name_no_file_are_not_errors(dist: Path, path: str) -> None:
    response = client_for(dist).get(path)
    assert response.status_code in (200, 404), response.text
    assert "secret" not in response.text
