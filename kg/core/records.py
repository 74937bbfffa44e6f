"""What the graph gives back: frozen records shared by the graph adapter, search and the API.

One record per fact. :class:`EntityRef` is an entity as it is referred to (id, name, type)
wherever it is named: search hits, action participants, query understanding;
:class:`EntityRecord` is the whole stored node.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Generic, Literal, TypeVar

T = TypeVar("T")

Role = Literal["actor", "target", "any"]
"""The role an entity plays in the actions asked about."""

ActionRole = Literal["actor", "target"]


@dataclass(frozen=True, slots=True)
class EntityRef:
    """An entity node, by id, with its display name and most specific type."""

    id: str
    name: str
    type: str


@dataclass(frozen=True, slots=True)
class EntityRecord:
    """An :Entity node."""

    id: str
    iri: str
    name: str
    type: str
    aliases: tuple[str, ...] = ()
    wikidata: str | None = None


@dataclass(frozen=True, slots=True)
class EntityMatch:
    """An entity found by a fulltext lookup, with the index's relevance score."""

    entity: EntityRecord
    score: float


@dataclass(frozen=True, slots=True)
class ArticleRecord:
    """An :Article node."""

    id: str
    iri: str
    title: str
    published: date | None = None
    url: str | None = None
    source: str | None = None
    section: str | None = None


@dataclass(frozen=True, slots=True)
class PassageRecord:
    """A :Passage node and the id of its article. Offsets index the article body."""

    id: str
    iri: str
    article_id: str
    index: int
    text: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class ActionRecord:
    """An :Action node with the ids of its evidence passage and its article."""

    id: str
    iri: str
    type: str
    mode: str | None
    date: date | None
    date_text: str | None
    negated: bool
    hypothetical: bool
    future: bool
    confidence: float
    trigger: str | None
    evidence_start: int | None
    evidence_end: int | None
    evidence_text: str | None
    actor_texts: tuple[str, ...]
    target_texts: tuple[str, ...]
    passage_id: str | None
    article_id: str | None
    actor_codes: tuple[str, ...] = ()
    target_codes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Participants:
    """The entities an action involves, by role."""

    actors: tuple[EntityRecord, ...] = ()
    targets: tuple[EntityRecord, ...] = ()
    places: tuple[EntityRecord, ...] = ()
    attributed_to: tuple[EntityRecord, ...] = ()


@dataclass(frozen=True, slots=True)
class RoleRecord:
    """A :Role its holder holds, with the organization it is in (if known)."""

    id: str
    title: str
    holder_id: str
    organization: EntityRecord | None


@dataclass(frozen=True, slots=True)
class RelatedEntity:
    """An entity sharing actions with another, and how many."""

    entity: EntityRecord
    shared_actions: int


@dataclass(frozen=True, slots=True)
class Neighbor:
    """An entity reachable through actions or roles, ``distance`` links away."""

    entity: EntityRecord
    distance: int
    links: int


@dataclass(frozen=True, slots=True)
class PathNode:
    """A node on a path: an entity, an action or a role."""

    id: str
    labels: tuple[str, ...]
    name: str | None
    type: str | None
    kind: str
    """The node's top label in the ontology (``Entity``, ``Action``, ``Role``...)."""


@dataclass(frozen=True, slots=True)
class PathStep:
    """A relationship on a path, in its stored direction."""

    type: str
    start_id: str
    end_id: str


@dataclass(frozen=True, slots=True)
class GraphPath:
    """A shortest path: ``len(nodes) == len(relationships) + 1``."""

    nodes: tuple[PathNode, ...]
    relationships: tuple[PathStep, ...]


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    """One page of an ordered list: ``items`` start at ``offset`` out of ``total``."""

    items: tuple[T, ...]
    total: int
    offset: int

    @property
    def has_next(self) -> bool:
        return self.offset + len(self.items) < self.total
