"""The ``Action`` type: who did what to whom, when, where, according to whom."""

import datetime
from typing import TYPE_CHECKING, Annotated, Any, Self

import strawberry

from api.graphql.connection import Connection
from api.graphql.context import GraphQLInfo
from api.graphql.evidence import Evidence, load_article
from api.graphql.fields import described_field
from kg.core.records import ActionRecord, Participants

if TYPE_CHECKING:
    from api.graphql.article import Article
    from api.graphql.entity import Entity
    from api.graphql.event import Event, Report


def action_fields(record: ActionRecord) -> dict[str, Any]:
    """Constructor arguments of :class:`Action` (and its subclasses) for a record."""
    return {
        "id": strawberry.ID(record.id),
        "iri": record.iri,
        "type": record.type,
        "mode": record.mode,
        "date": record.date,
        "date_text": record.date_text,
        "negated": record.negated,
        "hypothetical": record.hypothetical,
        "future": record.future,
        "confidence": record.confidence,
        "trigger": record.trigger,
        "actor_texts": list(record.actor_texts),
        "target_texts": list(record.target_texts),
        "actor_codes": list(record.actor_codes),
        "target_codes": list(record.target_codes),
        "record": record,
    }


@strawberry.type(description="An event between entities (PLOVER type), with its evidence.")
class Action:
    id: strawberry.ID
    iri: str
    type: str = strawberry.field(description="PLOVER event type, e.g. AGREE, ACCUSE.")
    mode: str | None
    date: datetime.date | None
    date_text: str | None = strawberry.field(description="The date as written.")
    negated: bool
    hypothetical: bool
    future: bool
    confidence: float
    trigger: str | None
    actor_texts: list[str] = strawberry.field(description="Actors as written (incl. unresolved).")
    target_texts: list[str] = strawberry.field(description="Targets as written.")
    actor_codes: list[str] = strawberry.field(
        description="CAMEO actor codes of the actors, where known (e.g. COLMIL, GOV)."
    )
    target_codes: list[str] = strawberry.field(
        description="CAMEO actor codes of the targets, where known (e.g. COLREB)."
    )
    record: strawberry.Private[ActionRecord]

    @classmethod
    def from_record(cls, record: ActionRecord) -> Self:
        return cls(**action_fields(record))

    async def _participants(self, info: GraphQLInfo) -> Participants:
        found = await info.context.loaders.participants.load(self.record.id)
        return found or Participants()

    @described_field(description="Who acts.")
    async def actors(
        self, info: GraphQLInfo
    ) -> list[Annotated["Entity", strawberry.lazy("api.graphql.entity")]]:
        from api.graphql.entity import Entity

        return [Entity.from_record(e) for e in (await self._participants(info)).actors]

    @described_field(description="Who is acted upon.")
    async def targets(
        self, info: GraphQLInfo
    ) -> list[Annotated["Entity", strawberry.lazy("api.graphql.entity")]]:
        from api.graphql.entity import Entity

        return [Entity.from_record(e) for e in (await self._participants(info)).targets]

    @described_field(description="Where it happens.")
    async def place(
        self, info: GraphQLInfo
    ) -> Annotated["Entity", strawberry.lazy("api.graphql.entity")] | None:
        from api.graphql.entity import Entity

        places = (await self._participants(info)).places
        return Entity.from_record(places[0]) if places else None

    @described_field(description="Who says so (the source of a reported statement).")
    async def attributed_to(
        self, info: GraphQLInfo
    ) -> list[Annotated["Entity", strawberry.lazy("api.graphql.entity")]]:
        from api.graphql.entity import Entity

        return [Entity.from_record(e) for e in (await self._participants(info)).attributed_to]

    @described_field(description="The text span the action was extracted from.")
    def evidence(self) -> Evidence:
        return Evidence.from_action(self.record)

    @described_field(description="The article reporting the action.")
    async def article(
        self, info: GraphQLInfo
    ) -> Annotated["Article", strawberry.lazy("api.graphql.article")] | None:
        return await load_article(info, self.record.article_id)

    @described_field(
        description="The event this action reports: the same event as other articles report it."
    )
    async def event(
        self, info: GraphQLInfo
    ) -> Annotated["Event", strawberry.lazy("api.graphql.event")] | None:
        from api.graphql.event import Event

        record = await info.context.loaders.event.load(self.record.id)
        return Event.from_record(record) if record else None

    @described_field(description="Distinct sources (outlets) reporting this action's event.")
    async def source_count(self, info: GraphQLInfo) -> int:
        record = await info.context.loaders.event.load(self.record.id)
        return record.source_count if record else 1

    @described_field(description="Articles reporting this action's event.")
    async def article_count(self, info: GraphQLInfo) -> int:
        record = await info.context.loaders.event.load(self.record.id)
        return record.article_count if record else 1

    @described_field(
        description="Every article's report of this action's event (this one included)."
    )
    async def reports(
        self, info: GraphQLInfo
    ) -> list[Annotated["Report", strawberry.lazy("api.graphql.event")]]:
        from api.graphql.event import reports_of

        return await reports_of(info, self.record)


@strawberry.type(description="A page of actions.")
class ActionConnection(Connection[Action]):
    pass
