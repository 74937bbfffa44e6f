"""Typing rules, role assembly, surname and cross-article resolution (no spaCy model)."""

from __future__ import annotations

import spacy

from kg.core.models import Role
from kg.extraction.entities.resolution import SurnameIndex
from kg.extraction.entities.roles import TitleOccurrence, roles_from_occurrences
from kg.extraction.entities.typing_rules import label_type, refine_organization
from kg.extraction.nlp import ruler_wins_ties


def test_refine_organization() -> None:
    assert refine_organization("Blu Radio") == "MediaOrganization"
    assert refine_organization("The Washington Post") == "MediaOrganization"
    assert refine_organization("Conservative Party") == "PoliticalParty"
    assert refine_organization("Ministry of Defence") == "Government"
    assert refine_organization("Trump administration") == "Government"
    assert refine_organization("Popular Liberation Front") == "ArmedGroup"
    assert refine_organization("Acme Holdings") == "Organization"
    assert label_type("GPE", "Springfield") == "Place"
    assert label_type("NORP", "Colombian") is None


def test_roles_take_the_organisation_of_a_same_title_occurrence() -> None:
    occurrences = [
        TitleOccurrence("president", "ana-lopez", "ruritania", 0, 3),
        TitleOccurrence("counterpart", "bo-smith", "freedonia", 0, 9),
        TitleOccurrence("interior minister", None, "ruritania", 0, 20),
        TitleOccurrence("interior minister", "carl-diaz", None, 30, 35),
    ]
    assert roles_from_occurrences(occurrences) == [
        Role("ana-lopez", "president", "ruritania"),
        Role("bo-smith", "president", "freedonia"),
        Role("carl-diaz", "interior minister", "ruritania"),
    ]


def test_surname_index_prefers_the_nearest_earlier_name_when_ambiguous() -> None:
    index = SurnameIndex()
    index.add("Fidel Castro", 10)
    index.add("Raul Castro", 100)
    index.add("Ana Lopez", 5)
    assert index.resolve("Lopez", 0) == "Ana Lopez"
    assert index.resolve("Castro", 50) == "Fidel Castro"
    assert index.resolve("Castro", 150) == "Raul Castro"
    assert index.resolve("Castro", 5) is None


def test_ruler_wins_ties_but_longer_model_spans_survive() -> None:
    nlp = spacy.blank("en")
    doc = nlp("Michael Jordan visited Bogotá")
    model = [doc.char_span(0, 14, label="PERSON"), doc.char_span(23, 29, label="PERSON")]
    ruler = [doc.char_span(8, 14, label="GPE"), doc.char_span(23, 29, label="GPE")]
    kept = ruler_wins_ties([s for s in model if s], [s for s in ruler if s])
    assert [(s.text, s.label_) for s in kept] == [("Michael Jordan", "PERSON"), ("Bogotá", "GPE")]
