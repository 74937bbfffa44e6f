"""Targets and places of a frame from its trigger's objects and prepositional phrases."""

from __future__ import annotations

from kg.core.models import Participant
from kg.extraction.actions.frames import Frame, add
from kg.extraction.actions.lexicon import Lexicon
from kg.extraction.actions.participants import ParticipantResolver, Token
from kg.extraction.actions.subjects import (
    between_sides,
    event_agents,
    is_passive_participle,
    pobjs,
    subject_of,
)
from kg.extraction.actions.triggers import embedded_content, is_infinitive, noun_sense

_PLACE_TYPES = frozenset({"Country", "Place"})
_PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
_COMBAT_WORDS = frozenset({"clash", "fight", "battle", "fighting"})
# Prepositions after which an uncoded intended or requested action names whom it concerns.
_CONTENT_TARGET_PREPS = frozenset(
    {"against", "on", "upon", "at", "to", "with", "toward", "towards", "into"}
)
# Verbs that report an accusation as speech ("..., a rights group charged").
_REPORTING_EXTRA = frozenset({"charge"})


def is_reporting(tok: Token, lex: Lexicon) -> bool:
    """Whether a verb reports speech ("said", "quoted", "charged" of a claim)."""
    return tok.lemma_.lower() in lex.speech_verbs or tok.lemma_.lower() in _REPORTING_EXTRA


def is_trailing_speaker(obj: Token, lex: Lexicon) -> bool:
    """Whether an "object" is the speaker of a trailing attribution, misparsed.

    "X abused Y, a rights group charged": the small model may read "group" as a second
    object of "abused" with "charged" as its clause; such a noun is no participant.
    """
    start = obj.left_edge.i
    after_comma = start > 0 and obj.doc[start - 1].text == ","
    return after_comma and any(
        c.dep_ == "acl" and c.i > obj.i and is_reporting(c, lex) for c in obj.children
    )


def is_place(tok: Token, res: ParticipantResolver, lex: Lexicon) -> bool:
    """Whether a noun names a place (a country or place mention, a location, "border")."""
    m = res.mention_at(tok)
    if m is not None:
        return m.type in _PLACE_TYPES
    if tok.ent_type_ in _PLACE_LABELS:
        return True
    return tok.lemma_.lower() in lex.place_nouns


def place_participant(tok: Token, res: ParticipantResolver, lex: Lexicon) -> Participant | None:
    """The participant a place noun names ("the border with X" names X)."""
    if tok.lemma_.lower() in lex.place_nouns and res.mention_at(tok) is None:
        for c in tok.children:
            if c.dep_ == "prep" and c.lower_ in ("with", "of"):
                for g in pobjs(c):
                    ps = res.participants(g)
                    if ps:
                        return ps[0]
        inner = res.participants(tok)
        return inner[0] if inner else None
    ps = res.participants(tok)
    return ps[0] if ps else None


def prep_arguments(
    holder: Token,
    frame: Frame,
    plover: str,
    res: ParticipantResolver,
    lex: Lexicon,
    also: frozenset[str] = frozenset(),
) -> None:
    """Targets and place from the prepositional phrases of ``holder`` ("sanctions on X").

    Args:
        holder: The token whose prepositions are read.
        frame: The frame to fill.
        plover: The frame's type, which decides the prepositions that introduce a target.
        res: Participant resolver.
        lex: The lexicon.
        also: Further prepositions that introduce a target here (a light verb's "to").
    """
    allowed = lex.target_preps.get(plover, frozenset()) | also
    if plover == "ASSAULT" and holder.lemma_.lower() not in _COMBAT_WORDS:
        allowed = allowed - {"with"}
    for c in holder.children:
        if c.dep_ != "prep" or c.i in frame.consumed:
            continue
        p = c.lower_
        for pobj in pobjs(c):
            if pobj.i in frame.consumed:
                continue
            if pobj.lemma_.lower() == "hand" and p in ("at", "by", "from"):
                # "killed at the hands of X": X is the agent, whatever the preposition.
                for agent in (g for g in pobj.children if g.dep_ == "prep" and g.lower_ == "of"):
                    for actor in pobjs(agent):
                        add(frame.actors, res.participants(actor))
                continue
            if p in lex.place_preps and is_place(pobj, res, lex):
                m = res.mention_at(pobj)
                # "sanctions on India", "strikes at Iran": a country after an allowed
                # preposition is a target; "in India", "on the border" are places.
                country_target = p in allowed and m is not None and m.type == "Country"
                if not country_target:
                    if frame.place is None:
                        frame.place = place_participant(pobj, res, lex)
                    continue
            if p == "for" and p not in allowed:
                # "mobilized reservists for a war against X": the purpose names the target.
                for g in pobj.children:
                    if g.dep_ == "prep" and g.lower_ == "against":
                        for opponent in pobjs(g):
                            add(frame.targets, res.participants(opponent))
            if p in allowed:
                if noun_sense(pobj, lex) is not None and res.mention_at(pobj) is None:
                    # An event noun ("against any US assault"): its agent is the target.
                    add(frame.targets, event_agents(pobj, res))
                    continue
                add(frame.targets, res.participants(pobj))
                if res.mention_at(pobj) is None:
                    _thing_agents(pobj, frame, res)  # "in protest against abuses by X"
                if frame.place is None:
                    _nested_place(pobj, frame, res, lex)


