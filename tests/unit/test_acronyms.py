"""Acronym definitions: pure string functions."""

from __future__ import annotations

from kg.extraction.entities.acronyms import (
    acronym_letters,
    find_acronym_definitions,
    initials_match,
    is_acronym,
)


def test_long_then_short_trims_leading_words_to_the_initials() -> None:
    text = "Fighting with the Kurdistan Regional Government (KRG) went on."
    (d,) = find_acronym_definitions(text)
    assert (d.long_form, d.acronym) == ("Kurdistan Regional Government", "KRG")
    assert text[d.long_start : d.long_end] == "Kurdistan Regional Government"
    assert text[d.acronym_start : d.acronym_end] == "KRG"


def test_connectors_may_be_skipped() -> None:
    text = (
        "the Islamic State of Iraq and the Levant (ISIL) and "
        "the Democratic Republic of the Congo (DRC)"
    )
    found = {(d.long_form, d.acronym) for d in find_acronym_definitions(text)}
    assert found == {
        ("Islamic State of Iraq and the Levant", "ISIL"),
        ("Democratic Republic of the Congo", "DRC"),
    }


def test_short_then_long() -> None:
    text = "He joined the SDF (Syrian Democratic Forces) in 2015."
    (d,) = find_acronym_definitions(text)
    assert (d.long_form, d.acronym) == ("Syrian Democratic Forces", "SDF")
    assert text[d.long_start : d.long_end] == "Syrian Democratic Forces"


def test_non_matching_initials_are_not_definitions() -> None:
    assert find_acronym_definitions("Mr Smith (UK) said so. The Big Apple (NYC) too.") == []


def test_letters_and_shape() -> None:
    assert acronym_letters("U.S.") == "US"
    assert is_acronym("ELN") and is_acronym("FARC-EP") and not is_acronym("Radio")
    assert initials_match(["National", "Liberation", "Army"], "NLA")
    assert not initials_match(["National", "Liberation", "Army"], "ELN")
