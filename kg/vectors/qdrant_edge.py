"""VectorStore adapter for Qdrant Edge (``qdrant-edge-py``): Qdrant's in-process engine.

One collection is one Edge shard, in the directory ``<path>/<collection>``. The shard keeps
a write-ahead log, so upserts survive a crash; :meth:`QdrantEdgeStore.close` flushes and
releases the directory (only one process may hold a shard open at a time).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import qdrant_edge as qe

from kg.core.errors import ConfigurationError, ServiceUnavailableError, VectorSizeMismatchError
from kg.core.models import VectorFilter, VectorHit, VectorPoint, VectorScan
from kg.vectors.payload import (
    ARTICLE_ID_KEY,
    ENTITY_IDS_KEY,
    PAYLOAD_INDEXES,
    PUBLISHED_DAY_KEY,
    filter_terms,
)

# The file in which Qdrant Edge persists the shard's configuration (documented format).
_EDGE_CONFIG_FILE = "edge_config.json"
_DEFAULT_VECTOR = ""  # the unnamed dense vector

_INDEX_TYPES = {
    "keyword": qe.PayloadSchemaType.Keyword,
    "integer": qe.PayloadSchemaType.Integer,
}


class QdrantEdgeStore:
    """Passage vectors in an embedded Qdrant Edge shard (cosine distance).

    The constructor does no I/O. An existing shard is opened on first use;
    :meth:`bootstrap` (or the first :meth:`upsert`) creates a missing one.

    Args:
        path: Directory holding the shards (``settings.qdrant_path``).
        collection: Collection name; the shard lives in ``path / collection``.
    """

    def __init__(self, path: Path, collection: str) -> None:
        self._path = Path(path)
        self._collection = collection
        self._shard: qe.EdgeShard | None = None
        self._dimension: int | None = None
        self._lock = threading.RLock()

    @property
    def directory(self) -> Path:
        """The shard directory."""
        return self._path / self._collection

    # ------------------------------------------------------------------ lifecycle

    def _exists(self) -> bool:
        return (self.directory / _EDGE_CONFIG_FILE).is_file()

    def _stored_dimension(self) -> int:
        config_file = self.directory / _EDGE_CONFIG_FILE
        try:
            config = json.loads(config_file.read_text(encoding="utf-8"))
            return int(config["vectors"][_DEFAULT_VECTOR]["size"])
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise ConfigurationError(
                f"cannot read the vector size of collection {self._collection!r} from "
                f"{config_file}: {exc}",
                setting="qdrant_collection",
            ) from exc

    def _open(self, create_dimension: int | None = None) -> qe.EdgeShard | None:
        """Return the open shard: load it, create it if asked, or None if it is missing."""
        with self._lock:
            if self._shard is not None:
                return self._shard
            try:
                if self._exists():
                    self._dimension = self._stored_dimension()
                    self._shard = qe.EdgeShard.load(str(self.directory))
                elif create_dimension is not None:
                    config = qe.EdgeConfig(
                        vectors=qe.EdgeVectorParams(
                            size=create_dimension, distance=qe.Distance.Cosine
                        )
                    )
                    self.directory.parent.mkdir(parents=True, exist_ok=True)
                    self._shard = qe.EdgeShard.create(str(self.directory), config)
                    self._dimension = create_dimension
                else:
                    return None
            except ConfigurationError:
                raise
            except Exception as exc:  # qdrant_edge raises plain Exception
                raise ServiceUnavailableError(
                    "qdrant", f"cannot open the Qdrant Edge shard at {self.directory}: {exc}"
                ) from exc
            self._ensure_indexes(self._shard)
            return self._shard

    @staticmethod
    def _ensure_indexes(shard: qe.EdgeShard) -> None:
        existing = shard.info().payload_schema
        for key, kind in PAYLOAD_INDEXES:
            if key not in existing:
                shard.update(qe.UpdateOperation.create_field_index(key, _INDEX_TYPES[kind]))

    def _open_or_create(self, dimension: int) -> qe.EdgeShard:
        shard = self._open(create_dimension=dimension)
        if shard is None:  # unreachable: _open creates when given a dimension
            raise ServiceUnavailableError("qdrant", f"cannot create {self.directory}")
        return shard

    def bootstrap(self, dimension: int) -> None:
        """Create the shard if missing.

        Raises:
            VectorSizeMismatchError: If the existing shard stores vectors of another size.
        """
        self._open_or_create(dimension)
        if self._dimension != dimension:
            raise VectorSizeMismatchError(
                self._collection, expected=dimension, actual=self._dimension or 0
            )

    def ping(self) -> None:
        """Open the shard if it exists (raising ServiceUnavailableError if it cannot)."""
        shard = self._open()
        if shard is not None:
            shard.info()

    def close(self) -> None:
        """Flush and release the shard; the store can be reopened by using it again."""
        with self._lock:
            if self._shard is not None:
                self._shard.close()
                self._shard = None
                self._dimension = None

    # ------------------------------------------------------------------ writes

    def upsert(self, points: Sequence[VectorPoint]) -> None:
        """Insert or replace points by id; creates the shard on the first write.

        Raises:
            VectorSizeMismatchError: If a vector's length differs from the shard's size.
        """
        if not points:
            return
        shard = self._open_or_create(len(points[0].vector))
        for point in points:
            if len(point.vector) != self._dimension:
                raise VectorSizeMismatchError(
                    self._collection, expected=len(point.vector), actual=self._dimension or 0
                )
        shard.update(
            qe.UpdateOperation.upsert_points(
                [qe.Point(p.id, list(p.vector), dict(p.payload)) for p in points]
            )
        )

    def delete(self, ids: Sequence[str]) -> None:
        """Remove points by id; unknown ids are ignored."""
        if not ids:
            return
        shard = self._open()
        if shard is not None:
            shard.update(qe.UpdateOperation.delete_points(list(ids)))

    # ------------------------------------------------------------------ reads

    def search(
        self, vector: Sequence[float], limit: int, flt: VectorFilter | None = None
    ) -> list[VectorHit]:
        """Nearest points by cosine similarity, best first."""
        shard = self._open()
        if shard is None or limit <= 0:
            return []
        request = qe.QueryRequest(
            limit=limit,
            query=qe.Query.Nearest(list(vector)),
            filter=_edge_filter(flt),
            with_payload=True,
            with_vector=False,
        )
        return [
            VectorHit(id=str(hit.id), score=float(hit.score), payload=hit.payload or {})
            for hit in shard.query(request)
        ]

    def retrieve(self, ids: Sequence[str]) -> list[VectorHit]:
        """Points by id, in the order asked, with score 0; unknown ids are skipped."""
        shard = self._open()
        if shard is None or not ids:
            return []
        records = shard.retrieve(list(ids), True, False)
        by_id = {str(r.id): r for r in records}
        return [
            VectorHit(id=i, score=0.0, payload=by_id[i].payload or {})
            for i in dict.fromkeys(ids)
            if i in by_id
        ]

    def count(self) -> int:
        """Number of points stored (0 if the shard does not exist yet)."""
        shard = self._open()
        if shard is None:
            return 0
        return int(shard.count(qe.CountRequest(exact=True)))

    def scan(
        self, offset: str | None = None, limit: int = 256, flt: VectorFilter | None = None
    ) -> VectorScan:
        """A page of points with their payloads, in id order, from ``offset``."""
        shard = self._open()
        if shard is None or limit <= 0:
            return VectorScan(points=())
        records, next_offset = shard.scroll(
            qe.ScrollRequest(
                offset=offset,
                limit=limit,
                filter=_edge_filter(flt),
                with_payload=True,
                with_vector=False,
            )
        )
        return VectorScan(
            points=tuple(
                VectorHit(id=str(r.id), score=0.0, payload=r.payload or {}) for r in records
            ),
            next_offset=None if next_offset is None else str(next_offset),
        )


def _edge_filter(flt: VectorFilter | None) -> qe.Filter | None:
    terms = filter_terms(flt)
    if terms.empty:
        return None
    must: list[Any] = []
    if terms.article_ids:
        must.append(qe.FieldCondition(ARTICLE_ID_KEY, match=qe.MatchAny(list(terms.article_ids))))
    if terms.entity_ids:
        must.append(qe.FieldCondition(ENTITY_IDS_KEY, match=qe.MatchAny(list(terms.entity_ids))))
    if terms.day_from is not None or terms.day_to is not None:
        must.append(
            qe.FieldCondition(
                PUBLISHED_DAY_KEY,
                range=qe.RangeFloat(
                    gte=float(terms.day_from) if terms.day_from is not None else None,
                    lte=float(terms.day_to) if terms.day_to is not None else None,
                ),
            )
        )
    must_not: list[Any] = []
    if terms.exclude_article_ids:
        must_not.append(
            qe.FieldCondition(ARTICLE_ID_KEY, match=qe.MatchAny(list(terms.exclude_article_ids)))
        )
    return qe.Filter(must=must or None, must_not=must_not or None)
