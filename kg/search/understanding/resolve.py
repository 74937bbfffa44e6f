"""Resolving a parsed query's candidate spans to graph entities.

:func:`resolve_entities` looks the spans up (in production, Neo4j fulltext over entity names
and aliases, through :meth:`kg.core.ports.SearchGraph.entities_named`) and keeps
non-overlapping matches, exact name/alias matches first.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from kg.core.records import EntityMatch, Role
from kg.search.results import QueryEntity, QueryUnderstanding
from kg.search.understanding.parse import Candidate, ParsedQuery
from kg.search.understanding.words import STOP_WORDS, normalize_name

EntityLookup = Callable[[Sequence[str]], Sequence[EntityMatch]]
"""Given candidate span texts, return entities whose name or aliases may match them."""


def _role_at(parsed: ParsedQuery, start: int, end: int) -> Role:
    for span in parsed.role_spans:
        if span.start <= start and end <= span.end:
            return span.role
    return "any"


def resolve_entities(parsed: ParsedQuery, lookup: EntityLookup) -> QueryUnderstanding:
    """Resolve the parse's candidate spans to entities, exact name/alias matches first.

    A span matches an entity exactly when its normalised text equals the entity's normalised
    name or one of its aliases (score 1.0). Otherwise a capitalised span, or a span in a role
    position, matches partially when all its words occur in one of the entity's names
    (score 0.7 times the lookup's relative score). Chosen spans do not overlap; an entity is
    reported once, with the role of its first (strongest) span.

    Args:
        parsed: The output of :func:`parse_query`.
        lookup: Returns candidate entities for span texts.

    Returns:
        The query understanding.
    """
    texts = [c.text for c in parsed.candidates if normalize_name(c.text)]
    records = list(lookup(texts)) if texts else []
    top_score = max((r.score for r in records), default=1.0) or 1.0

    scored: list[tuple[float, int, Candidate, EntityMatch]] = []
    for candidate in parsed.candidates:
        key = normalize_name(candidate.text)
        if not key:
            continue
        words = set(key.split())
        in_role = any(
            s.start <= candidate.start and candidate.end <= s.end for s in parsed.role_spans
        )
        best: tuple[float, EntityMatch] | None = None
        for record in records:
            names = [normalize_name(n) for n in (record.entity.name, *record.entity.aliases)]
            if key in names:
                score = 1.0
            elif (candidate.capitalised or in_role) and any(
                words <= set(n.split()) for n in names if n
            ):
                if words <= STOP_WORDS:
                    continue
                score = 0.7 * (record.score / top_score)
            else:
                continue
            if best is None or score > best[0]:
                best = (score, record)
        if best is not None:
            scored.append((best[0], candidate.end - candidate.start, candidate, best[1]))

    scored.sort(key=lambda item: (item[0] >= 1.0, item[1], item[0]), reverse=True)
    taken: list[tuple[int, int]] = []
    chosen: dict[str, QueryEntity] = {}
    for score, _length, candidate, match in scored:
        entity = match.entity
        if any(candidate.start < e and s < candidate.end for s, e in taken):
            continue
        if entity.id in chosen:
            continue
        taken.append((candidate.start, candidate.end))
        chosen[entity.id] = QueryEntity(
            entity=entity,
            span=candidate.text,
            role=_role_at(parsed, candidate.start, candidate.end),
            score=round(score, 4),
        )
    entities = sorted(chosen.values(), key=lambda q: parsed.query.find(q.span))
    return QueryUnderstanding(
        query=parsed.query,
        entities=tuple(entities),
        event_types=parsed.event_types,
        event_words=parsed.event_words,
        role_spans=tuple((s.text, s.role) for s in parsed.role_spans),
        pairwise=parsed.pairwise,
        order_by_sources=parsed.order_by_sources,
        order_words=parsed.order_words,
    )
