"""Per-request DataLoaders over the :class:`~kg.core.graph_reader.GraphReader` port.

Each loader turns all the keys asked for in one event-loop tick into one batch query, so
the number of Neo4j round trips of a request grows with the depth of the query, not with
the number of items. Loaders that return whole entities or actions prime the id loaders,
so hydrating them later costs nothing.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import TypeVar

from strawberry.dataloader import DataLoader

from kg.core.event_ports import EventReader
from kg.core.graph_reader import GraphReader
from kg.core.records import (
    ActionRecord,
    ActionRole,
    ArticleRecord,
    EntityRecord,
    EventRecord,
    Page,
    Participants,
    PassageRecord,
    RelatedEntity,
    RoleRecord,
)

K = TypeVar("K")
V = TypeVar("V")

EntityActionsKey = tuple[str, tuple[ActionRole, ...], int, int]
"""(entity id, roles, offset, limit)."""
LimitedKey = tuple[str, int]
"""(id, limit)."""


async def _in_thread(fn: Callable[[], V]) -> V:
    # The graph reader is synchronous; keep the event loop free while Neo4j answers.
    return await asyncio.to_thread(fn)


def _by_id_loader(
    fetch: Callable[[Sequence[str]], dict[str, V]],
) -> DataLoader[str, V | None]:
    async def load(keys: list[str]) -> list[V | None]:
        found = await _in_thread(lambda: fetch(keys))
        return [found.get(k) for k in keys]

    return DataLoader(load_fn=load)


async def _by_limit(
    keys: Sequence[LimitedKey], fetch: Callable[[Sequence[str], int], dict[str, V]]
) -> dict[LimitedKey, V]:
    """Fetch (id, limit) keys with one query per distinct limit."""
    by_limit: dict[int, list[str]] = defaultdict(list)
    for key_id, limit in keys:
        by_limit[limit].append(key_id)
    results: dict[LimitedKey, V] = {}
    for limit, ids in by_limit.items():
        found = await _in_thread(partial(fetch, ids, limit))
        results.update({(i, limit): found[i] for i in ids if i in found})
    return results


@dataclass
class Loaders:
    """All the loaders of one request. Build a fresh one per request (they cache)."""

    entity: DataLoader[str, EntityRecord | None]
    article: DataLoader[str, ArticleRecord | None]
    passage: DataLoader[str, PassageRecord | None]
    action: DataLoader[str, ActionRecord | None]
    participants: DataLoader[str, Participants | None]
    roles: DataLoader[str, tuple[RoleRecord, ...]]
    entity_actions: DataLoader[EntityActionsKey, Page[ActionRecord]]
    mentions: DataLoader[LimitedKey, tuple[PassageRecord, ...]]
    related: DataLoader[LimitedKey, tuple[RelatedEntity, ...]]
    article_passages: DataLoader[str, tuple[PassageRecord, ...]]
    article_entities: DataLoader[str, tuple[EntityRecord, ...]]
    article_actions: DataLoader[str, tuple[ActionRecord, ...]]
    article_duplicate_of: DataLoader[str, str | None]
    event: DataLoader[str, EventRecord | None]
    """The event each action (by id) reports."""

    def prime_entities(self, records: Sequence[EntityRecord]) -> None:
        for record in records:
            self.entity.prime(record.id, record)

    def prime_actions(self, records: Sequence[ActionRecord]) -> None:
        for record in records:
            self.action.prime(record.id, record)

    def prime_passages(self, records: Sequence[PassageRecord]) -> None:
        for record in records:
            self.passage.prime(record.id, record)


def build_loaders(reader: GraphReader, events: EventReader | None = None) -> Loaders:
    """Fresh loaders reading from ``reader`` (and ``events``; without it no action has an
    event). Create them inside the event loop."""
    primed: list[Loaders] = []  # set below; the load functions prime the id loaders

    def prime_entities(records: Sequence[EntityRecord]) -> None:
        primed[0].prime_entities(records)

    async def participants_load(keys: list[str]) -> list[Participants | None]:
        found = await _in_thread(lambda: reader.participants_by_action_ids(keys))
        for p in found.values():
            prime_entities(p.actors + p.targets + p.places + p.attributed_to)
        return [found.get(k) for k in keys]

    async def roles_load(keys: list[str]) -> list[tuple[RoleRecord, ...]]:
        found = await _in_thread(lambda: reader.roles_by_holder_ids(keys))
        prime_entities([r.organization for v in found.values() for r in v if r.organization])
        return [found.get(k, ()) for k in keys]

    async def entity_actions_load(keys: list[EntityActionsKey]) -> list[Page[ActionRecord]]:
        groups: dict[tuple[tuple[ActionRole, ...], int, int], list[str]] = defaultdict(list)
        for entity_id, roles, offset, limit in keys:
            groups[(roles, offset, limit)].append(entity_id)
        results: dict[EntityActionsKey, Page[ActionRecord]] = {}
        for (roles, offset, limit), ids in groups.items():
            found = await _in_thread(
                partial(reader.actions_by_entity_ids, ids, roles, offset, limit)
            )
            for entity_id in ids:
                page = found.get(entity_id) or Page(items=(), total=0, offset=offset)
                primed[0].prime_actions(page.items)
                results[(entity_id, roles, offset, limit)] = page
        return [results[k] for k in keys]

    async def mentions_load(keys: list[LimitedKey]) -> list[tuple[PassageRecord, ...]]:
        found = await _by_limit(keys, reader.mentions_by_entity_ids)
        primed[0].prime_passages([p for v in found.values() for p in v])
        return [found.get(k, ()) for k in keys]

    async def related_load(keys: list[LimitedKey]) -> list[tuple[RelatedEntity, ...]]:
        found = await _by_limit(keys, reader.related_by_entity_ids)
        prime_entities([r.entity for v in found.values() for r in v])
        return [found.get(k, ()) for k in keys]

    def by_article(
        fetch: Callable[[Sequence[str]], dict[str, tuple[V, ...]]],
    ) -> DataLoader[str, tuple[V, ...]]:
        async def load(keys: list[str]) -> list[tuple[V, ...]]:
            found = await _in_thread(lambda: fetch(keys))
            return [found.get(k, ()) for k in keys]

        return DataLoader(load_fn=load)

    loaders = Loaders(
        entity=_by_id_loader(reader.entities_by_ids),
        article=_by_id_loader(reader.articles_by_ids),
        passage=_by_id_loader(reader.passages_by_ids),
        action=_by_id_loader(reader.actions_by_ids),
        participants=DataLoader(load_fn=participants_load),
        roles=DataLoader(load_fn=roles_load),
        entity_actions=DataLoader(load_fn=entity_actions_load),
        mentions=DataLoader(load_fn=mentions_load),
        related=DataLoader(load_fn=related_load),
        article_passages=by_article(reader.passages_by_article_ids),
        article_entities=by_article(reader.entities_by_article_ids),
        article_actions=by_article(reader.actions_by_article_ids),
        article_duplicate_of=_by_id_loader(reader.duplicate_of_by_ids),
        event=_by_id_loader(events.events_by_action_ids if events else lambda _ids: {}),
    )
    primed.append(loaders)
    return loaders
