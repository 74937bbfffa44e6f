"""FastAPI dependencies shared by the REST routers and the GraphQL context.

The API key is read from one header, :data:`API_KEY_HEADER`, and checked by one function,
:func:`api_key_problem` (constant-time comparison), for REST reads and GraphQL alike.
"""

from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import Depends, Security
from fastapi.security import APIKeyHeader
from starlette.requests import HTTPConnection

from kg.core.config import Settings
from kg.core.errors import AuthenticationError, ServiceUnavailableError
from kg.search.engine import HybridSearch
from kg.services import Services

API_KEY_HEADER = "X-API-Key"

# auto_error=False: a missing key is reported by require_read_key as our JSON 401, and
# only when the settings ask for one. The scheme also documents the header in OpenAPI.
_api_key_scheme = APIKeyHeader(
    name=API_KEY_HEADER,
    auto_error=False,
    description="The API key (NEWSKG_API_KEY); needed for reads when reads require a key.",
)


def get_services(request: HTTPConnection) -> Services:
    """The services the app was started with (``app.state.services``).

    Raises:
        ServiceUnavailableError: the app's lifespan has not run (services not built yet).
    """
    services: Services | None = getattr(request.app.state, "services", None)
    if services is None:
        raise ServiceUnavailableError("api", "services are not initialised (lifespan not run)")
    return services


def get_search(request: HTTPConnection) -> HybridSearch:
    """The app's search engine (``app.state.search``, built by the lifespan).

    Raises:
        ServiceUnavailableError: the app's lifespan has not run.
    """
    search: HybridSearch | None = getattr(request.app.state, "search", None)
    if search is None:
        raise ServiceUnavailableError("api", "search is not initialised (lifespan not run)")
    return search


def api_key_problem(
    settings: Settings, given: str | None, local_token: str | None = None
) -> str | None:
    """Why ``given`` is not a valid API key, or None when it is.

    Args:
        settings: Holds the expected key (``api_key``).
        given: The caller's :data:`API_KEY_HEADER` value, if any.
        local_token: This server run's token (``var/server.json``, readable by its user
            only), also accepted: it lets local commands write through the server.

    Returns:
        A message for the caller; a server without a configured key accepts no key but
        its local token.
    """
    if local_token and given and hmac.compare_digest(given.encode(), local_token.encode()):
        return None
    expected = settings.api_key.get_secret_value() if settings.api_key else ""
    if not expected:
        return (
            "the server has no API key configured (set NEWSKG_API_KEY), so operations "
            "that need one are refused"
        )
    if not given:
        return f"this operation needs an API key in the {API_KEY_HEADER} header"
    if not hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8")):
        return f"the {API_KEY_HEADER} header does not hold a valid API key"
    return None


def require_read_key(
    services: Annotated[Services, Depends(get_services)],
    given: Annotated[str | None, Security(_api_key_scheme)],
) -> None:
    """Refuse a read without a valid API key when ``settings.reads_require_key``.

    Raises:
        AuthenticationError: reads require a key and the request has no valid one (401).
    """
    if not services.settings.reads_require_key:
        return
    problem = api_key_problem(services.settings, given)
    if problem is not None:
        raise AuthenticationError(problem)
