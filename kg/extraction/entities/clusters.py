"""Mentions resolved to one entity key form a cluster; its votes decide the entity's type.

Gazetteer and curated evidence is fixed (it outvotes everything); full person names weigh
more than a bare PERSON label.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from kg.core.models import Entity, EntityType

FIXED = 1000.0  # vote weight of gazetteer/curated evidence
FULL_NAME = 3.0
PERSON_LABEL = 2.0
# Ties between equally voted types: the more specific, person-first.
_TYPE_ORDER: tuple[EntityType, ...] = (
    "Person",
    "Country",
    "ArmedGroup",
    "PoliticalParty",
    "MediaOrganization",
    "Government",
    "Organization",
    "Place",
)


@dataclass(slots=True)
class Cluster:
    """The mentions resolved to one key so far."""

    key: str
    name: str
    votes: dict[EntityType, float] = field(default_factory=lambda: defaultdict(float))
    surfaces: set[str] = field(default_factory=set)
    aliases: set[str] = field(default_factory=set)
    wikidata: str | None = None


@dataclass(frozen=True, slots=True)
class Resolved:
    """What one span resolves to, with the weight of its type vote and the rule used."""

    key: str
    name: str
    type: EntityType
    weight: float
    via: str
    wikidata: str | None = None
    aliases: tuple[str, ...] = ()


def add_to_cluster(clusters: dict[str, Cluster], resolved: Resolved, surface: str) -> None:
    """Count one resolved mention towards its entity's cluster (name, type votes, aliases)."""
    cluster = clusters.get(resolved.key)
    if cluster is None:
        cluster = clusters[resolved.key] = Cluster(resolved.key, resolved.name)
    elif resolved.weight >= FIXED or (
        len(resolved.name) > len(cluster.name) and resolved.via != "label"
    ):
        cluster.name = resolved.name
    cluster.votes[resolved.type] += resolved.weight
    # A capital standing for its country is not a name of the country.
    if resolved.via != "capital-metonym":
        cluster.surfaces.add(surface)
    cluster.aliases.update(resolved.aliases)
    cluster.wikidata = cluster.wikidata or resolved.wikidata


def cluster_entity(cluster: Cluster) -> Entity:
    """The entity a cluster makes: the best-voted type (ties by specificity), its aliases."""
    best = max(cluster.votes.values())
    typ = next(t for t in _TYPE_ORDER if cluster.votes.get(t, 0) == best)
    aliases = (cluster.surfaces | cluster.aliases) - {cluster.name}
    return Entity(
        key=cluster.key,
        name=cluster.name,
        type=typ,
        aliases=tuple(sorted(aliases)),
        wikidata=cluster.wikidata,
    )
