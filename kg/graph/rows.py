"""Neo4j rows to the records of :mod:`kg.core.records`: the read adapters' one conversion.

Rows are the maps the read queries of :mod:`kg.graph.read_queries` project (``e {.id, ...}``);
missing keys get the record's neutral value, so an older node without a property still reads.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date
from typing import Any, TypeVar

from kg.core.records import (
    ActionRecord,
    ArticleRecord,
    EntityRecord,
    GraphPath,
    Page,
    Participants,
    PassageRecord,
    PathNode,
    PathStep,
)
from kg.graph.schema import vocabulary

T = TypeVar("T")
Row = Mapping[str, Any]


def as_date(value: Any) -> date | None:
    """Neo4j returns its own Date type; the records hold Python dates."""
    if value is None or isinstance(value, date):
        return value
    to_native = getattr(value, "to_native", None)
    if to_native is not None:
        native = to_native()
        if isinstance(native, date):
            return native
    return date.fromisoformat(str(value)[:10])


def strs(value: Any) -> tuple[str, ...]:
    """A list property as a tuple of strings (null: empty)."""
    return tuple(str(v) for v in value) if value else ()


def entity(row: Mapping[str, Any]) -> EntityRecord:
    """An entity map (``e {.id, .iri, .name, ...}``) as a record."""
    return EntityRecord(
        id=row["id"],
        iri=row.get("iri") or "",
        name=row.get("name") or "",
        type=row.get("type") or "Entity",
        aliases=strs(row.get("aliases")),
        wikidata=row.get("wikidata"),
    )


def participants(row: Mapping[str, Any]) -> Participants:
    """The participants map of an action (``actors``, ``targets``, ``places``, ``sources``)."""

    def entities(values: Any) -> tuple[EntityRecord, ...]:
        return tuple(sorted((entity(v) for v in values or ()), key=lambda e: (e.name, e.id)))

    return Participants(
        actors=entities(row["actors"]),
        targets=entities(row["targets"]),
        places=entities(row["places"]),
        attributed_to=entities(row["sources"]),
    )


def article(row: Mapping[str, Any]) -> ArticleRecord:
    """An article map as a record."""
    return ArticleRecord(
        id=row["id"],
        iri=row.get("iri") or "",
        title=row.get("title") or "",
        published=as_date(row.get("published")),
        url=row.get("url"),
        source=row.get("source"),
        section=row.get("section"),
    )


def passage(row: Mapping[str, Any], article_id: str) -> PassageRecord:
    """A passage map, and the id of its article, as a record."""
    return PassageRecord(
        id=row["id"],
        iri=row.get("iri") or "",
        article_id=article_id,
        index=int(row.get("index") or 0),
        text=row.get("text") or "",
        start=int(row.get("start") or 0),
        end=int(row.get("end") or 0),
    )


def _opt_int(value: Any) -> int | None:
    return None if value is None else int(value)


def action(row: Mapping[str, Any]) -> ActionRecord:
    """An action map (with ``passageId`` and ``articleId``) as a record."""
    return ActionRecord(
        id=row["id"],
        iri=row.get("iri") or "",
        type=row.get("type") or "",
        mode=row.get("mode"),
        date=as_date(row.get("date")),
        date_text=row.get("dateText"),
        negated=bool(row.get("negated")),
        hypothetical=bool(row.get("hypothetical")),
        future=bool(row.get("future")),
        confidence=float(row.get("confidence") or 0.0),
        trigger=row.get("trigger"),
        evidence_start=_opt_int(row.get("evidenceStart")),
        evidence_end=_opt_int(row.get("evidenceEnd")),
        evidence_text=row.get("evidenceText"),
        actor_texts=strs(row.get("actorTexts")),
        target_texts=strs(row.get("targetTexts")),
        passage_id=row.get("passageId"),
        article_id=row.get("articleId"),
        actor_codes=strs(row.get("actorCodes")),
        target_codes=strs(row.get("targetCodes")),
    )


def kind(labels: tuple[str, ...]) -> str:
    """A node's top label in the ontology (``Entity``, ``Action``, ``Role``...), else its first."""
    for name in labels:
        if name in vocabulary().top_labels:
            return name
    return labels[0] if labels else "Node"


def path(row: Row) -> GraphPath:
    """A ``{nodes, relationships}`` row of the shortest-path query as a path."""
    return GraphPath(
        nodes=tuple(
            PathNode(
                id=n["id"],
                labels=strs(n.get("labels")),
                name=n.get("name"),
                type=n.get("type"),
                kind=kind(strs(n.get("labels"))),
            )
            for n in row["nodes"]
        ),
        relationships=tuple(
            PathStep(type=r["type"], start_id=r["start"], end_id=r["end"])
            for r in row["relationships"]
        ),
    )


def page(rows: Sequence[Row], make: Callable[[Row], T], offset: int) -> Page[T]:
    """The one ``{total, items}`` row of a page query as a page (no row: an empty page)."""
    row: Row = rows[0] if rows else {"total": 0, "items": []}
    return Page(items=tuple(make(x) for x in row["items"]), total=int(row["total"]), offset=offset)


def grouped(
    rows: Iterable[Row], ids: Iterable[str], key: str, make: Callable[[Row], T]
) -> dict[str, tuple[T, ...]]:
    """Rows grouped by their ``key`` column, in row order; every id in ``ids`` is a key."""
    out: dict[str, list[T]] = {i: [] for i in ids}
    for row in rows:
        out.setdefault(row[key], []).append(make(row))
    return {k: tuple(v) for k, v in out.items()}
