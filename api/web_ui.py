"""The web explorer (``web/``, a Vite build) served by the API under ``/ui/``.

``/`` redirects to ``/ui/``. Files of the build (``web/dist``) are served as they are:
the hashed bundles under ``/ui/assets/`` with a long cache lifetime, anything else at its
path. Every other ``/ui/...`` path is one of the app's own routes (``/ui/search``,
``/ui/entity/<id>``, ``/ui/article/<id>``) and gets ``index.html``; the app routes on the
client. When the app is not built, ``/ui/`` answers 503 with a message saying how to build
it. The API's own routes are untouched.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import FileResponse, PlainTextResponse, RedirectResponse, Response

WEB_DIST = Path(__file__).resolve().parent.parent / "web" / "dist"
UI_PREFIX = "/ui"
NOT_BUILT = (
    "The web explorer is not built: run `make web` (npm ci and npm run build in web/), "
    "then reload this page. The API itself is up: GraphQL at /graphql."
)
_IMMUTABLE = {"Cache-Control": "public, max-age=31536000, immutable"}
_REVALIDATE = {"Cache-Control": "no-cache"}


def ui_response(dist: Path, path: str) -> Response:
    """The response for ``/ui/<path>``, given the build directory.

    Args:
        dist: The Vite build directory (holding ``index.html`` and ``assets/``).
        path: The part of the URL path after ``/ui/`` (may be empty).

    Returns:
        The file at ``path`` inside ``dist``; a 404 for a missing file under ``assets/``;
        ``index.html`` for any other path (an app route); a 503 with build instructions
        when ``dist`` has no ``index.html``.
    """
    root = dist.resolve()
    index = root / "index.html"
    if not index.is_file():
        return PlainTextResponse(NOT_BUILT, status_code=503)
    if path:
        candidate = _file_in(root, path)
        if candidate is not None:
            hashed = candidate.is_relative_to(root / "assets")
            return FileResponse(candidate, headers=_IMMUTABLE if hashed else _REVALIDATE)
        if path.startswith("assets/"):
            return PlainTextResponse(f"No such asset: /ui/{path}", status_code=404)
    return FileResponse(index, media_type="text/html", headers=_REVALIDATE)


def _file_in(root: Path, path: str) -> Path | None:
    """The file at ``path`` inside ``root``, or None (outside it, missing, or no file name
    at all: a NUL byte or a name too long for the file system is a missing file, not an
    error)."""
    try:
        candidate = (root / path).resolve()
        return candidate if candidate.is_relative_to(root) and candidate.is_file() else None
    except (OSError, ValueError):
        return None


def mount_web_ui(app: FastAPI, dist: Path | None = None) -> None:
    """Serve the web explorer under ``/ui/`` and redirect ``/`` to it.

    Args:
        app: The API app; only ``/``, ``/ui`` and ``/ui/...`` routes are added.
        dist: The Vite build directory; defaults to ``web/dist`` in the source tree. It is
            looked at on every request, so building the app needs no restart.
    """
    build = dist or WEB_DIST

    @app.api_route("/", methods=["GET", "HEAD"], include_in_schema=False)
    def home() -> RedirectResponse:
        return RedirectResponse(f"{UI_PREFIX}/", status_code=307)

    @app.api_route(UI_PREFIX, methods=["GET", "HEAD"], include_in_schema=False)
    def ui_root() -> RedirectResponse:
        return RedirectResponse(f"{UI_PREFIX}/", status_code=307)

    @app.api_route(f"{UI_PREFIX}/{{path:path}}", methods=["GET", "HEAD"], include_in_schema=False)
    def ui(path: str) -> Response:
        return ui_response(build, path)
