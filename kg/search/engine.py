"""Hybrid graph + semantic search that explains itself.

A query goes through three retrievers, fused by weighted reciprocal rank fusion:

- ``vector``: Qdrant nearest passages to the query's embedding (filtered by entity and dates);
- ``fulltext``: Neo4j's Lucene (BM25) index ``passage_text`` over the query's words;
- ``graph``: the query's entities (found by :mod:`kg.search.understanding`) are expanded to
  the actions in which they play the asked role ("against X" -> X is a target) and to the
  passages evidencing those actions, then to the passages that mention them.

Every passage hit carries ``why``: one :class:`Why` per retriever that returned it, with its
rank, raw score and, for the graph, the path that reached it.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from kg.core.config import Settings
from kg.core.errors import InvalidQueryError
from kg.core.filters import SearchFilter, check_date_range, check_plover_types
from kg.core.models import VectorFilter
from kg.core.ports import GraphStore, VectorStore
from kg.core.records import EntityMatch, EntityRef
from kg.graph import cypher
from kg.graph.lucene import lucene_phrase, lucene_terms
from kg.graph.reads import RELS_BY_ROLE, entities_by_fulltext, passages_by_ids, resolve_entity
from kg.search.fusion import Fused, Ranked, reciprocal_rank_fusion
from kg.search.results import (
    RETRIEVER_EVIDENCE,
    RETRIEVER_FULLTEXT,
    RETRIEVER_GRAPH,
    RETRIEVER_VECTOR,
    ActionHit,
    PassageHit,
    QueryEntity,
    QueryUnderstanding,
    SearchResult,
    Why,
)
from kg.search.understanding import (
    content_words,
    normalize_name,
    parse_query,
    resolve_entities,
)

__all__ = [
    "ActionHit",
    "EntityRef",
    "HybridSearch",
    "PassageHit",
    "QueryEntity",
    "QueryUnderstanding",
    "SearchFilter",
    "SearchResult",
    "Why",
]

log = logging.getLogger(__name__)

MAX_LIMIT = 100
"""The most passages (and actions) one search returns, for every API."""
# Graph score of a passage reached only by MENTIONS: below any action evidence (>= 0).
_MENTION_SCORE = -1.0
# Graph score bonus of an action whose type the query names ("attacks" -> ASSAULT).
_EVENT_TYPE_BONUS = 1.0


class QueryEmbedder(Protocol):
    """What search needs of :class:`kg.vectors.embedder.Embedder`."""

    def embed_query(self, text: str) -> tuple[float, ...]: ...


@dataclass(frozen=True, slots=True)
class _PassageInfo:
    passage_id: str
    article_id: str
    text: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class _GraphAction:
    action_id: str
    type: str
    score: float
    path: tuple[str, ...]
    passage_id: str | None


@dataclass(frozen=True, slots=True)
class _Run:
    understanding: QueryUnderstanding
    rankings: dict[str, list[Ranked]]
    fused: list[Fused]
    infos: dict[str, _PassageInfo]
    graph_actions: list[_GraphAction]


def _unique(ranked: Sequence[Ranked]) -> list[Ranked]:
    """First occurrence of each key (a passage can be reached by several graph paths)."""
    seen: set[str] = set()
    out = []
    for item in ranked:
        if item.key not in seen:
            seen.add(item.key)
            out.append(item)
    return out


class HybridSearch:
    """Graph + vector + fulltext search over passages and actions.

    Args:
        graph: The Neo4j store (reads only).
        vectors: The passage vector store.
        embedder: Embeds the query (``embed_query``).
        settings: RRF constant and retriever weights (``rrf_k``, ``weight_*``).
    """

    def __init__(
        self,
        graph: GraphStore,
        vectors: VectorStore,
        embedder: QueryEmbedder,
        settings: Settings,
    ) -> None:
        self._graph = graph
        self._vectors = vectors
        self._embedder = embedder
        self._settings = settings

    # ------------------------------------------------------------------ public

    def search(self, query: str, limit: int = 10, flt: SearchFilter | None = None) -> SearchResult:
        """Search passages and actions for a query.

        Args:
            query: Free text, e.g. "actions against the ELN".
            limit: Maximum number of passages (and of actions) to return, 1..100.
            flt: Optional date, action type and entity restrictions.

        Returns:
            The fused passages, the entities the query names, the matching actions, and
            how the query was understood.

        Raises:
            InvalidQueryError: Empty query, bad limit, unknown type, inverted date range,
                or an entity filter naming no known entity.
            ServiceUnavailableError: Neo4j or Qdrant cannot be reached.
        """
        query = query.strip()
        flt = self._validate(query, limit, flt or SearchFilter())
        run = self._run(query, max(3 * limit, 30), flt)
        fused, infos, understanding = list(run.fused[:limit]), run.infos, run.understanding
        self._fill_missing(fused, infos)
        passages = tuple(
            PassageHit(
                passage_id=f.key,
                article_id=infos[f.key].article_id,
                text=infos[f.key].text,
                start=infos[f.key].start,
                end=infos[f.key].end,
                score=round(f.score, 6),
                why=f.why,
            )
            for f in fused
            if f.key in infos
        )
        if understanding.entities:
            actions = self._rank_entity_actions(run.graph_actions, fused, limit)
        else:
            actions = self._actions_of_passages(understanding, fused, flt, limit)
        return SearchResult(
            query=query,
            passages=passages,
            entities=tuple(qe.entity for qe in understanding.entities),
            actions=actions,
            understanding=understanding,
        )

    def rankings(
        self, query: str, depth: int = 10, flt: SearchFilter | None = None
    ) -> dict[str, list[str]]:
        """Each retriever's passage ids, and the fused ones, best first (for evaluation).

        Args:
            query: The search query.
            depth: How many results each list keeps (1..100).
            flt: Optional restrictions, as for :meth:`search`.

        Returns:
            ``{"vector": [...], "fulltext": [...], "graph": [...], "fused": [...]}``, all
            measured in the same call.
        """
        query = query.strip()
        flt = self._validate(query, depth, flt or SearchFilter())
        run = self._run(query, max(3 * depth, 30), flt)
        out = {name: [r.key for r in ranked][:depth] for name, ranked in run.rankings.items()}
        out["fused"] = [f.key for f in run.fused[:depth]]
        return out

    def _run(self, query: str, depth: int, flt: SearchFilter) -> _Run:
        mention = self._resolve_entity_filter(flt.entity)
        understanding = self.understand(query)
        vector_hits, infos = self._vector(query, depth, flt, mention)
        fulltext_hits = self._fulltext(query, depth, flt, mention, infos)
        graph_actions, graph_hits = self._graph_retrieve(understanding, depth, flt, mention, infos)
        rankings = {
            RETRIEVER_VECTOR: vector_hits,
            RETRIEVER_FULLTEXT: fulltext_hits,
            RETRIEVER_GRAPH: _unique(graph_hits),
        }
        weights = {
            RETRIEVER_VECTOR: self._settings.weight_vector,
            RETRIEVER_FULLTEXT: self._settings.weight_fulltext,
            RETRIEVER_GRAPH: self._settings.weight_graph,
        }
        fused = reciprocal_rank_fusion(rankings, weights, self._settings.rrf_k)
        return _Run(understanding, rankings, fused, infos, graph_actions)

    def understand(self, query: str) -> QueryUnderstanding:
        """Parse the query and resolve the entities it names against the graph."""
        return resolve_entities(parse_query(query), self._lookup_entities)

    # ------------------------------------------------------------------ validation

    @staticmethod
    def _validate(query: str, limit: int, flt: SearchFilter) -> SearchFilter:
        if not query:
            raise InvalidQueryError("q", "the query must not be empty")
        if not 1 <= limit <= MAX_LIMIT:
            raise InvalidQueryError("limit", f"must be between 1 and {MAX_LIMIT}, got {limit}")
        check_date_range(flt.from_date, flt.to_date)
        types = check_plover_types(flt.types)
        entity = flt.entity.strip() if flt.entity else None
        return SearchFilter(flt.from_date, flt.to_date, types, entity or None)

    def _resolve_entity_filter(self, entity: str | None) -> str | None:
        if entity is None:
            return None
        found = resolve_entity(self._graph, entity)
        if found is None:
            raise InvalidQueryError("entity", f"no entity with id, name or alias {entity!r}")
        return found.id

    # ------------------------------------------------------------------ retrievers

    def _lookup_entities(self, texts: Sequence[str]) -> tuple[EntityMatch, ...]:
        phrases = list(dict.fromkeys(normalize_name(t) for t in texts))
        phrases = [p for p in phrases if p]
        if not phrases:
            return ()
        lucene = " OR ".join(lucene_phrase(p) for p in phrases[:200])
        return entities_by_fulltext(self._graph, lucene, limit=50)

    def _vector(
        self, query: str, depth: int, flt: SearchFilter, mention: str | None
    ) -> tuple[list[Ranked], dict[str, _PassageInfo]]:
        vector = self._embedder.embed_query(query)
        vflt = VectorFilter(
            entity_ids=(mention,) if mention else (),
            published_from=flt.from_date,
            published_to=flt.to_date,
        )
        hits = self._vectors.search(vector, depth, vflt)
        infos: dict[str, _PassageInfo] = {}
        for hit in hits:
            payload = hit.payload
            infos[hit.id] = _PassageInfo(
                passage_id=hit.id,
                article_id=str(payload.get("article_id", "")),
                text=str(payload.get("text", "")),
                start=int(payload.get("start", 0)),
                end=int(payload.get("end", 0)),
            )
        ranked = [Ranked(hit.id, round(hit.score, 6)) for hit in hits]
        if flt.types and ranked:
            rows = self._graph.run_read(
                cypher.SEARCH_PASSAGES_WITH_ACTION_TYPES,
                {"ids": [r.key for r in ranked], "types": list(flt.types)},
            )
            keep = {str(r["passage_id"]) for r in rows}
            ranked = [r for r in ranked if r.key in keep]
        return ranked, infos

    def _fulltext(
        self,
        query: str,
        depth: int,
        flt: SearchFilter,
        mention: str | None,
        infos: dict[str, _PassageInfo],
    ) -> list[Ranked]:
        lucene = lucene_terms(" ".join(content_words(query)))
        if not lucene:
            return []
        rows = self._graph.run_read(
            cypher.SEARCH_PASSAGES_FULLTEXT,
            {
                "q": lucene,
                "limit": depth * 3,
                **self._filter_params(flt, mention),
                "entity": mention,
            },
        )
        ranked = []
        for row in rows[:depth]:
            self._remember(infos, row)
            ranked.append(Ranked(str(row["passage_id"]), round(float(row["score"]), 6)))
        return ranked

    def _graph_retrieve(
        self,
        understanding: QueryUnderstanding,
        depth: int,
        flt: SearchFilter,
        mention: str | None,
        infos: dict[str, _PassageInfo],
    ) -> tuple[list[_GraphAction], list[Ranked]]:
        params = self._filter_params(flt, mention)
        actions: list[_GraphAction] = []
        if understanding.entities:
            actions = self._entity_actions(understanding, depth, params, infos)
        elif understanding.event_types:
            types = [t for t in understanding.event_types if not flt.types or t in flt.types]
            if types:
                rows = self._graph.run_read(
                    cypher.SEARCH_ACTIONS_OF_TYPES, {**params, "types": types, "limit": depth}
                )
                for row in rows:
                    self._remember(infos, row)
                    path: tuple[str, ...] = (f"Action:{row['type']}",)
                    if row["passage_id"] is not None:
                        path += ("EVIDENCED_BY", f"Passage:{row['passage_index']}")
                    actions.append(
                        _GraphAction(
                            str(row["action_id"]),
                            str(row["type"]),
                            float(row["confidence"]),
                            path,
                            row["passage_id"],
                        )
                    )

        ranked = [Ranked(a.passage_id, round(a.score, 6), a.path) for a in actions if a.passage_id]
        for qe in understanding.entities[:5]:
            rows = self._graph.run_read(
                cypher.SEARCH_ENTITY_PASSAGES, {**params, "entity": qe.entity.id, "limit": depth}
            )
            for row in rows:
                self._remember(infos, row)
                mention_path = (
                    f"Entity:{qe.entity.name}",
                    "MENTIONS",
                    f"Passage:{row['passage_index']}",
                )
                ranked.append(Ranked(str(row["passage_id"]), _MENTION_SCORE, mention_path))
        return actions, ranked

    def _entity_actions(
        self,
        understanding: QueryUnderstanding,
        depth: int,
        params: Mapping[str, Any],
        infos: dict[str, _PassageInfo],
    ) -> list[_GraphAction]:
        pairwise = understanding.pairwise and len(understanding.entities) >= 2
        per_entity: list[dict[str, _GraphAction]] = []
        for qe in understanding.entities[:5]:
            role = "any" if pairwise else qe.role
            rows = self._graph.run_read(
                cypher.SEARCH_ENTITY_ACTIONS,
                {
                    **params,
                    "entity": qe.entity.id,
                    "rels": list(RELS_BY_ROLE[role]),
                    "limit": depth * 2,
                },
            )
            found: dict[str, _GraphAction] = {}
            for row in rows:
                self._remember(infos, row)
                action_id = str(row["action_id"])
                if action_id in found:
                    continue
                score = float(row["confidence"])
                if row["type"] in understanding.event_types:
                    score += _EVENT_TYPE_BONUS
                path: tuple[str, ...] = (
                    f"Entity:{qe.entity.name}",
                    str(row["rel"]),
                    f"Action:{row['type']}",
                )
                if row["passage_id"] is not None:
                    path += ("EVIDENCED_BY", f"Passage:{row['passage_index']}")
                found[action_id] = _GraphAction(
                    action_id, str(row["type"]), score, path, row["passage_id"]
                )
            per_entity.append(found)

        if pairwise:
            common = set.intersection(*(set(f) for f in per_entity))
            merged = {aid: per_entity[0][aid] for aid in common}
        else:
            merged = {}
            for found in per_entity:
                for aid, action in found.items():
                    if aid in merged:
                        # Involves several of the query's entities: a stronger match.
                        old = merged[aid]
                        merged[aid] = _GraphAction(
                            aid, old.type, old.score + 0.5, old.path, old.passage_id
                        )
                    else:
                        merged[aid] = action
        return sorted(merged.values(), key=lambda a: -a.score)

    # ------------------------------------------------------------------ actions

    def _rank_entity_actions(
        self, actions: Sequence[_GraphAction], fused: Sequence[Fused], limit: int
    ) -> tuple[ActionHit, ...]:
        k = self._settings.rrf_k
        passage_rank = {f.key: (i + 1, f.score) for i, f in enumerate(fused)}
        scored = []
        for i, action in enumerate(actions, start=1):
            why = [Why(RETRIEVER_GRAPH, i, round(action.score, 6), action.path)]
            score = self._settings.weight_graph / (k + i)
            if action.passage_id in passage_rank:
                rank, passage_score = passage_rank[action.passage_id]
                score += passage_score
                why.append(Why(RETRIEVER_EVIDENCE, rank, round(passage_score, 6)))
            scored.append(ActionHit(action.action_id, round(score, 6), tuple(why)))
        scored.sort(key=lambda a: -a.score)
        return tuple(scored[:limit])

    def _actions_of_passages(
        self,
        understanding: QueryUnderstanding,
        fused: Sequence[Fused],
        flt: SearchFilter,
        limit: int,
    ) -> tuple[ActionHit, ...]:
        if not fused:
            return ()
        rows = self._graph.run_read(
            cypher.SEARCH_ACTIONS_OF_PASSAGES,
            {
                "ids": [f.key for f in fused],
                "types": list(flt.types),
                "from": flt.from_date,
                "to": flt.to_date,
            },
        )
        passage_rank = {f.key: (i + 1, f.score) for i, f in enumerate(fused)}
        hits: dict[str, ActionHit] = {}
        for row in rows:
            rank, passage_score = passage_rank[str(row["passage_id"])]
            score = passage_score
            if row["type"] in understanding.event_types:
                score += passage_score  # the query names this kind of event
            path = (f"Passage:{row['passage_index']}", "EVIDENCED_BY", f"Action:{row['type']}")
            hit = ActionHit(
                str(row["action_id"]),
                round(score, 6),
                (Why(RETRIEVER_EVIDENCE, rank, round(passage_score, 6), path),),
            )
            if row["action_id"] not in hits or hits[row["action_id"]].score < hit.score:
                hits[str(row["action_id"])] = hit
        return tuple(sorted(hits.values(), key=lambda a: -a.score)[:limit])

    # ------------------------------------------------------------------ helpers

    @staticmethod
    def _filter_params(flt: SearchFilter, mention: str | None) -> dict[str, Any]:
        return {
            "from": flt.from_date,
            "to": flt.to_date,
            "types": list(flt.types),
            "mention": mention,
        }

    @staticmethod
    def _remember(infos: dict[str, _PassageInfo], row: Mapping[str, Any]) -> None:
        passage_id = row.get("passage_id")
        if passage_id is None or passage_id in infos:
            return
        infos[str(passage_id)] = _PassageInfo(
            passage_id=str(passage_id),
            article_id=str(row.get("article_id") or ""),
            text=str(row.get("text") or ""),
            start=int(row.get("start") or 0),
            end=int(row.get("end") or 0),
        )

    def _fill_missing(self, fused: Sequence[Fused], infos: dict[str, _PassageInfo]) -> None:
        missing = [f.key for f in fused if f.key not in infos]
        if not missing:
            return
        for passage in passages_by_ids(self._graph, missing).values():
            infos[passage.id] = _PassageInfo(
                passage_id=passage.id,
                article_id=passage.article_id,
                text=passage.text,
                start=passage.start,
                end=passage.end,
            )


def parse_types(raw: str | Sequence[str] | None) -> tuple[str, ...]:
    """Split a comma-separated (or repeated) ``types`` parameter into upper-case PLOVER types."""
    if raw is None:
        return ()
    items = [raw] if isinstance(raw, str) else list(raw)
    return tuple(t.strip().upper() for item in items for t in item.split(",") if t.strip())
