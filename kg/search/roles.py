"""Role consistency: evidence with the query's entity in the asked role ranks first.

Fusion rewards agreement between retrievers, and the vector and fulltext retrievers know no
roles: for "attacks on ISIL", a passage reporting ISIL's own attack ("condemns ... the ISIL
attack") matches every retriever's idea of the query and would be fused on top, and so
would passages that merely name ISIL near the word "attacks" ("ISIL's presence in
Palmyra"). After fusion, the actions each candidate passage evidences are read with the
parts the query's entities play in them, and the passages fall into three tiers, each in
its fused order, whichever retrievers found them:

1. *consistent*: an action gives an entity the asked role (ISIL attacked);
2. *silent*: no action of the passage involves an asked entity in either role;
3. *contrary*: its actions give an entity only the other role (ISIL attacking).

Silent passages stay above contrary ones (the extractor misses many actions, so silence
is not evidence against a passage), but below consistent ones: a passage whose action has
the entity in the asked role answers the question, one that only mentions it may not.

Each checked passage gets a ``role`` vote in ``why``: its rank before the check, the factor
applied to its score (1 kept, :data:`ROLE_PENALTY` demoted) and the action that decided it,
e.g. ``("Entity:ISIL", "HAS_ACTOR", "Action:ASSAULT", "EVIDENCED_BY", "Passage")``.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

from kg.core.records import PassageRole, Role
from kg.search.fusion import Fused
from kg.search.results import RETRIEVER_ROLE, QueryUnderstanding, Why

ROLE_PENALTY = 0.1
"""Factor on a contrary passage's fused score. Each tier's scores are also capped at the
last score of the tier above, so scores stay in rank order (the tier decides the order)."""

_RELS: dict[Role, str] = {"actor": "HAS_ACTOR", "target": "HAS_TARGET"}


def asked_roles(understanding: QueryUnderstanding) -> dict[str, Role]:
    """Entity id -> the role the query asks of it; empty when the query asks none.

    "between X and Y" asks for involvement, not a side, so it asks no role.
    """
    if understanding.pairwise:
        return {}
    return {
        qe.entity.id: qe.role for qe in understanding.entities if qe.role in ("actor", "target")
    }


def apply_roles(
    fused: Sequence[Fused],
    asked: dict[str, Role],
    roles: Sequence[PassageRole],
    names: dict[str, str],
    event_types: Collection[str] = (),
) -> list[Fused]:
    """Order the passages by tier (consistent, silent, contrary), and say why in each checked one.

    When the query names event types ("attacks" -> ASSAULT) and a passage evidences an
    action of those types involving an asked entity, only those actions decide: in "the
    UN condemned the ISIL attack", ISIL is the target of the condemnation but the actor of
    the attack, and "attacks on ISIL" asks about attacks. A passage with actions giving
    the asked role and others giving the other role is consistent.

    Args:
        fused: The fused passages, best first.
        asked: Entity id -> the asked role (from :func:`asked_roles`).
        roles: The parts the asked entities play in the actions the passages evidence.
        names: Entity id -> name (for the ``why`` path).
        event_types: The PLOVER types the query names.

    Returns:
        The consistent passages in their fused order, then the silent ones in theirs, then
        the contrary ones in theirs; scores are non-increasing.
    """
    relevant = [part for part in roles if part.entity_id in asked]
    typed = {part.passage_id for part in relevant if part.action_type in event_types}
    agree: dict[str, PassageRole] = {}
    disagree: dict[str, PassageRole] = {}
    for part in relevant:
        if part.passage_id in typed and part.action_type not in event_types:
            continue  # the passage has actions of the asked types: they decide
        found = agree if part.role == asked[part.entity_id] else disagree
        found.setdefault(part.passage_id, part)
    consistent: list[Fused] = []
    silent: list[Fused] = []
    contrary: list[Fused] = []
    for rank, hit in enumerate(fused, start=1):
        if hit.key in agree:
            consistent.append(_vote(hit, rank, 1.0, agree[hit.key], names))
        elif hit.key in disagree:
            contrary.append(_vote(hit, rank, ROLE_PENALTY, disagree[hit.key], names))
        else:
            silent.append(hit)
    out: list[Fused] = []
    for tier in (consistent, silent, contrary):
        if out and tier:
            # Scores stay in rank order: a tier scores at most the last score above it.
            floor = out[-1].score
            tier = [Fused(t.key, min(t.score, floor), t.why) for t in tier]
        out.extend(tier)
    return out


def _vote(hit: Fused, rank: int, factor: float, part: PassageRole, names: dict[str, str]) -> Fused:
    path = (
        f"Entity:{names.get(part.entity_id, part.entity_id)}",
        _RELS[part.role],
        f"Action:{part.action_type}",
        "EVIDENCED_BY",
        "Passage",
    )
    why = (*hit.why, Why(RETRIEVER_ROLE, rank, factor, path))
    return Fused(hit.key, hit.score * factor, why)
