"""Input size limits shared by every edge (REST, GraphQL, CLI): one number per kind of input.

The defaults below are the settings' defaults (``NEWSKG_MAX_QUERY_CHARS`` ...); the edges
check with the running :class:`~kg.core.config.Settings` through :func:`check_query`,
:func:`check_name` and :func:`check_id`, so REST and GraphQL refuse the same inputs with
the same :class:`~kg.core.errors.InvalidQueryError` (``INVALID_FILTER`` for clients).

Why these numbers:

- query text: 1,000 characters is a long paragraph; search embeds it and builds one Lucene
  clause per word, so a longer text only costs time and memory.
- query words: Lucene refuses a query of more than 1,024 clauses (its default
  ``maxClauseCount``) and every word of a query becomes a clause or more (terms, phrases,
  fuzzy expansions); 64 words is far above any real question and far below that ceiling.
- names: the longest entity names (official names of organisations) stay under 300 chars.
- article titles: 1,000 characters is several times the longest headline; sources and
  sections (an outlet's name, a desk) stay under 300 like names.
- ids: entity, article and passage ids are UUIDs (36 chars); 200 leaves room for the
  other keys the API resolves (an IRI) without letting megabytes reach Cypher.
- articles: 200,000 characters holds the longest long-reads (about 30,000 words); spaCy
  refuses texts over 1,000,000 (error E088) and its cost grows with the text.
- request bodies: 2 MiB holds the largest article ``ingestArticle`` accepts even when its
  JSON escapes every character (``\\uXXXX``, 6 bytes for a 200,000-char article is 1.2 MB).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Protocol

from kg.core.errors import InvalidQueryError

MAX_QUERY_CHARS = 1000
MAX_QUERY_WORDS = 64
MAX_NAME_CHARS = 300
MAX_ID_CHARS = 200
MAX_TITLE_CHARS = 1000
MAX_LABEL_CHARS = 300
MAX_ARTICLE_CHARS = 200_000
MAX_BODY_BYTES = 2 * 1024 * 1024
MAX_LUCENE_CLAUSES = 512
"""The most terms one fulltext query is built with (:mod:`kg.graph.lucene`): half of
Lucene's 1,024, whatever the query settings say, since the analyzer may split one word
into several terms ("U.S.-led")."""


class TextLimits(Protocol):
    """What the checks read from the settings (:class:`~kg.core.config.Settings` has them)."""

    @property
    def max_query_chars(self) -> int: ...

    @property
    def max_query_words(self) -> int: ...

    @property
    def max_name_chars(self) -> int: ...

    @property
    def max_id_chars(self) -> int: ...


@dataclass(frozen=True, slots=True)
class Limits:
    """The default limits, for callers without settings (the library, tests)."""

    max_query_chars: int = MAX_QUERY_CHARS
    max_query_words: int = MAX_QUERY_WORDS
    max_name_chars: int = MAX_NAME_CHARS
    max_id_chars: int = MAX_ID_CHARS


DEFAULT_LIMITS = Limits()


def check_text(field: str, value: str, max_chars: int, max_words: int | None = None) -> str:
    """Refuse a text longer than ``max_chars`` characters (or ``max_words`` words).

    Args:
        field: The argument's public name, reported to the client.
        value: The text.
        max_chars: The most characters allowed.
        max_words: The most whitespace-separated words allowed; None for no word limit.

    Returns:
        ``value`` unchanged, so a check can wrap an expression.

    Raises:
        InvalidQueryError: the text is too long (the message gives the limit and the size),
            or it holds a lone surrogate (see :func:`check_unicode`).
    """
    if len(value) > max_chars:
        raise InvalidQueryError(field, f"is {len(value)} characters long; the limit is {max_chars}")
    check_unicode(field, value)
    # The character check comes first, so splitting below is bounded by max_chars.
    if max_words is not None and len(value.split()) > max_words:
        raise InvalidQueryError(field, f"has more than {max_words} words")
    return value


LONE_SURROGATE = re.compile("[\ud800-\udfff]")
"""A UTF-16 surrogate code point on its own: in a Python str, only a lone one can occur."""


def check_unicode(field: str, value: str) -> str:
    """Refuse a text holding a lone surrogate (U+D800..U+DFFF).

    JSON lets a client escape one (``"\\ud800"``) and Python decodes it into a ``str``
    that no UTF-8 encoder takes: the Neo4j driver, the tokenizer and the JSON response
    would fail on it with an unexpected error. It is not text, so it is the client's error.

    Raises:
        InvalidQueryError: the text holds a lone surrogate; the message names its position.
    """
    found = LONE_SURROGATE.search(value)
    if found is not None:
        raise InvalidQueryError(
            field,
            f"holds a lone surrogate U+{ord(found.group()):04X} at {found.start()}, "
            "which is not Unicode text",
        )
    return value


def check_query(field: str, value: str | None, limits: TextLimits) -> str | None:
    """Check free query text (a search, an entity search) against the query limits."""
    if value is None:
        return None
    return check_text(field, value, limits.max_query_chars, limits.max_query_words)


def check_name(field: str, value: str | None, limits: TextLimits) -> str | None:
    """Check a name, or a key that may be a name or an id (``actor``, ``entity=``)."""
    if value is None:
        return None
    return check_text(field, value, limits.max_name_chars)


def check_id(field: str, value: str | None, limits: TextLimits) -> str | None:
    """Check an id (entity, article, passage)."""
    if value is None:
        return None
    return check_text(field, value, limits.max_id_chars)
