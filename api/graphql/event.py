"""The ``Event`` and ``Report`` types: one real-world event, and each article's report of it."""

import datetime
from typing import TYPE_CHECKING, Annotated, Self

import strawberry

from api.graphql.context import GraphQLInfo
from api.graphql.evidence import Evidence, load_article
from api.graphql.fields import described_field
from kg.core.records import ActionRecord, EventRecord
from kg.rdf.ontology import PLOVER

if TYPE_CHECKING:
    from api.graphql.action import Action
    from api.graphql.article import Article


@strawberry.type(description="One article's report of an event: its evidence and its article.")
class Report:
    record: strawberry.Private[ActionRecord]

    @described_field(description="The report as an action (its own actors, date, flags).")
    def action(self) -> Annotated["Action", strawberry.lazy("api.graphql.action")]:
        from api.graphql.action import Action

        return Action.from_record(self.record)

    @described_field(description="The text span of this report.")
    def evidence(self) -> Evidence:
        return Evidence.from_action(self.record)

    @described_field(description="The article of this report (title, url, source).")
    async def article(
        self, info: GraphQLInfo
    ) -> Annotated["Article", strawberry.lazy("api.graphql.article")] | None:
        return await load_article(info, self.record.article_id)


async def reports_of(info: GraphQLInfo, record: ActionRecord) -> list[Report]:
    """Every report of the event ``record`` reports (itself alone without an event), oldest
    article first."""
    event = await info.context.loaders.event.load(record.id)
    if event is None:
        return [Report(record=record)]
    found = await info.context.loaders.action.load_many(list(event.report_ids))
    reports = [r for r in found if r is not None]
    return [Report(record=r) for r in sorted(reports, key=lambda r: (r.article_id or "", r.id))]


@strawberry.type(
    description="One real-world event that one or more articles report (actions of the same "
    "PLOVER type, overlapping actors and targets, close dates and similar evidence)."
)
class Event:
    id: strawberry.ID
    iri: str
    type: str = strawberry.field(description="PLOVER event type, e.g. AGREE.")
    article_count: int = strawberry.field(description="Articles reporting it.")
    source_count: int = strawberry.field(description="Distinct sources (outlets) reporting it.")
    first_reported: datetime.date | None
    last_reported: datetime.date | None
    confidence: float = strawberry.field(
        description="Noisy-or of its reports' confidences: more reports, more confidence."
    )
    record: strawberry.Private[EventRecord]

    @classmethod
    def from_record(cls, record: EventRecord) -> Self:
        return cls(
            id=strawberry.ID(record.id),
            iri=record.iri,
            type=record.type,
            article_count=record.article_count,
            source_count=record.source_count,
            first_reported=record.first_reported,
            last_reported=record.last_reported,
            confidence=record.confidence,
            record=record,
        )

    @described_field(description="The IRI of the PLOVER event type concept (SKOS).")
    def type_concept(self) -> str:
        return str(PLOVER[self.record.type])

    @described_field(description="Each article's report, with its evidence and article.")
    async def reports(self, info: GraphQLInfo) -> list[Report]:
        found = await info.context.loaders.action.load_many(list(self.record.report_ids))
        records = sorted(
            (r for r in found if r is not None), key=lambda r: (r.article_id or "", r.id)
        )
        return [Report(record=r) for r in records]
