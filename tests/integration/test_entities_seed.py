"""Entity extraction with the real spaCy model: the seed article and a second text."""

from __future__ import annotations

import pytest

from kg.core.models import Extraction, Mention
from kg.extraction.entities.extract import EntityExtractor
from kg.extraction.nlp import load_nlp
from tests.conftest import SEED

pytestmark = pytest.mark.integration


def seed_body() -> str:
    """The seed's body: between the date line and the editorial boilerplate."""
    text = SEED.read_text(encoding="utf-8")
    start = text.index("Jan 8, 2026\n") + len("Jan 8, 2026\n")
    return text[start : text.index("Editorial Context & Insight")].strip()


@pytest.fixture(scope="module")
def seed() -> tuple[str, Extraction]:
    body = seed_body()
    return body, EntityExtractor().extract(load_nlp()(body))


def mentions_at(extraction: Extraction, body: str, phrase: str, word: str) -> Mention:
    """The mention of ``word`` inside the first occurrence of ``phrase``."""
    start = body.index(phrase) + phrase.index(word)
    (found,) = [m for m in extraction.mentions if m.start == start and m.end == start + len(word)]
    return found


def test_eln_is_one_armed_group_with_its_acronym(seed: tuple[str, Extraction]) -> None:
    body, ex = seed
    eln = [m for m in ex.mentions if m.text == "ELN"]
    assert len(eln) == body.count("ELN") == 4
    assert {m.entity_key for m in eln} == {"national-liberation-army"}
    (entity,) = [e for e in ex.entities if e.key == "national-liberation-army"]
    assert entity.name == "National Liberation Army"
    assert entity.type == "ArmedGroup"
    assert "ELN" in entity.aliases


@pytest.mark.parametrize(
    ("surname", "key", "name"),
    [("Trump", "donald-trump", "Donald Trump"), ("Petro", "gustavo-petro", "Gustavo Petro")],
)
def test_every_surname_mention_is_the_person(
    seed: tuple[str, Extraction], surname: str, key: str, name: str
) -> None:
    body, ex = seed
    found = [m for m in ex.mentions if surname in m.text]
    assert len(found) == body.count(surname)
    assert {(m.entity_key, m.type) for m in found} == {(key, "Person")}
    (entity,) = [e for e in ex.entities if e.key == key]
    assert (entity.name, entity.type) == (name, "Person")


def test_benedetti_is_colombias_interior_minister(seed: tuple[str, Extraction]) -> None:
    body, ex = seed
    later = mentions_at(ex, body, 'border" with Venezuela, Benedetti said', "Benedetti")
    assert (later.entity_key, later.type) == ("armando-benedetti", "Person")
    roles = {(r.holder_key, r.title, r.organization_key) for r in ex.roles}
    assert ("armando-benedetti", "interior minister", "colombia") in roles
    assert ("gustavo-petro", "president", "colombia") in roles
    assert ("nicolas-maduro", "leader", "venezuela") in roles


def test_capitals_metonymy_and_places(seed: tuple[str, Extraction]) -> None:
    body, ex = seed
    bogota = mentions_at(ex, body, "Bogotá's interior minister", "Bogotá")
    assert (bogota.entity_key, bogota.type) == ("colombia", "Country")
    washington = mentions_at(ex, body, "meet in Washington", "Washington")
    assert washington.type == "Place"
    metonym = mentions_at(ex, body, "Washington and Bogotá have", "Washington")
    assert (metonym.entity_key, metonym.type) == ("united-states", "Country")


def test_other_entities(seed: tuple[str, Extraction]) -> None:
    _, ex = seed
    by_key = {e.key: e for e in ex.entities}
    assert by_key["venezuela"].type == "Country"
    assert by_key["colombia"].wikidata == "Q739"
    assert (by_key["nicolas-maduro"].name, by_key["nicolas-maduro"].type) == (
        "Nicolás Maduro",
        "Person",
    )
    assert by_key["blu-radio"].type == "MediaOrganization"
    us = by_key["united-states"]
    assert us.type == "Country" and {"US"} <= set(us.aliases)
    assert not [m for m in ex.mentions if m.text == "Interior"]
    # Every mention's type is its entity's type; offsets index the body.
    body, _ = seed
    for m in ex.mentions:
        assert body[m.start : m.end] == m.text
        assert by_key[m.entity_key].type == m.type


SECOND = (
    "Kenya's President William Ruto met his Ugandan counterpart Yoweri Museveni on Monday to "
    "discuss attacks by the Lord's Resistance Army (LRA), Nairobi's foreign minister said.\n\n"
    "Ruto said the LRA had crossed the border. Museveni accused the LRA of killing Kenyan "
    "civilians.\n\nThe talks in Nairobi were followed by a meeting with Musalia Mudavadi, the "
    "foreign minister of Kenya. Mudavadi told the Daily Nation that Ugandan troops would stay "
    "in the region.\n\nKampala and Nairobi have long cooperated on security, and the Islamic "
    "State, also known as Daesh, was not mentioned."
)


def test_mechanisms_on_other_names() -> None:
    ex = EntityExtractor().extract(load_nlp()(SECOND))
    by_key = {e.key: e for e in ex.entities}
    lra = by_key["lord-s-resistance-army"]
    assert lra.type == "ArmedGroup" and "LRA" in lra.aliases
    assert len([m for m in ex.mentions if m.entity_key == lra.key]) == 4
    for surname, key in [("Ruto", "william-ruto"), ("Museveni", "yoweri-museveni")]:
        found = [m for m in ex.mentions if surname in m.text]
        assert len(found) == SECOND.count(surname)
        assert {(m.entity_key, m.type) for m in found} == {(key, "Person")}
    roles = {(r.holder_key, r.title, r.organization_key) for r in ex.roles}
    assert roles >= {
        ("william-ruto", "president", "kenya"),
        ("yoweri-museveni", "president", "uganda"),  # "his Ugandan counterpart"
        ("musalia-mudavadi", "foreign minister", "kenya"),
    }
    at = {(m.start, m.text): m for m in ex.mentions}
    first_nairobi = SECOND.index("Nairobi's")
    assert at[(first_nairobi, "Nairobi")].entity_key == "kenya"
    in_nairobi = SECOND.index("in Nairobi") + 3
    assert at[(in_nairobi, "Nairobi")].type == "Place"
    kampala = SECOND.index("Kampala")
    assert at[(kampala, "Kampala")].entity_key == "uganda"
    assert by_key["islamic-state"].type == "ArmedGroup"
    assert {m.entity_key for m in ex.mentions if m.text == "Daesh"} == {"islamic-state"}
    assert by_key["daily-nation"].type == "MediaOrganization"
