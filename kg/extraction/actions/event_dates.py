"""Dating the frames of a sentence from its date expressions."""

from __future__ import annotations

from datetime import date

from kg.extraction.actions.dates import find_dates
from kg.extraction.actions.frame_links import is_content
from kg.extraction.actions.frames import Frame
from kg.extraction.actions.lexicon import Lexicon
from kg.extraction.actions.participants import Token

_DURING_RELATIONS = ("pobj:during", "pobj:in", "pobj:amid")


def _owner(span_root: Token, owners: dict[int, Frame], lex: Lexicon) -> Frame | None:
    """The frame a date expression modifies: the first trigger above it in its clause."""
    node = span_root
    for _ in range(12):
        if node.i in owners:
            return owners[node.i]
        if node.lemma_.lower() in lex.speech_verbs or node.head is node:
            return None
        if node.pos_ == "VERB" and node is not span_root:
            return None
        node = node.head
    return None


def assign_dates(
    sent: Token, frames: dict[int, Frame], published: date | None, lex: Lexicon
) -> None:
    """Give each frame the date expression of its clause, resolved against ``published``."""
    doc = sent.doc
    owners: dict[int, Frame] = {}
    for frame in frames.values():
        owners[frame.token.i] = frame
        for i in frame.consumed:
            owners.setdefault(i, frame)
    for future in (False, True):
        for expr in find_dates(str(sent.text), published, future=future):
            span = doc.char_span(
                sent.start_char + expr.start,
                sent.start_char + expr.end,
                alignment_mode="expand",
            )
            if span is None:
                continue
            owner = _owner(span.root, owners, lex)
            if owner is not None and owner.future == future and owner.date is None:
                owner.date = expr
    # Contents inherit their governor's date; governors take a date from a "during" noun.
    for frame in sorted(frames.values(), key=lambda f: f.depth):
        if frame.date is None and frame.parent is not None and is_content(frame):
            frame.date = frame.parent.date
    for frame in frames.values():
        if frame.date is None:
            for other in frames.values():
                if (
                    other.parent is frame
                    and other.relation in _DURING_RELATIONS
                    and other.date is not None
                ):
                    frame.date = other.date
