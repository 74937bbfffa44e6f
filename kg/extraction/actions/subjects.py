"""Who acts: the actors of a verb frame and the agents of an event noun."""

from __future__ import annotations

from kg.core.models import Participant
from kg.extraction.actions.frames import Frame, add
from kg.extraction.actions.lexicon import Lexicon
from kg.extraction.actions.participant_nouns import names_participant
from kg.extraction.actions.participants import ParticipantResolver, Token

_SUBJECT_DEPS = frozenset({"nsubj", "csubj"})
# Nouns of mutual fighting: "clashes between X and Y" names its two sides, not an actor.
_MUTUAL_COMBAT = frozenset(
    {"clash", "fight", "fighting", "battle", "skirmish", "gunbattle", "firefight", "violence"}
)


def pobjs(prep: Token) -> list[Token]:
    """The objects of a preposition."""
    return [g for g in prep.children if g.dep_ == "pobj"]


# Event nouns whose "from X" is where someone moves from, not who acts ("withdrawal from X").
_FROM_IS_PLACE_TYPES = frozenset({"RETREAT", "SANCTION", "COERCE", "MOBILIZE"})


def between_sides(
    noun: Token, res: ParticipantResolver
) -> tuple[list[Participant], list[Participant]] | None:
    """The two sides of "clashes between X and Y" (or "... between X, Y and Z"), else None.

    A fight names who fights in its "between" phrase; the first side is read as the actor
    and the others as targets, as event coders do for mutual violence.
    """
    if noun.lemma_.lower() not in _MUTUAL_COMBAT and noun.lower_ not in _MUTUAL_COMBAT:
        return None
    for prep in noun.children:
        if prep.dep_ != "prep" or prep.lower_ != "between":
            continue
        for first in pobjs(prep):
            # "between X and Y", "between Hindu and Muslim groups": two or more sides.
            sides = res.participants(first)
            if len(sides) >= 2:
                return sides[:1], sides[1:]
    return None


def _from_is_agent(noun: Token, res: ParticipantResolver) -> bool:
    """ "demands from X", "threats from X", "aid from X": X is the one acting."""
    sense = res.lexicon.noun_sense(noun.lemma_)
    return sense is not None and sense.type not in _FROM_IS_PLACE_TYPES


def event_agents(noun: Token, res: ParticipantResolver) -> list[Participant]:
    """Who did what an event noun names: "US assault", "Iran's attack", "attacks by X"."""
    found: list[Participant] = []
    for g in noun.children:
        m = res.mention_at(g)
        if g.dep_ in ("compound", "poss", "nmod", "amod") and m is not None:
            add(found, [Participant(m.text, m.entity_key)])
        elif g.dep_ == "prep" and (
            g.lower_ == "by" or (g.lower_ == "from" and _from_is_agent(noun, res))
        ):
            for agent in pobjs(g):
                add(found, res.participants(agent))
    return found


def _accused(verb: Token, res: ParticipantResolver) -> list[Participant]:
    objects = [c for c in verb.children if c.dep_ == "dobj"]
    return [p for o in objects for p in res.participants(o)]


def _undertaker(
    tok: Token, res: ParticipantResolver, frames: dict[int, Frame], lex: Lexicon
) -> list[Participant] | None:
    """Who acts in "their efforts to defeat X", "launched a campaign to retake X".

    The infinitive modifies a noun that names no one (an effort, a campaign, a bid): the
    actor is the noun's possessor, else the subject of the verb that has the noun. None
    when the noun names a participant ("troops to patrol the border").
    """
    noun = tok.head
    if tok.dep_ != "acl" or not any(c.dep_ == "aux" and c.lower_ == "to" for c in tok.children):
        return None
    if noun.pos_ != "NOUN" or res.mention_at(noun) is not None:
        return None
    if names_participant(Participant(noun.text), lex):
        return None
    owners = [c for c in noun.children if c.dep_ == "poss"]
    node = noun
    while node.dep_ == "pobj" and node.head.dep_ == "prep":
        node = node.head.head  # "in their efforts to", "with a plan to"
    if owners and all(o.pos_ == "PRON" for o in owners) and node is not noun:
        # "supported the Kurds in their efforts to": the pronoun is the verb's object.
        objects = [c for c in node.children if c.dep_ == "dobj"]
        if objects:
            return [p for o in objects for p in res.participants(o)]
    if owners:
        return [p for o in owners for p in res.participants(o)]
    if node is not noun or noun.dep_ in ("dobj", "nsubjpass"):
        verb = node if node is not noun else noun.head
        if verb.pos_ in ("VERB", "AUX"):
            return subject_of(verb, res, frames, lex)
    return None


