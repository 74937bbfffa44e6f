"""The root ``Subscription`` type: live updates over WebSocket (graphql-transport-ws).

Each stored article is published by the ingest pipeline to the app's
:class:`~kg.ingest.live.LiveUpdates`; a subscription turns it into GraphQL objects. Every
message is resolved with fresh DataLoaders: a subscription lives long, and a loader's cache
would otherwise show an event as it was when the connection opened.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator

import strawberry

from api.graphql.action import Action
from api.graphql.article import Article
from api.graphql.context import GraphQLInfo
from api.graphql.fields import described_subscription
from api.graphql.loaders import build_loaders
from kg.core import errors as kg_errors
from kg.core.filters import check_plover_types
from kg.core.limits import check_name
from kg.ingest.live import LiveUpdates


def _live(info: GraphQLInfo) -> LiveUpdates:
    live: LiveUpdates | None = getattr(info.context, "live", None)
    if live is None:
        raise kg_errors.ServiceUnavailableError("api", "live updates are not running")
    return live


def _fresh_loaders(info: GraphQLInfo) -> None:
    services = info.context.services
    info.context.loaders = build_loaders(services.reader, getattr(services, "events", None))


async def _entity_id(info: GraphQLInfo, key: str | None) -> str | None:
    """The entity a key denotes now; an entity the graph does not hold yet may come with
    a later article, so the key is resolved again for each report until it resolves."""
    if key is None:
        return None
    record = await asyncio.to_thread(info.context.services.reader.resolve_entity, key)
    return record.id if record else None


@strawberry.type(description="Live updates, pushed as articles are ingested (WebSocket).")
class Subscription:
    @described_subscription(
        description="Each action of each newly ingested or re-ingested article that matches "
        "the filters, as soon as it is stored; its `event`, `sourceCount` and `reports` show "
        "the event it joined, so a report that updates an event arrives as its new action. "
        "`actor`/`target` take an entity id, name or alias; `types` PLOVER types."
    )
    async def actions(
        self,
        info: GraphQLInfo,
        actor: str | None = None,
        target: str | None = None,
        types: list[str] | None = None,
    ) -> AsyncGenerator[Action, None]:
        settings = info.context.settings
        check_name("actor", actor, settings)
        check_name("target", target, settings)
        wanted = set(check_plover_types(types, "types")) if types else None
        reader = info.context.services.reader
        async with _live(info).subscribe() as reports:
            actor_id, target_id = await _entity_id(info, actor), await _entity_id(info, target)
            async for report in reports:
                if actor and actor_id is None:
                    actor_id = await _entity_id(info, actor)
                if target and target_id is None:
                    target_id = await _entity_id(info, target)
                if (actor and actor_id is None) or (target and target_id is None):
                    continue
                found = await asyncio.to_thread(reader.actions_by_article_ids, [report.article_id])
                records = [
                    r for r in found.get(report.article_id, ()) if not wanted or r.type in wanted
                ]
                if records and (actor or target):
                    people = await asyncio.to_thread(
                        reader.participants_by_action_ids, [r.id for r in records]
                    )
                    records = [
                        r
                        for r in records
                        if (p := people.get(r.id)) is not None
                        and (actor_id is None or actor_id in {e.id for e in p.actors})
                        and (target_id is None or target_id in {e.id for e in p.targets})
                    ]
                for record in records:
                    _fresh_loaders(info)
                    yield Action.from_record(record)

    @described_subscription(description="Each article as soon as it is stored.")
    async def article_ingested(self, info: GraphQLInfo) -> AsyncGenerator[Article, None]:
        reader = info.context.services.reader
        async with _live(info).subscribe() as reports:
            async for report in reports:
                found = await asyncio.to_thread(reader.articles_by_ids, [report.article_id])
                record = found.get(report.article_id)
                if record is not None:
                    _fresh_loaders(info)
                    yield Article.from_record(record)


__all__ = ["Subscription"]
