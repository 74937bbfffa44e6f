"""Actors and targets of an event noun ("Iran's attack on X", "held talks with Y")."""

from __future__ import annotations

from kg.core.models import Participant
from kg.extraction.actions.arguments import prep_arguments, requested_subjects
from kg.extraction.actions.frames import Frame, add
from kg.extraction.actions.lexicon import Lexicon
from kg.extraction.actions.participants import ParticipantResolver, Token
from kg.extraction.actions.subjects import between_sides, pobjs, subject_of
from kg.extraction.actions.triggers import noun_sense

_GOVERNING_PREPS = ("during", "in", "amid", "with", "after")
_DUMMY_SUBJECTS = frozenset({"it", "this", "that"})


def noun_arguments(
    frame: Frame, res: ParticipantResolver, frames: dict[int, Frame], lex: Lexicon
) -> None:
    """Actors, targets and place of a nominal frame."""
    tok = frame.token
    plover = frame.sense.type if frame.sense else "AGREE"
    of_actor = tok.lemma_.lower() in lex.noun_of_is_actor
    sides = between_sides(tok, res)
    if sides is not None:
        # "fierce clashes between X and Y": the sides, not an adjective, are who fought.
        add(frame.actors, sides[0])
        add(frame.targets, sides[1])
    for c in tok.children:
        if sides is not None and c.dep_ != "prep":
            continue
        if c.dep_ == "poss" and c.pos_ != "PRON":
            add(frame.actors, res.participants(c))
        elif c.dep_ in ("compound", "amod", "nmod") and c.i < tok.i:
            m = res.mention_at(c)
            if m is not None and m.type != "Place":
                add(frame.actors, [Participant(m.text, m.entity_key)])
            elif m is None and _actor_word(c, lex):
                # "a rebel attack", "the army offensive", "a police raid": who acts.
                add(frame.actors, res.participants(c))
        elif c.dep_ == "prep" and c.lower_ == "by":
            for g in pobjs(c):
                add(frame.actors, res.participants(g))
        elif c.dep_ == "prep" and c.lower_ == "of":
            for g in pobjs(c):
                if noun_sense(g, lex) is not None and res.mention_at(g) is None:
                    continue
                add(frame.actors if of_actor else frame.targets, res.participants(g))
        elif c.dep_ == "prep" and c.lower_ == "between" and plover == "CONSULT":
            for g in pobjs(c):
                add(frame.targets, res.participants(g))
    prep_arguments(tok, frame, plover, res, lex)
    if plover == "REQUEST":
        requested_subjects(tok, frame, res, lex)
    if frame.actors:
        return
    _inherit_noun_actors(frame, res, frames, lex)
    if not frame.actors:
        for c in tok.children:
            if c.dep_ == "poss":
                add(frame.actors, res.participants(c))


# Modifiers of an event noun that name who acts, besides the lexicon's generic groups
# ("rebel", "government"). Not every participant noun: a "child abuse" victim, a "state visit".
_ACTING_MODIFIERS = frozenset(
    {"army", "military", "police", "navy", "troop", "regime", "opposition", "coalition"}
)


def _actor_word(tok: Token, lex: Lexicon) -> bool:
    """Whether a noun modifier names a group that acts ("rebel", "army", "police")."""
    lemma = tok.lemma_.lower()
    return tok.pos_ in ("NOUN", "ADJ") and (
        lemma in lex.generic_group_nouns or lemma in _ACTING_MODIFIERS
    )


def _accused_object(governor: Token, lex: Lexicon) -> Token | None:
    """In "accuses X of attacks" (or "levelled charges against X of"), the accused X."""
    accusing = governor.lemma_.lower() in lex.accuse_verbs
    if governor.dep_ == "dobj" and (accusing or governor.head.lemma_.lower() in lex.accuse_verbs):
        return governor
    if accusing:
        return next((c for c in governor.children if c.dep_ == "dobj"), None)
    return None


def _inherit_noun_actors(
    frame: Frame, res: ParticipantResolver, frames: dict[int, Frame], lex: Lexicon
) -> None:
    # Inherit from the governing verb: "held a phone call", "during a raid",
    # "accuses X of attacks".
    node = frame.token
    while node.dep_ == "conj":
        node = node.head
    head = node.head
    if node.dep_ == "pobj" and head.dep_ == "prep":
        governor = head.head
        if head.lower_ in ("of", "for"):
            accused = _accused_object(governor, lex)
            if accused is not None:
                frame.actors = res.participants(accused)
                return
        if governor.pos_ in ("VERB", "AUX") and head.lower_ in _GOVERNING_PREPS:
            frame.actors = subject_of(governor, res, frames, lex)
        return
    if node.dep_ == "attr" and any(
        c.dep_ == "nsubj" and c.lower_ in _DUMMY_SUBJECTS for c in head.children
    ):
        return  # "it is a fight we must win": "it" is the fight itself, not who fights
    if node.dep_ in ("dobj", "attr", "nsubjpass", "oprd") and head.pos_ in ("VERB", "AUX"):
        parent = frames.get(head.i)
        if parent is not None and parent.sense is not None and parent.sense.type == "REQUEST":
            # "demanded support from X": the one asked to act.
            return
        frame.actors = subject_of(head, res, frames, lex)
        if parent is None:
            _absorb_light_verb(frame, node, head, res, lex)


def _absorb_light_verb(
    frame: Frame, noun: Token, verb: Token, res: ParticipantResolver, lex: Lexicon
) -> None:
    """A light verb joins the noun's trigger and lends it its targets."""
    frame.trigger = f"{verb.text} {frame.trigger}"
    frame.consumed.add(verb.i)
    # "give Tanzania a grant", "imposed sanctions on X": the light verb's
    # indirect object and prepositions carry the noun's target.
    for c in verb.children:
        if c.dep_ == "dative" and c.pos_ == "ADP":
            for g in pobjs(c):
                add(frame.targets, res.participants(g))
        elif c.dep_ == "dative" or (c.dep_ == "dobj" and c is not noun and res.mention_at(c)):
            add(frame.targets, res.participants(c))
    plover = frame.sense.type if frame.sense else "AGREE"
    # "delivered blows to X", "issued a warning to X": the light verb's "to" is the recipient.
    prep_arguments(verb, frame, plover, res, lex, also=frozenset({"to"}))
