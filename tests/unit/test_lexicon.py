"""The PLOVER trigger lexicon loads, validates and answers lookups (pure)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kg.errors import ConfigurationError
from kg.extraction.lexicon import DEFAULT_LEXICON_PATH, load_lexicon, parse_sense
from kg.models import PLOVER_TYPES


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
