"""Graph walk results: an entity's neighborhood and a shortest path between entities."""

from typing import Self

import strawberry

from api.graphql.action import Action
from api.graphql.context import GraphQLInfo
from api.graphql.entity import Entity
from api.graphql.fields import described_field
from kg.core.records import GraphPath, PathNode, PathStep


@strawberry.type(description="An entity reachable through shared actions or roles.")
class Neighbor:
    entity: Entity
    distance: int = strawberry.field(description="Entity-to-entity links away (1..3).")
    links: int = strawberry.field(description="Actions/roles linking it to the previous level.")


@strawberry.type(description="The entities around one entity.")
class Neighborhood:
    entity: Entity
    depth: int
    neighbors: list[Neighbor]


@strawberry.type(name="PathNode", description="A node on a path: an entity, an action or a role.")
class PathNodeType:
    id: strawberry.ID
    kind: str = strawberry.field(description="Entity, Action or Role.")
    labels: list[str]
    name: str | None

    @classmethod
    def from_node(cls, node: PathNode) -> Self:
        return cls(
            id=strawberry.ID(node.id), kind=node.kind, labels=list(node.labels), name=node.name
        )

    @described_field(description="The entity, when the node is one.")
    async def entity(self, info: GraphQLInfo) -> Entity | None:
        if self.kind != "Entity":
            return None
        record = await info.context.loaders.entity.load(self.id)
        return Entity.from_record(record) if record else None

    @described_field(description="The action (with its evidence), when the node is one.")
    async def action(self, info: GraphQLInfo) -> Action | None:
        if self.kind != "Action":
            return None
        record = await info.context.loaders.action.load(self.id)
        return Action.from_record(record) if record else None


@strawberry.type(name="PathStep", description="A relationship on a path, in its stored direction.")
class PathStepType:
    type: str
    start_id: strawberry.ID
    end_id: strawberry.ID

    @classmethod
    def from_step(cls, step: PathStep) -> Self:
        return cls(
            type=step.type, start_id=strawberry.ID(step.start_id), end_id=strawberry.ID(step.end_id)
        )


@strawberry.type(name="Path", description="A shortest path between two entities.")
class PathType:
    length: int = strawberry.field(description="Number of relationships.")
    nodes: list[PathNodeType]
    relationships: list[PathStepType]

    @classmethod
    def from_path(cls, path: GraphPath) -> Self:
        return cls(
            length=len(path.relationships),
            nodes=[PathNodeType.from_node(n) for n in path.nodes],
            relationships=[PathStepType.from_step(r) for r in path.relationships],
        )
