"""In-memory fakes of what search reads: a :class:`kg.core.ports.SearchGraph`, a vector store
and a query embedder, over a small world of entities, passages and actions.

They follow the Neo4j adapter's documented semantics closely enough for unit tests of
search (roles, filters, ranking), not its exact scores.
"""

from __future__ import annotations

import dataclasses
import math
import re
import zlib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from kg.core.models import VectorFilter, VectorHit, VectorPoint
from kg.core.records import (
    ActionEvidence,
    ActionRecord,
    ArticleRecord,
    EntityEvidence,
    EntityMatch,
    EntityRecord,
    EventRecord,
    Participants,
    PassageContext,
    PassageRecord,
    PassageRole,
    Role,
    ScoredPassage,
    SearchScope,
)
from kg.search.understanding import normalize_name
from kg.vectors.payload import PassagePayload, filter_terms

_RELS: dict[Role, tuple[str, ...]] = {
    "actor": ("HAS_ACTOR",),
    "target": ("HAS_TARGET",),
    "any": ("HAS_ACTOR", "HAS_TARGET"),
}
_DIM = 64


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower())


@dataclass
class FakeSearchGraph:
    """A graph held in dicts; ``calls`` records every method called, in order."""

    entities: dict[str, EntityRecord] = field(default_factory=dict)
    articles_by_id: dict[str, ArticleRecord] = field(default_factory=dict)
    passages_by_id: dict[str, PassageRecord] = field(default_factory=dict)
    actions_by_id: dict[str, ActionRecord] = field(default_factory=dict)
    mentions: dict[str, set[str]] = field(default_factory=dict)  # passage id -> entity ids
    roles: list[tuple[str, str, str]] = field(default_factory=list)  # (action, rel, entity)
    duplicate_of: dict[str, str] = field(default_factory=dict)  # copy article -> original
    events_by_action: dict[str, EventRecord] = field(default_factory=dict)
    calls: list[str] = field(default_factory=list)
    near: list[tuple[str, ...]] = field(default_factory=list)  # each `near` passed

    # ------------------------------------------------------------------ helpers

    def _published(self, passage: PassageRecord) -> date | None:
        return self.articles_by_id[passage.article_id].published

    def _day(self, action: ActionRecord) -> date | None:
        if action.date is not None:
            return action.date
        return self.articles_by_id[action.article_id].published if action.article_id else None

    @staticmethod
    def _in_dates(day: date | None, scope: SearchScope) -> bool:
        if scope.from_date and (day is None or day < scope.from_date):
            return False
        return not (scope.to_date and (day is None or day > scope.to_date))

    def _evidences_type(self, passage_id: str, types: Sequence[str]) -> bool:
        return any(
            a.passage_id == passage_id and a.type in types for a in self.actions_by_id.values()
        )

    def _original(self, article_id: str | None, scope: SearchScope) -> bool:
        return scope.include_duplicates or article_id not in self.duplicate_of

    def _passage_in_scope(self, passage: PassageRecord, scope: SearchScope) -> bool:
        return (
            self._original(passage.article_id, scope)
            and self._in_dates(self._published(passage), scope)
            and (not scope.types or self._evidences_type(passage.id, scope.types))
            and (scope.mention is None or scope.mention in self.mentions.get(passage.id, set()))
        )

    def _action_in_scope(self, action: ActionRecord, scope: SearchScope) -> bool:
        involved = {e for a, _, e in self.roles if a == action.id}
        mentioned = self.mentions.get(action.passage_id or "", set())
        return (
            self._original(action.article_id, scope)
            and (not scope.types or action.type in scope.types)
            and self._in_dates(self._day(action), scope)
            and (scope.mention is None or scope.mention in involved | mentioned)
        )

    def _evidence(self, action: ActionRecord, rel: str | None) -> ActionEvidence:
        passage = self.passages_by_id.get(action.passage_id or "")
        return ActionEvidence(action.id, action.type, action.confidence, rel, passage)

    # ------------------------------------------------------------------ the port

    def resolve_entity(self, key: str) -> EntityRecord | None:
        self.calls.append("resolve_entity")
        lower = key.strip().lower()
        for e in self.entities.values():
            if e.id == key or e.name.lower() == lower or lower in (a.lower() for a in e.aliases):
                return e
        return None

    def entities_named(self, names: Sequence[str], limit: int) -> tuple[EntityMatch, ...]:
        self.calls.append("entities_named")
        wanted = {w for n in names for w in n.split()}
        found = []
        for e in self.entities.values():
            words = {w for n in (e.name, *e.aliases) for w in normalize_name(n).split()}
            if shared := len(wanted & words):
                found.append(EntityMatch(e, float(shared)))
        found.sort(key=lambda m: (-m.score, m.entity.id))
        return tuple(found[:limit])

    def passages_matching(
        self, words: Sequence[str], scope: SearchScope, limit: int
    ) -> list[ScoredPassage]:
        self.calls.append("passages_matching")
        wanted = {w.lower() for w in words}
        hits = []
        for p in self.passages_by_id.values():
            score = float(sum(c for w, c in Counter(_words(p.text)).items() if w in wanted))
            if score and self._passage_in_scope(p, scope):
                hits.append(ScoredPassage(p, score))
        hits.sort(key=lambda h: (-h.score, h.passage.id))
        return hits[:limit]

    def entity_evidence(
        self,
        entities: Sequence[tuple[str, Role]],
        scope: SearchScope,
        action_limit: int,
        passage_limit: int,
        near: Sequence[str] = (),
    ) -> list[EntityEvidence]:
        self.calls.append("entity_evidence")
        self.near.append(tuple(near))
        out = []
        for entity_id, role in entities:
            actions = [
                self._evidence(self.actions_by_id[a], rel)
                for a, rel, e in self.roles
                if e == entity_id
                and rel in _RELS[role]
                and self._action_in_scope(self.actions_by_id[a], scope)
            ]
            actions.sort(key=lambda x: (-x.confidence, x.action_id))
            passages = [
                p
                for p in self.passages_by_id.values()
                if entity_id in self.mentions.get(p.id, set()) and self._passage_in_scope(p, scope)
            ]
            kept = actions[:action_limit]
            ids = [a.action_id for a in kept]
            found = self.participants(ids)
            self.calls.pop()  # read with the evidence, as the adapter does: not a call
            out.append(
                EntityEvidence(
                    tuple(kept),
                    tuple(passages[:passage_limit]),
                    {i: self.actions_by_id[i] for i in ids},
                    {i: found.get(i, Participants()) for i in ids},
                )
            )
        return out

    def evidence_context(
        self,
        entities: Sequence[tuple[str, Role]],
        scope: SearchScope,
        action_limit: int,
        passage_limit: int,
        near: Sequence[str],
        also: Sequence[str],
        roles_of: Sequence[str],
        events: bool = False,
    ) -> tuple[list[EntityEvidence], PassageContext]:
        found = self.entity_evidence(entities, scope, action_limit, passage_limit, near)
        reached = [
            *also,
            *(a.passage.id for e in found for a in e.actions if a.passage is not None),
            *(p.id for e in found for p in e.passages),
        ]
        context = self.passage_context(list(dict.fromkeys(reached)), roles_of, False)
        if events:
            read = self.events([i for e in found for i in e.records])
            self.calls.remove("events")  # read with the evidence
            found = [
                dataclasses.replace(e, events={i: read[i] for i in e.records if i in read})
                for e in found
            ]
        # One read, as the adapter makes it (other threads may have recorded meanwhile).
        self.calls.remove("entity_evidence")
        self.calls.remove("passage_context")
        self.calls.append("evidence_context")
        return found, context

    def actions_of_types(
        self, types: Sequence[str], scope: SearchScope, limit: int, near: Sequence[str] = ()
    ) -> list[ActionEvidence]:
        self.calls.append("actions_of_types")
        self.near.append(tuple(near))
        found = [
            self._evidence(a, None)
            for a in self.actions_by_id.values()
            if a.type in types and self._action_in_scope(a, scope)
        ]
        found.sort(key=lambda x: (-x.confidence, x.action_id))
        return found[:limit]

    def actions_of_passages(
        self, passage_ids: Sequence[str], scope: SearchScope
    ) -> list[ActionEvidence]:
        self.calls.append("actions_of_passages")
        unmentioned = SearchScope(
            scope.from_date, scope.to_date, scope.types, None, scope.include_duplicates
        )
        return [
            self._evidence(a, None)
            for a in self.actions_by_id.values()
            if a.passage_id in passage_ids and self._action_in_scope(a, unmentioned)
        ]

    def passages_with_action_types(
        self, passage_ids: Sequence[str], types: Sequence[str]
    ) -> frozenset[str]:
        self.calls.append("passages_with_action_types")
        return frozenset(p for p in passage_ids if self._evidences_type(p, types))

    def copy_article_ids(self) -> frozenset[str]:
        self.calls.append("copy_article_ids")
        return frozenset(self.duplicate_of)

    def events(self, action_ids: Sequence[str]) -> dict[str, EventRecord]:
        self.calls.append("events")
        return {i: self.events_by_action[i] for i in action_ids if i in self.events_by_action}

    def passages(self, ids: Sequence[str]) -> dict[str, PassageRecord]:
        self.calls.append("passages")
        return {i: self.passages_by_id[i] for i in ids if i in self.passages_by_id}

    def articles(self, ids: Sequence[str]) -> dict[str, ArticleRecord]:
        self.calls.append("articles")
        return {i: self.articles_by_id[i] for i in ids if i in self.articles_by_id}

    def actions(self, ids: Sequence[str]) -> dict[str, ActionRecord]:
        self.calls.append("actions")
        return {i: self.actions_by_id[i] for i in ids if i in self.actions_by_id}

    def participants(self, action_ids: Sequence[str]) -> dict[str, Participants]:
        self.calls.append("participants")
        out = {}
        for action_id in action_ids:
            by_rel: dict[str, list[EntityRecord]] = {"HAS_ACTOR": [], "HAS_TARGET": []}
            for a, rel, e in self.roles:
                if a == action_id:
                    by_rel[rel].append(self.entities[e])
            if any(by_rel.values()):
                out[action_id] = Participants(
                    actors=tuple(sorted(by_rel["HAS_ACTOR"], key=lambda e: (e.name, e.id))),
                    targets=tuple(sorted(by_rel["HAS_TARGET"], key=lambda e: (e.name, e.id))),
                )
        return out

    def passage_roles(
        self, passage_ids: Sequence[str], entity_ids: Sequence[str]
    ) -> list[PassageRole]:
        self.calls.append("passage_roles")
        roles: dict[str, Role] = {"HAS_ACTOR": "actor", "HAS_TARGET": "target"}
        out = []
        for action_id, rel, entity_id in self.roles:
            action = self.actions_by_id[action_id]
            if action.passage_id in passage_ids and action.passage_id and entity_id in entity_ids:
                out.append(
                    PassageRole(action.passage_id, entity_id, roles[rel], action_id, action.type)
                )
        return out

    def passage_context(
        self,
        passage_ids: Sequence[str],
        entity_ids: Sequence[str],
        texts: bool = True,
        actions: SearchScope | None = None,
    ) -> PassageContext:
        self.calls.append("passage_context")
        passages = {i: self.passages_by_id[i] for i in passage_ids if i in self.passages_by_id}
        articles = {
            p.article_id: self.articles_by_id[p.article_id]
            for p in passages.values()
            if p.article_id in self.articles_by_id
        }
        roles: dict[str, list[PassageRole]] = {}
        if entity_ids:
            for part in self.passage_roles(list(passages), entity_ids):
                roles.setdefault(part.passage_id, []).append(part)
            self.calls.pop()  # read with the passages: not a call of its own
        evidenced: dict[str, list[ActionEvidence]] = {}
        if actions is not None:
            for found in self.actions_of_passages(list(passages), actions):
                pid = found.passage.id if found.passage else ""
                passage = found.passage if texts else None
                evidenced.setdefault(pid, []).append(dataclasses.replace(found, passage=passage))
            self.calls.pop()  # read with the passages
        ids = [e.action_id for found in evidenced.values() for e in found]
        records = {i: self.actions_by_id[i] for i in ids}
        participants = self.participants(ids)
        self.calls.pop()  # read with the passages
        return PassageContext(
            passages if texts else {},
            articles,
            {k: tuple(v) for k, v in roles.items()},
            {k: tuple(v) for k, v in evidenced.items()},
            records,
            {i: participants.get(i, Participants()) for i in ids},
            {i: self.events_by_action[i] for i in ids if i in self.events_by_action},
        )


