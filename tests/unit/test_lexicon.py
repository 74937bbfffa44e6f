"""The PLOVER trigger lexicon loads, validates and answers lookups (pure)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kg.core.errors import ConfigurationError
from kg.core.models import PLOVER_TYPES
from kg.extraction.actions.lexicon import (
    DEFAULT_LEXICON_PATH,
    TriggerSense,
    load_lexicon,
    parse_sense,
    verbs_of_nominal,
)
from kg.rdf.ontology import load_ontology


def test_packaged_lexicon_is_valid() -> None:
    lexicon = load_lexicon()
    assert len(lexicon.verbs) > 150
    assert {s.type for s in lexicon.verbs.values()} <= set(PLOVER_TYPES)
    # every PLOVER type has at least one verb trigger
    assert {s.type for s in lexicon.verbs.values()} == set(PLOVER_TYPES)


def test_lookups() -> None:
    lexicon = load_lexicon()
    accuse = lexicon.verb_sense("accuse")
    assert accuse is not None and accuse.type == "ACCUSE" and accuse.mode == "allege"
    call = lexicon.noun_sense("call", ("phone",))
    assert call is not None and (call.type, call.mode) == ("CONSULT", "phone")
    strike = lexicon.noun_sense("strike", ("hunger",))
    assert strike is not None and strike.type == "PROTEST"
    plain = lexicon.noun_sense("strike")
    assert plain is not None and plain.type == "ASSAULT"
    assert lexicon.noun_sense("action") is None  # only with a modifier
    assert lexicon.is_hostile("ASSAULT") and not lexicon.is_hostile("AGREE")


def test_parse_sense_rejects_unknown_types() -> None:
    assert parse_sense("coerce:arrest").type == "COERCE"
    with pytest.raises(ConfigurationError):
        parse_sense("FIGHT")


def test_bad_lexicon_file_is_a_configuration_error(tmp_path: Path) -> None:
    raw = json.loads(DEFAULT_LEXICON_PATH.read_text(encoding="utf-8"))
    raw["verbs"]["smite"] = "SMITE"
    bad = tmp_path / "lexicon.json"
    bad.write_text(json.dumps(raw), encoding="utf-8")
    with pytest.raises(ConfigurationError, match="SMITE"):
        load_lexicon(bad)
    missing = tmp_path / "missing.json"
    with pytest.raises(ConfigurationError):
        load_lexicon(missing)


def _lexicon_senses() -> list[tuple[str, TriggerSense]]:
    lexicon = load_lexicon()
    found: list[tuple[str, TriggerSense]] = []
    for table in (lexicon.verbs, lexicon.verb_particles, lexicon.nouns, lexicon.adverb_modes):
        found += list(table.items())
    for noun, by_modifier in lexicon.noun_modifiers.items():
        found += [(f"{m} {noun}", s) for m, s in by_modifier.items()]
    found += [(w, s) for w, s in lexicon.intent_verbs.items() if s is not None]
    return found


def test_every_lexicon_mode_is_a_plover_mode_of_its_type() -> None:
    modes_by_type = load_ontology().plover_modes_by_type
    wrong = [
        (word, sense)
        for word, sense in _lexicon_senses()
        if sense.mode is not None and sense.mode not in modes_by_type[sense.type]
    ]
    assert wrong == []


def test_target_rule_lists_load() -> None:
    lexicon = load_lexicon()
    assert "COERCE" in lexicon.place_target_types and "CONSULT" not in lexicon.place_target_types
    assert lexicon.place_target_types <= set(PLOVER_TYPES)
    assert "rights" in lexicon.relational_nouns
    sexual = lexicon.adverb_modes["sexually"]
    assert (sexual.type, sexual.mode) == ("ASSAULT", "sexual")


def test_only_actor_or_place_phrases_name_participants() -> None:
    from kg.core.models import Participant
    from kg.extraction.actions.target_rules import names_participant

    lexicon = load_lexicon()
    kept = ["the protesters", "Ghanaians", "refugees", "rival militias", "the wounded", "them"]
    dropped = ["the decision", "the use", "three power lines", "a news blackout"]
    assert all(names_participant(Participant(t), lexicon) for t in kept)
    assert not any(names_participant(Participant(t), lexicon) for t in dropped)
    assert names_participant(Participant("the decision", "some-entity"), lexicon)


def test_a_nominalization_in_ment_is_no_agent_noun() -> None:
    from kg.core.models import Participant
    from kg.extraction.actions.target_rules import names_participant

    lexicon = load_lexicon()
    assert not names_participant(Participant("military equipment"), lexicon)
    assert not names_participant(Participant("the joint statements"), lexicon)
    # Agent nouns in "-ent" and listed group nouns in "-ment" still name participants.
    assert names_participant(Participant("the students"), lexicon)
    assert names_participant(Participant("the government"), lexicon)
    assert names_participant(Participant("the movement"), lexicon)


def test_nominalizations_derive_from_lexicon_verbs() -> None:
    lexicon = load_lexicon()
    assert verbs_of_nominal("negotiation")[0] == "negotiate"
    assert "invade" in verbs_of_nominal("invasion")
    assert lexicon.derived_noun_sense("deployment") == lexicon.verbs["deploy"]
    assert lexicon.derived_noun_sense("assistance") == lexicon.verbs["assist"]
    # A bare stem is no nominalization here ("station", "march" are too often no event).
    assert lexicon.derived_noun_sense("station") is None
    assert lexicon.derived_noun_sense("building") is None
