"""Query understanding on strings: role words, event words, entity resolution."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from kg.core.records import EntityMatch, EntityRecord
from kg.search.understanding import (
    normalize_name,
    parse_query,
    resolve_entities,
)


def match(id: str, name: str, type: str, aliases: tuple[str, ...], score: float) -> EntityMatch:
    return EntityMatch(EntityRecord(id=id, iri="", name=name, type=type, aliases=aliases), score)


ELN = match("eln", "National Liberation Army", "ArmedGroup", ("ELN",), 5.0)
COLOMBIA = match("col", "Colombia", "Country", ("Republic of Colombia",), 4.0)
USA = match("usa", "United States", "Country", ("US", "U.S.", "America"), 4.0)
PETRO = match("petro", "Gustavo Petro", "Person", ("Petro",), 3.0)
TRUMP = match("trump", "Donald Trump", "Person", (), 3.0)
ALL = (ELN, COLOMBIA, USA, PETRO, TRUMP)


def lookup_all(texts: Sequence[str]) -> Sequence[EntityMatch]:
    # Like the fulltext index: return everything that shares a word with a span.
    words = {w for t in texts for w in normalize_name(t).split()}
    return [
        r
        for r in ALL
        if words
        & {w for n in (r.entity.name, *r.entity.aliases) for w in normalize_name(n).split()}
    ]


def roles(query: str) -> list[tuple[str, str]]:
    return [(s.text, s.role) for s in parse_query(query).role_spans]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("actions against the ELN", [("the ELN", "target")]),
        ("who is fighting ISIL", [("ISIL", "target")]),
        ("statements by Petro", [("Petro", "actor")]),
        ("Russia's attacks", [("Russia", "actor")]),
        (
            "accusations by Colombia against the ELN in January",
            [("Colombia", "actor"), ("the ELN", "target")],
        ),
        (
            "talks between Colombia and the United States",
            [("Colombia", "any"), ("the United States", "any")],
        ),
        ("sanctions on Venezuela, since 2025", [("Venezuela", "target")]),
    ],
)
def test_role_words(query: str, expected: list[tuple[str, str]]) -> None:
    assert roles(query) == expected


def test_between_is_pairwise() -> None:
    assert parse_query("talks between Colombia and the United States").pairwise
    assert not parse_query("actions against the ELN").pairwise


@pytest.mark.parametrize(
    ("query", "types"),
    [
        ("attacks on Colombian soldiers", ("ASSAULT",)),
        ("talks between Colombia and the US", ("CONSULT",)),
        ("accusations against the ELN", ("ACCUSE",)),
        ("sanctions against Venezuela", ("SANCTION",)),
        ("threats and protests", ("THREATEN", "PROTEST")),
        ("actions against the ELN", ()),
    ],
)
def test_event_words(query: str, types: tuple[str, ...]) -> None:
    assert parse_query(query).event_types == types


def test_capitalised_event_word_mid_query_is_a_name_not_an_event() -> None:
    assert parse_query("news about Operation Strike Force").event_types == ()


def test_resolves_alias_as_target() -> None:
    u = resolve_entities(parse_query("actions against the ELN"), lookup_all)
    assert [(q.entity.name, q.role, q.score) for q in u.entities] == [
        ("National Liberation Army", "target", 1.0)
    ]
    assert u.role_spans == (("the ELN", "target"),)


def test_resolves_both_sides_and_roles() -> None:
    u = resolve_entities(parse_query("accusations by Petro against the ELN"), lookup_all)
    assert [(q.entity.id, q.role) for q in u.entities] == [("petro", "actor"), ("eln", "target")]
    assert u.event_types == ("ACCUSE",)


def test_exact_alias_beats_partial_match() -> None:
    # "United States" is exact for USA; the partial match of "States" must not win.
    u = resolve_entities(parse_query("talks between Colombia and the United States"), lookup_all)
    assert [q.entity.id for q in u.entities] == ["col", "usa"]
    assert all(q.score == 1.0 for q in u.entities)
    assert u.pairwise


def test_partial_match_on_capitalised_span() -> None:
    u = resolve_entities(parse_query("what did Gustavo say"), lookup_all)
    assert [(q.entity.id, q.score < 1.0) for q in u.entities] == [("petro", True)]


def test_lowercase_words_do_not_partially_match() -> None:
    # "army" alone is neither capitalised nor in a role position.
    u = resolve_entities(parse_query("news about the army"), lookup_all)
    assert u.entities == ()


def test_no_lookup_results_means_no_entities() -> None:
    u = resolve_entities(parse_query("actions against the ELN"), lambda texts: [])
    assert u.entities == ()
    assert u.role_spans == (("the ELN", "target"),)


def test_normalize_name() -> None:
    assert normalize_name("The ELN's") == "eln"
    assert normalize_name("Bogotá") == "bogota"
    assert normalize_name("U.S.") == "u s"
