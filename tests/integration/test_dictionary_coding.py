"""The CAMEO coding dictionaries inside the rule-based extractor (real spaCy model)."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from kg.core.models import Action, Extraction
from kg.extraction.actions.extract import ActionExtractor
from kg.extraction.actions.lexicon import load_lexicon
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


def _without(*verbs: str) -> RuleBasedExtractor:
    """The extractor with the dictionaries and a lexicon that lacks ``verbs`` (new text)."""
    lexicon = load_lexicon()
    reduced = dataclasses.replace(
        lexicon,
        verbs={k: v for k, v in lexicon.verbs.items() if k not in verbs},
        verb_particles={
            k: v for k, v in lexicon.verb_particles.items() if k.split()[0] not in verbs
        },
    )
    return RuleBasedExtractor(actions=ActionExtractor(reduced))


def test_intransitive_verb_by_its_own_code() -> None:
    # "surrender" codes 080 in CAMEO; it has no object, so its political actor anchors it.
    x = _without("surrender").extract("Two hundred ELN rebels surrendered in Arauca.", PUBLISHED)
    surrendered = _only(x, "surrendered")
    assert surrendered.type == "CONCEDE"
    assert [p.code for p in surrendered.actors] == ["COLREB"]


def test_agentless_passive_is_anchored_by_its_target() -> None:
    x = _without("detain").extract("Three Venezuelan soldiers were detained.", PUBLISHED)
    detained = _only(x, "detained")
    assert (detained.type, detained.mode) == ("COERCE", "arrest")
    assert detained.actors == ()
    assert [p.code for p in detained.targets] == ["VENMIL"]


def test_speech_verb_is_an_event_only_without_a_clause() -> None:
    # "concede" is a speech verb of the lexicon ("conceded that ..."); the dictionary codes
    # it (080) where it reports no speech.
    extractor = _without("concede")
    text = "The Colombian government conceded to the demands of the ELN."
    conceded = _only(extractor.extract(text, PUBLISHED), "conceded")
    assert conceded.type == "CONCEDE"
    assert [p.code for p in conceded.actors] == ["COLGOV"]
    said = extractor.extract("The Colombian government conceded that talks failed.", PUBLISHED)
    assert not [a for a in said.actions if "conceded" in a.trigger]


def test_a_synonyms_block_code_needs_a_political_object() -> None:
    # "shun" has only its block's code (EXCLUDE, 170): "shunned work" is no event, as the
    # object names no actor, though the Palestinians are political.
    x = _without("shun").extract("Palestinians shunned work on Monday.", PUBLISHED)
    assert not [a for a in x.actions if a.trigger == "shunned"]
