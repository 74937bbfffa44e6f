"""Typed reads of the knowledge graph, for the API.

Every function takes a :class:`~kg.core.ports.GraphStore` and returns frozen records.
Batch getters take many ids and cost one round trip, so the GraphQL DataLoaders can
answer a whole request level with one query. Queries live in :mod:`kg.graph.cypher`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any, TypeVar

from kg.core.errors import InvalidQueryError, NotFoundError
from kg.core.filters import check_date_range
from kg.core.ports import GraphStore
from kg.core.records import (
    ActionRecord,
    ActionRole,
    ArticleRecord,
    EntityMatch,
    EntityRecord,
    GraphPath,
    Neighbor,
    Page,
    Participants,
    PassageRecord,
    PathNode,
    PathStep,
    RelatedEntity,
    Role,
    RoleRecord,
)
from kg.graph import cypher
from kg.graph.lucene import lucene_terms

T = TypeVar("T")

MAX_NEIGHBOR_DEPTH = 3
MAX_PATH_LENGTH = 4
# A breadth-first step never expands more entities than this (hubs would explode).
MAX_FRONTIER = 500

RELS_BY_ROLE: Mapping[Role, tuple[str, ...]] = {
    "actor": (cypher.rel_type("HAS_ACTOR"),),
    "target": (cypher.rel_type("HAS_TARGET"),),
    "any": (cypher.rel_type("HAS_ACTOR"), cypher.rel_type("HAS_TARGET")),
}
"""The Action relationships that link an entity playing a role."""


def _empty_page(offset: int) -> Page[ActionRecord]:
    return Page(items=(), total=0, offset=offset)


# --------------------------------------------------------------------------- conversion


def _as_date(value: Any) -> date | None:
    """Neo4j returns its own Date type; the records hold Python dates."""
    if value is None or isinstance(value, date):
        return value
    to_native = getattr(value, "to_native", None)
    if to_native is not None:
        native = to_native()
        if isinstance(native, date):
            return native
    return date.fromisoformat(str(value)[:10])


def _strs(value: Any) -> tuple[str, ...]:
    return tuple(str(v) for v in value) if value else ()


def _entity(row: Mapping[str, Any]) -> EntityRecord:
    return EntityRecord(
        id=row["id"],
        iri=row.get("iri") or "",
        name=row.get("name") or "",
        type=row.get("type") or "Entity",
        aliases=_strs(row.get("aliases")),
        wikidata=row.get("wikidata"),
    )


def _article(row: Mapping[str, Any]) -> ArticleRecord:
    return ArticleRecord(
        id=row["id"],
        iri=row.get("iri") or "",
        title=row.get("title") or "",
        published=_as_date(row.get("published")),
        url=row.get("url"),
        source=row.get("source"),
        section=row.get("section"),
    )


def _passage(row: Mapping[str, Any], article_id: str) -> PassageRecord:
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


def _action(row: Mapping[str, Any]) -> ActionRecord:
    return ActionRecord(
        id=row["id"],
        iri=row.get("iri") or "",
        type=row.get("type") or "",
        mode=row.get("mode"),
        date=_as_date(row.get("date")),
        date_text=row.get("dateText"),
        negated=bool(row.get("negated")),
        hypothetical=bool(row.get("hypothetical")),
        future=bool(row.get("future")),
        confidence=float(row.get("confidence") or 0.0),
        trigger=row.get("trigger"),
        evidence_start=_opt_int(row.get("evidenceStart")),
        evidence_end=_opt_int(row.get("evidenceEnd")),
        evidence_text=row.get("evidenceText"),
        actor_texts=_strs(row.get("actorTexts")),
        target_texts=_strs(row.get("targetTexts")),
        passage_id=row.get("passageId"),
        article_id=row.get("articleId"),
        actor_codes=_strs(row.get("actorCodes")),
        target_codes=_strs(row.get("targetCodes")),
    )


def _kind(labels: tuple[str, ...]) -> str:
    """A node's top label in the ontology (``Entity``, ``Action``, ``Role``...), else its first."""
    for name in labels:
        if name in cypher.TOP_LABELS:
            return name
    return labels[0] if labels else "Node"


def _unique(ids: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(ids))


# --------------------------------------------------------------------------- batch getters


def entities_by_ids(graph: GraphStore, ids: Sequence[str]) -> dict[str, EntityRecord]:
    """Entities by id; unknown ids are absent from the result."""
    rows = graph.run_read(cypher.READ_ENTITIES_BY_IDS, {"ids": _unique(ids)})
    return {r["entity"]["id"]: _entity(r["entity"]) for r in rows}


