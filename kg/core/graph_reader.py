"""The API's read port: typed reads of the graph for GraphQL and REST.

Split from :mod:`kg.core.ports` only for size; the same rules hold (records in, records out,
no query text).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Protocol

from kg.core.filters import MAX_PATH_LENGTH
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
    RoleRecord,
)

# --- graph: API reads (GraphReader) ---


class GraphReader(Protocol):
    """Typed reads of the graph for the API.

    Batch getters take many ids and cost one round trip, so the GraphQL DataLoaders can
    answer a whole request level with one query; ids not found are absent from their result
    (or map to an empty tuple or page where the method says every id is a key).
    """

    def entities_by_ids(self, ids: Sequence[str]) -> dict[str, EntityRecord]:
        """Entities by id."""
        ...

    def articles_by_ids(self, ids: Sequence[str]) -> dict[str, ArticleRecord]:
        """Articles by id."""
        ...

    def passages_by_ids(self, ids: Sequence[str]) -> dict[str, PassageRecord]:
        """Passages by id."""
        ...

    def actions_by_ids(self, ids: Sequence[str]) -> dict[str, ActionRecord]:
        """Actions by id."""
        ...

    def participants_by_action_ids(self, ids: Sequence[str]) -> dict[str, Participants]:
        """Actors, targets, places and sources of each action (each sorted by name, id)."""
        ...

    def roles_by_holder_ids(self, ids: Sequence[str]) -> dict[str, tuple[RoleRecord, ...]]:
        """The roles each entity holds (every requested id is a key)."""
        ...

    def actions_by_entity_ids(
        self,
        ids: Sequence[str],
        roles: Sequence[ActionRole] = ("actor", "target"),
        offset: int = 0,
        limit: int = 10,
    ) -> dict[str, Page[ActionRecord]]:
        """A page of the actions each entity takes part in (in ``roles``), newest first."""
        ...

    def mentions_by_entity_ids(
        self, ids: Sequence[str], limit: int = 10
    ) -> dict[str, tuple[PassageRecord, ...]]:
        """Passages mentioning each entity, newest article first."""
        ...

    def related_by_entity_ids(
        self, ids: Sequence[str], limit: int = 10
    ) -> dict[str, tuple[RelatedEntity, ...]]:
        """Entities sharing actions with each entity, most shared first."""
        ...

    def passages_by_article_ids(self, ids: Sequence[str]) -> dict[str, tuple[PassageRecord, ...]]:
        """Each article's passages in body order."""
        ...

    def entities_by_article_ids(self, ids: Sequence[str]) -> dict[str, tuple[EntityRecord, ...]]:
        """Entities each article mentions, most mentioned first."""
        ...

    def actions_by_article_ids(self, ids: Sequence[str]) -> dict[str, tuple[ActionRecord, ...]]:
        """Actions each article reports, in body order."""
        ...

    def duplicate_of_by_ids(self, ids: Sequence[str]) -> dict[str, str]:
        """The original of each article in ``ids`` that is a near-duplicate copy."""
        ...

    def entities_page(
        self,
        search: str | None = None,
        type: str | None = None,
        offset: int = 0,
        limit: int = 20,
    ) -> Page[EntityRecord]:
        """Entities by name, or by fulltext relevance when ``search`` is given; ``type`` is a
        label (``"Organization"`` also lists armed groups, governments...)."""
        ...

    def resolve_entity(self, key: str) -> EntityRecord | None:
        """The entity a user's key denotes: by id, else exact name, else alias (the most
        mentioned wins a tie), else the best fulltext match. None when nothing matches."""
        ...

    def entities_by_fulltext(self, lucene: str, limit: int) -> tuple[EntityMatch, ...]:
        """Entities whose name or aliases match a Lucene query, best first."""
        ...

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

        ``by_sources``: one action per event (the first matching report), the events with
        the most distinct sources first.

        ``actor_code``/``target_code`` match a participant's CAMEO code by prefix ("COL"
        finds "COLMIL"); ``actor_sector`` matches an actor's sector ("MIL" in "COLMIL").

        Raises:
            InvalidQueryError: ``date_from`` is after ``date_to``.
        """
        ...

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
        ...

    def neighbors(self, entity_id: str, depth: int = 1, limit: int = 50) -> tuple[Neighbor, ...]:
        """Entities linked to ``entity_id`` through shared actions or roles, within ``depth``.

        Raises:
            InvalidQueryError: ``depth`` is not in 1..MAX_NEIGHBOR_DEPTH.
            NotFoundError: no entity has this id.
        """
        ...

    def shortest_path(
        self, from_id: str, to_id: str, max_length: int = MAX_PATH_LENGTH
    ) -> GraphPath | None:
        """The shortest path between two entities over action and role links, at most
        ``max_length`` entity-to-entity hops; None when there is none that short.

        Raises:
            InvalidQueryError: ``max_length`` is not in 1..MAX_PATH_LENGTH.
            NotFoundError: either entity does not exist.
        """
        ...
