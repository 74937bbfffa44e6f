"""Query understanding: which entities a search query names, in which role, about which events.

Two steps, kept apart so the first is testable on strings alone:

1. :func:`parse_query` (pure, :mod:`.parse`): role cues, event words, candidate name spans.
2. :func:`resolve_entities` (:mod:`.resolve`): looks the candidate spans up and keeps
   non-overlapping matches, exact name/alias matches first.

:func:`order_cue` (:mod:`.ordering`) finds a phrase asking for the most widely reported
actions first ("most reported", "by number of sources"); the parse blanks it out.
"""

from kg.search.understanding.ordering import OrderCue, order_cue
from kg.search.understanding.parse import Candidate, ParsedQuery, parse_query
from kg.search.understanding.resolve import EntityLookup, resolve_entities
from kg.search.understanding.words import (
    Token,
    content_words,
    event_type_of,
    normalize_name,
    tokenize,
)

__all__ = [
    "Candidate",
    "EntityLookup",
    "OrderCue",
    "ParsedQuery",
    "Token",
    "content_words",
    "event_type_of",
    "normalize_name",
    "order_cue",
    "parse_query",
    "resolve_entities",
    "tokenize",
]