def _thing_agents(thing: Token, frame: Frame, res: ParticipantResolver) -> None:
    """Whoever did a thing the action is about ("the violations by X") is its target."""
    for c in thing.children:
        if c.dep_ == "prep" and c.lower_ == "by":
            for agent in pobjs(c):
                add(frame.targets, res.participants(agent))


def _nested_place(pobj: Token, frame: Frame, res: ParticipantResolver, lex: Lexicon) -> None:
    for g in pobj.children:
        if g.dep_ == "prep" and g.lower_ in lex.place_preps:
            for place in pobjs(g):
                if is_place(place, res, lex):
                    frame.place = place_participant(place, res, lex)


def _verb_objects(tok: Token, plover: str) -> list[Token]:
    if plover == "ACCUSE" and tok.lemma_.lower() in ("call", "brand", "label"):
        objects: list[Token] = [c for c in tok.children if c.dep_ == "dobj"][:1]
    else:
        objects = [c for c in tok.children if c.dep_ in ("dobj", "dative") and c.pos_ != "ADP"]
        objects += [
            g for c in tok.children if c.dep_ == "dative" and c.pos_ == "ADP" for g in pobjs(c)
        ]
    # "kidnapped up to 16 advisers": the model reads "up" as a particle.
    objects += [
        g
        for prt in tok.children
        if prt.dep_ == "prt" and prt.lower_ == "up"
        for to in prt.children
        if to.dep_ == "prep" and to.lower_ == "to"
        for g in pobjs(to)
        if any(n.dep_ == "nummod" for n in g.children)
    ]
    return objects


def _say_must_arguments(
    frame: Frame, res: ParticipantResolver, frames: dict[int, Frame], lex: Lexicon
) -> None:
    tok = frame.token
    frame.actors = subject_of(tok, res, frames, lex)
    ccomp = next(c for c in tok.children if c.dep_ == "ccomp")
    for c in ccomp.children:
        if c.dep_ in ("nsubj", "nsubjpass"):
            add(frame.targets, res.participants(c))
    frame.trigger = f"{tok.text} {ccomp.text}"


