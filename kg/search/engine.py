"""Hybrid graph + semantic search that explains itself: the orchestration.

A :class:`~kg.search.request.SearchRequest` goes through three retrievers
(:mod:`kg.search.retrievers`), run concurrently, whose rankings are fused by weighted
reciprocal rank fusion (:mod:`kg.search.fusion`) and checked for role consistency
(:mod:`kg.search.roles`: "attacks on X" puts X's own attacks last); actions are then
ranked from the graph's actions and the fused passages (:mod:`kg.search.action_ranking`). Every hit
carries ``why``: one :class:`~kg.search.results.Why` per retriever that returned it, with its
rank, raw score and, for the graph, the path that reached it. :meth:`HybridSearch.view`
hydrates a result into the one shape both APIs render (:mod:`kg.search.view`).

Search reads the graph only through the :class:`kg.core.ports.SearchGraph` port.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, replace
from typing import Any

from kg.core.config import Settings
from kg.core.errors import InvalidQueryError, ServiceUnavailableError
from kg.core.filters import SearchFilter
from kg.core.ports import SearchGraph, VectorStore
from kg.core.records import (
    ActionRecord,
    ArticleRecord,
    EntityMatch,
    EventRecord,
    Participants,
    PassageRecord,
    SearchScope,
)
from kg.search.action_ranking import rank_by_sources, rank_evidenced_actions, rank_graph_actions
from kg.search.fusion import Fused, Ranked, reciprocal_rank_fusion
from kg.search.request import DEFAULT_LIMIT, MAX_LIMIT, SearchRequest
from kg.search.results import (
    ORDER_RELEVANCE,
    ORDER_SOURCE_COUNT,
    RETRIEVER_FULLTEXT,
    RETRIEVER_GRAPH,
    RETRIEVER_VECTOR,
    PassageHit,
    QueryUnderstanding,
    SearchResult,
)
from kg.search.retrievers import Retrieved
from kg.search.retrievers.fulltext import retrieve_fulltext
from kg.search.retrievers.graph import GraphAction, retrieve_graph
from kg.search.retrievers.vector import QueryEmbedder, retrieve_vector
from kg.search.roles import apply_roles, asked_roles
from kg.search.understanding import normalize_name, order_cue, parse_query, resolve_entities
from kg.search.view import Prefetched, SearchView, build_view

__all__ = ["MAX_LIMIT", "HybridSearch", "QueryEmbedder", "SearchRequest", "SearchResult"]

# Entities a query's candidate spans may match, read at most (the best by fulltext score).
_ENTITY_LOOKUP_LIMIT = 50

GRAPH_FIRST_S = 0.05
"""How long a search's embedding waits for the graph's first answer (see _retrieve_vector)."""


@dataclass(frozen=True, slots=True)
class _Run:
    understanding: QueryUnderstanding
    rankings: dict[str, tuple[Ranked, ...]]
    fused: list[Fused]
    unchecked: list[Fused]  # the fused passages before the role check (for evaluation)
    passages: dict[str, PassageRecord]
    graph_actions: tuple[GraphAction, ...]
    scope: SearchScope
    prefetch: _Prefetch | None = None


@dataclass(frozen=True, slots=True)
class _Prefetch:
    # Reads started while the search still ran, for the view (see HybridSearch.view).
    articles: Future[dict[str, ArticleRecord]]
    actions: Future[dict[str, ActionRecord]] | None
    participants: Future[dict[str, Participants]] | None
    action_ids: frozenset[str]
    records: Mapping[str, ActionRecord]  # read with the graph retriever's actions
    action_participants: Mapping[str, Participants]

    def result(self) -> Prefetched:
        actions = self.actions.result() if self.actions else {}
        participants = self.participants.result() if self.participants else {}
        return Prefetched(
            articles=self.articles.result(),
            actions={**self.records, **actions},
            participants={**self.action_participants, **participants},
            actions_read=self.action_ids,
        )


def _depth(limit: int) -> int:
    # Each retriever reads well past the limit, so that fusion can promote lower ranks.
    return max(3 * limit, 30)


class HybridSearch:
    """Graph + vector + fulltext search over passages and actions.

    Args:
        graph: The graph reads of search (e.g. :class:`kg.graph.search_graph.Neo4jSearchGraph`).
        vectors: The passage vector store.
        embedder: Embeds the query (``embed_query``).
        settings: RRF constant and retriever weights (``rrf_k``, ``weight_*``).
        ready: Raises :class:`~kg.core.errors.ServiceUnavailableError` while a store is
            known down (a circuit breaker's ``raise_if_open``): a search then fails before
            it spends CPU on embedding and understanding the query.
        healthy: True while the graph has shown no failure (a breaker's ``clean``); a
            search then embeds its query at once, without first waiting for the graph's
            first answer. None: always wait (see ``_retrieve_vector``).
    """

    def __init__(
        self,
        graph: SearchGraph,
        vectors: VectorStore,
        embedder: QueryEmbedder,
        settings: Settings,
        ready: Callable[[], None] | None = None,
        healthy: Callable[[], bool] | None = None,
    ) -> None:
        self._ready = ready
        self._healthy = healthy
        self._graph = graph
        self._vectors = vectors
        self._embedder = embedder
        self._settings = settings
        self._pool: ThreadPoolExecutor | None = None
        self._pool_lock = threading.Lock()

    # ------------------------------------------------------------------ public

    def run(self, request: SearchRequest) -> SearchResult:
        """Search passages and actions.

        Args:
            request: The validated query, limit and filter.

        Returns:
            The fused passages, the entities the query names, the matching actions, and
            how the query was understood.

        Raises:
            InvalidQueryError: The entity filter names no known entity.
            ServiceUnavailableError: Neo4j or Qdrant cannot be reached.
        """
        return self._result(request)[0]

    def _result(
        self, request: SearchRequest, prefetch: bool = False
    ) -> tuple[SearchResult, _Run, dict[str, EventRecord]]:
        limit = request.limit
        run = self._run(
            request.query, _depth(limit), request.filter, prefetch, request.include_duplicates
        )
        fused = run.fused[:limit]
        missing = [f.key for f in fused if f.key not in run.passages]
        passages = {**run.passages, **self._graph.passages(missing)} if missing else run.passages
        hits = tuple(
            PassageHit(passages[f.key], round(f.score, 6), f.why)
            for f in fused
            if f.key in passages
        )
        understanding = run.understanding
        by_sources = _orders_by_sources(request.order_by, understanding)
        if understanding.entities:
            # By sources, every candidate is ranked: a widely reported event may rank low.
            keep = max(limit, len(run.graph_actions)) if by_sources else limit
            actions = rank_graph_actions(
                run.graph_actions,
                fused,
                keep,
                rrf_k=self._settings.rrf_k,
                weight_graph=self._settings.weight_graph,
            )
        else:
            evidence = self._graph.actions_of_passages([f.key for f in fused], run.scope)
            keep = max(limit, len(evidence)) if by_sources else limit
            actions = rank_evidenced_actions(evidence, fused, understanding.event_types, keep)
        events: dict[str, EventRecord] = {}
        if by_sources and actions:
            events = self._graph.events([a.action_id for a in actions])
            actions = rank_by_sources(actions, events, limit)
        result = SearchResult(
            query=request.query,
            passages=hits,
            entities=tuple(qe.entity for qe in understanding.entities),
            actions=actions,
            understanding=understanding,
            order_by=ORDER_SOURCE_COUNT if by_sources else ORDER_RELEVANCE,
            include_duplicates=request.include_duplicates,
        )
        return result, run, events

    def search(
        self, query: str, limit: int = DEFAULT_LIMIT, flt: SearchFilter | None = None
    ) -> SearchResult:
        """:meth:`run` on ``SearchRequest(query, limit, flt)`` (which validates them)."""
        return self.run(SearchRequest(query, limit, flt or SearchFilter()))

    def view(self, request: SearchRequest) -> SearchView:
        """:meth:`run`, then hydrate the hits into the result view both APIs render.

        The records the view shows are read early where they can be: the graph's actions
        and their participants while the vector retriever still runs, the candidates'
        articles beside the role check; the view then reads only what is still missing.
        """
        result, run, events = self._result(request, prefetch=True)
        known = run.prefetch.result() if run.prefetch else Prefetched()
        if events:
            # Ordered by sources: the events were read to rank; the view reuses them.
            read = frozenset(a.action_id for a in result.actions)
            known = replace(known, events=events, events_read=read)
        return build_view(self._graph, result, self._executor(), known)

    def rankings(
        self, query: str, depth: int = DEFAULT_LIMIT, flt: SearchFilter | None = None
    ) -> dict[str, list[str]]:
        """Each retriever's passage ids, and the fused ones, best first (for evaluation).

        Args:
            query: The search query.
            depth: How many results each list keeps (1..100).
            flt: Optional restrictions, as for :meth:`search`.

        Returns:
            ``{"vector": [...], "fulltext": [...], "graph": [...], "fused": [...],
            "fused_without_roles": [...]}`` (the last before the role check), all measured
            in the same call.
        """
        request = SearchRequest(query, depth, flt or SearchFilter())
        run = self._run(request.query, _depth(depth), request.filter)
        out = {name: [r.key for r in ranked][:depth] for name, ranked in run.rankings.items()}
        out["fused"] = [f.key for f in run.fused[:depth]]
        out["fused_without_roles"] = [f.key for f in run.unchecked[:depth]]
        return out

    def understand(self, query: str) -> QueryUnderstanding:
        """Parse the query and resolve the entities it names against the graph."""
        return resolve_entities(parse_query(query), self._lookup_entities)

    def close(self) -> None:
        """Stop the retrievers' threads (idle threads otherwise live until exit)."""
        with self._pool_lock:
            if self._pool is not None:
                self._pool.shutdown(wait=False)
                self._pool = None

    # ------------------------------------------------------------------ internals

    def _executor(self) -> ThreadPoolExecutor:
        with self._pool_lock:
            if self._pool is None:
                # The vector and fulltext retrievers, and the graph reads that can run at
                # once (mention passages; the view's articles and participants), of
                # concurrent searches: each read mostly waits for a store, so threads
                # overlap the round trips, and more than the cores serve many clients.
                self._pool = ThreadPoolExecutor(max_workers=16, thread_name_prefix="search")
            return self._pool

    def _run(
        self,
        query: str,
        depth: int,
        flt: SearchFilter,
        prefetch: bool = False,
        include_duplicates: bool = False,
    ) -> _Run:
        if self._ready is not None:
            self._ready()
        scope = SearchScope(
            flt.from_date, flt.to_date, flt.types, self._mention(flt.entity), include_duplicates
        )
        # "most reported" orders the actions; it is not something to search for.
        text = order_cue(query).search_text or query
        pool = self._executor()
        fulltext_job = pool.submit(retrieve_fulltext, self._graph, text, scope, depth)
        vector_job = pool.submit(self._retrieve_vector, text, scope, depth, fulltext_job)
        jobs: list[Future[Any]] = [vector_job, fulltext_job]
        try:
            understanding = self.understand(query)
            # The fulltext read, started first, has mostly answered by now: its passages
            # stand in for the actions and mentions of an entity, or the actions of event
            # types, too many to walk (see SearchGraph.entity_evidence).
            graph_reads = understanding.entities or understanding.event_types
            near = _found(fulltext_job) if graph_reads else []
            graph = retrieve_graph(self._graph, understanding, scope, depth, near)
            action_ids = [a.action_id for a in graph.actions] if prefetch else []
            # The shown actions are among the graph's: those reached from entities came
            # with their records; read the others' while the vectors come.
            unread = [i for i in action_ids if i not in graph.records]
            actions_job = pool.submit(self._graph.actions, unread) if unread else None
            participants_job = pool.submit(self._graph.participants, unread) if unread else None
            jobs += [j for j in (actions_job, participants_job) if j is not None]
            vector, fulltext = vector_job.result(), fulltext_job.result()
        except BaseException:
            # A failed search (a store down) must not leave its jobs queued in the shared
            # pool: the next searches would wait behind work nobody reads.
            for job in jobs:
                job.cancel()
            raise

        rankings = {
            RETRIEVER_VECTOR: vector.ranked,
            RETRIEVER_FULLTEXT: fulltext.ranked,
            RETRIEVER_GRAPH: graph.ranked,
        }
        weights = {
            RETRIEVER_VECTOR: self._settings.weight_vector,
            RETRIEVER_FULLTEXT: self._settings.weight_fulltext,
            RETRIEVER_GRAPH: self._settings.weight_graph,
        }
        fused = unchecked = reciprocal_rank_fusion(rankings, weights, self._settings.rrf_k)
        passages = _merge(vector.passages, fulltext.passages, graph.passages)
        ahead = None
        if prefetch:
            # The shown passages are among the candidates: read their articles meanwhile.
            article_ids = list(dict.fromkeys(p.article_id for p in passages.values()))
            ahead = _Prefetch(
                pool.submit(self._graph.articles, article_ids),
                actions_job,
                participants_job,
                frozenset(action_ids),
                graph.records,
                graph.participants,
            )
        asked = asked_roles(understanding)
        if asked and fused:
            # Fusion knows no roles: evidence with an entity in the other role goes last.
            parts = self._graph.passage_roles([f.key for f in fused], list(asked))
            names = {qe.entity.id: qe.entity.name for qe in understanding.entities}
            fused = apply_roles(fused, asked, parts, names, understanding.event_types)
        return _Run(
            understanding, rankings, fused, unchecked, passages, graph.actions, scope, ahead
        )

    def _retrieve_vector(
        self, query: str, scope: SearchScope, depth: int, graph_first: Future[Any]
    ) -> Retrieved:
        # The embedding is the costliest step of a search, and a search whose graph is
        # down fails whatever the vectors say: so it waits up to GRAPH_FIRST_S for the
        # graph's first answer (the fulltext read, started just before) and does not embed
        # when the graph failed, or when the breaker knows it down (another search found
        # out while this job queued). Embeddings started for answers nobody reads took the
        # CPU (and the GIL) from the requests that fail fast, in the first moments of an
        # outage. While the graph is up this starts the embedding at most GRAPH_FIRST_S
        # later, less than the fulltext read takes on a loaded machine anyway. While the
        # graph has shown no failure at all, it does not wait (a few ms off every search).
        if self._healthy is None or not self._healthy():
            wait([graph_first], timeout=GRAPH_FIRST_S)
        if graph_first.done() and not graph_first.cancelled():
            failed = graph_first.exception()
            if isinstance(failed, ServiceUnavailableError):
                raise failed
        if self._ready is not None:
            self._ready()
        return retrieve_vector(self._vectors, self._embedder, self._graph, query, scope, depth)

    def _mention(self, entity: str | None) -> str | None:
        if entity is None:
            return None
        found = self._graph.resolve_entity(entity)
        if found is None:
            raise InvalidQueryError("entity", f"no entity with id, name or alias {entity!r}")
        return found.id

    def _lookup_entities(self, texts: Sequence[str]) -> tuple[EntityMatch, ...]:
        names = [normalize_name(t) for t in texts]
        return self._graph.entities_named(names, _ENTITY_LOOKUP_LIMIT)


def _orders_by_sources(order_by: str | None, understanding: QueryUnderstanding) -> bool:
    """The request's order when it gives one; otherwise what the query asks ("most reported")."""
    if order_by is not None:
        return order_by == ORDER_SOURCE_COUNT
    return understanding.order_by_sources


def _found(job: Future[Retrieved]) -> list[str]:
    """The passage ids a retriever's job found; none if it failed.

    The failure is raised where the job's result is read with the others', after the
    vector job has seen it (and not embedded for a graph that is down).
    """
    if job.exception() is not None:
        return []
    return [r.key for r in job.result().ranked]


def _merge(*found: Mapping[str, PassageRecord]) -> dict[str, PassageRecord]:
    """The passages the retrievers read, the first retriever's copy winning."""
    merged: dict[str, PassageRecord] = {}
    for passages in found:
        for passage_id, passage in passages.items():
            merged.setdefault(passage_id, passage)
    return merged
