"""Stable ids and keys."""

from __future__ import annotations

from kg.core.identity import entity_iri, normalize_key, stable_id


def test_keys_fold_accents_and_punctuation() -> None:
    assert normalize_key("Nicolás Maduro") == "nicolas-maduro"
    assert normalize_key("  al-Qaeda ") == "al-qaeda"


def test_names_without_latin_letters_get_distinct_keys() -> None:
    putin, xi = normalize_key("Владимир Путин"), normalize_key("习近平")
    assert putin and xi and putin != xi
    assert normalize_key("владимир  путин") == putin  # case and spacing do not matter
    assert entity_iri(putin) != entity_iri("")


def test_ids_are_uuid5_of_the_iri() -> None:
    assert stable_id("https://w3id.org/newskg/id/entity/x") == stable_id(
        "https://w3id.org/newskg/id/entity/x"
    )
    assert len(stable_id("a")) == 36
