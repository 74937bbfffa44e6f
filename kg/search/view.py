"""The one result shape both APIs render: search hits hydrated with what they show.

:func:`build_view` reads, in one batch each, the articles of the passages, the actions,
their participants and their events (source count, reports); REST serialises the
:class:`SearchView`, GraphQL wraps it (and primes its DataLoaders with the records read
here, so resolvers read nothing twice).

``actors`` and ``targets`` mean the same everywhere: the resolved entities, by name. The
surface texts of participants that no resolved entity covers are kept apart, in
``unresolved_actors`` / ``unresolved_targets``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Executor, Future
from dataclasses import dataclass, field
from typing import TypeVar

from kg.core.ports import SearchGraph
from kg.core.records import (
    ActionRecord,
    ArticleRecord,
    EntityRecord,
    EventRecord,
    Participants,
    PassageRecord,
)
from kg.search.results import QueryUnderstanding, SearchResult, Why


@dataclass(frozen=True, slots=True)
class PassageView:
    """A passage hit with its article.

    Attributes:
        passage: The passage (id, article id, index, text, offsets).
        score: The fused RRF score.
        why: One vote per retriever that returned it.
        article: Its article, or None if it was deleted meanwhile.
    """

    passage: PassageRecord
    score: float
    why: tuple[Why, ...]
    article: ArticleRecord | None


@dataclass(frozen=True, slots=True)
class ActionView:
    """An action hit with its participants.

    Attributes:
        action: The action node (type, date, evidence...).
        score: Its search score.
        why: Its graph vote and/or its evidence passage's rank.
        participants: The entities it involves, by role (resolved only).
        unresolved_actors: Actor texts no resolved actor covers, as written.
        unresolved_targets: Target texts no resolved target covers, as written.
        event: The event it reports (source and article counts, every report), or None.
    """

    action: ActionRecord
    score: float
    why: tuple[Why, ...]
    participants: Participants
    unresolved_actors: tuple[str, ...] = ()
    unresolved_targets: tuple[str, ...] = ()
    event: EventRecord | None = None

    @property
    def actors(self) -> tuple[EntityRecord, ...]:
        """Who acts: resolved entities, by name."""
        return self.participants.actors

    @property
    def targets(self) -> tuple[EntityRecord, ...]:
        """Who is acted upon: resolved entities, by name."""
        return self.participants.targets


@dataclass(frozen=True, slots=True)
class SearchView:
    """Everything one search shows.

    Attributes:
        query: The query, trimmed.
        passages: Passage hits, best first.
        entities: The entities the query names, in query order.
        actions: Action hits, best first (actions deleted since the search are dropped).
        understanding: How the query was understood.
        order_by: How the actions are ordered (``relevance`` or ``source_count``).
        include_duplicates: Whether near-duplicate copies were searched too.
    """

    query: str
    passages: tuple[PassageView, ...]
    entities: tuple[EntityRecord, ...]
    actions: tuple[ActionView, ...]
    understanding: QueryUnderstanding
    order_by: str = "relevance"
    include_duplicates: bool = False


_R = TypeVar("_R")


def _read(read: Callable[[list[str]], dict[str, _R]], ids: list[str]) -> dict[str, _R]:
    # Nothing left to read: no round trip.
    return read(ids) if ids else {}


def unresolved(resolved: Sequence[EntityRecord], texts: Sequence[str]) -> tuple[str, ...]:
    """The surface texts that no resolved entity's name covers (either contains the other).

    Args:
        resolved: The resolved participants of one role.
        texts: The participant texts of that role, as written in the article.
    """
    known = [e.name.lower() for e in resolved]
    out: list[str] = []
    for text in texts:
        lower = text.lower()
        if text and not any(lower in k or k in lower for k in known) and text not in out:
            out.append(text)
    return tuple(out)


@dataclass(frozen=True, slots=True)
class Prefetched:
    """Records read before the result was final (while a retriever still ran).

    Attributes:
        articles: Articles by id.
        actions: Actions by id.
        participants: Participants by action id.
        actions_read: The action ids whose action and participants were read (an action
            absent from ``actions`` was deleted; one absent from ``participants`` has none).
        events: Events by action id.
        events_read: The action ids whose event was read (absent from ``events``: none).
    """

    articles: Mapping[str, ArticleRecord] = field(default_factory=dict)
    actions: Mapping[str, ActionRecord] = field(default_factory=dict)
    participants: Mapping[str, Participants] = field(default_factory=dict)
    actions_read: frozenset[str] = frozenset()
    events: Mapping[str, EventRecord] = field(default_factory=dict)
    events_read: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class Prefetching:
    """Reads a search started for its view while it still ran (see ``HybridSearch.view``).

    Attributes:
        articles: The candidate passages' articles (read with them), by id.
        actions: The graph's actions that came without their records, being read.
        participants: Their participants, being read.
        events: The events of the graph's actions, being read.
        action_ids: The graph's actions (whose records, participants and events these
            hold, or are reading).
        records: The records read with the graph retriever's actions, or with the
            candidate passages, by id.
        action_participants: Their participants, by action id.
        events_read: The actions (of the candidates) whose events ``known_events`` holds.
        known_events: Their events, by action id (absent: none).
    """

    articles: Mapping[str, ArticleRecord]
    actions: Future[dict[str, ActionRecord]] | None
    participants: Future[dict[str, Participants]] | None
    events: Future[dict[str, EventRecord]] | None
    action_ids: frozenset[str]
    records: Mapping[str, ActionRecord]
    action_participants: Mapping[str, Participants]
    events_read: frozenset[str] = frozenset()
    known_events: Mapping[str, EventRecord] = field(default_factory=dict)

    def result(self) -> Prefetched:
        """What was read, once every read is done."""
        actions = self.actions.result() if self.actions else {}
        participants = self.participants.result() if self.participants else {}
        return Prefetched(
            articles=self.articles,
            actions={**self.records, **actions},
            participants={**self.action_participants, **participants},
            actions_read=self.action_ids | frozenset(self.records),
            events={**self.known_events, **(self.events.result() if self.events else {})},
            events_read=(self.action_ids if self.events else frozenset()) | self.events_read,
        )


def build_view(
    graph: SearchGraph,
    result: SearchResult,
    pool: Executor | None = None,
    known: Prefetched | None = None,
) -> SearchView:
    """Hydrate a :class:`SearchResult`: articles of passages, actions and their participants.

    Args:
        graph: Reads the records (one batch per kind).
        result: The search result.
        pool: Runs the articles', the participants' and the events' reads while this
            thread reads the actions (four round trips at once); without it, one after the
            other.
        known: Records already read; only the others are read.
    """
    known = known or Prefetched()
    article_ids = [
        i for i in dict.fromkeys(p.article_id for p in result.passages) if i not in known.articles
    ]
    action_ids = [a.action_id for a in result.actions if a.action_id not in known.actions_read]
    event_ids = [a.action_id for a in result.actions if a.action_id not in known.events_read]
    if pool is not None:
        articles_job = pool.submit(_read, graph.articles, article_ids)
        participants_job = pool.submit(_read, graph.participants, action_ids)
        events_job = pool.submit(_read, graph.events, event_ids)
        actions = _read(graph.actions, action_ids)
        articles, participants = articles_job.result(), participants_job.result()
        events = events_job.result()
    else:
        articles = _read(graph.articles, article_ids)
        actions = _read(graph.actions, action_ids)
        participants = _read(graph.participants, action_ids)
        events = _read(graph.events, event_ids)
    articles = {**known.articles, **articles}
    actions = {**known.actions, **actions}
    participants = {**known.participants, **participants}
    events = {**known.events, **events}
    action_views = []
    for hit in result.actions:
        action = actions.get(hit.action_id)
        if action is None:
            continue  # deleted between search and hydration
        found = participants.get(hit.action_id, Participants())
        action_views.append(
            ActionView(
                action=action,
                score=hit.score,
                why=hit.why,
                participants=found,
                unresolved_actors=unresolved(found.actors, action.actor_texts),
                unresolved_targets=unresolved(found.targets, action.target_texts),
                event=events.get(hit.action_id),
            )
        )
    return SearchView(
        query=result.query,
        passages=tuple(
            PassageView(p.passage, p.score, p.why, articles.get(p.article_id))
            for p in result.passages
        ),
        entities=result.entities,
        actions=tuple(action_views),
        understanding=result.understanding,
        order_by=result.order_by,
        include_duplicates=result.include_duplicates,
    )
