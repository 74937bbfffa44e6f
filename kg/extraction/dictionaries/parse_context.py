"""The parse context of a verb or event noun, as the CAMEO patterns see it.

PETRARCH2 matches patterns against a constituency parse: nouns before the verb, the verb,
nouns and prepositional phrases after it. Over a dependency parse that becomes:

* ``subjects``: who acts. The subject, or in the passive the "by" agent; a verb
  coordinated with or embedded under another ("attacked and killed", "vowed to attack")
  takes its governor's subject. Conjuncts are included ("X and Y attacked").
* ``objects``: who undergoes it. The direct object (or dative), or in the passive the
  passive subject ("Z was attacked").
* ``preps``: (preposition, object) pairs of the verb and of its objects ("imposed sanctions
  on X": "on X" may hang on "sanctions").
* ``pre_words`` / ``post_words``: word forms of the subject phrase / of the objects,
  particles, adverbial and predicative complements (what pattern nouns must match).

Reported speech needs nothing special: "X said Y attacked Z" gives "attacked" its own
subject Y; the speaker is never in its context.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

Token = Any  # spacy.tokens.Token; spaCy ships no type stubs

_OBJECT_DEPS = frozenset({"dobj", "dative", "attr", "oprd"})
_POST_DEPS = _OBJECT_DEPS | {"prt", "acomp", "advmod", "npadvmod"}
# "is willing to withdraw": the adjective's infinitive takes the subject of "is".
_INHERIT_DEPS = frozenset({"conj", "xcomp", "advcl", "acomp"})
_NOUNISH = frozenset({"NOUN", "PROPN", "PRON"})
# "suspended part of its aid", "provided 25,000 tons of food aid": the pattern noun is
# inside the "of" phrase of a part, an amount or a unit.
_PARTITIVES = frozenset(
    {"part", "some", "most", "all", "rest", "portion", "half", "bulk", "much", "parts"}
    | {"ton", "tonne", "kilogram", "kilo", "barrel", "litre", "liter", "gallon", "pound"}
    | {"amount", "quantity", "number", "series", "package", "shipment", "consignment"}
    | {"batch", "load", "convoy", "supply", "wave", "round", "set", "range", "lot", "host"}
    | {"thousand", "hundred", "dozen", "million", "billion", "plenty", "kind"}
)
_AMOUNT_LABELS = frozenset({"QUANTITY", "CARDINAL", "MONEY"})


@dataclass(frozen=True, slots=True)
class Context:
    """What a pattern may refer to around one trigger."""

    subjects: tuple[Token, ...]
    objects: tuple[Token, ...]
    preps: tuple[tuple[str, Token], ...]
    pre_words: frozenset[str]
    post_words: frozenset[str]
    passive: bool = False
    own_preps: int = 0  # the first ``own_preps`` pairs hang on the trigger itself
    inner_objects: tuple[Token, ...] = ()  # "aid" of "tons of aid": what the object measures


def expand(head: Token) -> tuple[Token, ...]:
    """A noun head with the nouns coordinated with it, in text order."""
    out = [head]
    stack = [head]
    while stack:
        tok = stack.pop()
        for child in tok.children:
            if child.dep_ == "conj" and child.pos_ in _NOUNISH:
                out.append(child)
                stack.append(child)
    return tuple(sorted(out, key=lambda t: t.i))


def _forms(tokens: list[Token]) -> frozenset[str]:
    out: set[str] = set()
    for t in tokens:
        lemma = t.lemma_.lower()
        out |= {t.lower_, lemma}
    return frozenset(out)


def _noun_words(head: Token) -> list[Token]:
    """The head and its modifiers, without clauses or prepositional phrases."""
    out = [head]
    stack = [head]
    while stack:
        tok = stack.pop()
        for child in tok.children:
            if child.dep_ in ("compound", "amod", "nmod", "poss", "det", "nummod", "conj", "cc"):
                out.append(child)
                stack.append(child)
    return out


def _pobj_pairs(tok: Token, skip_agent: bool) -> list[tuple[str, Token]]:
    pairs: list[tuple[str, Token]] = []
    for c in tok.children:
        if c.dep_ == "prep" or (c.dep_ == "agent" and not skip_agent):
            for g in c.children:
                if g.dep_ in ("pobj", "pcomp"):
                    pairs.append((c.lower_, g))
        elif c.dep_ == "dative" and c.pos_ == "ADP":
            for g in c.children:
                if g.dep_ == "pobj":
                    pairs.append((c.lower_, g))
    return pairs


def own_subjects(tok: Token) -> tuple[list[Token], bool]:
    """The subject heads of a verb and whether it is passive (walks up to its governor)."""
    passive = any(c.dep_ in ("nsubjpass", "auxpass") for c in tok.children)
    node = tok
    for _ in range(6):
        if passive and node is tok:
            agents = [
                g
                for c in node.children
                if c.dep_ == "agent"
                for g in c.children
                if g.dep_ == "pobj"
            ]
            return agents, True
        subjects = [c for c in node.children if c.dep_ in ("nsubj", "csubj")]
        if subjects:
            return subjects, passive
        if node.dep_ in ("relcl", "acl") and node.head.pos_ in _NOUNISH:
            return [node.head], passive
        if node.dep_ not in _INHERIT_DEPS or node.head is node:
            break
        node = node.head
    return [], passive


def verb_context(tok: Token) -> Context:
    """The context of a verb token."""
    subject_heads, passive = own_subjects(tok)
    subjects = tuple(t for s in subject_heads if s.pos_ != "ADP" for t in expand(s))
    object_heads = [c for c in tok.children if c.dep_ in ("dobj", "dative") and c.pos_ != "ADP"]
    if passive:
        object_heads = [c for c in tok.children if c.dep_ == "nsubjpass"] + object_heads
    objects = tuple(t for o in object_heads for t in expand(o))
    preps = _pobj_pairs(tok, skip_agent=True)
    own = len(preps)
    post: list[Token] = []
    inner: list[Token] = []
    for c in tok.children:
        if c.dep_ in _POST_DEPS or (passive and c.dep_ == "nsubjpass"):
            post.extend(_noun_words(c))
            if c.lemma_.lower() in _PARTITIVES or c.ent_type_ in _AMOUNT_LABELS:
                for p, g in _pobj_pairs(c, skip_agent=True):
                    if p == "of":
                        post.extend(_noun_words(g))
                        inner.append(g)
            if c.dep_ in _OBJECT_DEPS:
                preps.extend(_pobj_pairs(c, skip_agent=True))
    pre = [w for s in subject_heads for w in _noun_words(s)]
    return Context(
        subjects=subjects,
        objects=objects,
        preps=tuple(preps),
        pre_words=_forms(pre),
        post_words=_forms(post),
        passive=passive,
        own_preps=own,
        inner_objects=tuple(inner),
    )


def noun_context(tok: Token) -> Context:
    """The context of an event noun: agent from "by X" or a possessor, target from preps."""
    agents = [c for c in tok.children if c.dep_ == "poss" and c.pos_ != "PRON"]
    preps = _pobj_pairs(tok, skip_agent=False)
    agents += [g for p, g in preps if p == "by"]
    if not agents:
        agents = [
            c
            for c in tok.children
            if c.dep_ in ("compound", "amod", "nmod") and (c.ent_type_ in ("GPE", "NORP", "ORG"))
        ]
    own = [(p, g) for p, g in preps if p != "by"]
    subjects = tuple(t for a in agents for t in expand(a))
    objects = tuple(
        t for p, g in preps if p in ("on", "against", "upon", "with") for t in expand(g)
    )
    return Context(
        subjects=subjects,
        objects=objects,
        preps=tuple(own),
        pre_words=_forms([w for a in agents for w in _noun_words(a)]),
        post_words=frozenset(),
        own_preps=len(own),
    )
