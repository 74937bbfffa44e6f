"""Cross-article resolution of names the extractor did not recognise (no model needed)."""

from __future__ import annotations

from kg.core.models import Action, Entity, Extraction, Mention, Participant
from kg.extraction.entities.resolution import KnownEntity, add_known_mentions

TEXT = "Petro said the ELN had agreed. Officials told us the US would help."
ELN = Mention(15, 18, "ELN", "national-liberation-army", "ArmedGroup")
KNOWN = {
    "gustavo petro": KnownEntity("gustavo-petro", "Gustavo Petro", "Person"),
    "national liberation army": KnownEntity(
        "national-liberation-army", "National Liberation Army", "ArmedGroup"
    ),
    "eln": KnownEntity("national-liberation-army", "National Liberation Army", "ArmedGroup"),
    "us": KnownEntity("united-states", "United States", "Country"),
}


def _extraction() -> Extraction:
    action = Action(
        type="AGREE",
        actors=(Participant("the ELN", "national-liberation-army"),),
        targets=(),
        attributed_to=(Participant("Petro"),),
        start=0,
        end=30,
        trigger="agreed",
    )
    eln = Entity("national-liberation-army", "National Liberation Army", "ArmedGroup", ("ELN",))
    return Extraction(entities=(eln,), mentions=(ELN,), actions=(action,))


def test_known_surname_and_acronym_become_mentions_and_links() -> None:
    result = add_known_mentions(_extraction(), TEXT, KNOWN)
    by_text = {m.text: m.entity_key for m in result.mentions}
    assert by_text["Petro"] == "gustavo-petro"
    assert by_text["US"] == "united-states"
    assert "us" not in by_text  # the pronoun is not the country
    assert result.actions[0].attributed_to[0].entity_key == "gustavo-petro"
    petro = next(e for e in result.entities if e.key == "gustavo-petro")
    assert petro.name == "Gustavo Petro" and "Petro" in petro.aliases


def test_ambiguous_surname_is_left_alone() -> None:
    known = dict(KNOWN) | {"raul petro": KnownEntity("raul-petro", "Raul Petro", "Person")}
    result = add_known_mentions(_extraction(), TEXT, known)
    assert "Petro" not in {m.text for m in result.mentions}


def test_nothing_known_changes_nothing() -> None:
    extraction = _extraction()
    assert add_known_mentions(extraction, TEXT, {}) is extraction
