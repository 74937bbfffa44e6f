"""Name resolution inside a document: surnames to the full names they stand for, and the
document's own names to the mentions the model missed.

Nothing here reads the graph: an article resolves the same whatever was ingested before it.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace

from kg.core.models import Entity, Extraction, Mention, Participant
from kg.extraction.entities.gazetteer import fold
from kg.extraction.intervals import SpanSet


@dataclass(frozen=True, slots=True)
class FullName:
    """A multi-token person name seen at ``start``."""

    start: int
    name: str


class SurnameIndex:
    """Full person names of one document, indexed by their last token ("petro")."""

    def __init__(self) -> None:
        self._by_surname: dict[str, list[FullName]] = {}
        self._starts: dict[str, list[int]] = {}  # the entries' starts, kept sorted with them
        self._names: dict[str, set[str]] = {}

    def add(self, name: str, start: int) -> None:
        """Register the full name ``name`` (two tokens or more) seen at offset ``start``."""
        parts = name.split()
        if len(parts) < 2:
            return
        surname = fold(parts[-1])
        entries = self._by_surname.setdefault(surname, [])
        starts = self._starts.setdefault(surname, [])
        i = bisect.bisect_right(starts, start)
        entries.insert(i, FullName(start, name))
        starts.insert(i, start)
        self._names.setdefault(surname, set()).add(name)

    def resolve(self, surname: str, at: int) -> str | None:
        """The full name a bare surname at offset ``at`` refers to.

        With one distinct full name it is that one; with several ("Raúl Castro", "Fidel
        Castro") it is the nearest earlier one, or None when none is earlier.
        """
        key = fold(surname)
        entries = self._by_surname.get(key)
        if not entries:
            return None
        if len(self._names[key]) == 1:
            return entries[0].name
        index = bisect.bisect_right(self._starts[key], at) - 1
        return entries[index].name if index >= 0 else None

    def surnames(self) -> list[str]:
        """The folded surnames known."""
        return list(self._by_surname)


_SURNAME_TYPES = frozenset({"Person", "Place", "Organization"})


def _unique(candidates: list[Entity]) -> Entity | None:
    keys = {c.key for c in candidates}
    return candidates[0] if len(keys) == 1 else None


def _surface_forms(entities: Iterable[Entity]) -> dict[str, Entity]:
    """Lower-cased names, aliases and (for persons) last names that denote one entity."""
    forms: dict[str, list[Entity]] = {}
    for entity in entities:
        for alias in (entity.name, *entity.aliases):
            if alias.strip():  # an empty name (rejected later by the shapes) matches nothing
                forms.setdefault(alias.lower(), []).append(entity)
        parts = entity.name.split()
        if entity.type == "Person" and len(parts) > 1:
            forms.setdefault(parts[-1].lower(), []).append(entity)
    return {form: hit for form, found in forms.items() if (hit := _unique(found))}


def add_known_mentions(extraction: Extraction, text: str) -> Extraction:
    """Add the mentions the extractor missed of the document's own entities.

    A capitalised occurrence of an entity's name, alias or (for persons) unambiguous last
    name that no mention covers becomes a mention ("the US" once "United States" is
    resolved); an action participant with no entity whose text is such a form is linked to
    it. Only capitalised occurrences count ("us" is not the US).

    Args:
        extraction: One document's extraction.
        text: The document body the offsets refer to.

    Returns:
        The extraction with the new mentions and links; unchanged when there are none.
    """
    forms = _surface_forms(extraction.entities)
    if not forms:
        return extraction
    pattern = re.compile(
        r"\b(" + "|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True)) + r")\b",
        re.IGNORECASE,
    )
    covered = SpanSet((m.start, m.end) for m in extraction.mentions)
    added: list[Mention] = []
    for match in pattern.finditer(text):
        surface = match.group(0)
        if not surface[0].isupper():
            continue  # a common word: "us" is not the US
        if covered.overlaps(match.start(), match.end()):
            continue
        hit = forms[surface.lower()]
        added.append(Mention(match.start(), match.end(), surface, hit.key, hit.type))
        covered.add(match.start(), match.end())

    entities = {e.key: e for e in extraction.entities}
    for mention in added:
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
