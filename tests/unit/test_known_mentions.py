"""Mentions the model missed of a document's own entities (no model needed)."""

from __future__ import annotations

from kg.core.models import Action, Entity, Extraction, Mention, Participant
from kg.extraction.entities.resolution import add_known_mentions

TEXT = "Petro said the ELN had agreed. Officials told us the US would help."
ELN = Mention(15, 18, "ELN", "national-liberation-army", "ArmedGroup")
PETRO = Entity("gustavo-petro", "Gustavo Petro", "Person")
US = Entity("united-states", "United States", "Country", ("US",))


def _extraction(*more: Entity) -> Extraction:
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
    # Gustavo Petro and the United States are named elsewhere in the document.
    return Extraction(entities=(eln, PETRO, US, *more), mentions=(ELN,), actions=(action,))


def test_known_surname_and_acronym_become_mentions_and_links() -> None:
    result = add_known_mentions(_extraction(), TEXT)
    by_text = {m.text: m.entity_key for m in result.mentions}
    assert by_text["Petro"] == "gustavo-petro"
    assert by_text["US"] == "united-states"
    assert "us" not in by_text  # the pronoun is not the country
    assert result.actions[0].attributed_to[0].entity_key == "gustavo-petro"
    petro = next(e for e in result.entities if e.key == "gustavo-petro")
    assert petro.name == "Gustavo Petro" and "Petro" in petro.aliases


def test_ambiguous_surname_is_left_alone() -> None:
    raul = Entity("raul-petro", "Raul Petro", "Person")
    result = add_known_mentions(_extraction(raul), TEXT)
    assert "Petro" not in {m.text for m in result.mentions}


def test_nothing_to_add_changes_nothing() -> None:
    extraction = Extraction(entities=(), mentions=(), actions=())
    assert add_known_mentions(extraction, TEXT) is extraction
