"""The CAMEO coding dictionaries inside the rule-based extractor (real spaCy model)."""

from __future__ import annotations

from datetime import date

import pytest

from kg.core.models import Action, Extraction
from kg.extraction.actions.extract import ActionExtractor
from kg.extraction.extractor import RuleBasedExtractor

pytestmark = pytest.mark.integration

PUBLISHED = date(2026, 1, 8)


@pytest.fixture(scope="module")
def on() -> RuleBasedExtractor:
    return RuleBasedExtractor()


@pytest.fixture(scope="module")
def off() -> RuleBasedExtractor:
    return RuleBasedExtractor(actions=ActionExtractor(dictionaries=False))


def _only(extraction: Extraction, trigger: str) -> Action:
    found = [a for a in extraction.actions if trigger in a.trigger]
    assert len(found) == 1, extraction.actions
    return found[0]


def test_pattern_target_and_codes(on: RuleBasedExtractor) -> None:
    x = on.extract("Colombian soldiers launched strikes against the ELN in Arauca.", PUBLISHED)
    strike = next(a for a in x.actions if a.type == "ASSAULT")
    assert [p.code for p in strike.actors] == ["COLMIL"]
    assert [p.text for p in strike.targets] == ["ELN"]
    assert [p.code for p in strike.targets] == ["COLREB"]
    assert {e.name: e.cameo_code for e in x.entities}.get("National Liberation Army") == "COLREB"


def test_verb_the_lexicon_lacks(on: RuleBasedExtractor, off: RuleBasedExtractor) -> None:
    text = "Venezuela punished Colombia on Monday."
    assert not [a for a in off.extract(text, PUBLISHED).actions if a.trigger == "punished"]
    punished = _only(on.extract(text, PUBLISHED), "punished")
    assert punished.type == "COERCE"
    assert [(p.text, p.code) for p in punished.actors] == [("Venezuela", "VEN")]
    assert [(p.text, p.code) for p in punished.targets] == [("Colombia", "COL")]


def test_no_event_without_political_actors(on: RuleBasedExtractor) -> None:
    x = on.extract("The stock traded around 12 and the company expects a profit.", PUBLISHED)
    assert x.actions == ()


def test_switch_off_leaves_codes_out(off: RuleBasedExtractor) -> None:
    x = off.extract("Colombian soldiers attacked the ELN.", PUBLISHED)
    assert all(p.code is None for a in x.actions for p in a.actors + a.targets)
    assert all(e.cameo_code is None for e in x.entities)
