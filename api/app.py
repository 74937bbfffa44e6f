"""The FastAPI application: GraphQL at ``/graphql`` (with GraphiQL) plus the REST routers.

Nothing happens at import. :func:`create_app` builds the app; its lifespan builds and
bootstraps the services (unless given some) and closes them on shutdown.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from strawberry.fastapi import GraphQLRouter

from api.dependencies import API_KEY_HEADER, get_search, get_services
from api.graphql.context import RequestContext
from api.graphql.schema import build_schema
from api.metrics import install_metrics
from api.rest import browser_guide, health, metrics, rdf, search
from api.rest.errors import install_error_handlers
from kg.core.config import Settings, get_settings
from kg.search.engine import HybridSearch
from kg.services import Services, bootstrap, build_services, close

REST_ROUTERS = (search.router, health.router, metrics.router, rdf.router, browser_guide.router)


def create_app(settings: Settings | None = None, services: Services | None = None) -> FastAPI:
    """Build the API app.

    Args:
        settings: Defaults to ``services.settings`` or :func:`kg.core.config.get_settings`.
        services: Use these (the caller owns and closes them); when None the lifespan
            builds, bootstraps and closes its own.

    Returns:
        The app, with ``app.state.services``, ``app.state.search`` (the one
        :class:`HybridSearch` every request uses) and ``app.state.write_lock`` set while it
        runs, whether the services are given or built.
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
            app.state.search = None
            if owned:
                await asyncio.to_thread(close, running)

    app = FastAPI(
        title="newskg",
        description="News knowledge graph and semantic search. GraphQL at /graphql.",
        version="0.1.0",
        lifespan=lifespan,
    )

    async def graphql_context(request: Request) -> RequestContext:
        return RequestContext(
            services=get_services(request),
            api_key=request.headers.get(API_KEY_HEADER),
            search=get_search(request),
            write_lock=request.app.state.write_lock,
        )

    schema = build_schema(settings.max_query_depth, settings.max_query_cost)
    graphql: GraphQLRouter[RequestContext, None] = GraphQLRouter(
        schema, graphql_ide="graphiql", context_getter=graphql_context
    )
    app.include_router(graphql, prefix="/graphql")

    install_error_handlers(app)
    install_metrics(app)
    for router in REST_ROUTERS:
        app.include_router(router)
    return app