class FakeEmbedder:
    """Bag-of-words vectors: texts sharing words are near (deterministic, no model)."""

    def embed(self, text: str) -> tuple[float, ...]:
        vector = [0.0] * _DIM
        for word in _words(text):
            vector[zlib.crc32(word.encode()) % _DIM] += 1.0
        norm = math.sqrt(sum(v * v for v in vector)) or 1.0
        return tuple(v / norm for v in vector)

    def embed_query(self, text: str) -> tuple[float, ...]:
        return self.embed(text)


@dataclass
class FakeVectorStore:
    """Points in a dict; cosine search honouring the payload filters (entity ids, days)."""

    points: dict[str, VectorPoint] = field(default_factory=dict)

    def search(
        self, vector: Sequence[float], limit: int, flt: VectorFilter | None = None
    ) -> list[VectorHit]:
        terms = filter_terms(flt)
        hits = []
        for point in self.points.values():
            payload = PassagePayload.from_dict(point.payload)
            day = payload.published.toordinal() if payload.published else None
            if terms.entity_ids and not set(terms.entity_ids) & set(payload.entity_ids):
                continue
            if payload.article_id in terms.exclude_article_ids:
                continue
            if terms.day_from is not None and (day is None or day < terms.day_from):
                continue
            if terms.day_to is not None and (day is None or day > terms.day_to):
                continue
            score = sum(a * b for a, b in zip(vector, point.vector, strict=True))
            if score > 0:
                hits.append(VectorHit(point.id, score, point.payload))
        hits.sort(key=lambda h: (-h.score, h.id))
        return hits[:limit]


