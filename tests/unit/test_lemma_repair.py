"""The silent-"e" repair of verb lemmas cut short by the small spaCy model."""

from __future__ import annotations

from kg.extraction.lemma_repair import known_verbs, repaired_lemma

VERBS = frozenset({"stage", "fine", "need", "jump", "use"})


def test_a_cut_lemma_gets_its_silent_e_back() -> None:
    assert repaired_lemma("staged", "stag", VERBS) == "stage"
    assert repaired_lemma("fined", "fin", VERBS) == "fine"
    assert repaired_lemma("Fines", "fin", VERBS) == "fine"


def test_a_right_lemma_stands() -> None:
    assert repaired_lemma("needed", "need", VERBS) is None
    assert repaired_lemma("jumped", "jump", VERBS) is None
    assert repaired_lemma("used", "use", VERBS) is None  # nothing was cut


def test_an_unknown_e_form_is_not_invented() -> None:
    assert repaired_lemma("walked", "walk", VERBS) is None


def test_the_event_vocabularies_know_the_base_forms() -> None:
    verbs = known_verbs()
    assert {"stage", "fine"} <= verbs
    assert not {"stag", "fin"} & verbs
