"""Validation of GraphQL documents: cached where it depends on the document alone.

graphql-core validates a document by visiting it with every rule (about 30 of the spec's,
plus the depth and alias limits): on this API that was most of the CPU time of a small
query, and it runs on the event loop, so every request waited behind the others' validation.
Measured with ``bench/outage.py`` and py-spy while Neo4j was down, the loop spent most of its
samples in validation: requests that fail at once still queued behind it.

A front end sends the same few documents again and again, so :class:`CachedValidation`
keeps their parsed form and remembers the ones that passed the document-only rules
(bounded LRUs keyed by the query text, :class:`DocumentCache`); for those it runs only the
rules that depend on the request: the cost rule (its variables) and the read guard (its
key), marked :class:`PerRequestRule`. Documents with errors are not cached: their errors
go to the client as usual.
"""

from __future__ import annotations

import contextlib
import threading
from collections import OrderedDict
from collections.abc import Iterator
from typing import Any

from graphql import (
    ASTValidationRule,
    DocumentNode,
    GraphQLError,
    ValidationContext,
    ValidationRule,
    parse,
    validate,
)
from strawberry.extensions import QueryDepthLimiter, SchemaExtension
from strawberry.schema.schema import validate_document

MAX_CACHED_DOCUMENTS = 512
MAX_CACHED_QUERY_CHARS = 20_000  # longer documents are validated every time, never kept


class PerRequestRule(ValidationRule):
    """A rule whose verdict depends on the request (variables, key), not the document."""


class DocumentCache:
    """Bounded, thread-safe LRU caches of one schema's documents, keyed by query text.

    ``parsed`` holds parsed documents; ``valid`` the query texts that passed the
    document-only rules. Texts over :data:`MAX_CACHED_QUERY_CHARS` are never kept, so the
    caches hold at most ``size`` times that many characters, whatever clients send.
    """

    def __init__(self, size: int = MAX_CACHED_DOCUMENTS) -> None:
        self._size = size
        self._parsed: OrderedDict[tuple[str, int | None], DocumentNode] = OrderedDict()
        self._valid: OrderedDict[str, None] = OrderedDict()
        self._lock = threading.Lock()

    def parse(self, query: str, max_tokens: int | None) -> DocumentNode:
        """``query`` parsed (at most ``max_tokens`` tokens), from the cache when it can be.

        Raises:
            GraphQLError: a syntax error, or too many tokens (never cached).
        """
        key = (query, max_tokens)
        with self._lock:
            document = self._parsed.get(key)
            if document is not None:
                self._parsed.move_to_end(key)
                return document
        document = parse(query, max_tokens=max_tokens)
        if len(query) <= MAX_CACHED_QUERY_CHARS:
            with self._lock:
                self._parsed[key] = document
                _trim(self._parsed, self._size)
        return document

    def is_valid(self, query: str) -> bool:
        """Whether ``query`` passed the document-only rules before."""
        with self._lock:
            if query in self._valid:
                self._valid.move_to_end(query)
                return True
            return False

    def add_valid(self, query: str) -> None:
        """Remember ``query`` as valid under the document-only rules."""
        if len(query) <= MAX_CACHED_QUERY_CHARS:
            with self._lock:
                self._valid[query] = None
                _trim(self._valid, self._size)


def _trim(cache: OrderedDict[Any, Any], size: int) -> None:
    while len(cache) > size:
        cache.popitem(last=False)


class CachedValidation(SchemaExtension):
    """Parses and validates once per distinct document; per-request rules every time.

    Args:
        cache: The schema's documents (one cache per schema: its rules are fixed).
    """

    def __init__(self, cache: DocumentCache) -> None:
        self.cache = cache

    def on_parse(self) -> Iterator[None]:
        context = self.execution_context
        if context.query and context.graphql_document is None:
            with contextlib.suppress(GraphQLError):
                # A syntax error is left to Strawberry's own parse, which runs next (this
                # hook runs before it, outside its error handling) and reports it.
                max_tokens = context.parse_options.get("max_tokens")
                context.graphql_document = self.cache.parse(context.query, max_tokens)
        yield

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        document = context.graphql_document
        if document is not None and context.validation_rules:
            schema = context.schema._schema
            rules = context.validation_rules
            per_request = tuple(r for r in rules if issubclass(r, PerRequestRule))
            query = context.query or ""
            errors = []
            if not self.cache.is_valid(query):
                static = tuple(r for r in rules if not issubclass(r, PerRequestRule))
                errors = validate_document(schema, document, static)
                if not errors:
                    self.cache.add_valid(query)
            if not errors and per_request:
                errors = validate(schema, document, per_request)
            # Set before Strawberry's own validation, which then does not run again.
            context.pre_execution_errors = errors
        yield


class DepthLimiter(QueryDepthLimiter):
    """Strawberry's depth limit, which does not crash on a spread of an unknown fragment.

    Strawberry's rule looks fragments up by name while it is built and raised ``KeyError``
    for ``{ ...Nope }``: the client got an uncoded error. Such a document is invalid anyway;
    graphql-core's ``KnownFragmentNamesRule`` reports it with its code.
    """

    def __init__(self, max_depth: int) -> None:
        super().__init__(max_depth)
        self.validation_rules = [_tolerant(rule) for rule in self.validation_rules]


def _tolerant(rule: type[ASTValidationRule]) -> type[ASTValidationRule]:
    class Tolerant(rule):  # type: ignore[valid-type,misc]
        def __init__(self, context: ValidationContext) -> None:
            try:
                super().__init__(context)
            except (KeyError, RecursionError):  # unknown or cyclic fragments: see above
                ASTValidationRule.__init__(self, context)

    return Tolerant
