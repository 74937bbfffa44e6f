"""Hybrid graph + semantic search that explains itself: the orchestration.

A :class:`~kg.search.request.SearchRequest` goes through three retrievers
(:mod:`kg.search.retrievers`), run concurrently, whose rankings are fused by weighted
reciprocal rank fusion (:mod:`kg.search.fusion`) and checked for role consistency
(:mod:`kg.search.roles`: "attacks on X" puts attacks on X first, X's own attacks last);
actions are then ranked from the graph's actions and the fused passages
(:mod:`kg.search.action_ranking`). Every hit
carries ``why``: one :class:`~kg.search.results.Why` per retriever that returned it, with its
rank, raw score and, for the graph, the path that reached it. :meth:`HybridSearch.view`
hydrates a result into the one shape both APIs render (:mod:`kg.search.view`).

Search reads the graph only through the :class:`kg.core.ports.SearchGraph` port.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, replace
from typing import Any

from kg.core.config import Settings
from kg.core.errors import InvalidQueryError, ServiceUnavailableError
from kg.core.filters import SearchFilter
from kg.core.ports import SearchGraph, VectorStore
from kg.core.records import (
    EntityMatch,
    EventRecord,
    PassageContext,
    PassageRecord,
    SearchScope,
)
from kg.search.action_ranking import (
    orders_by_sources,
    rank_by_sources,
    rank_evidenced_actions,
    rank_graph_actions,
)
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
from kg.search.retrievers import found_ids, merge_passages
from kg.search.retrievers.fulltext import retrieve_fulltext
from kg.search.retrievers.graph import GraphAction, retrieve_graph
from kg.search.retrievers.vector import QueryEmbedder, VectorRetrieved, retrieve_vector
from kg.search.roles import apply_roles, asked_roles
from kg.search.understanding import normalize_name, order_cue, parse_query, resolve_entities
from kg.search.view import Prefetched, Prefetching, SearchView, build_view

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
    context: PassageContext  # the candidates' articles, roles and (no entity) actions
    read: frozenset[str]  # the candidates whose context was read
    prefetch: Prefetching | None = None


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
        by_sources = orders_by_sources(request.order_by, understanding)
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
            # The candidates' actions came with them; a passage none read had is read now.
            keys = [f.key for f in fused]
            evidence = [
                replace(found, passage=found.passage or passages[key])
                for key in keys
                if key in passages
                for found in run.context.actions.get(key, ())
            ]
            unread = [key for key in keys if key not in run.read]
            evidence += self._graph.actions_of_passages(unread, run.scope) if unread else []
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

        The records the view shows are read while the retrievers run: the graph's actions
        with their participants, and their events; the candidates' articles (and, for a
        query naming no entity, their actions) with the candidates. The view then reads
        only what is still missing (the events of actions that are not the graph's).
        """
        result, run, events = self._result(request, prefetch=True)
        known = run.prefetch.result() if run.prefetch else Prefetched()
        if events:
            # Ordered by sources: the events were read to rank; the view reuses them.
            read = frozenset(a.action_id for a in result.actions)
            known = replace(
                known, events={**known.events, **events}, events_read=known.events_read | read
            )
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
                # The retrievers and reads of concurrent searches: each mostly waits for a
                # store, so threads overlap the round trips, more than the cores' number.
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
        # Every read that does not wait for another starts at once, beside the embedding:
        # the copies to leave out of the vectors, the fulltext read, the query's entities.
        copies_job = None if include_duplicates else pool.submit(self._graph.copy_article_ids)
        fulltext_job = pool.submit(retrieve_fulltext, self._graph, text, scope, depth)
        # What the vector hits' graph check reads with them, known once the query is.
        plan: Future[tuple[list[str], SearchScope | None]] = Future()

        def context_of(ids: Sequence[str]) -> PassageContext:
            entities, actions = plan.result()
            return self._graph.passage_context(ids, entities, True, actions)

        vector_job = pool.submit(
            self._retrieve_vector, text, scope, depth, fulltext_job, copies_job, context_of
        )
        jobs: list[Future[Any]] = [j for j in (vector_job, fulltext_job, copies_job) if j]
        try:
            understanding = self.understand(query)
            asked, asked_types = asked_roles(understanding), understanding.event_types
            # A query naming no entity ranks the actions its passages evidence.
            evidenced = None if understanding.entities else scope
            plan.set_result((list(asked), evidenced))
            # The fulltext hits (mostly in by now) stand in for evidence too large to walk.
            near = found_ids(fulltext_job) if understanding.entities or asked_types else []
            # The shown actions are the graph's when the query names entities, else the
            # candidates' (those come with the candidates' context, below).
            shows_graph = prefetch and evidenced is None
            # The other candidates' context (the vector hits come with theirs): nothing is
            # read after fusion. With entities, the graph's read brings it (the fulltext
            # hits' and its own) and its shown actions' events: no read waits for it.
            wanted = bool(prefetch or asked or evidenced is not None)
            also = near if wanted and understanding.entities else None
            graph = retrieve_graph(
                self._graph, understanding, scope, depth, near, also, list(asked), shows_graph
            )
            action_ids = [a.action_id for a in graph.actions] if shows_graph else []
            # Read the records not reached from entities, and the events, meanwhile.
            unread = [i for i in action_ids if i not in graph.records]
            actions_job = pool.submit(self._graph.actions, unread) if unread else None
            participants_job = pool.submit(self._graph.participants, unread) if unread else None
            no_events = not action_ids or graph.events is not None
            events_job = None if no_events else pool.submit(self._graph.events, action_ids)
            fulltext = fulltext_job.result()
            early = list(dict.fromkeys([*fulltext.passages, *graph.passages])) if wanted else []
            ask = (early, list(asked), False, evidenced)
            unread_context = early and graph.context is None
            context_job = pool.submit(self._graph.passage_context, *ask) if unread_context else None
            jobs += [j for j in (actions_job, participants_job, events_job, context_job) if j]
            vector = vector_job.result()
            context = context_job.result() if context_job is not None else PassageContext()
            context = graph.context.joined(context) if graph.context is not None else context
        except BaseException as failure:
            # A failed search (a store down) must not leave its jobs queued in the shared
            # pool: the next searches would wait behind work nobody reads.
            if not plan.done():
                plan.set_exception(failure)
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
        passages = merge_passages(vector.passages, fulltext.passages, graph.passages)
        context = context.joined(vector.context)
        read = frozenset((*early, *vector.passages))
        ahead = None
        if prefetch:
            ahead = Prefetching(
                context.articles,
                actions_job,
                participants_job,
                events_job,
                frozenset(action_ids),
                {**context.records, **graph.records},
                {**context.participants, **graph.participants},
                frozenset(context.records).union(action_ids if graph.events is not None else ()),
                {**context.events, **(graph.events or {})},
            )
        if asked and fused:
            # Fusion knows no roles: evidence with an entity in the asked role goes first,
            # in the other role last.
            unread = [f.key for f in fused if f.key not in read]
            parts = [part for f in fused for part in context.roles.get(f.key, ())]
            parts += self._graph.passage_roles(unread, list(asked)) if unread else []
            names = {qe.entity.id: qe.entity.name for qe in understanding.entities}
            fused = apply_roles(fused, asked, parts, names, understanding.event_types)
        found = (passages, graph.actions, scope, context, read, ahead)
        return _Run(understanding, rankings, fused, unchecked, *found)

    def _retrieve_vector(
        self,
        query: str,
        scope: SearchScope,
        depth: int,
        graph_first: Future[Any],
        copies: Future[frozenset[str]] | None,
        context: Callable[[Sequence[str]], PassageContext],
    ) -> VectorRetrieved:
        # The embedding is a search's costliest step, and a search whose graph is down
        # fails whatever the vectors say: unless the graph has shown no failure at all, it
        # waits up to GRAPH_FIRST_S for the graph's first answer (the fulltext read), and
        # does not embed when a graph read failed or the breaker knows the graph down. In
        # an outage, embeddings nobody reads took the CPU from requests that fail fast.
        if self._healthy is None or not self._healthy():
            wait([graph_first], timeout=GRAPH_FIRST_S)
        for first in (graph_first, copies):  # the copies' read, started beside it
            if first is not None and first.done() and not first.cancelled():
                failed = first.exception()
                if isinstance(failed, ServiceUnavailableError):
                    raise failed
        if self._ready is not None:
            self._ready()
        return retrieve_vector(
            self._vectors,
            self._embedder,
            self._graph,
            query,
            scope,
            depth,
            copies=copies.result if copies is not None else None,
            context=context,
        )

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