def is_passive_participle(tok: Token) -> bool:
    """A past participle that modifies a noun ("civilians besieged by X"): a reduced passive.

    Not when a noun heads the whole sentence: "Doctors from two groups donated ..." is the
    small model taking the main verb for a participle.
    """
    return (
        tok.dep_ == "acl"
        and tok.tag_ == "VBN"
        and tok.head.pos_ in ("NOUN", "PROPN")  # not "those injured": no one in particular
        and tok.sent.root.pos_ in ("VERB", "AUX")
        and not any(c.dep_ == "dobj" for c in tok.children)
    )


def _own_subject(
    tok: Token, res: ParticipantResolver, frames: dict[int, Frame], lex: Lexicon
) -> list[Participant] | None:
    """Actors found on the trigger itself (agent, adjective head, event noun), else None."""
    agents = [g for c in tok.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"]
    agent_actors = [p for a in agents for p in res.participants(a)]
    if agent_actors:
        return agent_actors  # not "shortened by one hour"
    if any(c.dep_ == "nsubjpass" for c in tok.children):
        return []  # a passive without an agent names no actor
    if tok.dep_ == "amod" and tok.head.pos_ in ("NOUN", "PROPN"):
        before = [
            c for c in tok.head.children if c.dep_ in ("nmod", "compound", "poss") and c.i < tok.i
        ]
        return [p for b in before for p in res.participants(b)]
    if tok.dep_ == "acl" and tok.head.i in frames:
        event = frames[tok.head.i]
        found = list(event.actors)
        if tok.head.dep_ == "dobj":
            add(found, subject_of(tok.head.head, res, frames, lex))
        return found
    return None


def subject_of(
    tok: Token, res: ParticipantResolver, frames: dict[int, Frame], lex: Lexicon
) -> list[Participant]:
    """Actors of a verb: its subject, else the subject its clause inherits."""
    own = _own_subject(tok, res, frames, lex)
    if own is not None:
        return own
    seen = 0
    node = tok
    while seen < 10:
        seen += 1
        subjects = [c for c in node.children if c.dep_ in _SUBJECT_DEPS]
        if (
            subjects
            and not (node is not tok and any(c.dep_ == "nsubjpass" for c in node.children))
            and (node is tok or node.dep_ != "relcl")
        ):
            return [p for s in subjects for p in res.participants(s)]
        if node.dep_ in ("relcl", "acl") and node is tok:
            if is_passive_participle(tok):
                return []  # "civilians besieged in the city" are besieged, not besiegers
            undertaker = _undertaker(tok, res, frames, lex)
            if undertaker is not None:
                return undertaker
            return res.participants(node.head)
        head = node.head
        if head is node:
            return []
        lemma = head.lemma_.lower()
        if node.dep_ == "xcomp" and lemma in lex.object_control_verbs:
            objects = [c for c in head.children if c.dep_ in ("dobj", "dative")]
            on = [
                g
                for c in head.children
                if c.dep_ == "prep" and c.lower_ in ("on", "upon")
                for g in c.children
                if g.dep_ == "pobj"
            ]
            if objects or on:
                return [p for o in objects + on for p in res.participants(o)]
        if (
            node.dep_ == "conj"
            and node.tag_ == "VBG"
            and lemma in lex.accuse_verbs
            and any(c.dep_ == "dobj" for c in head.children)
        ):
            return _accused(head, res)
        if node.dep_ == "pcomp" and head.dep_ == "prep":
            governor = head.head
            if governor.lemma_.lower() in lex.accuse_verbs and any(
                c.dep_ == "dobj" for c in governor.children
            ):
                return _accused(governor, res)
            node = governor
            continue
        # "X is willing to withdraw": an adjective's clause takes the subject of "is".
        if node.dep_ in ("xcomp", "conj", "advcl", "pcomp", "dep", "acomp") or (
            node.dep_ in ("amod", "acl") and node.tag_ == "VBG"
        ):
            node = head
            continue
        return []
    return []
