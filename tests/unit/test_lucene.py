"""User text is escaped for Lucene: operators and keywords become literal terms."""

from __future__ import annotations

import re

import pytest

from kg.graph.lucene import escape_term, lucene_phrase, lucene_terms


def _unescaped_operators(query: str) -> list[str]:
    found = []
    for term in query.split():
        # Drop escaped pairs ("\x"), then look for what remains.
        bare = re.sub(r"\\.", "", term)
        if term in ("AND", "OR", "NOT") or re.search(r'&&|\|\||[!+\-()\[\]{}^~*?:/"]', bare):
            found.append(term)
    return found


@pytest.mark.parametrize("keyword", ["AND", "OR", "NOT"])
def test_keywords_are_lower_cased(keyword: str) -> None:
    assert escape_term(keyword) == keyword.lower()
    assert lucene_terms(keyword) == keyword.lower()
    assert lucene_terms(f"ELN {keyword}") == f"ELN {keyword.lower()}"


def test_keywords_inside_words_are_kept() -> None:
    assert lucene_terms("ORTEGA NOTE Andes") == "ORTEGA NOTE Andes"


@pytest.mark.parametrize(
    "text",
    [
        "NOT",
        "ELN OR",
        "AND OR NOT",
        "AT&&T || x",
        "a && b",
        "!x -y +z",
        'ELN (guerrillas) "x"',
        "[a TO b] {c} ~d^2 e* f? g:h i/j k\\l",
    ],
)
def test_no_operator_survives(text: str) -> None:
    assert _unescaped_operators(lucene_terms(text)) == []


def test_ampersands_and_pipes_are_escaped_one_by_one() -> None:
    assert lucene_terms("AT&&T a||b") == r"AT\&\&T a\|\|b"


def test_special_characters_are_escaped() -> None:
    assert lucene_terms('ELN (guerrillas) "x"') == r"ELN \(guerrillas\) \"x\""
    assert lucene_terms("  ") == ""


def test_phrase_escapes_quotes_and_backslashes() -> None:
    assert lucene_phrase("not or") == '"not or"'
    assert lucene_phrase('say "hi" \\ bye') == r'"say \"hi\" \\ bye"'


def test_terms_stay_under_lucenes_clause_limit() -> None:
    from kg.core.limits import MAX_LUCENE_CLAUSES

    assert len(lucene_terms(" ".join(["w"] * 5000)).split()) == MAX_LUCENE_CLAUSES
    # One word the analyzer splits into many terms counts for each of them.
    dotted = ".".join(["u"] * 300)
    assert len(lucene_terms(" ".join([dotted] * 3)).split()) == 1
    assert lucene_terms("ELN", max_clauses=1) == "ELN"
