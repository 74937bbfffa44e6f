"""One exception hierarchy for newskg. Each exception carries the fields the edges need."""

from __future__ import annotations


class NewsKGError(Exception):
    """Base of every error newskg raises on purpose."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ConfigurationError(NewsKGError):
    """A setting is missing or inconsistent."""

    def __init__(self, message: str, *, setting: str | None = None) -> None:
        super().__init__(message)
        self.setting = setting


class MissingToolError(ConfigurationError):
    """An external tool (Java, Maven) is not installed."""

    def __init__(self, tool: str, hint: str) -> None:
        super().__init__(f"{tool} is required but was not found. {hint}", setting=tool)
        self.tool = tool
        self.hint = hint


class ServiceUnavailableError(NewsKGError):
    """A backing service (Neo4j, Qdrant, an LLM endpoint) cannot be reached."""

    def __init__(self, service: str, detail: str) -> None:
        super().__init__(f"{service} is unavailable: {detail}")
        self.service = service
        self.detail = detail


class ArticleParseError(NewsKGError):
    """An input article is malformed. Names the source and the problem."""

    def __init__(self, source: str, problem: str, *, line: int | None = None) -> None:
        where = f"{source}:{line}" if line is not None else source
        super().__init__(f"{where}: {problem}")
        self.source = source
        self.problem = problem
        self.line = line


class ArticleTooLargeError(ArticleParseError):
    """An article's text is longer than ``NEWSKG_MAX_ARTICLE_CHARS``.

    Attributes:
        size: The text's length in characters.
        limit: The most characters allowed.
    """

    def __init__(self, source: str, size: int, limit: int, *, line: int | None = None) -> None:
        super().__init__(
            source,
            f"the text is {size} characters long; the limit is {limit} (NEWSKG_MAX_ARTICLE_CHARS)",
            line=line,
        )
        self.size = size
        self.limit = limit


class ValidationFailedError(NewsKGError):
    """Extracted records do not conform to the SHACL shapes; nothing was loaded."""

    def __init__(self, article_id: str, violations: list[str]) -> None:
        super().__init__(f"article {article_id} failed validation: " + "; ".join(violations[:5]))
        self.article_id = article_id
        self.violations = violations


class VectorSizeMismatchError(ConfigurationError):
    """The embedding model's dimension differs from the vector collection's."""

    def __init__(self, collection: str, expected: int, actual: int) -> None:
        super().__init__(
            f"collection {collection!r} holds {actual}-d vectors but the model produces "
            f"{expected}-d vectors; use another collection or re-create it",
            setting="qdrant_collection",
        )
        self.collection = collection
        self.expected = expected
        self.actual = actual


class NotFoundError(NewsKGError):
    """A requested node does not exist."""

    def __init__(self, kind: str, key: str) -> None:
        super().__init__(f"{kind} {key!r} not found")
        self.kind = kind
        self.key = key


class InvalidQueryError(NewsKGError):
    """A query or filter is not acceptable (bad range, depth too large...)."""

    def __init__(self, field: str, problem: str) -> None:
        super().__init__(f"{field}: {problem}")
        self.field = field
        self.problem = problem


class AuthenticationError(NewsKGError):
    """The request lacks a valid API key."""

    def __init__(self, message: str = "a valid X-API-Key header is required") -> None:
        super().__init__(message)


class ExtractorUnavailableError(NewsKGError):
    """An optional extractor is not configured or cannot run offline."""

    def __init__(self, extractor: str, detail: str) -> None:
        super().__init__(f"extractor {extractor!r} is unavailable: {detail}")
        self.extractor = extractor
        self.detail = detail


class DevToolsError(NewsKGError):
    """Chromium refused a DevTools command, closed the pipe, or a page never got ready.

    Attributes:
        method: The DevTools method or the awaited JavaScript expression.
        detail: What went wrong (for a timeout, the tail of the page's text).
    """

    def __init__(self, method: str, detail: str) -> None:
        super().__init__(f"{method}: {detail}")
        self.method = method
        self.detail = detail


class GraphQueryError(NewsKGError):
    """Neo4j refused a query (syntax, constraint, a failed procedure): not an outage.

    Attributes:
        code: The Neo4j status code, e.g. ``Neo.ClientError.Schema.ConstraintValidationFailed``.
        detail: Neo4j's message.
    """

    def __init__(self, code: str, detail: str) -> None:
        super().__init__(f"Neo4j refused the query: {code}: {detail}")
        self.code = code
        self.detail = detail


class GraphWriteError(NewsKGError):
    """Rows could not be written to the graph; the transaction was rolled back.

    Attributes:
        query: The Cypher statement that wrote too few rows, or None when the rows were
            refused before any statement was built (a label or type not in the ontology).
        written: How many rows of the batch the statement wrote.
        expected: How many rows the batch held.
    """

    def __init__(
        self, problem: str, *, query: str | None = None, written: int = 0, expected: int = 0
    ) -> None:
        super().__init__(problem)
        self.query = query
        self.written = written
        self.expected = expected


class FeedError(NewsKGError):
    """A feed or an article page could not be fetched or read.

    Attributes:
        url: The feed or page URL.
        reason: What went wrong, in words for the user ("timed out after 10 s", "HTTP 404").
        status: The HTTP status when the server answered, else None.
    """

    def __init__(self, url: str, reason: str, *, status: int | None = None) -> None:
        super().__init__(f"{url}: {reason}")
        self.url = url
        self.reason = reason
        self.status = status