# ---------------------------------------------------------------------- a small world


def _entity(id: str, name: str, type: str, *aliases: str) -> EntityRecord:
    return EntityRecord(id=id, iri=f"urn:e:{id}", name=name, type=type, aliases=aliases)


def _action(
    id: str, type: str, passage: str, actors: Sequence[str], targets: Sequence[str], conf: float
) -> ActionRecord:
    return ActionRecord(
        id=id,
        iri=f"urn:a:{id}",
        type=type,
        mode=None,
        date=None,
        date_text=None,
        negated=False,
        hypothetical=False,
        future=False,
        confidence=conf,
        trigger=None,
        evidence_start=None,
        evidence_end=None,
        evidence_text=None,
        actor_texts=tuple(actors),
        target_texts=tuple(targets),
        passage_id=passage,
        article_id="art1" if passage != "p3" else "art2",
    )


@dataclass
class World:
    """The fake graph, vector store and embedder over the same small news world."""

    graph: FakeSearchGraph
    vectors: FakeVectorStore
    embedder: FakeEmbedder


def small_world() -> World:
    """Two articles about Colombia: joint action against the ELN, an ELN attack, talks.

    - ``a_joint`` (AGREE): Trump and Petro (actors) against the ELN (target), passage p0;
    - ``a_attack`` (ASSAULT): the ELN (actor) attacks Colombia (target), passage p1;
    - ``a_accuse`` (ACCUSE): Petro (actor) accuses the ELN (target), passage p2;
    - ``a_talks`` (CONSULT): Colombia and the United States, passage p3 (a later article);
    - p4 mentions nothing and evidences nothing.
    """
    graph = FakeSearchGraph()
    for e in (
        _entity("eln", "National Liberation Army", "ArmedGroup", "ELN"),
        _entity("col", "Colombia", "Country"),
        _entity("usa", "United States", "Country", "US"),
        _entity("petro", "Gustavo Petro", "Person", "Petro"),
        _entity("trump", "Donald Trump", "Person", "Trump"),
    ):
        graph.entities[e.id] = e
    graph.articles_by_id["art1"] = ArticleRecord("art1", "urn:art1", "ELN", date(2026, 1, 8))
    graph.articles_by_id["art2"] = ArticleRecord("art2", "urn:art2", "Talks", date(2026, 3, 2))
    texts = {
        "p0": "Trump and Petro committed to taking joint actions against the ELN.",
        "p1": "The ELN attacked a military base in Colombia, killing soldiers.",
        "p2": "Petro accused the ELN of sabotaging the peace process.",
        "p3": "Colombia and the United States held talks on drug trafficking.",
        "p4": "Heavy rain flooded roads across the region.",
    }
    start = 0
    for index, (pid, text) in enumerate(texts.items()):
        article = "art2" if pid == "p3" else "art1"
        graph.passages_by_id[pid] = PassageRecord(
            pid, f"urn:{pid}", article, index, text, start, start + len(text)
        )
        start += len(text) + 1
    graph.mentions = {
        "p0": {"trump", "petro", "eln"},
        "p1": {"eln", "col"},
        "p2": {"petro", "eln"},
        "p3": {"col", "usa"},
    }
    for a in (
        _action("a_joint", "AGREE", "p0", ["Trump", "Petro"], ["the ELN"], 0.9),
        _action("a_attack", "ASSAULT", "p1", ["The ELN"], ["Colombia", "soldiers"], 0.8),
        _action("a_accuse", "ACCUSE", "p2", ["Petro"], ["the ELN"], 0.7),
        _action("a_talks", "CONSULT", "p3", ["Colombia", "the United States"], [], 0.6),
    ):
        graph.actions_by_id[a.id] = a
    graph.roles = [
        ("a_joint", "HAS_ACTOR", "trump"),
        ("a_joint", "HAS_ACTOR", "petro"),
        ("a_joint", "HAS_TARGET", "eln"),
        ("a_attack", "HAS_ACTOR", "eln"),
        ("a_attack", "HAS_TARGET", "col"),
        ("a_accuse", "HAS_ACTOR", "petro"),
        ("a_accuse", "HAS_TARGET", "eln"),
        ("a_talks", "HAS_ACTOR", "col"),
        ("a_talks", "HAS_ACTOR", "usa"),
    ]
    embedder = FakeEmbedder()
    vectors = FakeVectorStore()
    for p in graph.passages_by_id.values():
        article = graph.articles_by_id[p.article_id]
        payload = PassagePayload(
            passage_id=p.id,
            passage_iri=p.iri,
            article_id=p.article_id,
            article_iri=article.iri,
            index=p.index,
            start=p.start,
            end=p.end,
            text=p.text,
            entity_ids=tuple(sorted(graph.mentions.get(p.id, set()))),
            published=article.published,
            title=article.title,
        )
        vectors.points[p.id] = VectorPoint(p.id, embedder.embed(p.text), payload.to_dict())
    return World(graph, vectors, embedder)
