"""Pure-string rules of :mod:`kg.extraction.entities.span_rules`."""

from __future__ import annotations

from kg.extraction.entities.span_rules import honorific_start


def test_honorific_extends_person_start() -> None:
    text = "Today Mr Ellwood said"
    assert text[honorific_start(text, text.index("Ellwood")) :].startswith("Mr Ellwood")


def test_dotted_honorific_and_line_start() -> None:
    text = "Dr. Ali bin Hamad spoke.\nSheikh Tamim replied."
    assert honorific_start(text, text.index("Ali")) == 0
    assert honorific_start(text, text.index("Tamim")) == text.index("Sheikh")


def test_no_honorific_leaves_start() -> None:
    text = "Deputy Mr-Smith and Mister Jones"
    assert honorific_start(text, text.index("Jones")) == text.index("Jones")
    # "Mr" must be a word of its own.
    text = "Hammr Jones"
    assert honorific_start(text, text.index("Jones")) == text.index("Jones")
