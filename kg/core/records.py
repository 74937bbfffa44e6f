"""What the graph gives back: frozen records shared by the graph adapter, search and the API.

One record per fact. A stored entity is an :class:`EntityRecord` wherever it appears: search
hits, action participants, query understanding, the API's ``Entity`` (an extracted one,
before it has an id, is :class:`kg.core.models.Entity`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Generic, Literal, TypeVar

T = TypeVar("T")

Role = Literal["actor", "target", "any"]
"""The role an entity plays in the actions asked about."""

ActionRole = Literal["actor", "target"]


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


# --------------------------------------------------------------------------- writes


@dataclass(frozen=True, slots=True)
class ArticleWrite:
    """What replacing an article in the graph did."""

    existed: bool
    """The article was stored before (it was replaced, not created)."""
    removed_passage_ids: tuple[str, ...] = ()
    """The ids of the passages of the previous version (empty when it did not exist)."""


@dataclass(frozen=True, slots=True)
class DeleteResult:
    """What deleting an article removed from the graph."""

    passage_ids: tuple[str, ...]
    entity_ids: tuple[str, ...]
    """The entities that nothing else supported any more."""
    nodes_removed: int


# =========================================================================== search
# What the search port (kg.core.ports.SearchGraph) takes and gives back.


@dataclass(frozen=True, slots=True)
class SearchScope:
    """The restrictions every graph read of one search shares.

    Attributes:
        from_date: Earliest publication (passages) / action date (actions), inclusive.
        to_date: Latest publication / action date, inclusive.
        types: PLOVER types; only passages evidencing such an action, only such actions.
        mention: An entity id; only passages mentioning it / actions involving it.
        include_duplicates: Also the passages and actions of near-duplicate copies (articles
            ``DUPLICATE_OF`` another); by default only the originals are searched.
    """

    from_date: date | None = None
    to_date: date | None = None
    types: tuple[str, ...] = ()
    mention: str | None = None
    include_duplicates: bool = False


@dataclass(frozen=True, slots=True)
class ScoredPassage:
    """A passage with the score a retriever gave it (Lucene BM25 for fulltext)."""

    passage: PassageRecord
    score: float


@dataclass(frozen=True, slots=True)
class ActionEvidence:
    """An action found by the graph, how it was reached, and the passage evidencing it.

    Attributes:
        action_id: The action's id.
        type: Its PLOVER type.
        confidence: The extractor's confidence (0.5 when unknown).
        rel: The relationship from the action to the entity that led to it
            (``HAS_ACTOR``, ``HAS_TARGET``), or None when not reached through an entity.
        passage: The evidence passage, or None when the action has none in scope.
    """

    action_id: str
    type: str
    confidence: float
    rel: str | None = None
    passage: PassageRecord | None = None


@dataclass(frozen=True, slots=True)
class EntityEvidence:
    """What the graph holds about one entity a query names (the graph retriever's input).

    Attributes:
        actions: Actions in which the entity plays the asked role, with their evidence,
            most confident then latest first (an action may repeat, once per evidence).
        passages: Passages mentioning the entity, latest article first.
        records: The actions' records, by id (read with them: the ones a search shows
            need no read of their own).
        participants: The actions' participants, by action id.
        events: The events the actions report, by action id, when they were asked for
            (actions without one are absent).
    """

    actions: tuple[ActionEvidence, ...] = ()
    passages: tuple[PassageRecord, ...] = ()
    records: Mapping[str, ActionRecord] = field(default_factory=dict)
    participants: Mapping[str, Participants] = field(default_factory=dict)
    events: Mapping[str, EventRecord] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class StoredPassage:
    """A passage with what its vector's payload repeats of the graph: its article and the
    entities it mentions. Ingest builds one per passage, ``kg check`` reads them back.

    Attributes:
        passage: The passage node.
        article: Its article node.
        entity_ids: Ids of the entities the passage mentions, sorted.
    """

    passage: PassageRecord
    article: ArticleRecord
    entity_ids: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class CheckScope:
    """Which articles ``kg check`` looks at; the default, nothing set, is every article.

    Attributes:
        article_ids: Only these articles (and the vectors whose payload names them).
        url_prefix: Only articles whose URL starts with this (and vectors whose payload
            URL does).
    """

    article_ids: tuple[str, ...] = ()
    url_prefix: str | None = None

    @property
    def everything(self) -> bool:
        """True when nothing is filtered."""
        return not self.article_ids and self.url_prefix is None


@dataclass(frozen=True, slots=True)
class PassageRole:
    """An entity's part in an action a passage evidences (search's role consistency).

    Attributes:
        passage_id: The evidence passage.
        entity_id: The entity.
        role: ``"actor"`` (``HAS_ACTOR``) or ``"target"`` (``HAS_TARGET``).
        action_id: The action.
        action_type: Its PLOVER type.
    """

    passage_id: str
    entity_id: str
    role: Role
    action_id: str
    action_type: str


@dataclass(frozen=True, slots=True)
class PassageContext:
    """Passages read with what showing, checking and ranking them needs (search's
    candidates).

    Attributes:
        passages: The passages found, by id (unknown ids are absent; empty when their
            texts were not asked for).
        articles: Their articles, by id.
        roles: The parts the asked entities play in the actions each passage evidences,
            by passage id (only passages with such parts are keys).
        actions: The actions each passage evidences in scope, by passage id (only when
            asked, and only passages with such actions are keys); each one's ``passage``
            is the passage when its text was read, else None.
        records: Those actions' records, by action id.
        participants: Their participants, by action id.
        events: The events they report, by action id (actions without one are absent).
    """

    passages: Mapping[str, PassageRecord] = field(default_factory=dict)
    articles: Mapping[str, ArticleRecord] = field(default_factory=dict)
    roles: Mapping[str, tuple[PassageRole, ...]] = field(default_factory=dict)
    actions: Mapping[str, tuple[ActionEvidence, ...]] = field(default_factory=dict)
    records: Mapping[str, ActionRecord] = field(default_factory=dict)
    participants: Mapping[str, Participants] = field(default_factory=dict)
    events: Mapping[str, EventRecord] = field(default_factory=dict)

    def joined(self, other: PassageContext) -> PassageContext:
        """Both reads' records (``other``'s win where both hold one)."""
        return PassageContext(
            {**self.passages, **other.passages},
            {**self.articles, **other.articles},
            {**self.roles, **other.roles},
            {**self.actions, **other.actions},
            {**self.records, **other.records},
            {**self.participants, **other.participants},
            {**self.events, **other.events},
        )


# =========================================================================== events


@dataclass(frozen=True, slots=True)
class EventRecord:
    """An :Event node: one real-world event and the actions (reports) that report it.

    Attributes:
        report_ids: The ids of the actions reporting it, sorted.
        lead_id: The report whose IRI names the event; lists show one row per event by it.
    """

    id: str
    iri: str
    type: str
    article_count: int
    source_count: int
    first_reported: date | None
    last_reported: date | None
    confidence: float
    lead_id: str
    report_ids: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class EventUpdate:
    """What one event merge pass changed."""

    changed: tuple[EventRecord, ...] = ()
    """Events that are new or whose reports changed."""
    removed: tuple[str, ...] = ()
    """Ids of the events that no longer exist."""