def articles_by_ids(graph: GraphStore, ids: Sequence[str]) -> dict[str, ArticleRecord]:
    """Articles by id; unknown ids are absent from the result."""
    rows = graph.run_read(cypher.READ_ARTICLES_BY_IDS, {"ids": _unique(ids)})
    return {r["article"]["id"]: _article(r["article"]) for r in rows}


def passages_by_ids(graph: GraphStore, ids: Sequence[str]) -> dict[str, PassageRecord]:
    """Passages by id; unknown ids are absent from the result."""
    rows = graph.run_read(cypher.READ_PASSAGES_BY_IDS, {"ids": _unique(ids)})
    return {r["passage"]["id"]: _passage(r["passage"], r["article_id"]) for r in rows}


def actions_by_ids(graph: GraphStore, ids: Sequence[str]) -> dict[str, ActionRecord]:
    """Actions by id; unknown ids are absent from the result."""
    rows = graph.run_read(cypher.READ_ACTIONS_BY_IDS, {"ids": _unique(ids)})
    return {r["action"]["id"]: _action(r["action"]) for r in rows}


def participants_by_action_ids(graph: GraphStore, ids: Sequence[str]) -> dict[str, Participants]:
    """Actors, targets, places and sources of each action, by action id."""
    rows = graph.run_read(cypher.READ_ACTION_PARTICIPANTS_BY_IDS, {"ids": _unique(ids)})

    def entities(values: Any) -> tuple[EntityRecord, ...]:
        return tuple(sorted((_entity(v) for v in values or ()), key=lambda e: (e.name, e.id)))

    return {
        r["action_id"]: Participants(
            actors=entities(r["actors"]),
            targets=entities(r["targets"]),
            places=entities(r["places"]),
            attributed_to=entities(r["sources"]),
        )
        for r in rows
    }


def roles_by_holder_ids(graph: GraphStore, ids: Sequence[str]) -> dict[str, tuple[RoleRecord, ...]]:
    """The roles each entity holds, by holder id (every requested id is a key)."""
    rows = graph.run_read(cypher.READ_ROLES_BY_HOLDER_IDS, {"ids": _unique(ids)})
    out: dict[str, list[RoleRecord]] = {i: [] for i in ids}
    for r in rows:
        org = r.get("organization")
        out.setdefault(r["holder_id"], []).append(
            RoleRecord(
                id=r["role_id"],
                title=r["title"] or "",
                holder_id=r["holder_id"],
                organization=_entity(org) if org else None,
            )
        )
    return {k: tuple(v) for k, v in out.items()}


def actions_by_entity_ids(
    graph: GraphStore,
    ids: Sequence[str],
    roles: Sequence[ActionRole] = ("actor", "target"),
    offset: int = 0,
    limit: int = 10,
) -> dict[str, Page[ActionRecord]]:
    """A page of the actions each entity takes part in (in ``roles``), newest first."""
    params = {
        "ids": _unique(ids),
        "rels": [rel for role in roles for rel in RELS_BY_ROLE[role]],
        "skip": offset,
        "limit": limit,
    }
    rows = graph.run_read(cypher.READ_ACTIONS_BY_ENTITY_IDS, params)
    out = {i: _empty_page(offset) for i in ids}
    for r in rows:
        out[r["entity_id"]] = Page(
            items=tuple(_action(a) for a in r["actions"]), total=int(r["total"]), offset=offset
        )
    return out


def mentions_by_entity_ids(
    graph: GraphStore, ids: Sequence[str], limit: int = 10
) -> dict[str, tuple[PassageRecord, ...]]:
    """Passages mentioning each entity, newest article first."""
    rows = graph.run_read(cypher.READ_MENTIONS_BY_ENTITY_IDS, {"ids": _unique(ids), "limit": limit})
    out: dict[str, tuple[PassageRecord, ...]] = {i: () for i in ids}
    for r in rows:
        out[r["entity_id"]] = tuple(_passage(p, p["articleId"]) for p in r["passages"])
    return out


def related_by_entity_ids(
    graph: GraphStore, ids: Sequence[str], limit: int = 10
) -> dict[str, tuple[RelatedEntity, ...]]:
    """Entities sharing actions with each entity, most shared first."""
    rows = graph.run_read(cypher.READ_RELATED_BY_ENTITY_IDS, {"ids": _unique(ids), "limit": limit})
    out: dict[str, tuple[RelatedEntity, ...]] = {i: () for i in ids}
    for r in rows:
        out[r["entity_id"]] = tuple(
            RelatedEntity(entity=_entity(e), shared_actions=int(e["shared"])) for e in r["related"]
        )
    return out


