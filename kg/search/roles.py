"""Role consistency: evidence with the query's entity in the other role ranks lower.

Fusion rewards agreement between retrievers, and the vector and fulltext retrievers know no
roles: for "attacks on ISIL", a passage reporting ISIL's own attack ("condemns ... the ISIL
attack") matches every retriever's idea of the query and would be fused on top. After
fusion, the actions each candidate passage evidences are read with the parts the query's
entities play in them; a passage whose actions give an entity only the role the query did
not ask for (ISIL acting, when the query asks for ISIL as a target) is *contrary* and moves
below every other passage, whichever retrievers found it. A passage whose actions give the
asked role, or that evidences no action of the entity, keeps its fused rank: the
extractor misses many actions, so silence is not taken as evidence either way.

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
"""Factor on a contrary passage's fused score; it is also capped at the last kept passage's
score, so scores stay in rank order (the order itself is decided by the tier)."""

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
    """Move contrary passages below the others, and say why in each checked passage.

    When the query names event types ("attacks" -> ASSAULT) and a passage evidences an
    action of those types involving an asked entity, only those actions decide: in "the
    UN condemned the ISIL attack", ISIL is the target of the condemnation but the actor of
    the attack, and "attacks on ISIL" asks about attacks.

    Args:
        fused: The fused passages, best first.
        asked: Entity id -> the asked role (from :func:`asked_roles`).
        roles: The parts the asked entities play in the actions the passages evidence.
        names: Entity id -> name (for the ``why`` path).
        event_types: The PLOVER types the query names.

    Returns:
        The passages, consistent and unchecked ones first in their fused order, then the
        contrary ones in theirs.
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
    kept: list[Fused] = []
    demoted: list[Fused] = []
    for rank, hit in enumerate(fused, start=1):
        if hit.key in agree:
            kept.append(_vote(hit, rank, 1.0, agree[hit.key], names))
        elif hit.key in disagree:
            demoted.append(_vote(hit, rank, ROLE_PENALTY, disagree[hit.key], names))
        else:
            kept.append(hit)
    if kept and demoted:
        # Scores stay in rank order: a demoted passage scores at most the last kept one.
        floor = kept[-1].score
        demoted = [Fused(d.key, min(d.score, floor), d.why) for d in demoted]
    return kept + demoted


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
