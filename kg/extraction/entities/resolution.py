"""Name resolution: surnames to full names inside a document, and extracted entities to
entities already in the graph (cross-article).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace

from kg.core.models import Entity, EntityType, Extraction, Mention, Participant, Role
from kg.extraction.entities.gazetteer import fold


@dataclass(frozen=True, slots=True)
class FullName:
    """A multi-token person name seen at ``start``."""

    start: int
    name: str


class SurnameIndex:
    """Full person names of one document, indexed by their last token ("petro")."""

    def __init__(self) -> None:
        self._by_surname: dict[str, list[FullName]] = {}

    def add(self, name: str, start: int) -> None:
        """Register the full name ``name`` (two tokens or more) seen at offset ``start``."""
        parts = name.split()
        if len(parts) < 2:
            return
        entries = self._by_surname.setdefault(fold(parts[-1]), [])
        entries.append(FullName(start, name))
        entries.sort(key=lambda e: e.start)

    def resolve(self, surname: str, at: int) -> str | None:
        """The full name a bare surname at offset ``at`` refers to.

        With one distinct full name it is that one; with several ("Raúl Castro", "Fidel
        Castro") it is the nearest earlier one, or None when none is earlier.
        """
        entries = self._by_surname.get(fold(surname))
        if not entries:
            return None
        names = {e.name for e in entries}
        if len(names) == 1:
            return entries[0].name
        index = bisect.bisect_right([e.start for e in entries], at) - 1
        return entries[index].name if index >= 0 else None

    def surnames(self) -> list[str]:
        """The folded surnames known."""
        return list(self._by_surname)


_SURNAME_TYPES = frozenset({"Person", "Place", "Organization"})


@dataclass(frozen=True, slots=True)
class KnownEntity:
    """An entity already in the graph: its key, canonical name and type."""

    key: str
    name: str
    type: EntityType


def _unique(candidates: list[KnownEntity]) -> KnownEntity | None:
    keys = {c.key for c in candidates}
    return candidates[0] if len(keys) == 1 else None


def _match_known(entity: Entity, known: Mapping[str, KnownEntity]) -> KnownEntity | None:
    if entity.key in {k.key for k in known.values()}:
        return None  # already the graph's key
    for name in (entity.name, *entity.aliases):
        hit = known.get(name.lower()) or known.get(fold(name))
        if hit is not None and (hit.type == entity.type or entity.type != "Person"):
            return hit
    parts = entity.name.split()
    # The small model types a lone surname as a place or organisation as often as a person
    # ("Petro" GPE), so any single-word entity not typed from the gazetteer may be one.
    if entity.type in _SURNAME_TYPES and len(parts) == 1:
        surname = fold(parts[0])
        people = [
            k
            for k in known.values()
            if k.type == "Person"
            and len(k.name.split()) > 1
            and fold(k.name.split()[-1]) == surname
        ]
        return _unique(people)
    return None


def names_to_look_up(extraction: Extraction) -> list[str]:
    """Names and aliases of an extraction's entities, for querying the graph.

    A caller builds the ``known`` map of :func:`resolve_against_known` from the graph
    entities whose name or alias is one of these (lower-cased), plus the persons whose
    last name is one of the single-word names here.
    """
    names = {n for e in extraction.entities for n in (e.name, *e.aliases)}
    return sorted(names)


def resolve_against_known(extraction: Extraction, known: Mapping[str, KnownEntity]) -> Extraction:
    """Map extracted entities onto entities already in the graph.

    An entity whose name or an alias is a known name or alias (``known`` maps lower-cased
    names/aliases to entities) takes the known key, name and type; a bare person name
    ("Petro") takes the key of the one known person whose last name it is ("Gustavo
    Petro"), and nothing when that is ambiguous. Mentions and roles follow; entities that
    end up with the same key are merged (aliases unioned).

    Args:
        extraction: One document's extraction.
        known: Lower-cased name or alias -> known entity, from the graph.

    Returns:
        The extraction with keys rewritten (actions are passed through unchanged apart from
        their participants' keys).
    """
    if not known:
        return extraction
    renamed: dict[str, KnownEntity] = {}
    for entity in extraction.entities:
        hit = _match_known(entity, known)
        if hit is not None and hit.key != entity.key:
            renamed[entity.key] = hit
    if not renamed:
        return extraction

    merged: dict[str, Entity] = {}
    for entity in extraction.entities:
        hit = renamed.get(entity.key)
        if hit is not None:
            aliases = {entity.name, *entity.aliases} - {hit.name}
            entity = Entity(hit.key, hit.name, hit.type, tuple(sorted(aliases)), entity.wikidata)
        previous = merged.get(entity.key)
        if previous is not None:
            aliases = set(previous.aliases) | set(entity.aliases)
            entity = replace(
                previous,
                aliases=tuple(sorted(aliases - {previous.name})),
                wikidata=previous.wikidata or entity.wikidata,
            )
        merged[entity.key] = entity

    def key_of(key: str | None) -> str | None:
        return renamed[key].key if key is not None and key in renamed else key

    mentions = tuple(
        Mention(m.start, m.end, m.text, renamed[m.entity_key].key, renamed[m.entity_key].type)
        if m.entity_key in renamed
        else m
        for m in extraction.mentions
    )
    roles = tuple(
        dict.fromkeys(
            Role(key_of(r.holder_key) or r.holder_key, r.title, key_of(r.organization_key))
            for r in extraction.roles
        )
    )
    actions = tuple(
        replace(
            a,
            actors=tuple(replace(p, entity_key=key_of(p.entity_key)) for p in a.actors),
            targets=tuple(replace(p, entity_key=key_of(p.entity_key)) for p in a.targets),
            place=replace(a.place, entity_key=key_of(a.place.entity_key)) if a.place else None,
            attributed_to=tuple(
                replace(p, entity_key=key_of(p.entity_key)) for p in a.attributed_to
            ),
        )
        for a in extraction.actions
    )
    return Extraction(
        entities=tuple(merged.values()), mentions=mentions, actions=actions, roles=roles
    )


_PROPER_RUN = re.compile(r"\b[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*)*")


def uncovered_names(text: str, extraction: Extraction) -> list[str]:
    """Capitalised words and runs of them that no mention covers ("Petro" the model missed).

    The graph may know them from earlier articles; :func:`add_known_mentions` then adds
    their mentions.
    """
    covered = [(m.start, m.end) for m in extraction.mentions]
    names: set[str] = set()
    for match in _PROPER_RUN.finditer(text):
        if any(s < match.end() and match.start() < e for s, e in covered):
            continue
        words = match.group(0).split()
        names.add(" ".join(words))
        names.update(w.strip(".") for w in words if len(w.strip(".")) > 1)
    return sorted(names)


def _surface_forms(known: Mapping[str, KnownEntity]) -> dict[str, KnownEntity]:
    forms: dict[str, list[KnownEntity]] = {}
    for alias, entity in known.items():
        forms.setdefault(alias, []).append(entity)
        parts = entity.name.split()
        if entity.type == "Person" and len(parts) > 1:
            forms.setdefault(parts[-1].lower(), []).append(entity)
    return {form: hit for form, entities in forms.items() if (hit := _unique(entities))}


def add_known_mentions(
    extraction: Extraction, text: str, known: Mapping[str, KnownEntity]
) -> Extraction:
    """Add mentions of graph-known entities the extractor did not recognise in ``text``.

    A capitalised occurrence of a known name, alias or (for persons) unambiguous last name
    that no mention covers becomes a mention; an action participant with no entity whose
    text is such a form is linked to it. Only capitalised occurrences count ("us" is not
    the US).

    Args:
        extraction: One document's extraction, already passed through
            :func:`resolve_against_known`.
        text: The document body the offsets refer to.
        known: Lower-cased name or alias -> known entity, from the graph.

    Returns:
        The extraction with the new mentions and links; unchanged when there are none.
    """
    forms = _surface_forms(known)
    if not forms:
        return extraction
    pattern = re.compile(
        r"\b(" + "|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True)) + r")\b",
        re.IGNORECASE,
    )
    covered = [(m.start, m.end) for m in extraction.mentions]
    added: list[Mention] = []
    for match in pattern.finditer(text):
        surface = match.group(0)
        if not surface[0].isupper():
            continue  # a common word: "us" is not the US
        if any(s < match.end() and match.start() < e for s, e in covered):
            continue
        hit = forms[surface.lower()]
        added.append(Mention(match.start(), match.end(), surface, hit.key, hit.type))
        covered.append((match.start(), match.end()))

    entities = {e.key: e for e in extraction.entities}
    for mention in added:
        if mention.entity_key not in entities:
            hit = forms[mention.text.lower()]
            entities[hit.key] = Entity(hit.key, hit.name, hit.type)
        entity = entities[mention.entity_key]
        if mention.text != entity.name and mention.text not in entity.aliases:
            entities[entity.key] = replace(
                entity, aliases=tuple(sorted({*entity.aliases, mention.text}))
            )

    def link(p: Participant) -> Participant:
        if p.entity_key is not None:
            return p
        hit = forms.get(re.sub(r"^(the|a|an)\s+", "", p.text.strip(), flags=re.I).lower())
        return replace(p, entity_key=hit.key) if hit and hit.key in entities else p

    actions = tuple(
        replace(
            a,
            actors=tuple(link(p) for p in a.actors),
            targets=tuple(link(p) for p in a.targets),
            attributed_to=tuple(link(p) for p in a.attributed_to),
        )
        for a in extraction.actions
    )
    if not added and actions == extraction.actions:
        return extraction
    return replace(
        extraction,
        entities=tuple(entities.values()),
        mentions=tuple(sorted((*extraction.mentions, *added), key=lambda m: m.start)),
        actions=actions,
    )
