"""Trigger coverage of common news verbs and the trailing-speaker guard (real spaCy model)."""

from __future__ import annotations

import pytest

from kg.core.models import Action
from kg.extraction.extractor import RuleBasedExtractor

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def extractor() -> RuleBasedExtractor:
    return RuleBasedExtractor()


def _main(extractor: RuleBasedExtractor, text: str) -> Action:
    actions = extractor.extract(text, None).actions
    assert actions, f"no action in {text!r}"
    return max(actions, key=lambda a: a.confidence)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Israel ruled out talks with Hamas, the prime minister said.", "REJECT"),
        ("Hungary turned down a request from Kyiv.", "REJECT"),
        ("The minister blasted Washington for its decision.", "ACCUSE"),
        ("Troops fired on demonstrators in the capital.", "ASSAULT"),
        ("Police apprehended two suspects in Madrid.", "COERCE"),
        ("Germany welcomed the decision by Poland.", "SUPPORT"),
        ("The king welcomed the delegation at the palace.", "CONSULT"),
    ],
)
def test_common_news_verbs_are_typed(
    extractor: RuleBasedExtractor, text: str, expected: str
) -> None:
    assert _main(extractor, text).type == expected


def test_trailing_speaker_is_not_a_target(extractor: RuleBasedExtractor) -> None:
    text = (
        "U.S. border patrol agents sexually abused illegal Mexican immigrants with impunity, "
        "a human rights organization charged on Saturday."
    )
    main = _main(extractor, text)
    assert main.type == "ASSAULT"
    targets = " ".join(t.text.lower() for t in main.targets)
    assert "immigrants" in targets
    assert "organization" not in targets
