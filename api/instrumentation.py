"""Prometheus metrics: request latency by route, and what was ingested.

Shared by the REST routers and the GraphQL mutations; ``GET /metrics`` is served by
:mod:`api.rest.metrics`. Each app gets its own
:class:`~prometheus_client.CollectorRegistry` (kept on ``app.state.metrics``), so several
apps in one process (tests) do not share counters.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any, Protocol

from fastapi import FastAPI
from prometheus_client import CollectorRegistry, Counter, Histogram
from starlette.types import ASGIApp, Message, Receive, Scope, Send

_UNMATCHED = "<unmatched>"


@dataclass(frozen=True)
class ApiMetrics:
    """The metrics of one app, in their own registry."""

    registry: CollectorRegistry
    request_seconds: Histogram
    articles: Counter
    passages: Counter
    actions: Counter
    failures: Counter


class _ArticleCounts(Protocol):
    passages: int
    actions: int


def _new_metrics() -> ApiMetrics:
    registry = CollectorRegistry(auto_describe=True)
    return ApiMetrics(
        registry=registry,
        request_seconds=Histogram(
            "newskg_http_request_duration_seconds",
            "HTTP request latency, by route template, method and status code.",
            ("route", "method", "status"),
            registry=registry,
        ),
        articles=Counter("newskg_ingested_articles", "Articles ingested.", registry=registry),
        passages=Counter("newskg_ingested_passages", "Passages ingested.", registry=registry),
        actions=Counter("newskg_ingested_actions", "Actions ingested.", registry=registry),
        failures=Counter(
            "newskg_ingest_failures", "Articles rejected during ingest.", registry=registry
        ),
    )


class _LatencyMiddleware:
    """Pure ASGI middleware: times each HTTP request and labels it by its route template."""

    def __init__(self, app: ASGIApp, metrics: ApiMetrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        status = 500
        started = time.perf_counter()

        async def send_wrapper(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, send_wrapper)
        finally:
            route = scope.get("route")
            # The template ("/search"), never the raw path: bounded label cardinality.
            template = getattr(route, "path", None) or _UNMATCHED
            self.metrics.request_seconds.labels(
                template, scope.get("method", "?"), str(status)
            ).observe(time.perf_counter() - started)


def install_metrics(app: FastAPI) -> ApiMetrics:
    """Give ``app`` its own registry, the latency middleware and ``app.state.metrics``.

    Returns:
        The app's metrics (also reachable as ``app.state.metrics``).
    """
    metrics = _new_metrics()
    app.state.metrics = metrics
    app.add_middleware(_LatencyMiddleware, metrics=metrics)
    return metrics


def metrics_of(app: Any) -> ApiMetrics | None:
    """The metrics :func:`install_metrics` attached to an app (or a request's app), if any."""
    target = getattr(app, "app", app)  # a Request carries its app
    state = getattr(target, "state", None)
    metrics = getattr(state, "metrics", None)
    return metrics if isinstance(metrics, ApiMetrics) else None


def record_ingest(app: Any, report: Any) -> None:
    """Count what an ingest stored, in the metrics of ``app``.

    Args:
        app: The FastAPI app, or a Starlette ``Request`` (its app is used). Without
            installed metrics this does nothing.
        report: A :class:`kg.ingest.pipeline.ArticleReport` (one article) or an
            :class:`kg.ingest.pipeline.IngestReport` (``articles`` and ``failures``).
    """
    metrics = metrics_of(app)
    if metrics is None:
        return
    articles: list[_ArticleCounts]
    if hasattr(report, "articles"):
        articles = list(report.articles)
        metrics.failures.inc(len(getattr(report, "failures", ())))
    else:
        articles = [report]
    for article in articles:
        metrics.articles.inc()
        metrics.passages.inc(int(article.passages))
        metrics.actions.inc(int(article.actions))
