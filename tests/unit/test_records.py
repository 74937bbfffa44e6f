"""``kg extract`` record I/O with a stub extractor (no spaCy)."""

from __future__ import annotations

from datetime import date

import pytest

from kg.core.errors import ArticleParseError
from kg.core.models import Action, Entity, Extraction, Mention, Participant
from kg.extraction.jsonl import extract_records


class StubExtractor:
    def __init__(self) -> None:
        self.calls: list[tuple[str, date | None]] = []

    def extract(self, text: str, published: date | None) -> Extraction:
        self.calls.append((text, published))
        return Extraction(
            entities=(
                Entity("colombia", "Colombia", "Country"),
                Entity("eln", "National Liberation Army", "ArmedGroup"),
            ),
            mentions=(
                Mention(0, 8, "Colombia", "colombia", "Country"),
                Mention(21, 24, "ELN", "eln", "ArmedGroup"),
            ),
            actions=(
                Action(
                    "ACCUSE",
                    (Participant("Colombia", "colombia"),),
                    (Participant("ELN", "eln"), Participant("soldiers")),
                    0,
                    len(text),
                    "accuses",
                    date=date(2026, 1, 7),
                    attributed_to=(Participant("Benedetti"),),
                ),
            ),
        )


def test_output_uses_canonical_names() -> None:
    stub = StubExtractor()
    lines = [
        '{"id": "a", "text": "Colombia accuses the ELN.", "published": "2026-01-08"}',
        "",
        "  ",
    ]
    [out] = list(extract_records(lines, stub))
    assert stub.calls == [("Colombia accuses the ELN.", date(2026, 1, 8))]
    assert out["id"] == "a"
    assert out["entities"][1] == {
        "name": "National Liberation Army",
        "type": "ArmedGroup",
        "start": 21,
        "end": 24,
    }
    action = out["actions"][0]
    assert action["targets"] == ["National Liberation Army", "soldiers"]
    assert action["target_texts"] == ["ELN", "soldiers"]
    assert action["date"] == "2026-01-07"
    assert action["evidence"] == "Colombia accuses the ELN."
    assert action["attributed_to"] == ["Benedetti"]


@pytest.mark.parametrize(
    ("bad", "problem"),
    [
        ("{not json", "not valid JSON"),
        ("[1]", "JSON object"),
        ('{"id": 1}', "text"),
        ('{"id": 1, "text": "x", "published": "soon"}', "published"),
    ],
)
def test_malformed_line_names_the_line(bad: str, problem: str) -> None:
    lines = ['{"id": 1, "text": "fine"}', bad]
    with pytest.raises(ArticleParseError, match=problem) as info:
        list(extract_records(lines, StubExtractor(), source="in.jsonl"))
    assert info.value.line == 2
    assert "in.jsonl:2" in str(info.value)
