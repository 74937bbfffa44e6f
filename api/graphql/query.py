"""The root ``Query`` type. Reads delegate to the GraphReader port and :mod:`kg.search.engine`."""

import asyncio
import datetime
import enum
import functools
from typing import Annotated, Any

import strawberry

from api.graphql.action import Action, ActionConnection
from api.graphql.article import Article, ArticleConnection
from api.graphql.connection import connection_parts, page_window
from api.graphql.context import GraphQLInfo
from api.graphql.entity import Entity, EntityConnection
from api.graphql.error_types import InvalidFilterError, NotFoundError, invalid_argument
from api.graphql.fields import described_field
from api.graphql.passage import Passage
from api.graphql.search_result import (
    SearchFilterInput,
    SearchOrder,
    SearchResult,
    search_result,
)
from api.graphql.traversal import Neighbor, Neighborhood, PathType
from kg.core import errors as kg_errors
from kg.core.filters import (
    MAX_NEIGHBOR_DEPTH,
    MAX_PATH_LENGTH,
    SearchFilter,
    check_cameo_code,
    check_date_range,
    check_plover_types,
)
from kg.core.limits import check_id, check_name, check_query
from kg.core.models import ENTITY_TYPES
from kg.search.request import MAX_LIMIT, SearchRequest

EntityResult = Annotated[
    Entity | NotFoundError | InvalidFilterError, strawberry.union("EntityResult")
]
ArticleResult = Annotated[Article | NotFoundError, strawberry.union("ArticleResult")]
PassageResult = Annotated[Passage | NotFoundError, strawberry.union("PassageResult")]
NeighborsResult = Annotated[
    Neighborhood | NotFoundError | InvalidFilterError, strawberry.union("NeighborsResult")
]
PathResult = Annotated[
    PathType | NotFoundError | InvalidFilterError, strawberry.union("PathResult")
]


async def _resolve_ids(info: GraphQLInfo, key: str | None) -> tuple[str, ...] | None:
    if key is None:
        return None
    reader = info.context.services.reader
    record = await asyncio.to_thread(reader.resolve_entity, key)
    return (record.id,) if record else ()


@strawberry.enum(description="How `actions` are ordered.")
class ActionOrder(enum.Enum):
    NEWEST = "newest"
    """Newest first (undated last): every report of every event."""
    SOURCE_COUNT = "source_count"
    """One action per event, the events reported by the most distinct sources first."""


