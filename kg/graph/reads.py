"""The Neo4j adapter of the :class:`~kg.core.graph_reader.GraphReader` port: the API's reads.

Batch getters take many ids and cost one round trip, so the GraphQL DataLoaders can answer a
whole request level with one query. The Cypher lives in :mod:`kg.graph.read_queries`; rows
become records in :mod:`kg.graph.rows`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any

from kg.core.errors import InvalidQueryError, NotFoundError
from kg.core.filters import MAX_NEIGHBOR_DEPTH, MAX_PATH_LENGTH, check_date_range
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
    RelatedEntity,
    Role,
    RoleRecord,
)
from kg.graph import duplicates
from kg.graph import rows as convert
from kg.graph.lucene import lucene_phrase, lucene_terms
from kg.graph.read_queries import ReadCypher, read_cypher, shortest_path_query
from kg.graph.store import CypherReader

# Fulltext hits among which an exact name or alias is looked for (see entity_by_key).
_NAME_CANDIDATES = 100

__all__ = [
    "MAX_FRONTIER",
    "MAX_NEIGHBOR_DEPTH",
    "MAX_PATH_LENGTH",
    "RELS_BY_ROLE",
    "Neo4jGraphReader",
]

# A breadth-first step never expands more entities than this (hubs would explode).
MAX_FRONTIER = 500

# The Action relationships linking an entity that plays a role. They travel as parameters
# (`type(r) IN $rels`), never into query text; a unit test checks them against the ontology.
RELS_BY_ROLE: Mapping[Role, tuple[str, ...]] = {
    "actor": ("HAS_ACTOR",),
    "target": ("HAS_TARGET",),
    "any": ("HAS_ACTOR", "HAS_TARGET"),
}


def _unique(ids: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(ids))


class Neo4jGraphReader:
    """Typed reads of the knowledge graph in Neo4j. The constructor does no I/O.

    Args:
        db: What to read through: a :class:`kg.graph.store.Neo4jConnection`, usually.
    """

    def __init__(self, db: CypherReader) -> None:
        self._db = db

    @property
    def _q(self) -> ReadCypher:
        # Built on the first read, not at construction: constructing parses no ontology.
        return read_cypher()

    # ------------------------------------------------------------------ batch getters

    def entities_by_ids(self, ids: Sequence[str]) -> dict[str, EntityRecord]:
        """Entities by id; unknown ids are absent from the result."""
        rows = self._db.run_read(self._q.entities_by_ids, {"ids": _unique(ids)})
        return {r["entity"]["id"]: convert.entity(r["entity"]) for r in rows}

    def articles_by_ids(self, ids: Sequence[str]) -> dict[str, ArticleRecord]:
        """Articles by id; unknown ids are absent from the result."""
        rows = self._db.run_read(self._q.articles_by_ids, {"ids": _unique(ids)})
        return {r["article"]["id"]: convert.article(r["article"]) for r in rows}

    def passages_by_ids(self, ids: Sequence[str]) -> dict[str, PassageRecord]:
        """Passages by id; unknown ids are absent from the result."""
        rows = self._db.run_read(self._q.passages_by_ids, {"ids": _unique(ids)})
        return {r["passage"]["id"]: convert.passage(r["passage"], r["article_id"]) for r in rows}

    def actions_by_ids(self, ids: Sequence[str]) -> dict[str, ActionRecord]:
        """Actions by id; unknown ids are absent from the result."""
        rows = self._db.run_read(self._q.actions_by_ids, {"ids": _unique(ids)})
        return {r["action"]["id"]: convert.action(r["action"]) for r in rows}

    def participants_by_action_ids(self, ids: Sequence[str]) -> dict[str, Participants]:
        """Actors, targets, places and sources of each action, by action id."""
        rows = self._db.run_read(self._q.action_participants_by_ids, {"ids": _unique(ids)})
        return {r["action_id"]: convert.participants(r["participants"]) for r in rows}

    def roles_by_holder_ids(self, ids: Sequence[str]) -> dict[str, tuple[RoleRecord, ...]]:
        """The roles each entity holds, by holder id (every requested id is a key)."""
        rows = self._db.run_read(self._q.roles_by_holder_ids, {"ids": _unique(ids)})
        out: dict[str, list[RoleRecord]] = {i: [] for i in ids}
        for r in rows:
            org = r.get("organization")
            out.setdefault(r["holder_id"], []).append(
                RoleRecord(
                    id=r["role_id"],
                    title=r["title"] or "",
                    holder_id=r["holder_id"],
                    organization=convert.entity(org) if org else None,
                )
            )
        return {k: tuple(v) for k, v in out.items()}

    def actions_by_entity_ids(
        self,
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
        rows = self._db.run_read(self._q.actions_by_entity_ids, params)
        empty: Page[ActionRecord] = Page(items=(), total=0, offset=offset)
        out = {i: empty for i in ids}
        for r in rows:
            out[r["entity_id"]] = Page(
                items=tuple(convert.action(a) for a in r["actions"]),
                total=int(r["total"]),
                offset=offset,
            )
        return out

    def mentions_by_entity_ids(
        self, ids: Sequence[str], limit: int = 10
    ) -> dict[str, tuple[PassageRecord, ...]]:
        """Passages mentioning each entity, newest article first."""
        rows = self._db.run_read(
            self._q.mentions_by_entity_ids, {"ids": _unique(ids), "limit": limit}
        )
        out: dict[str, tuple[PassageRecord, ...]] = {i: () for i in ids}
        for r in rows:
            out[r["entity_id"]] = tuple(convert.passage(p, p["articleId"]) for p in r["passages"])
        return out

    def related_by_entity_ids(
        self, ids: Sequence[str], limit: int = 10
    ) -> dict[str, tuple[RelatedEntity, ...]]:
        """Entities sharing actions with each entity, most shared first."""
        rows = self._db.run_read(
            self._q.related_by_entity_ids, {"ids": _unique(ids), "limit": limit}
        )
        out: dict[str, tuple[RelatedEntity, ...]] = {i: () for i in ids}
        for r in rows:
            out[r["entity_id"]] = tuple(
                RelatedEntity(entity=convert.entity(e), shared_actions=int(e["shared"]))
                for e in r["related"]
            )
        return out

    def passages_by_article_ids(self, ids: Sequence[str]) -> dict[str, tuple[PassageRecord, ...]]:
        """Each article's passages in body order."""
        rows = self._db.run_read(self._q.passages_by_article_ids, {"ids": _unique(ids)})
        return convert.grouped(
            rows, ids, "article_id", lambda r: convert.passage(r["passage"], r["article_id"])
        )

    def entities_by_article_ids(self, ids: Sequence[str]) -> dict[str, tuple[EntityRecord, ...]]:
        """Entities each article mentions, most mentioned first."""
        rows = self._db.run_read(self._q.entities_by_article_ids, {"ids": _unique(ids)})
        return convert.grouped(rows, ids, "article_id", lambda r: convert.entity(r["entity"]))

    def actions_by_article_ids(self, ids: Sequence[str]) -> dict[str, tuple[ActionRecord, ...]]:
        """Actions each article reports, in body order."""
        rows = self._db.run_read(self._q.actions_by_article_ids, {"ids": _unique(ids)})
        return convert.grouped(rows, ids, "article_id", lambda r: convert.action(r["action"]))

    def duplicate_of_by_ids(self, ids: Sequence[str]) -> dict[str, str]:
        """The original of each article in ``ids`` that is a near-duplicate copy."""
        return duplicates.duplicate_of_by_ids(self._db, ids)

    # ------------------------------------------------------------------ lists

    def entities_page(
        self,
        search: str | None = None,
        type: str | None = None,
        offset: int = 0,
        limit: int = 20,
    ) -> Page[EntityRecord]:
        """Entities, by name, or by fulltext relevance when ``search`` is given.

        ``type`` is a label: ``"Organization"`` also lists armed groups, governments...
        """
        params: dict[str, Any] = {"type": type, "skip": offset, "limit": limit}
        query = self._q.entities_page
        if search and search.strip():
            lucene = lucene_terms(search)
            if not lucene:
                return Page(items=(), total=0, offset=offset)
            query, params["lucene"] = self._q.entities_search_page, lucene
        rows = self._db.run_read(query, params)
        return convert.page(rows, convert.entity, offset)

    def resolve_entity(self, key: str) -> EntityRecord | None:
        """The entity a user's key denotes: the one way every API turns a name into an entity.

        By id first; then an exact, case-insensitive match on a name, then on an alias ("ELN"
        and "National Liberation Army" give the same node), the most mentioned winning a tie;
        else the best fulltext match over names and aliases. None when nothing matches.
        """
        text = " ".join(key.split())
        if not text:
            return None
        params: dict[str, Any] = {"key": text, "name": text.lower()}
        if any(c.isalnum() for c in text):
            params |= {"phrase": lucene_phrase(text), "candidates": _NAME_CANDIDATES}
            rows = self._db.run_read(self._q.entity_by_key, params)
        else:
            rows = self._db.run_read(self._q.entity_by_key_scan, params)
        if rows:
            return convert.entity(rows[0]["entity"])
        lucene = lucene_terms(text)
        if not lucene:
            return None
        # A few hits rather than one, so that equal scores are broken by id, not by the index.
        found = self.entities_by_fulltext(lucene, limit=10)
        return found[0].entity if found else None

    def entities_by_fulltext(self, lucene: str, limit: int) -> tuple[EntityMatch, ...]:
        """Entities whose name or aliases match a Lucene query, best first (at most ``limit``)."""
        rows = self._db.run_read(self._q.entities_by_fulltext, {"lucene": lucene, "limit": limit})
        return tuple(EntityMatch(convert.entity(r["entity"]), float(r["score"])) for r in rows)

    def actions_page(
        self,
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
        by_sources: bool = False,
    ) -> Page[ActionRecord]:
        """Actions matching every given filter, newest first (undated last), then by id.

        ``by_sources``: one action per event (the first report, by id, that matches), the
        events reported by the most distinct sources first.

        ``actor_code``/``target_code`` match a participant's CAMEO code by prefix ("COL"
        finds "COLMIL"); ``actor_sector`` matches an actor's sector ("MIL" in "COLMIL").

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
            "by_sources": by_sources,
            "from": date_from,
            "to": date_to,
            "skip": offset,
            "limit": limit,
        }
        rows = self._db.run_read(self._q.actions_page, params)
        return convert.page(rows, convert.action, offset)

    def articles_page(
        self,
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
        rows = self._db.run_read(self._q.articles_page, params)
        return convert.page(rows, convert.article, offset)

    # ------------------------------------------------------------------ traversal

    def neighbors(self, entity_id: str, depth: int = 1, limit: int = 50) -> tuple[Neighbor, ...]:
        """Entities linked to ``entity_id`` through shared actions or roles, within ``depth``.

        Breadth-first, one query per level, so the cost is bounded by the depth.

        Raises:
            InvalidQueryError: ``depth`` is not in 1..MAX_NEIGHBOR_DEPTH.
            NotFoundError: no entity has this id.
        """
        if not 1 <= depth <= MAX_NEIGHBOR_DEPTH:
            raise InvalidQueryError("depth", f"must be between 1 and {MAX_NEIGHBOR_DEPTH}")
        if not self._db.run_read(self._q.existing_entity_ids, {"ids": [entity_id]}):
            raise NotFoundError("Entity", entity_id)
        visited = [entity_id]
        frontier = [entity_id]
        found: list[Neighbor] = []
        for distance in range(1, depth + 1):
            if not frontier or len(found) >= limit:
                break
            rows = self._db.run_read(
                self._q.neighbor_step,
                {"ids": frontier, "visited": visited, "limit": MAX_FRONTIER},
            )
            step = [
                Neighbor(
                    entity=convert.entity(r["entity"]), distance=distance, links=int(r["links"])
                )
                for r in rows
            ]
            found.extend(step)
            frontier = [n.entity.id for n in step]
            visited.extend(frontier)
        return tuple(found[:limit])

    def shortest_path(
        self, from_id: str, to_id: str, max_length: int = MAX_PATH_LENGTH
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
            r["id"]
            for r in self._db.run_read(self._q.existing_entity_ids, {"ids": [from_id, to_id]})
        }
        for key in (from_id, to_id):
            if key not in found:
                raise NotFoundError("Entity", key)
        if from_id == to_id:
            return None
        rows = self._db.run_read(
            shortest_path_query(max_length), {"from_id": from_id, "to_id": to_id}
        )
        if not rows:
            return None
        return convert.path(rows[0])
