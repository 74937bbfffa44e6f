"""Trigger detection: which tokens of a sentence start a PLOVER frame, and of which kind.

A trigger is a verb (alone or with a particle, object or preposition listed in the lexicon),
an event noun, a stated intention ("vowed to", "ready to"), a cessation ("stopped firing"),
an order ("told X to"), a reported obligation ("said X must") or name-calling ("branded X a").
"""

from __future__ import annotations

from kg.extraction.actions.frames import Frame
from kg.extraction.actions.lexicon import Lexicon, TriggerSense
from kg.extraction.actions.participants import ParticipantResolver, Token

# Verbs whose infinitive is always what is promised ("sworn to fight"), however parsed.
COMMISSIVE_VERBS = frozenset({"vow", "swear", "pledge", "promise", "threaten"})
_ORDER_VERBS = frozenset({"tell", "order", "instruct", "direct", "command"})
_SHARED_THINGS = frozenset({"intelligence", "information", "data", "expertise", "evidence"})
# Objects that make "welcome" a visit being hosted rather than approval of a decision.
_HOSTED_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP"})
_VISITOR_NOUNS = frozenset(
    {"delegation", "delegate", "envoy", "visitor", "guest", "leader", "minister", "president"}
    | {"official", "team", "refugee", "counterpart", "ambassador", "diplomat", "premier"}
    | {"king", "queen", "prince", "pope", "chancellor", "troops", "soldier", "pilgrim"}
)


def is_infinitive(tok: Token) -> bool:
    """Whether a verb is a "to" infinitive."""
    return any(c.dep_ == "aux" and c.lower_ == "to" for c in tok.children)


def particle_sense(tok: Token, lex: Lexicon) -> tuple[TriggerSense, str, set[int]] | None:
    """The sense of a verb with its particle, object or preposition ("blow up", "call on").

    Returns:
        The sense, the lexicon key matched and the indices of the tokens it used, or None.
    """
    lemma = tok.lemma_.lower()
    particles = [c for c in tok.children if c.dep_ == "prt"]
    objects = [c for c in tok.children if c.dep_ == "dobj"]
    preps = [c for c in tok.children if c.dep_ == "prep"]
    keys: list[tuple[str, set[int]]] = []
    for prt in particles:
        for obj in objects:
            keys.append((f"{lemma} {prt.lower_} {obj.lemma_.lower()}", {prt.i, obj.i}))
            keys.append((f"{lemma} {prt.lower_} {obj.lower_}", {prt.i, obj.i}))
        keys.append((f"{lemma} {prt.lower_}", {prt.i}))
    for obj in objects:
        keys.append((f"{lemma} {obj.lower_}", {obj.i}))
        keys.append((f"{lemma} {obj.lemma_.lower()}", {obj.i}))
    for prep in preps:
        for pobj in prep.children:
            if pobj.dep_ == "pobj":
                keys.append((f"{lemma} {prep.lower_} {pobj.lower_}", {prep.i, pobj.i}))
        keys.append((f"{lemma} {prep.lower_}", set()))
    for key, used in keys:
        sense = lex.verb_particles.get(key)
        if sense is not None:
            return sense, key, used
    return None


def noun_sense(tok: Token, lex: Lexicon) -> TriggerSense | None:
    """The sense of an event noun, refined by its modifiers; None if it names no event."""
    lemma = tok.lemma_.lower()
    modifiers = tuple(
        c.lemma_.lower() for c in tok.children if c.dep_ in ("amod", "compound", "nmod")
    )
    # A bare "call" is a request only with what is called for ("calls for", "calls by X to").
    if (
        lemma == "call"
        and not any(m in lex.noun_modifiers["call"] for m in modifiers)
        and not any(
            (c.dep_ == "prep" and c.lower_ in ("for", "on", "by")) or c.dep_ in ("acl", "relcl")
            for c in tok.children
        )
    ):
        return None
    if "press" in modifiers:
        return None
    sense = lex.noun_sense(lemma, modifiers)
    if sense is None and _light_verb_object(tok, lex):
        # "announced a suspension of X", "renewed negotiations": the object of a light verb
        # is an event when it nominalizes a lexicon verb.
        sense = lex.derived_noun_sense(lemma)
    return sense


def _light_verb_object(tok: Token, lex: Lexicon) -> bool:
    """Whether a noun (or a noun coordinated with it) is the object of a light verb."""
    node = tok
    while node.dep_ == "conj" and node.head is not node:
        node = node.head
    head = node.head
    return node.dep_ == "dobj" and head.pos_ == "VERB" and head.lemma_.lower() in lex.light_verbs


def embedded_content(tok: Token) -> Token | None:
    """The clause or event noun a verb embeds (xcomp, ccomp, "to"+gerund, object noun)."""
    for c in tok.children:
        if c.dep_ == "xcomp":
            return c
    if tok.lemma_.lower() in COMMISSIVE_VERBS:
        for c in tok.children:
            if c.dep_ == "advcl" and c.i > tok.i and is_infinitive(c):
                return c  # "have sworn to fight": the small model makes it an advcl
    for c in tok.children:
        if c.dep_ == "prep" and c.lower_ in ("to", "on"):
            for g in c.children:
                if g.dep_ in ("pcomp", "pobj") and (g.pos_ == "VERB" or g.tag_ == "VBG"):
                    return g
    return None


