"""The :style command the screenshot script types into Neo4j Browser."""

from __future__ import annotations

from browser.screenshot import DEFAULT_GRASS, grass_selectors, style_command


def test_selectors_are_read_from_the_project_sheet_without_caption_braces() -> None:
    selectors = grass_selectors(DEFAULT_GRASS.read_text(encoding="utf-8"))

    assert selectors[:2] == ["node", "relationship"]
    assert {"node.Action", "node.Passage", "relationship.HAS_ACTOR"} <= set(selectors)
    assert "Passage" not in selectors  # from the caption "Passage {index}"
    assert len(selectors) == len(set(selectors))


def test_style_command_is_one_line_and_keeps_captions() -> None:
    grass = 'node.Action {\n  diameter: 45px;\n  caption: "{type} {date}";\n}\n'

    command = style_command(grass)

    assert "\n" not in command
    assert command == ':style node.Action { diameter: 45px; caption: "{type} {date}"; }'
