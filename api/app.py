"""The FastAPI application: GraphQL at ``/graphql`` (with GraphiQL) plus the REST routers.

Nothing happens at import. :func:`create_app` builds the app; its lifespan builds and
bootstraps the services (unless given some) and closes them on shutdown.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager

import anyio.to_thread
from fastapi import FastAPI
from starlette.requests import HTTPConnection

from api.auth_throttle import KeyThrottleMiddleware
from api.body_limit import BodyLimitMiddleware
from api.dependencies import API_KEY_HEADER, get_search, get_services
from api.graphql.context import RequestContext
from api.graphql.router import NewsKGGraphQLRouter
from api.graphql.schema import build_schema
from api.head_requests import HeadAsGetMiddleware
from api.instrumentation import install_metrics
from api.rest import admin, browser_guide, health, ingest, metrics, rdf, search
from api.rest.error_handlers import install_error_handlers
from api.web_ui import mount_web_ui
from kg.core.config import Settings, get_settings
from kg.core.models import Article
from kg.ingest.jobs import ArticleOutcome, IngestJobs
from kg.ingest.live import LiveUpdates
from kg.ingest.prepared import IngestFailure
from kg.services import Services, bootstrap, build_services, close

REST_ROUTERS = (
    search.router,
    ingest.router,
    health.router,
    metrics.router,
    rdf.router,
    browser_guide.router,
    admin.router,
)


def create_app(
    settings: Settings | None = None,
    services: Services | None = None,
    local_token: str | None = None,
) -> FastAPI:
    """Build the API app.

    Args:
        settings: Defaults to ``services.settings`` or :func:`kg.core.config.get_settings`.
        services: Use these (the caller owns and closes them); when None the lifespan
            builds, bootstraps and closes its own.
        local_token: A token this server run also accepts as a write key, handed to local
            commands through ``var/server.json`` (see ``kg serve``).

    Returns:
        The app, with ``app.state.services``, ``app.state.search`` (the one
        :class:`HybridSearch` every request uses), ``app.state.write_lock`` (every write
        holds it) and ``app.state.ingest_jobs`` set while it runs, whether the services
        are given or built.
    """
    settings = settings or (services.settings if services else get_settings())

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        owned = services is None
        _size_thread_pools(settings.api_threads)
        running = services or build_services(settings)
        if owned:
            await asyncio.to_thread(bootstrap, running)
        app.state.services = running
        app.state.search = running.search
        lock = app.state.write_lock = threading.Lock()
        jobs = app.state.ingest_jobs = IngestJobs(lambda batch: _ingest(running, lock, batch))
        # Every article the pipeline stores (mutations, ingest jobs) goes to subscriptions.
        live = app.state.live = LiveUpdates()
        pipeline = getattr(running, "pipeline", None)  # offline test services have none
        if pipeline is not None:
            pipeline.after_write.add_listener(live.publish)
        try:
            yield
        finally:
            if pipeline is not None:
                pipeline.after_write.remove_listener(live.publish)
            live.close()
            jobs.shutdown()
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
    app.state.local_token = local_token

    # HTTPConnection: the same context for HTTP requests and WebSocket subscriptions.
    async def graphql_context(request: HTTPConnection) -> RequestContext:
        return RequestContext(
            services=get_services(request),
            api_key=request.headers.get(API_KEY_HEADER),
            search=get_search(request),
            write_lock=request.app.state.write_lock,
            local_token=request.app.state.local_token,
            live=getattr(request.app.state, "live", None),
        )

    schema = build_schema(settings.max_query_depth, settings.max_query_cost)
    graphql = NewsKGGraphQLRouter(schema, graphql_ide="graphiql", context_getter=graphql_context)
    app.include_router(graphql, prefix="/graphql")

    install_error_handlers(app)
    app.add_middleware(BodyLimitMiddleware, max_bytes=settings.max_body_bytes)
    app.add_middleware(KeyThrottleMiddleware, settings=settings)
    app.add_middleware(HeadAsGetMiddleware)
    install_metrics(app)
    for router in REST_ROUTERS:
        app.include_router(router)
    mount_web_ui(app)
    return app


def _size_thread_pools(threads: int) -> None:
    """Give blocking store calls enough threads for the concurrent requests.

    GraphQL resolvers call the stores through ``asyncio.to_thread`` (the loop's default
    executor, ``cpu_count + 4`` threads: 6 here) and sync REST routes through anyio's
    limiter (40). With too few threads, requests queue behind calls waiting on a store
    that is down, and time out although each call fails fast.
    """
    loop = asyncio.get_running_loop()
    loop.set_default_executor(ThreadPoolExecutor(threads, thread_name_prefix="newskg-io"))
    anyio.to_thread.current_default_thread_limiter().total_tokens = threads


def _ingest(
    services: Services, lock: threading.Lock, batch: Sequence[Article]
) -> Iterator[ArticleOutcome]:
    """Ingest a batch under the app's write lock; one outcome per article, as each
    sub-batch is stored (the lock is held until the whole batch is done)."""
    with lock:
        for result in services.pipeline.ingest_iter(batch):
            if isinstance(result, IngestFailure):
                yield ArticleOutcome(origin=result.origin, error=result.error)
            else:
                yield ArticleOutcome(
                    origin=result.title,
                    article_id=result.article_id,
                    created=result.created,
                    passages=result.passages,
                    actions=result.actions,
                )
