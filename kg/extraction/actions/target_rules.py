"""Targets a frame gets from the frames around it, once every frame has its own arguments.

PLOVER codes one target per event; the parse often puts it somewhere other than the
trigger's object:

* coordinated verbs share a trailing object or recipient ("donated and delivered goods to X");
* an action done *for* another inherits that one's target: its purpose ("mobilized for a war
  against X", "staged a strike in protest against X", "refused to meet X");
* for types whose PLOVER target may be a location, the place is the target when nothing
  else is ("imposed a curfew in X", "shelled the town of X", "lifted the emergency in X").

PLOVER targets are actors or places, so a target phrase that names neither ("restrictions on
the use", "imposed a blackout", "blew up power lines") is dropped (:func:`drop_non_participants`).
"""

from __future__ import annotations

from collections.abc import Iterable

from kg.core.models import Participant
from kg.extraction.actions.frames import Frame, add, same
from kg.extraction.actions.lexicon import Lexicon
from kg.extraction.actions.participant_nouns import names_participant

__all__ = [
    "drop_non_participants",
    "inherit_purpose_targets",
    "names_participant",
    "place_as_target",
    "share_coordinated_targets",
]

# Dependencies through which a child frame states the purpose of its governor.
_PURPOSE_RELATIONS = frozenset({"pobj:for", "pobj:in", "advcl", "xcomp", "dobj"})


def _open(frame: Frame) -> bool:
    """A frame that still lacks a target and can take one."""
    return not frame.targets and frame.sense is not None and not frame.suppressed


def _add_new(frame: Frame, targets: Iterable[Participant]) -> None:
    add(frame.targets, [t for t in targets if not any(same(t, a) for a in frame.actors)])


def share_coordinated_targets(frames: Iterable[Frame]) -> None:
    """A verb without an object takes the targets of the verb coordinated with it."""
    by_token = {f.token.i: f for f in frames}
    for frame in by_token.values():
        if frame.nominal or not _open(frame):
            continue
        if any(c.dep_ in ("dobj", "dative") for c in frame.token.children):
            continue
        for c in frame.token.children:
            other = by_token.get(c.i)
            if c.dep_ == "conj" and other is not None and other.targets:
                _add_new(frame, other.targets)
                break


def _is_purpose(child: Frame) -> bool:
    rel = child.relation
    if rel == "advcl":
        # Only an infinitive of purpose ("... to protest"), not "after", "when", "as".
        return any(c.dep_ == "aux" and c.lower_ == "to" for c in child.token.children)
    if rel == "pobj:in":
        return child.sense is not None and child.sense.type == "PROTEST"
    return rel in _PURPOSE_RELATIONS


def inherit_purpose_targets(frames: Iterable[Frame]) -> None:
    """A frame without a target takes the target of the frame that states its purpose."""
    ordered = sorted(frames, key=lambda f: -f.depth)  # innermost first: targets flow upwards
    for frame in ordered:
        if not _open(frame):
            continue
        for child in ordered:
            if child.parent is frame and child.targets and _is_purpose(child):
                _add_new(frame, child.targets)
                if frame.targets:
                    break


def place_as_target(frames: Iterable[Frame], lexicon: Lexicon) -> None:
    """The place is the target of a located event that has no other target."""
    for frame in frames:
        if (
            _open(frame)
            and frame.place is not None
            and frame.sense is not None
            and frame.sense.type in lexicon.place_target_types
        ):
            _add_new(frame, [frame.place])


def drop_non_participants(frames: Iterable[Frame], lexicon: Lexicon) -> None:
    """Remove targets that name no actor and no place (see :func:`names_participant`)."""
    for frame in frames:
        frame.targets = [t for t in frame.targets if names_participant(t, lexicon)]
