"""The per-request GraphQL context: services, the caller's API key, fresh DataLoaders."""

from __future__ import annotations

import asyncio
import hmac
from typing import TYPE_CHECKING

import strawberry
from strawberry.fastapi import BaseContext

from api.graphql.loaders import Loaders, build_loaders
from kg.config import Settings
from kg.search import HybridSearch

if TYPE_CHECKING:
    from kg.services import Services

API_KEY_HEADER = "X-API-Key"


class RequestContext(BaseContext):
    """What every resolver sees as ``info.context``."""

    def __init__(
        self,
        services: Services,
        api_key: str | None,
        search: HybridSearch | None = None,
        write_lock: asyncio.Lock | None = None,
    ) -> None:
        """Build it inside the event loop (the loaders bind to it).

        Args:
            services: The process's services.
            api_key: The caller's ``X-API-Key`` header, if any.
            search: The app's search engine (built once); one is made on demand if None.
            write_lock: Serializes mutations across requests; a private one if None.
        """
        super().__init__()
        self.services = services
        self.api_key = api_key
        self.loaders: Loaders = build_loaders(services.graph)
        self.write_lock = write_lock or asyncio.Lock()
        self._search = search

    def searcher(self) -> HybridSearch:
        """The hybrid search engine over this context's services."""
        if self._search is None:
            s = self.services
            self._search = HybridSearch(s.graph, s.vectors, s.embedder, s.settings)
        return self._search

    @property
    def settings(self) -> Settings:
        return self.services.settings

    def key_problem(self) -> str | None:
        """Why this request may not write, or None when its key is valid."""
        expected = self.settings.api_key
        if expected is None or not expected.get_secret_value():
            return (
                "the server has no API key configured (set NEWSKG_API_KEY), so operations "
                "that need one are refused"
            )
        if not self.api_key:
            return f"this operation needs an API key in the {API_KEY_HEADER} header"
        if not hmac.compare_digest(
            self.api_key.encode("utf-8"), expected.get_secret_value().encode("utf-8")
        ):
            return f"the {API_KEY_HEADER} header does not hold a valid API key"
        return None


GraphQLInfo = strawberry.Info[RequestContext, None]
"""The ``info`` argument of every resolver."""
