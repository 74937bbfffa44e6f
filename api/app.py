"""The FastAPI application: GraphQL at ``/graphql`` (with GraphiQL) plus the REST routers.

Nothing happens at import. :func:`create_app` builds the app; its lifespan builds and
bootstraps the services (unless given some) and closes them on shutdown.
"""

from __future__ import annotations

import asyncio
import importlib
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from types import ModuleType

from fastapi import FastAPI, Request
from strawberry.fastapi import GraphQLRouter

from api.graphql.context import API_KEY_HEADER, RequestContext
from api.graphql.schema import build_schema
from kg.config import Settings, get_settings
from kg.search import HybridSearch
from kg.services import Services, bootstrap, build_services, close

log = logging.getLogger(__name__)

REST_ROUTER_MODULES = (
    "api.rest.search",
    "api.rest.health",
    "api.rest.metrics",
    "api.rest.rdf",
    "api.rest.browser_guide",
)


def _optional_module(name: str) -> ModuleType | None:
    """The module, or None when it does not exist; a module that fails to import raises."""
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as exc:
        if exc.name != name:
            raise
        log.warning("optional API module %s is not available", name)
        return None


def create_app(settings: Settings | None = None, services: Services | None = None) -> FastAPI:
    """Build the API app.

    Args:
        settings: Defaults to ``services.settings`` or :func:`kg.config.get_settings`.
        services: Use these (the caller owns and closes them); when None the lifespan
            builds, bootstraps and closes its own.

    Returns:
        The app, with ``app.state.services`` set while it runs.
    """
    settings = settings or (services.settings if services else get_settings())

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        owned = services is None
        running = services or build_services(settings)
        if owned:
            await asyncio.to_thread(bootstrap, running)
        app.state.services = running
        app.state.search = HybridSearch(
            running.graph, running.vectors, running.embedder, running.settings
        )
        app.state.write_lock = asyncio.Lock()
        try:
            yield
        finally:
            app.state.services = None
            if owned:
                await asyncio.to_thread(close, running)

    app = FastAPI(
        title="newskg",
        description="News knowledge graph and semantic search. GraphQL at /graphql.",
        version="0.1.0",
        lifespan=lifespan,
    )

    async def graphql_context(request: Request) -> RequestContext:
        state = request.app.state
        running: Services | None = getattr(state, "services", None)
        if running is None:
            raise RuntimeError("the app's services are not initialised (lifespan not run)")
        return RequestContext(
            services=running,
            api_key=request.headers.get(API_KEY_HEADER),
            search=getattr(state, "search", None),
            write_lock=getattr(state, "write_lock", None),
        )

    schema = build_schema(settings.max_query_depth, settings.max_query_cost)
    graphql: GraphQLRouter[RequestContext, None] = GraphQLRouter(
        schema, graphql_ide="graphiql", context_getter=graphql_context
    )
    app.include_router(graphql, prefix="/graphql")

    errors = _optional_module("api.rest.errors")
    if errors is not None and hasattr(errors, "install_error_handlers"):
        errors.install_error_handlers(app)
    for name in REST_ROUTER_MODULES:
        module = _optional_module(name)
        if module is None:
            continue
        install = getattr(module, "install_metrics", None)
        if callable(install):
            install(app)
        app.include_router(module.router)
    return app
