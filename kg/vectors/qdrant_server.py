"""VectorStore adapter for ``qdrant-client``: a Qdrant server, or the client's local mode.

Used when ``NEWSKG_QDRANT_URL`` is set. Local mode (``path=`` or ``location=":memory:"``)
serves the tests and the benchmark; it ignores payload indexes, so none are created there.
"""

from __future__ import annotations

import threading
import warnings
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from qdrant_client import QdrantClient, models
from qdrant_client.http.exceptions import ResponseHandlingException, UnexpectedResponse

from kg.core.breaker import CircuitBreaker
from kg.core.errors import ConfigurationError, ServiceUnavailableError, VectorSizeMismatchError
from kg.core.models import VectorFilter, VectorHit, VectorPoint, VectorScan
from kg.vectors.payload import (
    ARTICLE_ID_KEY,
    ENTITY_IDS_KEY,
    PAYLOAD_INDEXES,
    PUBLISHED_DAY_KEY,
    filter_terms,
)

_INDEX_TYPES = {
    "keyword": models.PayloadSchemaType.KEYWORD,
    "integer": models.PayloadSchemaType.INTEGER,
}
_UPSERT_BATCH = 256  # keeps one HTTP request well under the server's body limit


@contextmanager
def _unavailable_on_failure(
    where: str, breaker: CircuitBreaker | None = None, *, probe: bool = False
) -> Iterator[None]:
    """Turn transport and server-side failures into ServiceUnavailableError.

    With a ``breaker``, refuse at once while it is open (unless ``probe``), and report
    the outcome to it: transport failures and 5xx open it, anything else closes it.
    """
    if breaker is not None and not probe:
        breaker.before_call()
    try:
        yield
    except ResponseHandlingException as exc:  # connection refused, timeout, TLS...
        _record(breaker, str(exc.source))
        raise ServiceUnavailableError("qdrant", f"{where}: {exc.source}") from exc
    except UnexpectedResponse as exc:
        if exc.status_code is not None and (
            exc.status_code >= 500 or exc.status_code in (401, 403)
        ):
            _record(breaker, str(exc) if exc.status_code >= 500 else None)
            raise ServiceUnavailableError("qdrant", f"{where}: {exc}") from exc
        _record(breaker, None)
        raise
    except (ConnectionError, TimeoutError) as exc:
        _record(breaker, str(exc))
        raise ServiceUnavailableError("qdrant", f"{where}: {exc}") from exc
    except BaseException:
        if breaker is not None:
            breaker.release()
        raise
    else:
        _record(breaker, None)


def _record(breaker: CircuitBreaker | None, outage: str | None) -> None:
    if breaker is None:
        return
    if outage is None:
        breaker.record_success()
    else:
        breaker.record_failure(outage)


