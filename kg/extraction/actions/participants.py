"""Turning parse tokens into :class:`~kg.core.models.Participant` objects.

A participant is the text of a noun phrase plus the entity it refers to when the phrase
overlaps a resolved entity mention. Pronouns ("he", "it") and definite generic nouns
("the guerrillas", "the two leaders") are resolved to earlier mentions or actors, because
news text names an actor once and then refers back to it.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass, field
from typing import Any

from kg.core.models import Extraction, Mention, Participant
from kg.extraction.actions.lexicon import Lexicon
from kg.extraction.actions.participant_nouns import names_participant

Token = Any  # spacy.tokens.Token; spaCy ships no type stubs

# Modifiers that belong to the noun phrase naming a participant (not clauses or preps).
_PHRASE_DEPS = frozenset(
    {"compound", "amod", "poss", "nmod", "det", "nummod", "case", "flat", "quantmod", "npadvmod"}
)
_PERSON_PRONOUNS = frozenset({"he", "she", "him", "her", "his", "hers"})
_THING_PRONOUNS = frozenset({"it", "its"})
_GROUP_PRONOUNS = frozenset({"they", "them", "their", "we", "us", "our"})
_NON_PARTICIPANT_LABELS = frozenset(
    {"DATE", "TIME", "MONEY", "PERCENT", "QUANTITY", "CARDINAL", "ORDINAL"}
)
_RELATION_PREPS = frozenset({"of", "for", "with", "to", "between", "by"})
# What a noun that is no participant stands for: "the scourge of X", "a camp for X".
_POINTING_PREPS = frozenset({"of", "for"})
_NUMBERS = {"two": 2, "three": 3, "both": 2}
_PERSON_TYPES = frozenset({"Person"})
_GROUPISH = frozenset({"Organization", "Government", "ArmedGroup", "PoliticalParty", "Country"})


@dataclass
class History:
    """What a document said before the current sentence: for resolving pronouns."""

    # (sentence index, participant, entity type) of actors, top-level actions first.
    actors: list[tuple[int, Participant, str | None]] = field(default_factory=list)

    def last_of_type(self, before_sentence: int, types: frozenset[str]) -> Participant | None:
        """The first recorded actor of the most recent earlier sentence that has one."""
        best_sentence = -1
        best: Participant | None = None
        for sent_index, participant, etype in self.actors:
            if sent_index >= before_sentence or etype not in types:
                continue
            if sent_index > best_sentence:
                best_sentence, best = sent_index, participant
        return best


class ParticipantResolver:
    """Maps tokens of one document to participants, using the document's entity mentions."""

    def __init__(self, doc: Any, extraction: Extraction, lexicon: Lexicon) -> None:
        self.doc = doc
        self.lexicon = lexicon
        self.mentions: list[Mention] = sorted(extraction.mentions, key=lambda m: m.start)
        self._starts = [m.start for m in self.mentions]
        self.names = {e.key: e.name for e in extraction.entities}
        self.history = History()
        self.sentence_index = 0
        self._pointing = False  # resolving what a non-participant noun points to

    # ------------------------------------------------------------------ mentions

    def mention_at(self, token: Token) -> Mention | None:
        """The mention covering the token, if any."""
        i = bisect_left(self._starts, token.idx + 1) - 1
        while i >= 0 and self.mentions[i].start > token.idx - 300:
            m = self.mentions[i]
            if m.start <= token.idx < m.end:
                return m
            i -= 1
        return None

    def mentions_in(self, start: int, end: int) -> list[Mention]:
        """Mentions overlapping the character span."""
        return [m for m in self.mentions if m.start < end and start < m.end]

    def _mentions_before(self, offset: int) -> list[Mention]:
        i = bisect_left(self._starts, offset)
        return self.mentions[:i][::-1]

    # ------------------------------------------------------------------ phrases

    @staticmethod
    def phrase_tokens(head: Token) -> list[Token]:
        """The head and its noun-phrase modifiers (no clauses, no prepositional phrases)."""
        tokens = [head]
        stack = [head]
        while stack:
            tok = stack.pop()
            for child in tok.children:
                if child.dep_ in _PHRASE_DEPS:
                    tokens.append(child)
                    stack.append(child)
        return sorted(tokens, key=lambda t: t.i)

    def phrase_text(self, head: Token) -> str:
        tokens = self.phrase_tokens(head)
        start, end = tokens[0].i, tokens[-1].i + 1
        span = self.doc[start:end]
        text = str(span.text).strip(" \"'“”‘’")
        return text or str(head.text)

    # ------------------------------------------------------------------ resolution

    @staticmethod
    def conjuncts(head: Token) -> list[Token]:
        """The head and the nouns coordinated with it ("Trump and Petro")."""
        out = [head]
        stack = [head]
        while stack:
            tok = stack.pop()
            for child in tok.children:
                if child.dep_ == "conj" and child.pos_ in ("NOUN", "PROPN", "PRON"):
                    out.append(child)
                    stack.append(child)
                if child.dep_ == "appos" and child.pos_ == "PROPN" and tok.pos_ == "NOUN":
                    # "his US counterpart Donald Trump": the apposed name is the participant.
                    out.append(child)
        return sorted(out, key=lambda t: t.i)

    def participants(self, head: Token | None, *, within: Any = None) -> list[Participant]:
        """Participants named by a noun phrase head, its conjuncts included."""
        if head is None:
            return []
        heads = self.conjuncts(head)
        # When an apposed name was added, the generic head ("counterpart") is redundant.
        if any(h.dep_ == "appos" for h in heads):
            heads = [
                h for h in heads if not any(c.dep_ == "appos" and c in heads for c in h.children)
            ]
        out: list[Participant] = []
        for tok in heads:
            for p in self.participant(tok, within=within) or []:
                if p not in out:
                    out.append(p)
        return out

    def participant(self, tok: Token, *, within: Any = None) -> list[Participant] | None:
        """Participants for one head token (several for "the two leaders")."""
        lower = tok.lower_
        if tok.pos_ == "PRON" or lower in _PERSON_PRONOUNS | _THING_PRONOUNS | _GROUP_PRONOUNS:
            resolved = self.resolve_pronoun(tok, within=within)
            return [resolved] if resolved else [Participant(tok.text)]
        counted = _counted(tok)
        if counted is not None:
            # "hundreds of Kurds", "70 of the tribesmen": an amount stands for what it counts.
            return self.participants(counted, within=within) or None
        if tok.pos_ in ("DET", "ADP", "PUNCT", "NUM") or tok.like_num:
            return None
        if tok.ent_type_ in _NON_PARTICIPANT_LABELS:
            return None  # "on Tuesday", "580 million shillings": not a participant
        mention = self.mention_at(tok)
        if mention is not None:
            return [Participant(mention.text, mention.entity_key)]
        if tok.lemma_.lower() in self.lexicon.relational_nouns:
            return self.related(tok, within=within)
        phrase = self.phrase_tokens(tok)
        inner = [m for t in phrase if (m := self.mention_at(t)) is not None]
        split = self._coordinated_modifiers(tok, phrase)
        if split:
            return split
        if inner:
            return [Participant(self.phrase_text(tok), inner[0].entity_key)]
        generic = self.resolve_generic(tok, phrase)
        if generic:
            return generic
        plain = Participant(self.phrase_text(tok))
        if not self._pointing and not names_participant(plain, self.lexicon):
            # "destroying the terrorist scourge of ISIL", "a camp for refugees was attacked":
            # a thing that points to a participant (one hop, by a genitive) stands for it.
            self._pointing = True
            try:
                related = self.related(tok, within=within, preps=_POINTING_PREPS)
            finally:
                self._pointing = False
            # Judged by its head word: "the use of the Russian language" names no one.
            pointed = [p for p in related if names_participant(Participant(p.text), self.lexicon)]
            if pointed:
                return pointed
        return [plain]

    def _coordinated_modifiers(self, tok: Token, phrase: list[Token]) -> list[Participant]:
        """ "US and British forces": one participant per coordinated named modifier."""
        modifiers = [
            t for t in phrase if t.dep_ in ("amod", "compound", "nmod") and t.head.i == tok.i
        ]
        coordinated = [c for t in modifiers for c in t.children if c.dep_ == "conj"]
        if not coordinated:
            return []
        named = [(t, m) for t in modifiers + coordinated if (m := self.mention_at(t)) is not None]
        if len({m.entity_key for _, m in named}) < 2:
            return []
        out: list[Participant] = []
        for _, m in named:
            p = Participant(f"{m.text} {tok.text}", m.entity_key)
            if p not in out:
                out.append(p)
        return out

    def related(
        self,
        tok: Token,
        *,
        within: Any = None,
        depth: int = 0,
        preps: frozenset[str] = _RELATION_PREPS,
    ) -> list[Participant]:
        """The participant a relational noun points to: "the rights of X", "links with X".

        The noun itself is never a participant, so nothing is returned when it names no one.
        """
        found: list[Participant] = []
        for child in tok.children:
            if child.dep_ == "poss" and child.pos_ != "PRON":
                found += self.participants(child, within=within)
            elif child.dep_ == "prep" and child.lower_ in preps and depth < 3:
                for pobj in (g for g in child.children if g.dep_ == "pobj"):
                    if pobj.lemma_.lower() in self.lexicon.relational_nouns:
                        found += self.related(pobj, within=within, depth=depth + 1, preps=preps)
                    else:
                        found += self.participants(pobj, within=within)
        return found

    def entity_type(self, key: str | None) -> str | None:
        if key is None:
            return None
        for m in self.mentions:
            if m.entity_key == key:
                return m.type
        return None

    def resolve_generic(self, tok: Token, phrase: list[Token]) -> list[Participant]:
        """Resolve "the guerrillas" / "the two leaders" to the most recent fitting mentions."""
        etype = self.lexicon.generic_group_nouns.get(tok.lemma_.lower())
        if etype is None:
            return []
        dets = {t.lower_ for t in phrase if t.dep_ in ("det", "nummod", "predet")}
        if not dets & {"the", "this", "these", "both", "two", "three"}:
            return []
        count = max((_NUMBERS.get(d, 1) for d in dets), default=1)
        if tok.tag_ in ("NNS", "NNPS") and etype == "Person" and count == 1:
            count = 2
        wanted = {"Government", "Country"} if etype == "Government" else {etype}
        found: list[Participant] = []
        seen: set[str] = set()
        for m in self._mentions_before(tok.idx):
            if m.type in wanted and m.entity_key not in seen:
                seen.add(m.entity_key)
                found.append(Participant(self.phrase_text(tok), m.entity_key))
                if len(found) == count:
                    break
        if count > 1:
            found = [
                Participant(self.names.get(p.entity_key or "", p.text), p.entity_key) for p in found
            ]
        return found

    def resolve_pronoun(self, tok: Token, *, within: Any = None) -> Participant | None:
        """Resolve a pronoun to a participant: same sentence first, then earlier actors."""
        lower = tok.lower_
        if lower in ("i", "me", "my", "you", "your", "we", "us", "our"):
            return None
        types = (
            _PERSON_TYPES
            if lower in _PERSON_PRONOUNS
            else _GROUPISH
            if lower in _THING_PRONOUNS
            else _GROUPISH | _PERSON_TYPES
        )
        # Same sentence: the subject of a governing clause ("Syria says it will ...").
        node = tok.head
        seen = 0
        while seen < 8:
            for child in node.children:
                if child.dep_ in ("nsubj", "nsubjpass") and child is not tok and child.i < tok.i:
                    m = self.mention_at(child)
                    if m is not None and m.type in types:
                        return Participant(m.text, m.entity_key)
                    if child.pos_ != "PRON":
                        phrase = self.phrase_tokens(child)
                        inner = [x for t in phrase if (x := self.mention_at(t)) is not None]
                        if inner and inner[0].type in types:
                            return Participant(self.phrase_text(child), inner[0].entity_key)
            if node.head is node:
                break
            node = node.head
            seen += 1
        earlier = self.history.last_of_type(self.sentence_index, frozenset(types))
        if earlier is not None:
            return earlier
        # Fall back on the nearest preceding mention of a fitting type.
        for m in self._mentions_before(tok.idx):
            if m.type in types:
                return Participant(m.text, m.entity_key)
        return None

    def remember(self, participants: list[Participant]) -> None:
        """Record actors of the current sentence for later pronouns."""
        for p in participants:
            self.history.actors.append((self.sentence_index, p, self.entity_type(p.entity_key)))


def _counted(tok: Token) -> Token | None:
    """What an amount counts: the "of" object of "hundreds", "dozens", "70"; else None."""
    amount = tok.like_num or tok.ent_type_ in ("CARDINAL", "QUANTITY") or tok.pos_ == "NUM"
    if not amount or tok.pos_ not in ("NOUN", "NUM"):
        return None
    for c in tok.children:
        if c.dep_ == "prep" and c.lower_ == "of":
            return next((g for g in c.children if g.dep_ == "pobj"), None)
    return None
