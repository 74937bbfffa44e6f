"""The PLOVER trigger lexicon: verb and noun lemmas mapped to event types and modes.

The data lives in ``kg/extraction/data/plover_lexicon.json`` so it can be extended without
touching code. :func:`load_lexicon` validates it once and returns a frozen :class:`Lexicon`.
This module is the one reader of that file (extraction and query understanding both use
it); it is pure data loading and imports no NLP library.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
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
    query_words: Mapping[str, PloverType] = field(default_factory=dict)
    """Word -> type for event words of search queries the verbs and nouns lack."""

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

    def derived_noun_sense(self, lemma: str) -> TriggerSense | None:
        """The sense of a nominalization of a lexicon verb ("suspension" -> "suspend").

        Only suffixed forms: a bare verb stem used as a noun ("station", "club", "march")
        is too often no event.
        """
        return next(
            (s for v in verbs_of_nominal(lemma.lower()) if (s := self.verbs.get(v)) is not None),
            None,
        )

    def query_event_words(self) -> dict[str, PloverType]:
        """Word -> PLOVER type for the event words of a search query.

        The ``query_words`` first, then the one-word verb lemmas, then the one-word noun
        lemmas, an earlier table winning over a later one. Modes are dropped: a query names
        a kind of event, not its mode.
        """
        words: dict[str, PloverType] = dict(self.query_words)
        for table in (self.verbs, self.nouns):
            for lemma, sense in table.items():
                if _ONE_WORD.fullmatch(lemma):
                    words.setdefault(lemma, sense.type)
        return words

    def is_hostile(self, plover_type: str) -> bool:
        """Whether the type is conflictual (used to type stated intentions: threat or promise)."""
        return plover_type in self.hostile_types


_ONE_WORD = re.compile(r"[a-z]+")
# Nominalizing suffixes and the verb endings they replace: "negotiation" -> "negotiate",
# "invasion" -> "invade", "deployment" -> "deploy", "denial" -> "deny", "assistance".
_NOMINAL_SUFFIXES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("iation", ("iate",)),
    ("ation", ("ate", "e", "")),
    ("ition", ("ite", "")),
    ("ution", ("ute",)),
    ("sion", ("d", "de", "t")),
    ("tion", ("t", "te")),
    ("ment", ("",)),
    ("ial", ("y",)),
    ("al", ("", "e")),
    ("ance", ("", "e")),
    ("ence", ("", "e")),
    ("ure", ("e",)),
    ("ing", ("", "e")),
)


def verbs_of_nominal(noun: str) -> list[str]:
    """Candidate verbs a suffixed noun derives from, most likely first."""
    out: list[str] = []
    for suffix, endings in _NOMINAL_SUFFIXES:
        stem = noun[: -len(suffix)]
        if noun.endswith(suffix) and len(stem) >= 3:
            out.extend(stem + e for e in endings)
    return out


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
    query_words: dict[str, PloverType] = {}
    for type_text, words in raw.get("query_words", {}).items():
        sense = parse_sense(type_text, where=f"{where}:query_words")
        for word in words:
            query_words.setdefault(str(word).strip().lower(), sense.type)
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
        query_words=query_words,
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