@strawberry.type(description="Read the news knowledge graph.")
class Query:
    @described_field(
        description="Hybrid search (vector + fulltext + graph, fused by reciprocal rank). "
        f"Every hit says why it was returned. `limit` is 1..{MAX_LIMIT}. Near-duplicate "
        "copies (`Article.duplicateOf`) are left out unless `includeDuplicates`. `orderBy: "
        "SOURCE_COUNT` lists one action per event, the most reported first; without "
        '`orderBy` the query decides ("most reported ...", "... by number of sources").'
    )
    async def search(
        self,
        info: GraphQLInfo,
        query: str,
        limit: int = 10,
        filter: SearchFilterInput | None = None,
        include_duplicates: bool = False,
        order_by: SearchOrder | None = None,
    ) -> SearchResult:
        # SearchRequest checks the query, limit and filter (InvalidQueryError, which reaches
        # the client as INVALID_FILTER with its field).
        flt = filter.to_filter() if filter else SearchFilter()
        request = SearchRequest(
            query,
            limit,
            flt,
            info.context.settings,
            include_duplicates=include_duplicates,
            order_by=order_by.value if order_by is not None else None,
        )
        view = await asyncio.to_thread(info.context.search.view, request)
        return search_result(view, info.context.loaders)

    @described_field(
        description="One entity, by id or by name. A name matches names and aliases "
        "case-insensitively first ('ELN' finds the National Liberation Army), then fulltext."
    )
    async def entity(
        self, info: GraphQLInfo, id: strawberry.ID | None = None, name: str | None = None
    ) -> EntityResult:
        if (id is None) == (name is None):
            return InvalidFilterError.of("id", "give exactly one of id and name")
        check_id("id", id, info.context.settings)
        check_name("name", name, info.context.settings)
        if id is not None:
            record = await info.context.loaders.entity.load(str(id))
        else:
            assert name is not None
            reader = info.context.services.reader
            record = await asyncio.to_thread(reader.resolve_entity, name)
        if record is None:
            return NotFoundError.from_error(kg_errors.NotFoundError("Entity", str(id or name)))
        return Entity.from_record(record)

    @described_field(description="Entities by name, or by fulltext relevance to `search`.")
    async def entities(
        self,
        info: GraphQLInfo,
        search: str | None = None,
        type: str | None = None,
        first: int = 10,
        after: str | None = None,
    ) -> EntityConnection:
        if type is not None and type not in ENTITY_TYPES:
            raise invalid_argument("type", f"unknown entity type; use {', '.join(ENTITY_TYPES)}")
        check_query("search", search, info.context.settings)
        offset, limit = page_window(first, after)
        reader = info.context.services.reader
        page = await asyncio.to_thread(reader.entities_page, search, type, offset, limit)
        info.context.loaders.prime_entities(page.items)
        edges, page_info = connection_parts(page, Entity.from_record)
        return EntityConnection(edges=edges, page_info=page_info, total_count=page.total)

    @described_field(
        description=(
            "Actions, newest first. `actor`/`target` take an entity id, name or alias; "
            "`actorCode`/`targetCode` a CAMEO actor code prefix (`COL`, `COLREB`), "
            "`actorSector` a CAMEO sector (`GOV`, `MIL`, `REB`). `orderBy: SOURCE_COUNT` lists "
            "one action per event, the most reported (by distinct sources) first."
        )
    )
    async def actions(
        self,
        info: GraphQLInfo,
        actor: str | None = None,
        target: str | None = None,
        type: str | None = None,
        from_: Annotated[datetime.date | None, strawberry.argument(name="from")] = None,
        to: datetime.date | None = None,
        first: int = 10,
        after: str | None = None,
        actor_code: str | None = None,
        target_code: str | None = None,
        actor_sector: str | None = None,
        order_by: ActionOrder = ActionOrder.NEWEST,
    ) -> ActionConnection:
        check_name("actor", actor, info.context.settings)
        # Passed only when asked for, so readers without events keep their signature.
        by_sources: dict[str, Any] = (
            {"by_sources": True} if order_by is ActionOrder.SOURCE_COUNT else {}
        )
        check_name("target", target, info.context.settings)
        read_page = functools.partial(
            info.context.services.reader.actions_page,
            actor_code=check_cameo_code(actor_code, "actorCode"),
            target_code=check_cameo_code(target_code, "targetCode"),
            actor_sector=check_cameo_code(actor_sector, "actorSector"),
            **by_sources,
        )
        types = check_plover_types([type], "type") if type else None
        check_date_range(from_, to)
        offset, limit = page_window(first, after)
        actor_ids, target_ids = await asyncio.gather(
            _resolve_ids(info, actor), _resolve_ids(info, target)
        )
        page = await asyncio.to_thread(
            read_page, actor_ids, target_ids, types, from_, to, offset, limit
        )
        info.context.loaders.prime_actions(page.items)
        edges, page_info = connection_parts(page, Action.from_record)
        return ActionConnection(edges=edges, page_info=page_info, total_count=page.total)

    @described_field(description="One article by id.")
    async def article(self, info: GraphQLInfo, id: strawberry.ID) -> ArticleResult:
        check_id("id", id, info.context.settings)
        record = await info.context.loaders.article.load(str(id))
        if record is None:
            return NotFoundError.from_error(kg_errors.NotFoundError("Article", str(id)))
        return Article.from_record(record)

    @described_field(description="Articles published in a date range, newest first.")
    async def articles(
        self,
        info: GraphQLInfo,
        first: int = 10,
        after: str | None = None,
        from_: Annotated[datetime.date | None, strawberry.argument(name="from")] = None,
        to: datetime.date | None = None,
    ) -> ArticleConnection:
        check_date_range(from_, to)
        offset, limit = page_window(first, after)
        reader = info.context.services.reader
        page = await asyncio.to_thread(reader.articles_page, from_, to, offset, limit)
        edges, page_info = connection_parts(page, Article.from_record)
        return ArticleConnection(edges=edges, page_info=page_info, total_count=page.total)

    @described_field(description="One passage by id.")
    async def passage(self, info: GraphQLInfo, id: strawberry.ID) -> PassageResult:
        check_id("id", id, info.context.settings)
        record = await info.context.loaders.passage.load(str(id))
        if record is None:
            return NotFoundError.from_error(kg_errors.NotFoundError("Passage", str(id)))
        return Passage.from_record(record)

    @described_field(
        description=f"Entities linked through shared actions or roles, within `depth` links "
        f"(1..{MAX_NEIGHBOR_DEPTH})."
    )
    async def neighbors(
        self, info: GraphQLInfo, entity_id: strawberry.ID, depth: int = 1, first: int = 50
    ) -> NeighborsResult:
        check_id("entityId", entity_id, info.context.settings)
        if not 1 <= first <= 500:
            return InvalidFilterError.of("first", "must be between 1 and 500")
        reader = info.context.services.reader
        try:
            found = await asyncio.to_thread(reader.neighbors, str(entity_id), depth, first)
        except kg_errors.InvalidQueryError as exc:
            return InvalidFilterError.from_error(exc)
        except kg_errors.NotFoundError as exc:
            return NotFoundError.from_error(exc)
        origin = await info.context.loaders.entity.load(str(entity_id))
        if origin is None:
            return NotFoundError.from_error(kg_errors.NotFoundError("Entity", str(entity_id)))
        info.context.loaders.prime_entities([n.entity for n in found])
        return Neighborhood(
            entity=Entity.from_record(origin),
            depth=depth,
            neighbors=[
                Neighbor(entity=Entity.from_record(n.entity), distance=n.distance, links=n.links)
                for n in found
            ],
        )

    @described_field(
        description=f"A shortest path between two entities over action and role links, at "
        f"most `maxLength` entity-to-entity links (1..{MAX_PATH_LENGTH}); null when "
        f"there is none that short."
    )
    async def path(
        self,
        info: GraphQLInfo,
        from_id: strawberry.ID,
        to_id: strawberry.ID,
        max_length: int = MAX_PATH_LENGTH,
    ) -> PathResult | None:
        check_id("fromId", from_id, info.context.settings)
        check_id("toId", to_id, info.context.settings)
        reader = info.context.services.reader
        try:
            found = await asyncio.to_thread(
                reader.shortest_path, str(from_id), str(to_id), max_length
            )
        except kg_errors.InvalidQueryError as exc:
            return InvalidFilterError.from_error(exc)
        except kg_errors.NotFoundError as exc:
            return NotFoundError.from_error(exc)
        return PathType.from_path(found) if found else None
