"""Turning a finished frame into an :class:`~kg.core.models.Action` with a confidence score."""

from __future__ import annotations

from kg.core.models import Action
from kg.extraction.actions.frame_links import is_content
from kg.extraction.actions.frames import Frame
from kg.extraction.actions.lexicon import Lexicon
from kg.extraction.actions.participants import Token

_SUBORDINATE = frozenset({"advcl", "relcl", "acl", "amod"})


# Prepositions and conjunctions that set an event as the background of another ("after
# clashes", "following an offensive", "since the coup", "before they attacked").
_BACKGROUND_WORDS = frozenset({"after", "before", "following", "since", "until", "prior"})


def _background(tok: Token) -> bool:
    """Whether the trigger sits in a temporal phrase or clause that frames another event."""
    node = tok
    for _ in range(12):
        if node.dep_ == "pobj" and node.head.lower_ in _BACKGROUND_WORDS:
            return True
        if node.dep_ in ("advcl", "pcomp") and any(
            c.dep_ == "mark" and c.lower_ in _BACKGROUND_WORDS for c in node.children
        ):
            return True
        if node.head is node or node.dep_ in ("ccomp", "xcomp"):
            return False
        node = node.head
    return False


def confidence(frame: Frame) -> float:
    """How likely the frame is a real, main event of its sentence (0.05 to 0.95)."""
    score = 0.5
    if not frame.nominal or len(frame.consumed) > 0:
        score += 0.15
    score -= frame.penalty  # a dictionary fallback ranks below the lexicon's triggers
    # Events in subordinate clauses ("after X shot down Y") and participles that modify a
    # noun ("the visiting king") are rarely the main event.
    node, subordinate = frame.token, 0
    for _ in range(12):
        if node.dep_ in _SUBORDINATE and node.head is not node:
            subordinate += 1
        if node.head is node:
            break
        node = node.head
    score -= 0.1 * min(subordinate, 2)
    if _background(frame.token):
        score -= 0.1
    if frame.kind == "intent":
        score += 0.05
    if frame.kind == "say_must":
        score -= 0.1
    if frame.actors:
        score += 0.1
        if any(a.entity_key for a in frame.actors):
            score += 0.05
    if frame.targets:
        score += 0.05
    score -= 0.15 * min(frame.depth, 3) if is_content(frame) else 0.05 * min(frame.depth, 3)
    if frame.hypothetical:
        score -= 0.05
    return round(min(0.95, max(0.05, score)), 3)


def to_action(frame: Frame, sent: Token, lex: Lexicon) -> Action:
    """The action of a typed frame; its evidence span is the sentence."""
    assert frame.sense is not None
    mode = frame.sense.mode
    for c in frame.token.children:
        adverb = lex.adverb_modes.get(c.lower_)
        # "sexually abused": the adverb names the mode, only for the type it belongs to.
        if c.dep_ == "advmod" and adverb is not None and adverb.type == frame.sense.type:
            mode = adverb.mode
    # Evidence is the sentence without the whitespace spaCy keeps at its end.
    end = sent.start_char + len(str(sent.text).rstrip())
    return Action(
        type=frame.sense.type,
        actors=tuple(frame.actors),
        targets=tuple(frame.targets),
        start=sent.start_char,
        end=end,
        trigger=frame.trigger.strip(" \"'“”"),
        mode=mode,
        date=frame.date.value if frame.date else None,
        date_text=frame.date.text if frame.date else None,
        place=frame.place,
        attributed_to=tuple(frame.attributed_to),
        negated=frame.negated,
        hypothetical=frame.hypothetical,
        future=frame.future,
        confidence=confidence(frame),
    )