def verb_arguments(
    frame: Frame, res: ParticipantResolver, frames: dict[int, Frame], lex: Lexicon
) -> None:
    """Actors, targets and place of a verbal frame."""
    tok = frame.token
    plover = frame.sense.type if frame.sense else "AGREE"
    if any(c.dep_ in ("nsubjpass", "auxpass") for c in tok.children):
        for c in tok.children:
            if c.dep_ == "nsubjpass":
                add(frame.targets, res.participants(c))
    elif is_passive_participle(tok):
        add(frame.targets, res.participants(tok.head))  # "villagers besieged by X"
    if frame.kind == "say_must":
        _say_must_arguments(frame, res, frames, lex)
        return
    fight_sides = next(
        (sides for c in tok.children if c.dep_ == "nsubj" and (sides := between_sides(c, res))),
        None,
    )
    # "clashes between X and Y killed ...": X acted, not the clashes.
    frame.actors = fight_sides[0] if fight_sides else subject_of(tok, res, frames, lex)
    thing_objects = plover in lex.object_is_thing
    for obj in _verb_objects(tok, plover):
        if is_trailing_speaker(obj, lex):
            continue
        if obj.i in frame.consumed:
            prep_arguments(obj, frame, plover, res, lex)  # "take up arms against X"
            continue
        entityish = res.mention_at(obj) is not None or any(
            res.mention_at(t) is not None for t in res.phrase_tokens(obj)
        )
        if obj.i in frames and res.mention_at(obj) is None:
            add(frame.targets, event_agents(obj, res))  # "protested the killings by X"
            prep_arguments(obj, frame, plover, res, lex)
            continue  # an event noun: its own frame, linked as content
        if (
            entityish
            or not thing_objects
            or obj.pos_ == "PRON"
            or (obj.lemma_.lower() in lex.generic_group_nouns)
            or obj.lemma_.lower() in lex.relational_nouns  # "suspended part of aid for X"
        ):
            add(frame.targets, res.participants(obj))
        if not entityish:
            _thing_agents(obj, frame, res)  # "condemned the violations by X"
            prep_arguments(obj, frame, plover, res, lex)
    prep_arguments(tok, frame, plover, res, lex)
    if fight_sides is not None and not frame.targets:
        add(frame.targets, fight_sides[1])  # "fighting between X and Y erupted": on Y
    if plover != "REQUEST" and tok.lemma_.lower() in lex.object_control_verbs:
        _controlled_subjects(tok, frame, res)
    if plover == "REQUEST":
        requested_subjects(tok, frame, res, lex)
        # "call on X to": the addressee.
        for c in tok.children:
            if c.dep_ == "prep" and c.lower_ in ("on", "upon") and c.i in frame.consumed:
                for g in pobjs(c):
                    add(frame.targets, res.participants(g))


def uncoded_content_targets(frames: dict[int, Frame], res: ParticipantResolver) -> None:
    """ "threatened to cut off power to X", "vowed to crush X": what is intended or requested
    has no trigger of its own, so its object and the object of "against", "to"... are the
    targets of the intention or request (a coded content gives its own targets instead).
    Things ("power") are dropped later with the other non-participants. Runs after the
    dictionary placed the request's own target ("called on X").
    """
    for frame in frames.values():
        requested = frame.sense is not None and frame.sense.type == "REQUEST"
        if not frame.nominal and (frame.kind == "intent" or requested):
            _content_targets(frame.token, frame, res, frames)


def _content_targets(
    tok: Token, frame: Frame, res: ParticipantResolver, frames: dict[int, Frame]
) -> None:
    content = embedded_content(tok)
    if content is None and frame.kind != "intent":
        # "called on X to unite": the small model may read the request's infinitive as a
        # clause of purpose.
        content = next(
            (c for c in tok.children if c.dep_ == "advcl" and c.i > tok.i and is_infinitive(c)),
            None,
        )
    if content is None or content.pos_ != "VERB":
        return
    # "called on X to unite and mobilize against Y": a coordinated verb is intended too.
    verbs = [content] + [c for c in content.children if c.dep_ == "conj" and c.pos_ == "VERB"]
    for verb in verbs:
        if verb is content and content.i in frames:
            continue  # a coded content gives its targets through the frame links
        for c in verb.children:
            if c.dep_ == "dobj":
                add(frame.targets, res.participants(c))
            elif c.dep_ == "prep" and c.lower_ in _CONTENT_TARGET_PREPS:
                for g in pobjs(c):
                    add(frame.targets, res.participants(g))


def _controlled_subjects(tok: Token, frame: Frame, res: ParticipantResolver) -> None:
    """ "allowed X to hold a rally": the parse makes X the infinitive's subject; X is the target."""
    if any(c.dep_ == "dobj" for c in tok.children):
        return
    for clause in tok.children:
        if clause.dep_ in ("ccomp", "xcomp") and is_infinitive(clause):
            for subject in clause.children:
                if subject.dep_ == "nsubj":
                    add(frame.targets, res.participants(subject))


def requested_subjects(tok: Token, frame: Frame, res: ParticipantResolver, lex: Lexicon) -> None:
    """ "demanded that X abandon ...": X is the target of the request.

    A trailing report ("..., diplomats quoted a declaration as saying") is no requested clause.
    """
    for c in tok.children:
        if c.dep_ in ("ccomp", "acl") and not is_reporting(c, lex):
            for g in c.children:
                if g.dep_ in ("nsubj", "nsubjpass") and g.pos_ != "PRON":
                    add(frame.targets, res.participants(g))
