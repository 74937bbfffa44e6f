"""``kg check`` through the running server: ``GET /admin/check``, ``POST /admin/check/repair``.

The embedded Qdrant shard belongs to ``kg serve`` while it runs, so ``kg check`` asks the
server to compare (and mend) the stores instead of opening them; the server does it under
its write lock, so no ingest runs between the two stores meanwhile.
"""

from __future__ import annotations

from typing import Any

import httpx

from kg.core.errors import AuthenticationError, ServiceUnavailableError
from kg.core.records import CheckScope
from kg.ingest.consistency import CheckReport
from kg.ingest.server_client import API_KEY_HEADER

CHECK_PATH = "/admin/check"
REPAIR_PATH = "/admin/check/repair"


def scope_params(scope: CheckScope) -> dict[str, Any]:
    """The query parameters that carry a scope."""
    params: dict[str, Any] = {}
    if scope.article_ids:
        params["article_id"] = list(scope.article_ids)
    if scope.url_prefix is not None:
        params["url_prefix"] = scope.url_prefix
    return params


class ServerCheck:
    """A client of one running server's consistency check.

    Args:
        url: The server's base URL.
        token: Its local token (or the API key).
        timeout: Seconds to wait for the answer (a check reads both stores whole).
    """

    def __init__(self, url: str, token: str, timeout: float = 3600) -> None:
        self._url = url
        self._token = token
        self._timeout = timeout

    def run(self, scope: CheckScope, repair: bool = False) -> CheckReport:
        """Ask the server to check (and, with ``repair``, to mend) the stores.

        Raises:
            ServiceUnavailableError: the server cannot be reached or failed.
            AuthenticationError: the server refused the token.
        """
        method, path = ("POST", REPAIR_PATH) if repair else ("GET", CHECK_PATH)
        try:
            with httpx.Client(
                base_url=self._url, headers={API_KEY_HEADER: self._token}, timeout=self._timeout
            ) as http:
                response = http.request(method, path, params=scope_params(scope))
        except httpx.HTTPError as exc:
            raise ServiceUnavailableError("newskg server", f"{self._url}: {exc}") from exc
        if response.status_code == 401:
            raise AuthenticationError(f"the server at {self._url} refused the local token")
        if response.status_code >= 400:
            raise ServiceUnavailableError(
                "newskg server",
                f"{method} {path} answered {response.status_code}: {response.text[:200]}",
            )
        return CheckReport.from_dict(response.json())