def passages_by_article_ids(
    graph: GraphStore, ids: Sequence[str]
) -> dict[str, tuple[PassageRecord, ...]]:
    """Each article's passages in body order."""
    rows = graph.run_read(cypher.READ_PASSAGES_BY_ARTICLE_IDS, {"ids": _unique(ids)})
    out: dict[str, list[PassageRecord]] = {i: [] for i in ids}
    for r in rows:
        out.setdefault(r["article_id"], []).append(_passage(r["passage"], r["article_id"]))
    return {k: tuple(v) for k, v in out.items()}


def entities_by_article_ids(
    graph: GraphStore, ids: Sequence[str]
) -> dict[str, tuple[EntityRecord, ...]]:
    """Entities each article mentions, most mentioned first."""
    rows = graph.run_read(cypher.READ_ENTITIES_BY_ARTICLE_IDS, {"ids": _unique(ids)})
    out: dict[str, list[EntityRecord]] = {i: [] for i in ids}
    for r in rows:
        out.setdefault(r["article_id"], []).append(_entity(r["entity"]))
    return {k: tuple(v) for k, v in out.items()}


def actions_by_article_ids(
    graph: GraphStore, ids: Sequence[str]
) -> dict[str, tuple[ActionRecord, ...]]:
    """Actions each article reports, in body order."""
    rows = graph.run_read(cypher.READ_ACTIONS_BY_ARTICLE_IDS, {"ids": _unique(ids)})
    out: dict[str, list[ActionRecord]] = {i: [] for i in ids}
    for r in rows:
        out.setdefault(r["article_id"], []).append(_action(r["action"]))
    return {k: tuple(v) for k, v in out.items()}


# --------------------------------------------------------------------------- lists


def entities_page(
    graph: GraphStore,
    search: str | None = None,
    type: str | None = None,
    offset: int = 0,
    limit: int = 20,
) -> Page[EntityRecord]:
    """Entities, by name, or by fulltext relevance when ``search`` is given.

    ``type`` is a label: ``"Organization"`` also lists armed groups, governments...
    """
    params: dict[str, Any] = {"type": type, "skip": offset, "limit": limit}
    query = cypher.READ_ENTITIES_PAGE
    if search and search.strip():
        lucene = lucene_terms(search)
        if not lucene:
            return Page(items=(), total=0, offset=offset)
        query, params["lucene"] = cypher.READ_ENTITIES_SEARCH_PAGE, lucene
    rows = graph.run_read(query, params)
    row: Mapping[str, Any] = rows[0] if rows else {"total": 0, "items": []}
    return Page(
        items=tuple(_entity(e) for e in row["items"]), total=int(row["total"]), offset=offset
    )


def resolve_entity(graph: GraphStore, key: str) -> EntityRecord | None:
    """The entity a user's key denotes: the one way every API turns a name into an entity.

    An entity whose id is ``key`` comes first; then an exact, case-insensitive match on a
    name, then on an alias ("ELN" and "National Liberation Army" give the same node), the
    most mentioned entity winning a tie; otherwise the best fulltext match over names and
    aliases. None when nothing matches.
    """
    text = " ".join(key.split())
    if not text:
        return None
    rows = graph.run_read(cypher.READ_ENTITY_BY_KEY, {"key": text, "name": text.lower()})
    if rows:
        return _entity(rows[0]["entity"])
    lucene = lucene_terms(text)
    if not lucene:
        return None
    # A few hits rather than one, so that equal scores are broken by id, not by the index.
    found = entities_by_fulltext(graph, lucene, limit=10)
    return found[0].entity if found else None


def entities_by_fulltext(graph: GraphStore, lucene: str, limit: int) -> tuple[EntityMatch, ...]:
    """Entities whose name or aliases match a Lucene query, best first (at most ``limit``)."""
    rows = graph.run_read(cypher.READ_ENTITIES_BY_FULLTEXT, {"lucene": lucene, "limit": limit})
    return tuple(EntityMatch(_entity(r["entity"]), float(r["score"])) for r in rows)