class QdrantClientStore:
    """Passage vectors in a Qdrant collection reached through qdrant-client (cosine).

    Give exactly one of ``client_factory``, ``url`` (with optional ``api_key``), ``path``
    (local mode on disk) or ``location=":memory:"``. The constructor does no I/O: the
    client is built on first use.

    Args:
        collection: Collection name.
        url: Qdrant server URL, e.g. ``http://localhost:6333``.
        api_key: API key for the server.
        path: Directory for qdrant-client's local mode.
        location: ``":memory:"`` for an in-memory local mode.
        client_factory: Builds the client (for callers that configure it themselves).
        timeout: Request timeout in seconds (server mode).
        breaker: Refuses calls at once while the server is known down (server mode).
    """

    def __init__(
        self,
        collection: str,
        *,
        url: str | None = None,
        api_key: str | None = None,
        path: Path | None = None,
        location: str | None = None,
        client_factory: Callable[[], QdrantClient] | None = None,
        timeout: int = 10,
        breaker: CircuitBreaker | None = None,
    ) -> None:
        given = [x for x in (url, path, location, client_factory) if x is not None]
        if len(given) != 1:
            raise ConfigurationError(
                "give exactly one of url, path, location or client_factory to QdrantClientStore",
                setting="qdrant_url",
            )
        self._collection = collection
        self._url = url
        self._api_key = api_key
        self._path = path
        self._location = location
        self._factory = client_factory
        self._timeout = timeout
        self._breaker = breaker
        self._client: QdrantClient | None = None
        self._dimension: int | None = None
        self._lock = threading.RLock()

    @property
    def _where(self) -> str:
        return self._url or str(self._path or self._location or "qdrant-client")

    # ------------------------------------------------------------------ lifecycle

    def _connect(self) -> QdrantClient:
        with self._lock:
            if self._client is None:
                try:
                    if self._factory is not None:
                        self._client = self._factory()
                    elif self._url is not None:
                        # The compatibility check is a request at construction: ping does it.
                        self._client = QdrantClient(
                            url=self._url,
                            api_key=self._api_key,
                            timeout=self._timeout,
                            check_compatibility=False,
                        )
                    elif self._path is not None:
                        self._path.mkdir(parents=True, exist_ok=True)
                        self._client = QdrantClient(path=str(self._path))
                    else:
                        self._client = QdrantClient(location=self._location)
                except RuntimeError as exc:  # local storage locked by another client
                    raise ServiceUnavailableError("qdrant", f"{self._where}: {exc}") from exc
            return self._client

    def _collection_dimension(self, client: QdrantClient) -> int | None:
        """Vector size of the collection, or None if it does not exist."""
        if self._dimension is not None:
            return self._dimension
        with _unavailable_on_failure(self._where, self._breaker):
            if not client.collection_exists(self._collection):
                return None
            info = client.get_collection(self._collection)
        vectors = info.config.params.vectors
        if isinstance(vectors, models.VectorParams):
            self._dimension = vectors.size
        elif isinstance(vectors, dict) and "" in vectors:
            self._dimension = vectors[""].size
        else:
            raise ConfigurationError(
                f"collection {self._collection!r} has named vectors only; newskg needs one "
                "unnamed dense vector: use another collection",
                setting="qdrant_collection",
            )
        return self._dimension

    def _create(self, client: QdrantClient, dimension: int) -> None:
        with _unavailable_on_failure(self._where, self._breaker):
            client.create_collection(
                self._collection,
                vectors_config=models.VectorParams(size=dimension, distance=models.Distance.COSINE),
            )
        self._dimension = dimension

    def _ensure_indexes(self, client: QdrantClient) -> None:
        if self._path is not None or self._location is not None:
            return  # local mode has no payload indexes (it warns and ignores them)
        with _unavailable_on_failure(self._where, self._breaker), warnings.catch_warnings():
            # A factory may build a local-mode client too: silence its one warning.
            warnings.filterwarnings("ignore", message="Payload indexes have no effect")
            existing = client.get_collection(self._collection).payload_schema
            for key, kind in PAYLOAD_INDEXES:
                if key not in existing:
                    client.create_payload_index(
                        self._collection, field_name=key, field_schema=_INDEX_TYPES[kind]
                    )

    def bootstrap(self, dimension: int) -> None:
        """Create the collection and its payload indexes if missing.

        Raises:
            VectorSizeMismatchError: If the existing collection has another vector size.
            ServiceUnavailableError: If the server cannot be reached.
        """
        client = self._connect()
        with self._lock:
            existing = self._collection_dimension(client)
            if existing is None:
                self._create(client, dimension)
            elif existing != dimension:
                raise VectorSizeMismatchError(self._collection, expected=dimension, actual=existing)
            self._ensure_indexes(client)

    def ping(self) -> None:
        """Raise ServiceUnavailableError if the server (or local storage) cannot answer."""
        client = self._connect()
        # A probe passes an open breaker: /health finds out when the server is back.
        with _unavailable_on_failure(self._where, self._breaker, probe=True):
            client.get_collections()

    def close(self) -> None:
        """Close the client; it is rebuilt on next use."""
        with self._lock:
            if self._client is not None:
                self._client.close()
                self._client = None
                self._dimension = None

    # ------------------------------------------------------------------ writes

    def upsert(self, points: Sequence[VectorPoint]) -> None:
        """Insert or replace points by id; creates the collection on the first write.

        Raises:
            VectorSizeMismatchError: If a vector's length differs from the collection's size.
        """
        if not points:
            return
        client = self._connect()
        with self._lock:
            dimension = self._collection_dimension(client)
            if dimension is None:
                self.bootstrap(len(points[0].vector))
                dimension = len(points[0].vector)
        for point in points:
            if len(point.vector) != dimension:
                raise VectorSizeMismatchError(
                    self._collection, expected=len(point.vector), actual=dimension
                )
        structs = [
            models.PointStruct(id=p.id, vector=list(p.vector), payload=dict(p.payload))
            for p in points
        ]
        with _unavailable_on_failure(self._where, self._breaker):
            for start in range(0, len(structs), _UPSERT_BATCH):
                client.upsert(self._collection, points=structs[start : start + _UPSERT_BATCH])

    def delete(self, ids: Sequence[str]) -> None:
        """Remove points by id; unknown ids are ignored."""
        if not ids:
            return
        client = self._connect()
        if self._collection_dimension(client) is None:
            return
        with _unavailable_on_failure(self._where, self._breaker):
            client.delete(self._collection, points_selector=models.PointIdsList(points=list(ids)))

    # ------------------------------------------------------------------ reads

    def search(
        self, vector: Sequence[float], limit: int, flt: VectorFilter | None = None
    ) -> list[VectorHit]:
        """Nearest points by cosine similarity, best first."""
        client = self._connect()
        if limit <= 0 or self._collection_dimension(client) is None:
            return []
        with _unavailable_on_failure(self._where, self._breaker):
            response = client.query_points(
                self._collection,
                query=list(vector),
                limit=limit,
                query_filter=_client_filter(flt),
                with_payload=True,
                with_vectors=False,
            )
        return [
            VectorHit(id=str(hit.id), score=float(hit.score), payload=hit.payload or {})
            for hit in response.points
        ]

    def retrieve(self, ids: Sequence[str]) -> list[VectorHit]:
        """Points by id, in the order asked, with score 0; unknown ids are skipped."""
        client = self._connect()
        if not ids or self._collection_dimension(client) is None:
            return []
        with _unavailable_on_failure(self._where, self._breaker):
            records = client.retrieve(
                self._collection, ids=list(ids), with_payload=True, with_vectors=False
            )
        by_id = {str(r.id): r for r in records}
        return [
            VectorHit(id=i, score=0.0, payload=by_id[i].payload or {})
            for i in dict.fromkeys(ids)
            if i in by_id
        ]

    def count(self) -> int:
        """Number of points stored (0 if the collection does not exist yet)."""
        client = self._connect()
        if self._collection_dimension(client) is None:
            return 0
        with _unavailable_on_failure(self._where, self._breaker):
            return client.count(self._collection, exact=True).count

    def scan(
        self, offset: str | None = None, limit: int = 256, flt: VectorFilter | None = None
    ) -> VectorScan:
        """A page of points with their payloads, in id order, from ``offset``."""
        client = self._connect()
        if limit <= 0 or self._collection_dimension(client) is None:
            return VectorScan(points=())
        with _unavailable_on_failure(self._where):
            records, next_offset = client.scroll(
                self._collection,
                scroll_filter=_client_filter(flt),
                limit=limit,
                offset=offset,
                with_payload=True,
                with_vectors=False,
            )
        return VectorScan(
            points=tuple(
                VectorHit(id=str(r.id), score=0.0, payload=r.payload or {}) for r in records
            ),
            next_offset=None if next_offset is None else str(next_offset),
        )


def _client_filter(flt: VectorFilter | None) -> models.Filter | None:
    terms = filter_terms(flt)
    if terms.empty:
        return None
    must: list[models.Condition] = []
    if terms.article_ids:
        must.append(
            models.FieldCondition(
                key=ARTICLE_ID_KEY, match=models.MatchAny(any=list(terms.article_ids))
            )
        )
    if terms.entity_ids:
        must.append(
            models.FieldCondition(
                key=ENTITY_IDS_KEY, match=models.MatchAny(any=list(terms.entity_ids))
            )
        )
    if terms.day_from is not None or terms.day_to is not None:
        must.append(
            models.FieldCondition(
                key=PUBLISHED_DAY_KEY, range=models.Range(gte=terms.day_from, lte=terms.day_to)
            )
        )
    must_not: list[models.Condition] = []
    if terms.exclude_article_ids:
        must_not.append(
            models.FieldCondition(
                key=ARTICLE_ID_KEY, match=models.MatchAny(any=list(terms.exclude_article_ids))
            )
        )
    return models.Filter(must=must or None, must_not=must_not or None)
