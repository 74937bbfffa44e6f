"""User text made safe for Neo4j's fulltext (Lucene classic) query parser.

Every fulltext query built from user input goes through this module, so a name like
"AT&T (U.S.)" or a search for "NOT" is searched literally instead of raising a Lucene
``ParseException``. Two things need neutralising:

- special characters (``+ - & | ! ( ) { } [ ] ^ " ~ * ? : \\ /``), escaped with a backslash;
- the operator keywords ``AND``, ``OR`` and ``NOT``, which the parser only recognises in
  upper case: they are lower-cased. The fulltext analyzers lower-case every term anyway,
  so "OR" and "or" match the same documents.
"""

from __future__ import annotations

import re

from kg.core.limits import MAX_LUCENE_CLAUSES

# Each character on its own: "&&" and "||" are operators, and "\&&" would leave one "&".
_SPECIAL = re.compile(r'([+\-&|!(){}\[\]^"~*?:\\/])')
_KEYWORDS = frozenset({"AND", "OR", "NOT"})
_TOKEN = re.compile(r"\w+")


def escape_term(word: str) -> str:
    """One word as a literal Lucene term: keywords lower-cased, special characters escaped.

    Args:
        word: A single word (no whitespace).

    Returns:
        The escaped term, e.g. ``"NOT"`` -> ``"not"``, ``"(ELN)"`` -> ``"\\(ELN\\)"``.
    """
    if word in _KEYWORDS:
        word = word.lower()
    return _SPECIAL.sub(r"\\\1", word)


def lucene_terms(text: str, max_clauses: int = MAX_LUCENE_CLAUSES) -> str:
    """A Lucene query matching any word of ``text``, each searched literally.

    The edges refuse long queries already (:mod:`kg.core.limits`); this cap holds whatever
    reaches here under Lucene's 1,024 clauses, so no text raises ``TooManyClauses``.

    Args:
        text: Free user text.
        max_clauses: The most analyzer tokens the terms may hold; words past it (and
            nothing else) are dropped.

    Returns:
        The words as escaped terms joined by spaces (the parser's default is OR); empty
        when ``text`` holds no searchable character.
    """
    terms: list[str] = []
    clauses = 0
    for word in text.split():
        term = escape_term(word)
        if not term.replace("\\", ""):
            continue
        # The analyzer splits "U.S.-led" into several terms, each a clause.
        clauses += max(1, len(_TOKEN.findall(word)))
        if clauses > max_clauses:
            break
        terms.append(term)
    return " ".join(terms)


def lucene_phrase(text: str) -> str:
    """``text`` as one quoted Lucene phrase (keywords inside quotes are plain words).

    Args:
        text: Free user text.

    Returns:
        ``"..."`` with inner quotes and backslashes escaped.
    """
    inner = text.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{inner}"'
