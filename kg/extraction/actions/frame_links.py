"""Linking the frames of a sentence: which frame governs which, and through what.

A frame embedded in another's clause is its *content* when the governor's meaning is about
it: the promise of a vow, the object of a request, the charge of an accusation.
"""

from __future__ import annotations

from kg.extraction.actions.frames import Frame
from kg.extraction.actions.lexicon import Lexicon
from kg.extraction.actions.participants import Token
from kg.extraction.actions.triggers import COMMISSIVE_VERBS, is_infinitive

# Dependency relations through which a clause or noun is the *content* of its governor.
_CONTENT_DEPS = frozenset({"xcomp", "ccomp", "dobj", "pcomp", "pobj", "prep", "acl", "oprd"})
_CONTENT_PREPS = frozenset({"to", "of", "for", "into", "about", "on"})


def link_parents(frames: dict[int, Frame], lex: Lexicon) -> None:
    """Attach each frame to the nearest governing frame, and the dependency used."""
    _link_by_climbing(frames, lex)
    # The small model sometimes parses "X threatened military action" with the verb as an
    # adjective of the noun: the noun is still the verb's object.
    for frame in frames.values():
        head = frames.get(frame.token.head.i)
        if frame.token.dep_ == "amod" and not frame.nominal and head is not None and head.nominal:
            head.parent, head.relation = frame, "dobj"
            frame.parent = None


def _link_by_climbing(frames: dict[int, Frame], lex: Lexicon) -> None:
    for frame in frames.values():
        node = frame.token
        relation = node.dep_
        steps = 0
        while node.head is not node and steps < 12:
            child, node = node, node.head
            steps += 1
            parent = frames.get(node.i) or _light_verb_frame(node, frames, lex)
            if parent is not None and parent is not frame:
                frame.parent = parent
                frame.relation = relation
                break
            relation = child.dep_ if child.dep_ != "pobj" else f"pobj:{node.lower_}"
            if node.dep_ in ("relcl",) or node.lemma_.lower() in lex.speech_verbs:
                break


def _light_verb_frame(verb: Token, frames: dict[int, Frame], lex: Lexicon) -> Frame | None:
    """The event noun a light verb carries ("reiterated its demand that ..."), if any."""
    if verb.lemma_.lower() not in lex.light_verbs:
        return None
    for c in verb.children:
        found = frames.get(c.i)
        if c.dep_ == "dobj" and found is not None and found.nominal:
            return found
    return None


def is_content(frame: Frame) -> bool:
    """Whether a frame is what its governing frame is about (not merely inside its clause)."""
    if frame.parent is None:
        return False
    rel = frame.relation
    if rel.startswith("pobj:"):
        return rel[5:] in _CONTENT_PREPS
    if frame.token.dep_ == "conj":
        return False
    if frame.parent.token.lemma_.lower() in COMMISSIVE_VERBS and is_infinitive(frame.token):
        return True  # "sworn to fight", parsed as a clause of purpose
    return rel in _CONTENT_DEPS or frame.token.dep_ in ("xcomp", "ccomp", "pcomp", "dobj")