def _verb_frame(tok: Token, lex: Lexicon, consumed: set[int]) -> Frame | None:
    """The frame a verb starts, if any (adds the tokens a multi-word trigger uses to consumed)."""
    lemma = tok.lemma_.lower()
    particle = particle_sense(tok, lex)
    content = embedded_content(tok)
    objects = [c for c in tok.children if c.dep_ == "dobj"]
    noun_objects = [
        o
        for obj in objects
        for o in ParticipantResolver.conjuncts(obj)
        if noun_sense(o, lex) is not None
    ]
    if particle is not None:
        particle_found, key, used = particle
        consumed |= used
        return Frame("event", tok, particle_found, key, consumed=used | {tok.i})
    if lemma in lex.cessation_verbs and (content is not None or noun_objects):
        return Frame("cessation", tok, lex.verb_sense(lemma), tok.text)
    if lemma in lex.intent_verbs and content is not None:
        return Frame("intent", tok, lex.intent_verbs[lemma], tok.text)
    if lemma in lex.intent_verbs and lemma in ("threaten", "promise", "pledge", "vow"):
        if tok.dep_ == "amod" and noun_sense(tok.head, lex) is not None:
            noun_objects = [tok.head]
        if noun_objects:
            return Frame("intent", tok, lex.intent_verbs[lemma], tok.text)
    if lemma in _ORDER_VERBS and content is not None:
        return Frame("request", tok, TriggerSense("REQUEST"), tok.text)
    if lemma in lex.speech_verbs:
        ccomp = next((c for c in tok.children if c.dep_ == "ccomp"), None)
        if ccomp is not None and any(
            c.dep_ == "aux" and c.lower_ in lex.obligation_modals for c in ccomp.children
        ):
            return Frame("say_must", tok, TriggerSense("REQUEST"), tok.text)
        return None
    if lemma in ("call", "brand", "label") and (
        any(c.dep_ in ("oprd", "ccomp") for c in tok.children) or len(objects) >= 2
    ):
        # "branded Petro a drug-trafficker": name-calling is disapproval.
        return Frame("event", tok, TriggerSense("ACCUSE", "disapprove"), tok.text)
    if lemma in lex.light_verbs and noun_objects:
        return None  # "impose sanctions", "held talks": the noun is the event
    sense = lex.verb_sense(lemma)
    if sense is None or lemma in lex.transparent_verbs:
        return None
    if lemma == "share" and not any(o.lemma_.lower() in _SHARED_THINGS for o in objects):
        return None
    if lemma == "welcome" and any(
        o.pos_ not in ("PRON", "PROPN")
        and o.ent_type_ not in _HOSTED_LABELS
        and o.lemma_.lower() not in _VISITOR_NOUNS
        and o.lemma_.lower() not in lex.generic_group_nouns
        for o in objects
    ):
        # "welcomed the decision": approval (SUPPORT), not hosting a visitor.
        return Frame("event", tok, TriggerSense("SUPPORT"), tok.text)
    if lemma == "meet" and any(o.lemma_.lower() in {"demand", "need", "target"} for o in objects):
        return None
    return Frame("event", tok, sense, tok.text)


def _noun_frame(tok: Token, sense: TriggerSense, lex: Lexicon) -> Frame:
    modifiers = [c for c in tok.children if c.dep_ in ("amod", "compound") and c.i < tok.i]
    keyed = [
        m for m in modifiers if m.lemma_.lower() in lex.noun_modifiers.get(tok.lemma_.lower(), {})
    ]
    start = keyed[0].i if keyed else tok.i
    text = str(tok.doc[start : tok.i + 1].text)
    return Frame("event", tok, sense, text, nominal=True)


def find_frames(sent: Token, res: ParticipantResolver, lex: Lexicon) -> dict[int, Frame]:
    """One frame per trigger of a sentence, keyed by the trigger's token index."""
    frames: dict[int, Frame] = {}
    consumed: set[int] = set()
    for tok in sent:
        if tok.i in consumed:
            continue
        lemma = tok.lemma_.lower()
        if tok.pos_ in ("VERB", "AUX") or (tok.tag_.startswith("VB") and tok.dep_ != "amod"):
            if tok.pos_ == "AUX" and lemma != "be":
                continue
            frame = _verb_frame(tok, lex, consumed)
            if frame is not None:
                frames[tok.i] = frame
        elif tok.pos_ == "ADJ" and lemma in lex.intent_adjectives:
            if any(c.dep_ == "xcomp" for c in tok.children):
                frames[tok.i] = Frame("intent", tok, None, tok.text)
        elif tok.pos_ in ("NOUN", "PROPN") and res.mention_at(tok) is None:
            found = noun_sense(tok, lex)
            if found is not None:
                frames[tok.i] = _noun_frame(tok, found, lex)
    return frames
