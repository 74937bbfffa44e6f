"""The PLOVER trigger lexicon: verb and noun lemmas mapped to event types and modes.

The data lives in ``kg/extraction/data/plover_lexicon.json`` so it can be extended without
touching code. :func:`load_lexicon` validates it once and returns a frozen :class:`Lexicon`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from kg.core.errors import ConfigurationError
from kg.core.models import PLOVER_TYPES, PloverType

DEFAULT_LEXICON_PATH = Path(__file__).resolve().parent.parent / "data" / "plover_lexicon.json"


@dataclass(frozen=True, slots=True)
class TriggerSense:
    """What a trigger word means: a PLOVER type and, where the word says it, a mode."""

    type: PloverType
    mode: str | None = None


def parse_sense(value: str, *, where: str = "lexicon") -> TriggerSense:
    """Parse ``"TYPE"`` or ``"TYPE:mode"`` into a :class:`TriggerSense`.

    Raises:
        ConfigurationError: the type is not a PLOVER type.
    """
    type_text, _, mode = value.partition(":")
    type_text = type_text.strip().upper()
    if type_text not in PLOVER_TYPES:
        raise ConfigurationError(f"{where}: {type_text!r} is not a PLOVER type", setting="lexicon")
    return TriggerSense(type_text, mode.strip() or None)  # narrowed by the check above


@dataclass(frozen=True, slots=True)
class Lexicon:
    """Validated trigger lexicon. All word keys are lower-case lemmas."""

    verbs: Mapping[str, TriggerSense]
    verb_particles: Mapping[str, TriggerSense]
    adverb_modes: Mapping[str, TriggerSense]
    nouns: Mapping[str, TriggerSense]
    noun_modifiers: Mapping[str, Mapping[str, TriggerSense]]
    noun_of_is_actor: frozenset[str]
    light_verbs: frozenset[str]
    intent_verbs: Mapping[str, TriggerSense | None]
    intent_adjectives: frozenset[str]
    object_control_verbs: frozenset[str]
    transparent_verbs: frozenset[str]
    negating_verbs: frozenset[str]
    cessation_verbs: frozenset[str]
    accuse_verbs: frozenset[str]
    speech_verbs: frozenset[str]
    obligation_modals: frozenset[str]
    hypothetical_markers: frozenset[str]
    conditional_marks: frozenset[str]
    future_markers: frozenset[str]
    generic_group_nouns: Mapping[str, str]
    target_preps: Mapping[str, frozenset[str]]
    hostile_types: frozenset[str]
    cooperative_types: frozenset[str]
    place_preps: frozenset[str]
    place_nouns: frozenset[str]
    object_is_thing: frozenset[str] = frozenset()
    place_target_types: frozenset[str] = frozenset()
    relational_nouns: frozenset[str] = frozenset()
    participant_nouns: frozenset[str] = frozenset()
    participant_suffixes: tuple[str, ...] = ()

    def verb_sense(self, lemma: str) -> TriggerSense | None:
        """The sense of a verb lemma, or None."""
        return self.verbs.get(lemma.lower())

    def noun_sense(self, lemma: str, modifiers: tuple[str, ...] = ()) -> TriggerSense | None:
        """The sense of a noun lemma, refined by modifiers ("phone" call, "hunger" strike)."""
        key = lemma.lower()
        by_modifier = self.noun_modifiers.get(key, {})
        for modifier in modifiers:
            sense = by_modifier.get(modifier.lower())
            if sense is not None:
                return sense
        return self.nouns.get(key)

    def is_hostile(self, plover_type: str) -> bool:
        """Whether the type is conflictual (used to type stated intentions: threat or promise)."""
        return plover_type in self.hostile_types


def _words(raw: Mapping[str, Any], key: str) -> frozenset[str]:
    return frozenset(str(w).lower() for w in raw.get(key, ()))


def lexicon_from_mapping(raw: Mapping[str, Any], *, where: str = "lexicon") -> Lexicon:
    """Build a :class:`Lexicon` from the JSON structure; validates every type name."""

    def senses(key: str) -> dict[str, TriggerSense]:
        return {
            k.lower(): parse_sense(v, where=f"{where}:{key}.{k}")
            for k, v in raw.get(key, {}).items()
        }

    intent: dict[str, TriggerSense | None] = {
        k.lower(): (parse_sense(v, where=f"{where}:intent_verbs.{k}") if v else None)
        for k, v in raw.get("intent_verbs", {}).items()
    }
    modifiers = {
        noun.lower(): {
            m.lower(): parse_sense(v, where=f"{where}:noun_modifiers.{noun}.{m}")
            for m, v in mods.items()
        }
        for noun, mods in raw.get("noun_modifiers", {}).items()
    }
    preps = {t.upper(): frozenset(p.lower() for p in ps) for t, ps in raw["target_preps"].items()}
    for t in preps:
        if t not in PLOVER_TYPES:
            raise ConfigurationError(f"{where}: target_preps has unknown type {t!r}")
    return Lexicon(
        verbs=senses("verbs"),
        verb_particles=senses("verb_particles"),
        adverb_modes=senses("adverb_modes"),
        nouns=senses("nouns"),
        noun_modifiers=modifiers,
        noun_of_is_actor=_words(raw, "noun_of_is_actor"),
        light_verbs=_words(raw, "light_verbs"),
        intent_verbs=intent,
        intent_adjectives=_words(raw, "intent_adjectives"),
        object_control_verbs=_words(raw, "object_control_verbs"),
        transparent_verbs=_words(raw, "transparent_verbs"),
        negating_verbs=_words(raw, "negating_verbs"),
        cessation_verbs=_words(raw, "cessation_verbs"),
        accuse_verbs=_words(raw, "accuse_verbs"),
        speech_verbs=_words(raw, "speech_verbs"),
        obligation_modals=_words(raw, "obligation_modals"),
        hypothetical_markers=_words(raw, "hypothetical_markers"),
        conditional_marks=_words(raw, "conditional_marks"),
        future_markers=_words(raw, "future_markers"),
        generic_group_nouns={
            k.lower(): str(v) for k, v in raw.get("generic_group_nouns", {}).items()
        },
        target_preps=preps,
        hostile_types=frozenset(t.upper() for t in raw.get("hostile_types", ())),
        cooperative_types=frozenset(t.upper() for t in raw.get("cooperative_types", ())),
        place_preps=_words(raw, "place_preps"),
        place_nouns=_words(raw, "place_nouns"),
        object_is_thing=frozenset(t.upper() for t in raw.get("object_is_thing_types", ())),
        place_target_types=frozenset(t.upper() for t in raw.get("place_target_types", ())),
        relational_nouns=_words(raw, "relational_nouns"),
        participant_nouns=_words(raw, "participant_nouns"),
        participant_suffixes=tuple(sorted(_words(raw, "participant_suffixes"))),
    )


@lru_cache(maxsize=4)
def load_lexicon(path: Path = DEFAULT_LEXICON_PATH) -> Lexicon:
    """Load and validate the lexicon file (cached per path).

    Raises:
        ConfigurationError: the file is missing, not JSON, or names an unknown type.
    """
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise ConfigurationError(f"cannot read lexicon {path}: {exc}", setting="lexicon") from exc
    if not isinstance(raw, dict):
        raise ConfigurationError(f"lexicon {path} must be a JSON object", setting="lexicon")
    return lexicon_from_mapping(raw, where=str(path))
