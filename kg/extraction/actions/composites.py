"""What frames take from the frames that embed them, and composite frames resolved.

Contents inherit flags and actors from their governor (the promise of a vow is future, what
a request asks for is done by the addressee). Composite frames then get their type and
targets from their contents: a cessation of hostilities is a RETREAT, a stated intention is
a THREATEN, REJECT or AGREE, a request targets whoever must act and whom they act against.
"""

from __future__ import annotations

from collections.abc import Iterable

from kg.core.models import Participant, PloverType
from kg.extraction.actions.frame_links import is_content
from kg.extraction.actions.frames import Frame, add, same
from kg.extraction.actions.lexicon import Lexicon, TriggerSense


def intent_type(content: PloverType, negated: bool, lexicon: Lexicon) -> PloverType:
    """PLOVER type of a stated intention to do ``content``: a threat, a refusal or a promise."""
    if lexicon.is_hostile(content) and content != "REJECT":
        return "THREATEN"
    if negated or content == "REJECT":
        return "REJECT"
    return "AGREE"


def inherit_from_governors(frames: Iterable[Frame], lex: Lexicon) -> None:
    """Contents take flags and, when they lack them, actors from their governor."""
    for frame in sorted(frames, key=lambda f: f.depth):  # outermost first
        parent = frame.parent
        if parent is None or not is_content(frame):
            if parent is not None and frame.token.dep_ == "conj" and not frame.actors:
                frame.actors = list(parent.actors)
            continue
        frame.hypothetical = frame.hypothetical or parent.hypothetical
        if parent.kind in ("intent", "request", "say_must") or (
            parent.sense is not None and parent.sense.type in ("REQUEST", "THREATEN")
        ):
            frame.future = True
        if parent.token.lemma_.lower() in lex.negating_verbs:
            frame.negated = True
        if parent.kind == "intent" and not frame.actors:
            frame.actors = list(parent.actors)
        if parent.kind == "request" and not frame.actors:
            frame.actors = list(parent.targets)
        if frame.nominal and not frame.actors and parent.kind in ("intent", "cessation"):
            frame.actors = list(parent.actors)


def _resolve_cessation(frame: Frame, contents: list[Frame], lex: Lexicon) -> None:
    pairs = [(c, c.sense) for c in contents if c.sense is not None]
    if pairs:
        inner, inner_sense = pairs[0]
        plover: PloverType = "RETREAT" if lex.is_hostile(inner_sense.type) else "SANCTION"
        frame.sense = TriggerSense(plover, "discontinue" if plover == "SANCTION" else None)
        frame.trigger = f"{frame.token.text} {inner.trigger}"
        add(frame.targets, inner.targets)
        if not frame.actors:
            frame.actors = list(inner.actors)
        inner.suppressed = True
        inner.future = False
    elif frame.sense is None:
        frame.suppressed = True


def _resolve_intent(frame: Frame, contents: list[Frame], lex: Lexicon) -> None:
    typed = [c for c in contents if c.sense is not None and not c.suppressed]
    if frame.sense is None or frame.sense.type != "THREATEN":
        first = typed[0] if typed else None
        if first is not None and first.sense is not None:
            t = intent_type(first.sense.type, first.negated, lex)
            if frame.sense is None or t != "AGREE":
                frame.sense = TriggerSense(t, frame.sense.mode if frame.sense else None)
        elif frame.sense is None:
            frame.suppressed = True
    for c in typed:
        add(frame.targets, c.targets)


def _others(frame: Frame, participants: list[Participant]) -> list[Participant]:
    """The participants that are not actors of the frame."""
    return [a for a in participants if not any(same(a, x) for x in frame.actors)]


def resolve_composites(frames: dict[int, Frame], lex: Lexicon) -> None:
    """Type and target composite frames from their contents, innermost first."""
    for frame in sorted(frames.values(), key=lambda f: -f.depth):
        contents = [f for f in frames.values() if f.parent is frame and is_content(f)]
        if frame.kind == "cessation":
            _resolve_cessation(frame, contents, lex)
        elif frame.kind == "intent":
            _resolve_intent(frame, contents, lex)
        elif (
            frame.sense is not None and frame.sense.type in ("REQUEST",) or frame.kind == "say_must"
        ):
            for c in contents:
                if c.sense is None:
                    continue
                add(frame.targets, _others(frame, c.actors))
                add(frame.targets, c.targets)
        elif frame.sense is not None and frame.kind == "event":
            # "accepted X's invitation", "rejected X's demand": the response targets X; the
            # object noun is described by the verb, not a separate action.
            for c in contents:
                if c.nominal and c.sense is not None and c.token.dep_ == "dobj":
                    add(frame.targets, _others(frame, c.actors))
                    if frame.sense.type not in ("ACCUSE", "THREATEN"):
                        c.suppressed = True
