"""The ``Entity`` type: a person, organization, country or place, with its links."""

import enum
from typing import TYPE_CHECKING, Annotated, Self

import strawberry

from api.graphql.connection import Connection, connection_parts, page_window
from api.graphql.context import GraphQLInfo
from api.graphql.fields import described_field
from kg.core.records import ActionRole, EntityRecord

if TYPE_CHECKING:
    from api.graphql.action import ActionConnection
    from api.graphql.passage import Passage
    from api.graphql.role import Role

DEFAULT_LIST_SIZE = 10
MAX_LIST_SIZE = 100


@strawberry.enum(description="The part an entity plays in an action.")
class ActionRoleFilter(enum.Enum):
    ACTOR = "actor"
    TARGET = "target"


def _bounded(first: int, field: str = "first") -> int:
    from api.graphql.error_types import invalid_argument

    if not 0 <= first <= MAX_LIST_SIZE:
        raise invalid_argument(field, f"must be between 0 and {MAX_LIST_SIZE}")
    return first


@strawberry.type(description="A resolved named entity. Ids are stable across re-ingests.")
class Entity:
    id: strawberry.ID
    iri: str
    name: str
    type: str = strawberry.field(description="Most specific class, e.g. ArmedGroup.")
    aliases: list[str]
    wikidata: str | None

    @classmethod
    def from_record(cls, record: EntityRecord) -> Self:
        return cls(
            id=strawberry.ID(record.id),
            iri=record.iri,
            name=record.name,
            type=record.type,
            aliases=list(record.aliases),
            wikidata=record.wikidata,
        )

    @described_field(description="Positions this entity holds (titles in organizations).")
    async def roles(
        self, info: GraphQLInfo
    ) -> list[Annotated["Role", strawberry.lazy("api.graphql.role")]]:
        from api.graphql.role import Role

        records = await info.context.loaders.roles.load(self.id)
        return [Role.from_record(r) for r in records]

    @described_field(description="Actions this entity takes part in, newest first.")
    async def actions(
        self,
        info: GraphQLInfo,
        role: ActionRoleFilter | None = None,
        first: int = DEFAULT_LIST_SIZE,
        after: str | None = None,
    ) -> Annotated["ActionConnection", strawberry.lazy("api.graphql.action")]:
        from api.graphql.action import Action, ActionConnection

        offset, limit = page_window(first, after)
        roles: tuple[ActionRole, ...] = (role.value,) if role else ("actor", "target")
        page = await info.context.loaders.entity_actions.load((self.id, roles, offset, limit))
        edges, page_info = connection_parts(page, Action.from_record)
        return ActionConnection(edges=edges, page_info=page_info, total_count=page.total)

    @described_field(description="Passages that mention this entity, newest article first.")
    async def mentions(
        self, info: GraphQLInfo, first: int = DEFAULT_LIST_SIZE
    ) -> list[Annotated["Passage", strawberry.lazy("api.graphql.passage")]]:
        from api.graphql.passage import Passage

        records = await info.context.loaders.mentions.load((self.id, _bounded(first)))
        return [Passage.from_record(r) for r in records]

    @described_field(description="Entities sharing actions with this one, most shared first.")
    async def related_entities(
        self, info: GraphQLInfo, first: int = DEFAULT_LIST_SIZE
    ) -> list["RelatedEntity"]:
        records = await info.context.loaders.related.load((self.id, _bounded(first)))
        return [
            RelatedEntity(entity=Entity.from_record(r.entity), shared_actions=r.shared_actions)
            for r in records
        ]


@strawberry.type(description="An entity linked to another through shared actions.")
class RelatedEntity:
    entity: Entity
    shared_actions: int


@strawberry.type(description="A page of entities.")
class EntityConnection(Connection[Entity]):
    pass
