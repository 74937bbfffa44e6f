"""The frame of one trigger while a sentence is turned into actions, and list helpers."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from kg.core.models import Participant
from kg.extraction.actions.dates import ResolvedDate
from kg.extraction.actions.lexicon import TriggerSense
from kg.extraction.actions.participants import Token


@dataclass
class Frame:
    """A trigger being turned into an action (mutable while the sentence is processed)."""

    kind: str  # "event", "intent", "cessation", "request", "say_must"
    token: Token
    sense: TriggerSense | None
    trigger: str
    nominal: bool = False
    actors: list[Participant] = field(default_factory=list)
    targets: list[Participant] = field(default_factory=list)
    place: Participant | None = None
    negated: bool = False
    hypothetical: bool = False
    future: bool = False
    attributed_to: list[Participant] = field(default_factory=list)
    parent: Frame | None = None
    relation: str = ""  # dependency through which the parent embeds this frame
    date: ResolvedDate | None = None
    suppressed: bool = False
    consumed: set[int] = field(default_factory=set)  # token indices that are part of the trigger
    by_dictionary: bool = False  # started by a CAMEO verb pattern the lexicon lacks
    penalty: float = 0.0  # taken off the confidence (a weak dictionary reading)

    @property
    def depth(self) -> int:
        depth, node = 0, self.parent
        while node is not None:
            depth, node = depth + 1, node.parent
        return depth


def add(into: list[Participant], items: Iterable[Participant]) -> None:
    """Append the items not already in ``into`` (keeps order)."""
    for p in items:
        if p not in into:
            into.append(p)


def same(a: Participant, b: Participant) -> bool:
    """Whether two participants name the same thing (entity key, else text)."""
    if a.entity_key and b.entity_key:
        return a.entity_key == b.entity_key
    return a.text.lower() == b.text.lower()
