"""CAMEO actor codes on an extraction's entities and on its actions' actors and targets.

An entity is coded by its name, then its aliases. A participant is coded by its surface
text ("Colombian soldiers" -> ``COLMIL``), which wins over its entity's code (the text says
what the entity was at the time); the entity fills what the text leaves open: "the
president" (``GOV``) resolved to Juan Manuel Santos (``COLGOV`` in 2012) is ``COLGOV``, and
a surname the dictionaries do not know takes its entity's code.
"""

from __future__ import annotations

import dataclasses
from datetime import date

from kg.core.models import Action, Extraction, Participant
from kg.extraction.dictionaries.actor_codes import ActorCode, ActorCoder, load_actor_coder


def _combine(text: ActorCode | None, entity: str | None) -> str | None:
    if text is None:
        return entity
    if entity is None or text.country is not None:
        return text.code
    # The text gives only a sector ("officials"): the entity gives the country.
    if len(entity) <= 3:
        return entity + text.code
    return entity


def code_extraction(
    extraction: Extraction, published: date | None, coder: ActorCoder | None = None
) -> Extraction:
    """The extraction with CAMEO codes on its entities and action participants.

    Args:
        extraction: Entities, mentions and actions of one article.
        published: The article's publication date (leaders' codes depend on it).
        coder: The actor coder; the packaged dictionaries by default.

    Returns:
        A copy with ``Entity.cameo_code`` and ``Participant.code`` set where known.
    """
    coder = coder or load_actor_coder()
    countries = [e.name.lower() for e in extraction.entities if e.type == "Country"]
    codes: dict[str, str | None] = {}
    entities = []
    for entity in extraction.entities:
        found = coder.code_any((entity.name, *entity.aliases), published, countries)
        codes[entity.key] = found.code if found else None
        entities.append(dataclasses.replace(entity, cameo_code=codes[entity.key]))

    def coded(p: Participant) -> Participant:
        by_text = coder.code(p.text, published, countries)
        code = _combine(by_text, codes.get(p.entity_key) if p.entity_key else None)
        return dataclasses.replace(p, code=code) if code else p

    def coded_action(a: Action) -> Action:
        return dataclasses.replace(
            a,
            actors=tuple(coded(p) for p in a.actors),
            targets=tuple(coded(p) for p in a.targets),
        )

    return dataclasses.replace(
        extraction,
        entities=tuple(entities),
        actions=tuple(coded_action(a) for a in extraction.actions),
    )