def actions_page(
    graph: GraphStore,
    actor_ids: Sequence[str] | None = None,
    target_ids: Sequence[str] | None = None,
    types: Sequence[str] | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    offset: int = 0,
    limit: int = 20,
    *,
    actor_code: str | None = None,
    target_code: str | None = None,
    actor_sector: str | None = None,
) -> Page[ActionRecord]:
    """Actions matching every given filter, newest first (undated last), then by id.

    ``actor_code``/``target_code`` match a participant's CAMEO code by prefix ("COL" finds
    "COLMIL"); ``actor_sector`` matches an actor's sector ("MIL" in "COLMIL", or "GOV").

    Raises:
        InvalidQueryError: ``date_from`` is after ``date_to``.
    """
    check_date_range(date_from, date_to)
    params = {
        "actor_ids": list(actor_ids) if actor_ids is not None else None,
        "target_ids": list(target_ids) if target_ids is not None else None,
        "types": [t.upper() for t in types] if types else None,
        "actor_code": actor_code,
        "target_code": target_code,
        "actor_sector": actor_sector,
        "from": date_from,
        "to": date_to,
        "skip": offset,
        "limit": limit,
    }
    rows = graph.run_read(cypher.READ_ACTIONS_PAGE, params)
    row: Mapping[str, Any] = rows[0] if rows else {"total": 0, "items": []}
    return Page(
        items=tuple(_action(a) for a in row["items"]), total=int(row["total"]), offset=offset
    )


def articles_page(
    graph: GraphStore,
    date_from: date | None = None,
    date_to: date | None = None,
    offset: int = 0,
    limit: int = 20,
) -> Page[ArticleRecord]:
    """Articles published in the range, newest first (undated last).

    Raises:
        InvalidQueryError: ``date_from`` is after ``date_to``.
    """
    check_date_range(date_from, date_to)
    params = {"from": date_from, "to": date_to, "skip": offset, "limit": limit}
    rows = graph.run_read(cypher.READ_ARTICLES_PAGE, params)
    row: Mapping[str, Any] = rows[0] if rows else {"total": 0, "items": []}
    return Page(
        items=tuple(_article(a) for a in row["items"]), total=int(row["total"]), offset=offset
    )


# --------------------------------------------------------------------------- traversal


def neighbors(
    graph: GraphStore, entity_id: str, depth: int = 1, limit: int = 50
) -> tuple[Neighbor, ...]:
    """Entities linked to ``entity_id`` through shared actions or roles, within ``depth``.

    Breadth-first, one query per level, so the cost is bounded by the depth.

    Raises:
        InvalidQueryError: ``depth`` is not in 1..MAX_NEIGHBOR_DEPTH.
        NotFoundError: no entity has this id.
    """
    if not 1 <= depth <= MAX_NEIGHBOR_DEPTH:
        raise InvalidQueryError("depth", f"must be between 1 and {MAX_NEIGHBOR_DEPTH}")
    if not graph.run_read(cypher.READ_EXISTING_ENTITY_IDS, {"ids": [entity_id]}):
        raise NotFoundError("Entity", entity_id)
    visited = [entity_id]
    frontier = [entity_id]
    found: list[Neighbor] = []
    for distance in range(1, depth + 1):
        if not frontier or len(found) >= limit:
            break
        rows = graph.run_read(
            cypher.READ_NEIGHBOR_STEP,
            {"ids": frontier, "visited": visited, "limit": MAX_FRONTIER},
        )
        step = [
            Neighbor(entity=_entity(r["entity"]), distance=distance, links=int(r["links"]))
            for r in rows
        ]
        found.extend(step)
        frontier = [n.entity.id for n in step]
        visited.extend(frontier)
    return tuple(found[:limit])


def shortest_path(
    graph: GraphStore, from_id: str, to_id: str, max_length: int = MAX_PATH_LENGTH
) -> GraphPath | None:
    """The shortest path between two entities over action and role links.

    ``max_length`` counts entity-to-entity hops (each is two relationships, through an
    action or a role). Returns None when no path that short exists.

    Raises:
        InvalidQueryError: ``max_length`` is not in 1..MAX_PATH_LENGTH.
        NotFoundError: either entity does not exist.
    """
    if not 1 <= max_length <= MAX_PATH_LENGTH:
        raise InvalidQueryError("maxLength", f"must be between 1 and {MAX_PATH_LENGTH}")
    found = {
        r["id"] for r in graph.run_read(cypher.READ_EXISTING_ENTITY_IDS, {"ids": [from_id, to_id]})
    }
    for key in (from_id, to_id):
        if key not in found:
            raise NotFoundError("Entity", key)
    if from_id == to_id:
        return None
    rows = graph.run_read(
        cypher.READ_SHORTEST_PATH[max_length], {"from_id": from_id, "to_id": to_id}
    )
    if not rows:
        return None
    row = rows[0]
    return GraphPath(
        nodes=tuple(
            PathNode(
                id=n["id"],
                labels=_strs(n.get("labels")),
                name=n.get("name"),
                type=n.get("type"),
                kind=_kind(_strs(n.get("labels"))),
            )
            for n in row["nodes"]
        ),
        relationships=tuple(
            PathStep(type=r["type"], start_id=r["start"], end_id=r["end"])
            for r in row["relationships"]
        ),
    )
