"""Role patterns around person names (real spaCy model)."""

from __future__ import annotations

import pytest

from kg.extraction.entities.extract import EntityExtractor
from kg.extraction.nlp import load_nlp

pytestmark = pytest.mark.integration


@pytest.mark.parametrize(
    ("text", "holder", "title"),
    [
        ("Foreign Office Minister, Tobias Ellwood, said the talks helped.", "tobias-ellwood",
         "foreign office minister"),
        ("The Foreign Secretary, Boris Johnson, said the UK would help.", "boris-johnson",
         "foreign secretary"),
        ("Gareth Bayley, the UK Special Representative for Syria said it was wrong.",
         "gareth-bayley", "special representative for syria"),
        ("Interior Minister Armando Benedetti said so.", "armando-benedetti", "interior minister"),
    ],
)  # fmt: skip
def test_title_and_person_make_a_role(text: str, holder: str, title: str) -> None:
    roles = EntityExtractor().extract(load_nlp()(text)).roles
    assert (holder, title) in {(r.holder_key, r.title) for r in roles}, roles


def test_a_list_after_a_title_is_not_an_apposition() -> None:
    roles = EntityExtractor().extract(load_nlp()("The minister, Petro and Trump met.")).roles
    assert not [r for r in roles if r.title == "minister"], roles
