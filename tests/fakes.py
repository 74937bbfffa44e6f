"""In-memory stand-ins for the ports, and stub models, for unit tests without Neo4j or models.

:class:`InMemoryArticleWriter` keeps each article's rows as written and answers like the Neo4j
adapter does (whole-article replacement, shared entities kept while another article uses
them); :class:`InMemoryVectorStore` keeps points in a dict and can be told to fail.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from typing import Any

from kg.core.errors import GraphWriteError, ServiceUnavailableError
from kg.core.models import (
    Entity,
    EntityType,
    Extraction,
    GraphRows,
    Mention,
    NodeRow,
    VectorFilter,
    VectorHit,
    VectorPoint,
    VectorScan,
)
from kg.core.records import (
    ArticleRecord,
    ArticleWrite,
    CheckScope,
    DeleteResult,
    PassageRecord,
    StoredPassage,
)


class InMemoryArticleWriter:
    """An :class:`~kg.core.ports.ArticleWriter` over a dict of article id -> rows."""

    def __init__(self) -> None:
        self.articles: dict[str, GraphRows] = {}
        self.duplicate_of: dict[str, str] = {}
        self.replacements = 0
        self.batch_writes = 0  # calls of replace_articles
        self.fail_batches = False  # make replace_articles refuse every batch

    # ------------------------------------------------------------------ views for tests

    def nodes(self, label: str) -> dict[str, NodeRow]:
        """Every stored node with ``label``, by id (a node shared by articles once)."""
        return {
            node.id: node
            for rows in self.articles.values()
            for node in rows.nodes
            if label in node.labels
        }

    def passage_ids(self, article_id: str) -> set[str]:
        rows = self.articles.get(article_id)
        return {n.id for n in rows.nodes if "Passage" in n.labels} if rows else set()

    # ------------------------------------------------------------------ port

    def article_exists(self, article_id: str) -> bool:
        return article_id in self.articles

    def replace_article(self, rows: GraphRows, article_id: str) -> ArticleWrite:
        self._check(rows, article_id)
        return self._replace(rows, article_id)

    def _check(self, rows: GraphRows, article_id: str) -> None:
        if not any(node.id == article_id for node in rows.nodes):
            raise GraphWriteError(f"the rows hold no node for article {article_id!r}")
        ids = {n.id for n in rows.nodes}
        for rel in rows.relationships:
            if rel.start_id not in ids or rel.end_id not in ids:
                raise GraphWriteError("relationship ends missing", expected=1)

    def _replace(self, rows: GraphRows, article_id: str) -> ArticleWrite:
        existed = article_id in self.articles
        removed = tuple(sorted(self.passage_ids(article_id)))
        self.articles[article_id] = rows
        self.replacements += 1
        return ArticleWrite(existed=existed, removed_passage_ids=removed if existed else ())

    def existing_articles(self, article_ids: Sequence[str]) -> set[str]:
        return {i for i in article_ids if i in self.articles}

    def replace_articles(self, batch: Sequence[tuple[GraphRows, str]]) -> list[ArticleWrite]:
        """All or nothing, like the one transaction of the Neo4j adapter."""
        self.batch_writes += 1
        if self.fail_batches:
            raise GraphWriteError("the batch transaction was refused by the test")
        ids = [article_id for _, article_id in batch]
        if len(set(ids)) != len(ids):
            raise GraphWriteError("an article appears twice in one batch")
        for rows, article_id in batch:
            self._check(rows, article_id)
        return [self._replace(rows, article_id) for rows, article_id in batch]

    def delete_article(self, article_id: str) -> DeleteResult | None:
        rows = self.articles.pop(article_id, None)
        if rows is None:
            return None
        still_used = set(self.nodes("Entity"))
        orphans = tuple(
            sorted(n.id for n in rows.nodes if "Entity" in n.labels and n.id not in still_used)
        )
        owned = [n for n in rows.nodes if "Entity" not in n.labels]
        return DeleteResult(
            passage_ids=tuple(sorted(n.id for n in owned if "Passage" in n.labels)),
            entity_ids=orphans,
            nodes_removed=len(owned) + len(orphans),
        )

    def link_duplicate(self, copy_id: str, original_id: str) -> None:
        if copy_id not in self.articles or original_id not in self.articles:
            raise GraphWriteError("relationship ends missing", expected=1)
        self.duplicate_of[copy_id] = original_id

    # ------------------------------------------------------------------ ConsistencyGraph

    def article_ids_after(self, scope: CheckScope, after: str | None, limit: int) -> list[str]:
        def in_scope(article_id: str) -> bool:
            if scope.article_ids and article_id not in scope.article_ids:
                return False
            url = self.nodes("Article")[article_id].properties.get("url")
            return scope.url_prefix is None or str(url or "").startswith(scope.url_prefix)

        ids = sorted(i for i in self.articles if (after is None or i > after) and in_scope(i))
        return ids[:limit]

    def stored_passages(self, article_ids: Sequence[str]) -> list[StoredPassage]:
        out: list[StoredPassage] = []
        for article_id in article_ids:
            rows = self.articles.get(article_id)
            if rows is None:
                continue
            node = next(n for n in rows.nodes if n.id == article_id)
            props = node.properties
            published = props.get("published")
            article = ArticleRecord(
                id=node.id,
                iri=node.iri,
                title=str(props.get("title") or ""),
                published=date.fromisoformat(str(published)) if published else None,
                url=props.get("url"),
                source=props.get("source"),
                section=props.get("section"),
            )
            passages = sorted(
                (n for n in rows.nodes if "Passage" in n.labels),
                key=lambda n: int(n.properties["index"]),
            )
            for p in passages:
                mentioned = sorted(
                    {
                        r.end_id
                        for r in rows.relationships
                        if r.type == "MENTIONS" and r.start_id == p.id
                    }
                )
                record = PassageRecord(
                    id=p.id,
                    iri=p.iri,
                    article_id=article_id,
                    index=int(p.properties["index"]),
                    text=str(p.properties["text"]),
                    start=int(p.properties["start"]),
                    end=int(p.properties["end"]),
                )
                out.append(StoredPassage(record, article, tuple(mentioned)))
        return out

    def existing_passage_ids(self, ids: Sequence[str]) -> frozenset[str]:
        stored = {i for article_id in self.articles for i in self.passage_ids(article_id)}
        return frozenset(i for i in ids if i in stored)


class InMemoryVectorStore:
    """A :class:`~kg.core.ports.VectorStore` over a dict; ``fail_upserts`` makes it refuse."""

    def __init__(self) -> None:
        self.points: dict[str, VectorPoint] = {}
        self.fail_upserts = False
        self.dimension: int | None = None

    def bootstrap(self, dimension: int) -> None:
        self.dimension = dimension

    def upsert(self, points: Sequence[VectorPoint]) -> None:
        if self.fail_upserts:
            raise ServiceUnavailableError("qdrant", "refused by the test")
        self.points.update({p.id: p for p in points})

    def search(
        self, vector: Sequence[float], limit: int, flt: VectorFilter | None = None
    ) -> list[VectorHit]:
        def score(point: VectorPoint) -> float:
            return sum(a * b for a, b in zip(vector, point.vector, strict=False))

        ranked = sorted(self.points.values(), key=score, reverse=True)[:limit]
        return [VectorHit(id=p.id, score=score(p), payload=p.payload) for p in ranked]

    def retrieve(self, ids: Sequence[str]) -> list[VectorHit]:
        return [VectorHit(i, 0.0, self.points[i].payload) for i in ids if i in self.points]

    def delete(self, ids: Sequence[str]) -> None:
        for point_id in ids:
            self.points.pop(point_id, None)

    def count(self) -> int:
        return len(self.points)

    def scan(
        self, offset: str | None = None, limit: int = 256, flt: VectorFilter | None = None
    ) -> VectorScan:
        wanted = set(flt.article_ids) if flt is not None and flt.article_ids else None
        ids = sorted(
            i
            for i, p in self.points.items()
            if (offset is None or i >= offset)
            and (wanted is None or p.payload.get("article_id") in wanted)
        )
        page = [VectorHit(i, 0.0, self.points[i].payload) for i in ids[:limit]]
        return VectorScan(points=tuple(page), next_offset=ids[limit] if len(ids) > limit else None)

    def ping(self) -> None:
        return None

    def close(self) -> None:
        return None


class StubEmbedder:
    """Deterministic unit vectors from a hash of the text; no model involved."""

    dimension = 8

    def embed(self, texts: Sequence[str]) -> list[tuple[float, ...]]:
        return [self.embed_query(t) for t in texts]

    def embed_spans(
        self, texts: Sequence[str], spans: Sequence[Sequence[tuple[int, int]]]
    ) -> tuple[list[tuple[float, ...]], list[list[tuple[float, ...] | None]]]:
        """A span's vector is its text's: what a model pooling the span alone would give."""
        return self.embed(texts), [
            [self.embed_query(t[s:e]) for s, e in wanted]
            for t, wanted in zip(texts, spans, strict=True)
        ]

    def embed_query(self, text: str) -> tuple[float, ...]:
        digest = hashlib.sha256(text.encode()).digest()[: self.dimension]
        raw = [b + 1.0 for b in digest]
        norm = math.sqrt(sum(v * v for v in raw))
        return tuple(v / norm for v in raw)


class StubExtractor:
    """Finds the given names, whole words, wherever they occur; no model, no actions."""

    def __init__(self, names: Mapping[str, EntityType]) -> None:
        self.names = dict(names)

    def extract(self, text: str, published: date | None) -> Extraction:
        entities: list[Entity] = []
        mentions: list[Mention] = []
        for name, entity_type in self.names.items():
            spans = [m.span() for m in re.finditer(rf"\b{re.escape(name)}\b", text)]
            if not spans:
                continue
            key = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
            entities.append(Entity(key=key, name=name, type=entity_type))
            mentions += [Mention(s, e, text[s:e], key, entity_type) for s, e in spans]
        mentions.sort(key=lambda m: m.start)
        return Extraction(entities=tuple(entities), mentions=tuple(mentions))


class Unreachable:
    """A store or model that must not be used: any call fails the test."""

    def __init__(self, name: str = "store") -> None:
        self._name = name

    def __getattr__(self, attribute: str) -> Callable[..., Any]:
        def fail(*args: object, **kwargs: object) -> Any:
            raise AssertionError(f"{self._name}.{attribute} was reached")

        return fail
