"""The ``Role`` type: a title someone holds, in an organization."""

from typing import TYPE_CHECKING, Annotated, Self

import strawberry

from api.graphql.context import GraphQLInfo
from api.graphql.fields import described_field
from kg.core.records import EntityRecord, RoleRecord

if TYPE_CHECKING:
    from api.graphql.entity import Entity


@strawberry.type(description="A position: 'interior minister' of Colombia.")
class Role:
    id: strawberry.ID
    title: str
    holder_id: strawberry.Private[str]
    organization_record: strawberry.Private[EntityRecord | None]

    @classmethod
    def from_record(cls, record: RoleRecord) -> Self:
        return cls(
            id=strawberry.ID(record.id),
            title=record.title,
            holder_id=record.holder_id,
            organization_record=record.organization,
        )

    @described_field(description="The organization (or country) the role is in.")
    def organization(self) -> Annotated["Entity", strawberry.lazy("api.graphql.entity")] | None:
        from api.graphql.entity import Entity

        org = self.organization_record
        return Entity.from_record(org) if org else None

    @described_field(description="Who holds the role.")
    async def holder(
        self, info: GraphQLInfo
    ) -> Annotated["Entity", strawberry.lazy("api.graphql.entity")] | None:
        from api.graphql.entity import Entity

        record = await info.context.loaders.entity.load(self.holder_id)
        return Entity.from_record(record) if record else None
