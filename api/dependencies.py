"""FastAPI dependencies shared by the REST routers and the GraphQL context."""

from __future__ import annotations

from typing import TYPE_CHECKING

from fastapi import Request

from kg.errors import ServiceUnavailableError

if TYPE_CHECKING:
    from kg.services import Services


def get_services(request: Request) -> Services:
    """The services the app was started with (``app.state.services``).

    Raises:
        ServiceUnavailableError: the app's lifespan has not run (services not built yet).
    """
    services: Services | None = getattr(request.app.state, "services", None)
    if services is None:
        raise ServiceUnavailableError("api", "services are not initialised (lifespan not run)")
    return services
