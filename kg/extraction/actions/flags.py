"""A frame's own modality flags: negated, hypothetical, future (from its auxiliaries)."""

from __future__ import annotations

from kg.extraction.actions.frames import Frame
from kg.extraction.actions.lexicon import Lexicon
from kg.extraction.actions.participants import Token


def _flag_heads(frame: Frame) -> list[Token]:
    """The tokens whose auxiliaries and negations qualify the frame."""
    tok = frame.token
    chain = [tok]
    node = tok
    while node.dep_ in ("conj", "xcomp") and node.head is not node and len(chain) < 5:
        node = node.head
        chain.append(node)
        if node.dep_ == "xcomp" or node.i in frame.consumed:
            continue
        break
    heads = chain[:2] if tok.dep_ == "conj" else chain[:1]
    if frame.nominal:
        heads += [frame.token.doc[i] for i in frame.consumed if i != tok.i]
    return heads


def own_flags(frame: Frame, lex: Lexicon) -> None:
    """Set the flags the frame's own words carry ("did not", "would", "will", "no", "if")."""
    tok = frame.token
    for n in _flag_heads(frame):
        for c in n.children:
            low = c.lower_
            if c.dep_ == "neg" or low in ("never",):
                frame.negated = True
            if c.dep_ in ("aux", "auxpass"):
                if low in lex.future_markers or c.lemma_.lower() in lex.future_markers:
                    frame.future = True
                if low in lex.hypothetical_markers:
                    # "they said they would X" reports an intention, not a condition.
                    reported = n.dep_ == "ccomp" and n.head.lemma_.lower() in lex.speech_verbs
                    if low == "would" and reported:
                        frame.future = True
                    else:
                        frame.hypothetical = True
                if low in lex.obligation_modals:
                    frame.future = True
            if c.dep_ == "det" and low == "no" and frame.nominal:
                frame.negated = True
            if c.dep_ == "det" and low == "any" and frame.nominal:
                frame.hypothetical = True
    # "refused to meet": the content of a negating verb is negated, whether or not the
    # negating verb is a trigger of its own.
    if tok.dep_ == "xcomp" and tok.head.lemma_.lower() in lex.negating_verbs:
        frame.negated = True
    # "going to": be + going + xcomp
    if tok.dep_ == "xcomp" and tok.head.lower_ == "going":
        frame.future = True
    # Conditional clauses anywhere above the trigger.
    node = tok
    for _ in range(12):
        if node.dep_ == "advcl" and any(
            c.dep_ == "mark" and c.lower_ in lex.conditional_marks for c in node.children
        ):
            frame.hypothetical = True
            break
        if node.head is node:
            break
        node = node.head
