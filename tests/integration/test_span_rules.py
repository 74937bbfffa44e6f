"""Span repair and organisation phrases on real parses (spaCy model, no services)."""

from __future__ import annotations

import pytest

from kg.extraction.entities.extract import EntityExtractor
from kg.extraction.entities.span_rules import merge_phrases, organisation_phrases
from kg.extraction.nlp import load_nlp

pytestmark = pytest.mark.integration


def _mentions(text: str) -> dict[str, str | None]:
    detailed = EntityExtractor().extract_detailed(load_nlp()(text))
    return {m.text: m.type for m in detailed.mentions}


def test_organisation_phrases_shapes() -> None:
    doc = load_nlp()(
        "The Foreign and Commonwealth Office said the Global Coalition against Daesh and "
        "the Government of Iraq welcomed UN Security Council Resolution 2254."
    )
    texts = [p.text for p in organisation_phrases(doc)]
    assert "Foreign and Commonwealth Office" in texts
    assert "Global Coalition against Daesh" in texts
    assert "Government of Iraq" in texts
    assert "UN Security Council" in texts  # ends at the last head noun
    assert all(p.label_ == "ORG" for p in organisation_phrases(doc))


def test_bare_head_is_not_a_phrase() -> None:
    doc = load_nlp()("The Council met. Office workers left.")
    assert organisation_phrases(doc) == []


def test_merge_keeps_person_names_and_crossing_entities() -> None:
    doc = load_nlp()("Yesterday Tobias Ellwood met officials.")
    person = [e for e in doc.ents if e.label_ == "PERSON"]
    assert person
    phrase = doc[person[0].start : person[0].end + 1]
    assert merge_phrases(person, [phrase]) == person


def test_portfolio_split_from_person_name() -> None:
    mentions = _mentions("Minister for the Middle East Tobias Ellwood calls it a tragedy.")
    assert mentions.get("Tobias Ellwood") == "Person"
    assert mentions.get("Middle East") == "Place"
    assert "Middle East Tobias Ellwood" not in mentions


def test_town_after_locative_preposition_is_a_place() -> None:
    mentions = _mentions(
        "ISIL fighters were seen in Palmyra. The ancient site of Palmyra is a tragedy."
    )
    assert mentions.get("Palmyra") == "Place"


def test_name_before_regime_is_a_person() -> None:
    mentions = _mentions("The report says the Asad regime used chemical weapons.")
    assert mentions.get("Asad") == "Person"


def test_armed_forces_kept_but_bare_titles_dropped() -> None:
    mentions = _mentions("The UK's brave Armed Forces helped. The Interior Minister spoke.")
    assert mentions.get("Armed Forces") is not None
    assert "Interior" not in mentions


def test_honorific_in_person_mention_not_in_name() -> None:
    detailed = EntityExtractor().extract_detailed(
        load_nlp()("Foreign Secretary Philip Hammond spoke. Later Mr Hammond left.")
    )
    person = [m for m in detailed.mentions if m.type == "Person"]
    assert "Mr Hammond" in {m.text for m in person}
    names = {e.name for e in detailed.extraction.entities if e.type == "Person"}
    assert names == {"Philip Hammond"}


def test_mixed_case_acronym_found_upper_cased() -> None:
    mentions = _mentions(
        "The UN Independent Commission of Inquiry (CoI) reported. The COI found abuses."
    )
    assert mentions.get("COI") is not None
    assert "UN Independent Commission of Inquiry" in mentions
