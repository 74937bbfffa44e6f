"""The per-request GraphQL context: services, the caller's API key, fresh DataLoaders."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

import strawberry
from strawberry.fastapi import BaseContext

from api.dependencies import api_key_problem
from api.graphql.loaders import Loaders, build_loaders
from kg.core.config import Settings
from kg.ingest.live import LiveUpdates
from kg.search.engine import HybridSearch

if TYPE_CHECKING:
    from kg.services import Services


class RequestContext(BaseContext):
    """What every resolver sees as ``info.context``."""

    def __init__(
        self,
        services: Services,
        api_key: str | None,
        search: HybridSearch,
        write_lock: threading.Lock | None = None,
        local_token: str | None = None,
        live: LiveUpdates | None = None,
    ) -> None:
        """Build it inside the event loop (the loaders bind to it).

        Args:
            services: The process's services.
            api_key: The caller's ``X-API-Key`` header, if any.
            search: The app's search engine (built once, by the app's lifespan).
            write_lock: Held by every write of the app (mutations, ingest jobs); a
                private one if None.
            local_token: This server run's local token, accepted as a write key.
            live: What ingest publishes, for subscriptions (None: no subscriptions).
        """
        super().__init__()
        self.services = services
        self.api_key = api_key
        self.loaders: Loaders = build_loaders(services.reader, getattr(services, "events", None))
        self.write_lock = write_lock or threading.Lock()
        self.local_token = local_token
        self.search = search
        self.live = live

    @property
    def settings(self) -> Settings:
        return self.services.settings

    def key_problem(self) -> str | None:
        """Why this request's key is not valid (see :func:`api_key_problem`), or None."""
        return api_key_problem(self.settings, self.api_key, self.local_token)


GraphQLInfo = strawberry.Info[RequestContext, None]
"""The ``info`` argument of every resolver."""
