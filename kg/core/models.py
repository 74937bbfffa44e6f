"""Pure data. Pydantic models at the edges (input articles), frozen dataclasses inside.

Character offsets (``start``/``end``) are always offsets into :attr:`Article.body`,
half-open, so ``article.body[start:end]`` is the quoted text.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, HttpUrl

from kg.core.identity import action_iri, article_iri, entity_iri, passage_iri, stable_id
from kg.core.limits import MAX_LABEL_CHARS, MAX_TITLE_CHARS

EntityType = Literal[
    "Person",
    "Organization",
    "Government",
    "ArmedGroup",
    "PoliticalParty",
    "MediaOrganization",
    "Country",
    "Place",
]
ENTITY_TYPES: tuple[EntityType, ...] = get_args(EntityType)

PloverType = Literal[
    "AGREE",
    "CONSULT",
    "SUPPORT",
    "CONCEDE",
    "COOPERATE",
    "AID",
    "RETREAT",
    "REQUEST",
    "ACCUSE",
    "REJECT",
    "THREATEN",
    "PROTEST",
    "SANCTION",
    "MOBILIZE",
    "COERCE",
    "ASSAULT",
]
PLOVER_TYPES: tuple[PloverType, ...] = get_args(PloverType)


# --------------------------------------------------------------------------- edges


class ArticleIn(BaseModel):
    """An article as it arrives (JSON/JSONL record, GraphQL input). Validated at the edge."""

    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)

    # The body limit bounds the text; the short fields get bounds of their own so that a
    # megabyte "title" is refused by name instead of being stored on every node's page.
    title: str = Field(min_length=1, max_length=MAX_TITLE_CHARS)
    text: str = Field(min_length=1)
    published: date | None = None
    url: HttpUrl | None = None
    source: str | None = Field(default=None, max_length=MAX_LABEL_CHARS)
    section: str | None = Field(default=None, max_length=MAX_LABEL_CHARS)


# --------------------------------------------------------------------------- inside


@dataclass(frozen=True, slots=True)
class Article:
    """A parsed article with its boilerplate removed."""

    title: str
    body: str
    published: date | None = None
    url: str | None = None
    source: str | None = None
    section: str | None = None
    origin: str = ""  # where it was read from (file path, "api", ...)

    @property
    def iri(self) -> str:
        return article_iri(self.url, self.title, self.body)

    @property
    def id(self) -> str:
        return stable_id(self.iri)


@dataclass(frozen=True, slots=True)
class Passage:
    """A contiguous span of an article body."""

    article_iri: str
    index: int
    start: int
    end: int
    text: str

    @property
    def iri(self) -> str:
        return passage_iri(self.article_iri, self.index)

    @property
    def id(self) -> str:
        return stable_id(self.iri)


@dataclass(frozen=True, slots=True)
class Mention:
    """One occurrence of an entity in the body."""

    start: int
    end: int
    text: str
    entity_key: str
    type: EntityType


@dataclass(frozen=True, slots=True)
class Entity:
    """A resolved entity. ``key`` is its canonical, normalised name; it makes the IRI."""

    key: str
    name: str
    type: EntityType
    aliases: tuple[str, ...] = ()
    wikidata: str | None = None
    cameo_code: str | None = None  # CAMEO actor code ("COL", "COLREB"), where known

    @property
    def iri(self) -> str:
        return entity_iri(self.key)

    @property
    def id(self) -> str:
        return stable_id(self.iri)


@dataclass(frozen=True, slots=True)
class Role:
    """A position someone holds: ``Benedetti`` is ``interior minister`` of ``Colombia``."""

    holder_key: str
    title: str
    organization_key: str | None = None


@dataclass(frozen=True, slots=True)
class Participant:
    """An actor, target or source of an action: the text, and the entity when resolved.

    ``code`` is its CAMEO actor code ("COLMIL", "GOV") where the dictionaries know one.
    """

    text: str
    entity_key: str | None = None
    code: str | None = None


@dataclass(frozen=True, slots=True)
class Action:
    """Who did what to whom, when, where, according to whom; with its evidence span."""

    type: PloverType
    actors: tuple[Participant, ...]
    targets: tuple[Participant, ...]
    start: int  # evidence span in the article body
    end: int
    trigger: str
    mode: str | None = None
    date: date | None = None
    date_text: str | None = None
    place: Participant | None = None
    attributed_to: tuple[Participant, ...] = ()
    negated: bool = False
    hypothetical: bool = False
    future: bool = False
    confidence: float = 0.5

    def iri_in(self, article: str) -> str:
        """The action's IRI inside the article with IRI ``article``.

        It depends on what the text says (type, span, trigger, participants' words), not
        on how the participants were resolved, so better resolution on a re-ingest adds
        links to the same action rather than a second action.
        """
        roles = "|".join(
            [self.type, str(self.start), str(self.end), self.trigger]
            + [p.text for p in self.actors]
            + ["->"]
            + [p.text for p in self.targets]
        )
        return action_iri(article, roles)


@dataclass(frozen=True, slots=True)
class Extraction:
    """Everything extracted from one article body."""

    entities: tuple[Entity, ...] = ()
    mentions: tuple[Mention, ...] = ()
    actions: tuple[Action, ...] = ()
    roles: tuple[Role, ...] = ()


@dataclass(frozen=True, slots=True)
class ParsedDocument:
    """An article, its passages and what was extracted from it: one unit of ingest."""

    article: Article
    passages: tuple[Passage, ...]
    extraction: Extraction = field(default_factory=Extraction)


# --------------------------------------------------------------------------- storage rows


@dataclass(frozen=True, slots=True)
class NodeRow:
    """A node to write. ``labels`` come from the ontology's allow-list."""

    id: str
    iri: str
    labels: tuple[str, ...]
    properties: Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class RelRow:
    """A relationship to write between two node ids. ``type`` comes from the allow-list."""

    type: str
    start_id: str
    end_id: str


@dataclass(frozen=True, slots=True)
class GraphRows:
    """The property-graph form of one or more documents."""

    nodes: tuple[NodeRow, ...]
    relationships: tuple[RelRow, ...]


@dataclass(frozen=True, slots=True)
class GraphPage:
    """One page of the graph export: nodes in id order and the relationships they start.

    Attributes:
        rows: The page's nodes (ids ascending) and their outgoing relationships.
        end_iris: The IRI of every relationship end, by id (ends may be on other pages).
    """

    rows: GraphRows
    end_iris: Mapping[str, str]

    @property
    def last_id(self) -> str | None:
        """The cursor for the next page: the largest id of this one (None when empty)."""
        return self.rows.nodes[-1].id if self.rows.nodes else None


@dataclass(frozen=True, slots=True)
class VectorPoint:
    """A passage embedding. ``id`` equals the passage node's id in Neo4j."""

    id: str
    vector: tuple[float, ...]
    payload: Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class VectorHit:
    """One vector search result."""

    id: str
    score: float
    payload: Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class VectorFilter:
    """Payload filter for vector search. Unset fields do not filter."""

    article_ids: tuple[str, ...] = ()
    entity_ids: tuple[str, ...] = ()  # any-of
    published_from: date | None = None
    published_to: date | None = None
    exclude_article_ids: tuple[str, ...] = ()  # none-of (search leaves near-duplicates out)


@dataclass(frozen=True, slots=True)
class VectorScan:
    """One page of a scan through the stored points, in the store's id order.

    Attributes:
        points: The page's points with their payloads (score 0).
        next_offset: Where the next page starts; None after the last page.
    """

    points: tuple[VectorHit, ...]
    next_offset: str | None = None
