"""Rule-based PLOVER event extraction over a spaCy dependency parse.

For each sentence the extractor finds *triggers* (verbs, verb particles, nominal events and
stated intentions listed in the lexicon), builds one frame per trigger with its actors and
targets from the parse (subject, passive agent, objects, prepositions), links frames to the
frame whose clause embeds them (the content of a vow, request or accusation), and then
derives flags (negated, hypothetical, future), attribution ("..., X said", "according to X"),
a date resolved against the publication date, and a place.

Design choices (documented because the PLOVER coding leaves room):

* A stated intention ("vowed to", "agreed to", "committed to", "threatened to", "ready to")
  is an action of its own: THREATEN when what is intended is hostile, REJECT when it is a
  refused cooperation, AGREE otherwise. Its content is a second action flagged ``future``.
  The intention's targets include the content's targets, so "X and Y committed to joint
  action against Z" is an AGREE with Z as target, plus a future COOPERATE against Z.
* A request ("asked X to help strike Z", "said Z must be attacked") is a REQUEST whose
  targets are the addressee and the targets of what is requested.
* "X accuses Y of attacking Z": ACCUSE X -> Y, plus ASSAULT Y -> Z (attributed to X).
* A participant is never both actor and target of the same action.
"""

from __future__ import annotations

from datetime import date

from kg.extraction.dates import find_dates
from kg.extraction.frames import Frame, add, same
from kg.extraction.lexicon import Lexicon, TriggerSense, load_lexicon
from kg.extraction.participants import ParticipantResolver, Token
from kg.extraction.target_rules import (
    inherit_purpose_targets,
    place_as_target,
    share_coordinated_targets,
)
from kg.models import Action, Extraction, Participant, PloverType

# Dependency relations through which a clause or noun is the *content* of its governor.
_CONTENT_DEPS = frozenset({"xcomp", "ccomp", "dobj", "pcomp", "pobj", "prep", "acl", "oprd"})
_SUBJECT_DEPS = frozenset({"nsubj", "csubj"})
_CONTENT_PREPS = frozenset({"to", "of", "for", "into", "about", "on"})
_PLACE_TYPES = frozenset({"Country", "Place"})
_PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
# Verbs whose infinitive is always what is promised ("sworn to fight"), however parsed.
_COMMISSIVE_VERBS = frozenset({"vow", "swear", "pledge", "promise", "threaten"})


def _is_infinitive(tok: Token) -> bool:
    return any(c.dep_ == "aux" and c.lower_ == "to" for c in tok.children)


def intent_type(content: PloverType, negated: bool, lexicon: Lexicon) -> PloverType:
    """PLOVER type of a stated intention to do ``content``: a threat, a refusal or a promise."""
    if lexicon.is_hostile(content) and content != "REJECT":
        return "THREATEN"
    if negated or content == "REJECT":
        return "REJECT"
    return "AGREE"


class ActionExtractor:
    """Extracts :class:`~kg.models.Action` records from a parsed document.

    Args:
        lexicon: The trigger lexicon; the packaged one by default.
    """

    def __init__(self, lexicon: Lexicon | None = None) -> None:
        self.lexicon = lexicon or load_lexicon()

    # ================================================================== public

    def extract(
        self, doc: Token, entities: Extraction, published: date | None
    ) -> tuple[Action, ...]:
        """Extract the actions of a document.

        Args:
            doc: A spaCy ``Doc`` of the article body (offsets are into that text).
            entities: Entities and mentions already found in the same text.
            published: Publication date, to resolve relative dates; None leaves them unresolved.

        Returns:
            The actions, in text order.
        """
        resolver = ParticipantResolver(doc, entities, self.lexicon)
        actions: list[Action] = []
        for index, sent in enumerate(doc.sents):
            resolver.sentence_index = index
            frames = self._sentence(sent, resolver, published)
            for frame in sorted(frames, key=lambda f: (f.depth, f.token.i)):
                resolver.remember([p for p in frame.actors if p.entity_key])
            actions.extend(self._to_action(f, sent) for f in frames if not f.suppressed)
        return tuple(actions)

    # ================================================================== triggers

    def _particle_sense(self, tok: Token) -> tuple[TriggerSense, str, set[int]] | None:
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
            sense = self.lexicon.verb_particles.get(key)
            if sense is not None:
                return sense, key, used
        return None

    def _noun_sense(self, tok: Token) -> TriggerSense | None:
        lemma = tok.lemma_.lower()
        modifiers = tuple(
            c.lemma_.lower() for c in tok.children if c.dep_ in ("amod", "compound", "nmod")
        )
        # A bare "call" is a request only with what is called for ("calls for", "calls by X to").
        if (
            lemma == "call"
            and not any(m in self.lexicon.noun_modifiers["call"] for m in modifiers)
            and not any(
                (c.dep_ == "prep" and c.lower_ in ("for", "on", "by")) or c.dep_ in ("acl", "relcl")
                for c in tok.children
            )
        ):
            return None
        if "press" in modifiers:
            return None
        return self.lexicon.noun_sense(lemma, modifiers)

    def _has_content(self, tok: Token) -> Token | None:
        """The clause or event noun a verb embeds (xcomp, ccomp, "to"+gerund, object noun)."""
        for c in tok.children:
            if c.dep_ == "xcomp":
                return c
        if tok.lemma_.lower() in _COMMISSIVE_VERBS:
            for c in tok.children:
                if c.dep_ == "advcl" and c.i > tok.i and _is_infinitive(c):
                    return c  # "have sworn to fight": the small model makes it an advcl
        for c in tok.children:
            if c.dep_ == "prep" and c.lower_ in ("to", "on"):
                for g in c.children:
                    if g.dep_ in ("pcomp", "pobj") and (g.pos_ == "VERB" or g.tag_ == "VBG"):
                        return g
        return None

    def _find_frames(self, sent: Token, res: ParticipantResolver) -> dict[int, Frame]:
        lex = self.lexicon
        frames: dict[int, Frame] = {}
        consumed: set[int] = set()
        for tok in sent:
            if tok.i in consumed:
                continue
            lemma = tok.lemma_.lower()
            if tok.pos_ in ("VERB", "AUX") or (tok.tag_.startswith("VB") and tok.dep_ != "amod"):
                if tok.pos_ == "AUX" and lemma != "be":
                    continue
                particle = self._particle_sense(tok)
                content = self._has_content(tok)
                objects = [c for c in tok.children if c.dep_ == "dobj"]
                noun_objects = [
                    o
                    for obj in objects
                    for o in ParticipantResolver.conjuncts(obj)
                    if self._noun_sense(o) is not None
                ]
                if particle is not None:
                    particle_sense, key, used = particle
                    frames[tok.i] = Frame(
                        "event", tok, particle_sense, key, consumed=used | {tok.i}
                    )
                    consumed |= used
                    continue
                if lemma in lex.cessation_verbs and (content is not None or noun_objects):
                    frames[tok.i] = Frame("cessation", tok, lex.verb_sense(lemma), tok.text)
                    continue
                if lemma in lex.intent_verbs and content is not None:
                    frames[tok.i] = Frame("intent", tok, lex.intent_verbs[lemma], tok.text)
                    continue
                if lemma in lex.intent_verbs and lemma in ("threaten", "promise", "pledge", "vow"):
                    if tok.dep_ == "amod" and self._noun_sense(tok.head) is not None:
                        noun_objects = [tok.head]
                    if noun_objects:
                        frames[tok.i] = Frame("intent", tok, lex.intent_verbs[lemma], tok.text)
                        continue
                if (
                    lemma in ("tell", "order", "instruct", "direct", "command")
                    and content is not None
                ):
                    frames[tok.i] = Frame("request", tok, TriggerSense("REQUEST"), tok.text)
                    continue
                if lemma in lex.speech_verbs:
                    ccomp = next((c for c in tok.children if c.dep_ == "ccomp"), None)
                    if ccomp is not None and any(
                        c.dep_ == "aux" and c.lower_ in lex.obligation_modals
                        for c in ccomp.children
                    ):
                        frames[tok.i] = Frame("say_must", tok, TriggerSense("REQUEST"), tok.text)
                    continue
                if lemma in ("call", "brand", "label") and (
                    any(c.dep_ in ("oprd", "ccomp") for c in tok.children) or len(objects) >= 2
                ):
                    # "branded Petro a drug-trafficker": name-calling is disapproval.
                    frames[tok.i] = Frame(
                        "event", tok, TriggerSense("ACCUSE", "disapprove"), tok.text
                    )
                    continue
                if lemma in lex.light_verbs and noun_objects:
                    continue  # "impose sanctions", "held talks": the noun is the event
                sense = lex.verb_sense(lemma)
                if sense is None or lemma in lex.transparent_verbs:
                    continue
                if lemma == "share" and not any(
                    o.lemma_.lower()
                    in {"intelligence", "information", "data", "expertise", "evidence"}
                    for o in objects
                ):
                    continue
                if lemma == "meet" and any(
                    o.lemma_.lower() in {"demand", "need", "target"} for o in objects
                ):
                    continue
                frames[tok.i] = Frame("event", tok, sense, tok.text)
            elif tok.pos_ == "ADJ" and lemma in lex.intent_adjectives:
                if any(c.dep_ == "xcomp" for c in tok.children):
                    frames[tok.i] = Frame("intent", tok, None, tok.text)
            elif tok.pos_ in ("NOUN", "PROPN") and res.mention_at(tok) is None:
                noun_sense = self._noun_sense(tok)
                if noun_sense is not None:
                    modifiers = [
                        c for c in tok.children if c.dep_ in ("amod", "compound") and c.i < tok.i
                    ]
                    keyed = [
                        m
                        for m in modifiers
                        if m.lemma_.lower()
                        in self.lexicon.noun_modifiers.get(tok.lemma_.lower(), {})
                    ]
                    start = keyed[0].i if keyed else tok.i
                    text = str(sent.doc[start : tok.i + 1].text)
                    frames[tok.i] = Frame("event", tok, noun_sense, text, nominal=True)
        return frames

    # ================================================================== structure

    def _link_parents(self, frames: dict[int, Frame]) -> None:
        """Attach each frame to the nearest governing frame, and the dependency used."""
        self._link_by_climbing(frames)
        # The small model sometimes parses "X threatened military action" with the verb as an
        # adjective of the noun: the noun is still the verb's object.
        for frame in frames.values():
            head = frames.get(frame.token.head.i)
            if (
                frame.token.dep_ == "amod"
                and not frame.nominal
                and head is not None
                and head.nominal
            ):
                head.parent, head.relation = frame, "dobj"
                frame.parent = head.parent if head.parent is not frame else None
                frame.parent = None

    def _link_by_climbing(self, frames: dict[int, Frame]) -> None:
        for frame in frames.values():
            node = frame.token
            relation = node.dep_
            steps = 0
            while node.head is not node and steps < 12:
                child, node = node, node.head
                steps += 1
                parent = frames.get(node.i) or self._light_verb_frame(node, frames)
                if parent is not None and parent is not frame:
                    frame.parent = parent
                    frame.relation = relation
                    break
                relation = child.dep_ if child.dep_ != "pobj" else f"pobj:{node.lower_}"
                if node.dep_ in ("relcl",) or node.lemma_.lower() in self.lexicon.speech_verbs:
                    break

    def _light_verb_frame(self, verb: Token, frames: dict[int, Frame]) -> Frame | None:
        """The event noun a light verb carries ("reiterated its demand that ..."), if any."""
        if verb.lemma_.lower() not in self.lexicon.light_verbs:
            return None
        for c in verb.children:
            found = frames.get(c.i)
            if c.dep_ == "dobj" and found is not None and found.nominal:
                return found
        return None

    def _is_content(self, frame: Frame) -> bool:
        if frame.parent is None:
            return False
        rel = frame.relation
        if rel.startswith("pobj:"):
            return rel[5:] in _CONTENT_PREPS
        if frame.token.dep_ == "conj":
            return False
        if frame.parent.token.lemma_.lower() in _COMMISSIVE_VERBS and _is_infinitive(frame.token):
            return True  # "sworn to fight", parsed as a clause of purpose
        return rel in _CONTENT_DEPS or frame.token.dep_ in ("xcomp", "ccomp", "pcomp", "dobj")

    # ================================================================== arguments

    def _subject(
        self, tok: Token, res: ParticipantResolver, frames: dict[int, Frame]
    ) -> list[Participant]:
        """Actors of a verb: its subject, else the subject its clause inherits."""
        seen = 0
        node = tok
        while seen < 10:
            seen += 1
            subjects = [c for c in node.children if c.dep_ in _SUBJECT_DEPS]
            agents = [
                g
                for c in node.children
                if c.dep_ == "agent"
                for g in c.children
                if g.dep_ == "pobj"
            ]
            agent_actors = [p for a in agents for p in res.participants(a)] if node is tok else []
            if agent_actors:
                return agent_actors  # not "shortened by one hour"
            if node is tok and any(c.dep_ == "nsubjpass" for c in tok.children):
                return []  # a passive without an agent names no actor
            if node is tok and tok.dep_ == "amod" and tok.head.pos_ in ("NOUN", "PROPN"):
                before = [
                    c
                    for c in tok.head.children
                    if c.dep_ in ("nmod", "compound", "poss") and c.i < tok.i
                ]
                return [p for b in before for p in res.participants(b)]
            if node is tok and tok.dep_ == "acl" and tok.head.i in frames:
                event = frames[tok.head.i]
                found = list(event.actors)
                if tok.head.dep_ == "dobj":
                    add(found, self._subject(tok.head.head, res, frames))
                return found
            if (
                subjects
                and not (node is not tok and any(c.dep_ == "nsubjpass" for c in node.children))
                and (node is tok or node.dep_ != "relcl")
            ):
                return [p for s in subjects for p in res.participants(s)]
            if node.dep_ in ("relcl", "acl") and node is tok:
                return res.participants(node.head)
            head = node.head
            if head is node:
                return []
            lemma = head.lemma_.lower()
            if node.dep_ == "xcomp" and lemma in self.lexicon.object_control_verbs:
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
            if node.dep_ == "conj" and node.tag_ == "VBG" and lemma in self.lexicon.accuse_verbs:
                objects = [c for c in head.children if c.dep_ == "dobj"]
                if objects:
                    return [p for o in objects for p in res.participants(o)]
            if node.dep_ == "pcomp" and head.dep_ == "prep":
                governor = head.head
                if governor.lemma_.lower() in self.lexicon.accuse_verbs:
                    objects = [c for c in governor.children if c.dep_ == "dobj"]
                    if objects:
                        return [p for o in objects for p in res.participants(o)]
                node = governor
                continue
            if node.dep_ in ("xcomp", "conj", "advcl", "pcomp", "dep") or (
                node.dep_ in ("amod", "acl") and node.tag_ == "VBG"
            ):
                node = head
                continue
            return []
        return []

    def _event_agents(self, noun: Token, res: ParticipantResolver) -> list[Participant]:
        """Who did what an event noun names: "US assault", "Iran's attack", "attacks by X"."""
        found: list[Participant] = []
        for g in noun.children:
            m = res.mention_at(g)
            if g.dep_ in ("compound", "poss", "nmod", "amod") and m is not None:
                add(found, [Participant(m.text, m.entity_key)])
            elif g.dep_ == "prep" and g.lower_ == "by":
                for agent in self._pobjs(g):
                    add(found, res.participants(agent))
        return found

    def _pobjs(self, prep: Token) -> list[Token]:
        return [g for g in prep.children if g.dep_ == "pobj"]

    def _is_place(self, tok: Token, res: ParticipantResolver) -> bool:
        m = res.mention_at(tok)
        if m is not None:
            return m.type in _PLACE_TYPES
        if tok.ent_type_ in _PLACE_LABELS:
            return True
        return tok.lemma_.lower() in self.lexicon.place_nouns

    def _place_participant(self, tok: Token, res: ParticipantResolver) -> Participant | None:
        if tok.lemma_.lower() in self.lexicon.place_nouns and res.mention_at(tok) is None:
            for c in tok.children:
                if c.dep_ == "prep" and c.lower_ in ("with", "of"):
                    for g in self._pobjs(c):
                        ps = res.participants(g)
                        if ps:
                            return ps[0]
            inner = res.participants(tok)
            return inner[0] if inner else None
        ps = res.participants(tok)
        return ps[0] if ps else None

    def _prep_arguments(
        self, holder: Token, frame: Frame, plover: str, res: ParticipantResolver
    ) -> None:
        allowed = self.lexicon.target_preps.get(plover, frozenset())
        if plover == "ASSAULT" and holder.lemma_.lower() not in (
            "clash",
            "fight",
            "battle",
            "fighting",
        ):
            allowed = allowed - {"with"}
        for c in holder.children:
            if c.dep_ != "prep" or c.i in frame.consumed:
                continue
            p = c.lower_
            for pobj in self._pobjs(c):
                if pobj.i in frame.consumed:
                    continue
                if p in self.lexicon.place_preps and self._is_place(pobj, res):
                    m = res.mention_at(pobj)
                    # "sanctions on India", "strikes at Iran": a country after an allowed
                    # preposition is a target; "in India", "on the border" are places.
                    country_target = p in allowed and m is not None and m.type == "Country"
                    if not country_target:
                        if frame.place is None:
                            frame.place = self._place_participant(pobj, res)
                        continue
                if p in allowed:
                    if self._noun_sense(pobj) is not None and res.mention_at(pobj) is None:
                        # An event noun ("against any US assault"): its agent is the target.
                        add(frame.targets, self._event_agents(pobj, res))
                        continue
                    add(frame.targets, res.participants(pobj))
                    if frame.place is None:
                        for g in pobj.children:
                            if g.dep_ == "prep" and g.lower_ in self.lexicon.place_preps:
                                for place in self._pobjs(g):
                                    if self._is_place(place, res):
                                        frame.place = self._place_participant(place, res)

    def _verb_arguments(
        self, frame: Frame, res: ParticipantResolver, frames: dict[int, Frame]
    ) -> None:
        tok = frame.token
        plover = frame.sense.type if frame.sense else "AGREE"
        passive = any(c.dep_ in ("nsubjpass", "auxpass") for c in tok.children)
        if passive:
            for c in tok.children:
                if c.dep_ == "nsubjpass":
                    add(frame.targets, res.participants(c))
        if frame.kind == "say_must":
            frame.actors = self._subject(tok, res, frames)
            ccomp = next(c for c in tok.children if c.dep_ == "ccomp")
            for c in ccomp.children:
                if c.dep_ in ("nsubj", "nsubjpass"):
                    add(frame.targets, res.participants(c))
            frame.trigger = f"{tok.text} {ccomp.text}"
            return
        frame.actors = self._subject(tok, res, frames)
        if plover == "ACCUSE" and tok.lemma_.lower() in ("call", "brand", "label"):
            objects = [c for c in tok.children if c.dep_ == "dobj"][:1]
        else:
            objects = [c for c in tok.children if c.dep_ in ("dobj", "dative") and c.pos_ != "ADP"]
            objects += [
                g
                for c in tok.children
                if c.dep_ == "dative" and c.pos_ == "ADP"
                for g in self._pobjs(c)
            ]
        # "kidnapped up to 16 advisers": the model reads "up" as a particle.
        objects += [
            g
            for prt in tok.children
            if prt.dep_ == "prt" and prt.lower_ == "up"
            for to in prt.children
            if to.dep_ == "prep" and to.lower_ == "to"
            for g in self._pobjs(to)
            if any(n.dep_ == "nummod" for n in g.children)
        ]
        thing_objects = plover in self.lexicon.object_is_thing
        for obj in objects:
            if obj.i in frame.consumed:
                self._prep_arguments(obj, frame, plover, res)  # "take up arms against X"
                continue
            entityish = res.mention_at(obj) is not None or any(
                res.mention_at(t) is not None for t in res.phrase_tokens(obj)
            )
            if obj.i in frames and res.mention_at(obj) is None:
                add(frame.targets, self._event_agents(obj, res))  # "protested the killings by X"
                self._prep_arguments(obj, frame, plover, res)
                continue  # an event noun: its own frame, linked as content
            if (
                entityish
                or not thing_objects
                or obj.pos_ == "PRON"
                or (obj.lemma_.lower() in self.lexicon.generic_group_nouns)
            ):
                add(frame.targets, res.participants(obj))
            if not entityish:
                self._prep_arguments(obj, frame, plover, res)
        self._prep_arguments(tok, frame, plover, res)
        if plover == "REQUEST":
            self._requested_subjects(tok, frame, res)
        # "call on X to": the addressee.
        if plover == "REQUEST":
            for c in tok.children:
                if c.dep_ == "prep" and c.lower_ in ("on", "upon") and c.i in frame.consumed:
                    for g in self._pobjs(c):
                        add(frame.targets, res.participants(g))

    def _requested_subjects(self, tok: Token, frame: Frame, res: ParticipantResolver) -> None:
        """ "demanded that X abandon ...": X is the target of the request."""
        for c in tok.children:
            if c.dep_ in ("ccomp", "acl"):
                for g in c.children:
                    if g.dep_ in ("nsubj", "nsubjpass") and g.pos_ != "PRON":
                        add(frame.targets, res.participants(g))

    def _noun_arguments(
        self, frame: Frame, res: ParticipantResolver, frames: dict[int, Frame]
    ) -> None:
        tok = frame.token
        plover = frame.sense.type if frame.sense else "AGREE"
        lemma = tok.lemma_.lower()
        of_actor = lemma in self.lexicon.noun_of_is_actor
        for c in tok.children:
            if c.dep_ == "poss" and c.pos_ != "PRON":
                add(frame.actors, res.participants(c))
            elif c.dep_ in ("compound", "amod", "nmod") and c.i < tok.i:
                m = res.mention_at(c)
                if m is not None and m.type != "Place":
                    add(frame.actors, [Participant(m.text, m.entity_key)])
            elif c.dep_ == "prep" and c.lower_ == "by":
                for g in self._pobjs(c):
                    add(frame.actors, res.participants(g))
            elif c.dep_ == "prep" and c.lower_ == "of":
                for g in self._pobjs(c):
                    if self._noun_sense(g) is not None and res.mention_at(g) is None:
                        continue
                    add(frame.actors if of_actor else frame.targets, res.participants(g))
            elif c.dep_ == "prep" and c.lower_ == "between" and plover == "CONSULT":
                for g in self._pobjs(c):
                    add(frame.targets, res.participants(g))
        self._prep_arguments(tok, frame, plover, res)
        if plover == "REQUEST":
            self._requested_subjects(tok, frame, res)
        if frame.actors:
            return
        self._inherit_noun_actors(frame, res, frames)
        if not frame.actors:
            for c in tok.children:
                if c.dep_ == "poss":
                    add(frame.actors, res.participants(c))

    def _inherit_noun_actors(
        self, frame: Frame, res: ParticipantResolver, frames: dict[int, Frame]
    ) -> None:
        tok = frame.token
        # Inherit from the governing verb: "held a phone call", "during a raid",
        # "accuses X of attacks".
        node = tok
        while node.dep_ == "conj":
            node = node.head
        head = node.head
        if node.dep_ == "pobj" and head.dep_ == "prep":
            governor = head.head
            if head.lower_ in ("of", "for") and (
                governor.lemma_.lower() in self.lexicon.accuse_verbs
                or (
                    governor.dep_ == "dobj"
                    and governor.head.lemma_.lower() in self.lexicon.accuse_verbs
                )
            ):
                accused = (
                    governor
                    if governor.dep_ == "dobj"
                    else next((c for c in governor.children if c.dep_ == "dobj"), None)
                )
                if accused is not None:
                    frame.actors = res.participants(accused)
                    return
            if governor.pos_ in ("VERB", "AUX") and head.lower_ in (
                "during",
                "in",
                "amid",
                "with",
                "after",
            ):
                frame.actors = self._subject(governor, res, frames)
            return
        if node.dep_ in ("dobj", "attr", "nsubjpass", "oprd") and head.pos_ in ("VERB", "AUX"):
            parent = frames.get(head.i)
            if parent is not None and parent.sense is not None and parent.sense.type == "REQUEST":
                # "demanded support from X": the one asked to act.
                return
            frame.actors = self._subject(head, res, frames)
            if parent is None:
                frame.trigger = f"{head.text} {frame.trigger}"
                frame.consumed.add(head.i)
                # "give Tanzania a grant", "imposed sanctions on X": the light verb's
                # indirect object and prepositions carry the noun's target.
                for c in head.children:
                    if c.dep_ == "dative" and c.pos_ == "ADP":
                        for g in self._pobjs(c):
                            add(frame.targets, res.participants(g))
                    elif c.dep_ == "dative" or (
                        c.dep_ == "dobj" and c is not node and res.mention_at(c)
                    ):
                        add(frame.targets, res.participants(c))
                plover = frame.sense.type if frame.sense else "AGREE"
                self._prep_arguments(head, frame, plover, res)

    # ================================================================== flags

    def _own_flags(self, frame: Frame) -> None:
        lex = self.lexicon
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
        for n in heads:
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

    def _attribution(self, frame: Frame, res: ParticipantResolver) -> list[Participant]:
        lex = self.lexicon
        node = frame.token
        path = [node]
        while node.head is not node and len(path) < 15:
            node = node.head
            path.append(node)
        for i, n in enumerate(path):
            if (
                i > 0
                and n.lemma_.lower() in lex.speech_verbs
                and path[i - 1].dep_
                in (
                    "ccomp",
                    "xcomp",
                    "parataxis",
                    "dobj",
                )
            ):
                if frame.kind == "say_must" and n is frame.token:
                    continue
                speakers = self._speakers(n, res)
                if speakers:
                    return speakers
            for c in n.children:
                if c in path:
                    continue
                if (
                    c.dep_ in ("parataxis", "conj", "ccomp", "advcl")
                    and c.lemma_.lower() in lex.speech_verbs
                    and not any(g.dep_ in ("ccomp", "xcomp", "dobj") for g in c.children)
                ):
                    speakers = self._speakers(c, res)
                    if speakers:
                        return speakers
                if c.dep_ == "prep" and c.lower_ == "according":
                    for to in c.children:
                        for g in self._pobjs(to):
                            return res.participants(g)
        return []

    def _speakers(self, verb: Token, res: ParticipantResolver) -> list[Participant]:
        # With two subjects (a misparsed apposition), the one nearest the verb is the speaker.
        subjects = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
        subjects.sort(key=lambda c: abs(verb.i - c.i))
        for c in subjects:
            return res.participants(c)
        return []

    # ================================================================== sentence

    def _sentence(
        self, sent: Token, res: ParticipantResolver, published: date | None
    ) -> list[Frame]:
        frames = self._find_frames(sent, res)
        if not frames:
            return []
        self._link_parents(frames)
        ordered = sorted(frames.values(), key=lambda f: f.depth)
        for frame in ordered:
            if frame.nominal:
                self._noun_arguments(frame, res, frames)
            else:
                self._verb_arguments(frame, res, frames)
            self._own_flags(frame)
        # Content inheritance, outermost first.
        for frame in sorted(frames.values(), key=lambda f: f.depth):
            parent = frame.parent
            if parent is None or not self._is_content(frame):
                if parent is not None and frame.token.dep_ == "conj" and not frame.actors:
                    frame.actors = list(parent.actors)
                continue
            frame.hypothetical = frame.hypothetical or parent.hypothetical
            if parent.kind in ("intent", "request", "say_must") or (
                parent.sense is not None and parent.sense.type in ("REQUEST", "THREATEN")
            ):
                frame.future = True
            if parent.token.lemma_.lower() in self.lexicon.negating_verbs:
                frame.negated = True
            if parent.kind == "intent" and not frame.actors:
                frame.actors = list(parent.actors)
            if parent.kind == "request" and not frame.actors:
                frame.actors = list(parent.targets)
            if frame.nominal and not frame.actors and parent.kind in ("intent", "cessation"):
                frame.actors = list(parent.actors)
        # Resolve composite frames now that contents have arguments.
        for frame in sorted(frames.values(), key=lambda f: -f.depth):
            contents = [f for f in frames.values() if f.parent is frame and self._is_content(f)]
            if frame.kind == "cessation":
                pairs = [(c, c.sense) for c in contents if c.sense is not None]
                if pairs:
                    inner, inner_sense = pairs[0]
                    plover: PloverType = (
                        "RETREAT" if self.lexicon.is_hostile(inner_sense.type) else "SANCTION"
                    )
                    frame.sense = TriggerSense(
                        plover, "discontinue" if plover == "SANCTION" else None
                    )
                    frame.trigger = f"{frame.token.text} {inner.trigger}"
                    add(frame.targets, inner.targets)
                    if not frame.actors:
                        frame.actors = list(inner.actors)
                    inner.suppressed = True
                    inner.future = False
                elif frame.sense is None:
                    frame.suppressed = True
            elif frame.kind == "intent":
                typed = [c for c in contents if c.sense is not None and not c.suppressed]
                if frame.sense is None or frame.sense.type != "THREATEN":
                    first = typed[0] if typed else None
                    if first is not None and first.sense is not None:
                        t = intent_type(first.sense.type, first.negated, self.lexicon)
                        if frame.sense is None or t != "AGREE":
                            frame.sense = TriggerSense(t, frame.sense.mode if frame.sense else None)
                    elif frame.sense is None:
                        frame.suppressed = True
                for c in typed:
                    add(frame.targets, c.targets)
            elif (
                frame.sense is not None
                and frame.sense.type in ("REQUEST",)
                or frame.kind == "say_must"
            ):
                for c in contents:
                    if c.sense is None:
                        continue
                    add(
                        frame.targets,
                        [a for a in c.actors if not any(same(a, x) for x in frame.actors)],
                    )
                    add(frame.targets, c.targets)
            elif frame.sense is not None and frame.kind == "event":
                # "accepted X's invitation", "rejected X's demand": the response targets X; the
                # object noun is described by the verb, not a separate action.
                for c in contents:
                    if c.nominal and c.sense is not None and c.token.dep_ == "dobj":
                        add(
                            frame.targets,
                            [a for a in c.actors if not any(same(a, x) for x in frame.actors)],
                        )
                        if frame.sense.type not in ("ACCUSE", "THREATEN"):
                            c.suppressed = True
        share_coordinated_targets(frames.values())
        inherit_purpose_targets(frames.values())
        # Attribution, place and date.
        for frame in sorted(frames.values(), key=lambda f: f.depth):
            frame.attributed_to = self._attribution(frame, res)
            if frame.parent is not None and not frame.attributed_to and self._is_content(frame):
                frame.attributed_to = list(frame.parent.attributed_to)
            if frame.place is None and frame.parent is not None and self._is_content(frame):
                frame.place = frame.parent.place
        self._assign_dates(sent, frames, published)
        place_as_target(frames.values(), self.lexicon)
        for frame in frames.values():
            frame.targets = [t for t in frame.targets if not any(same(t, a) for a in frame.actors)]
        return list(frames.values())

    def _assign_dates(self, sent: Token, frames: dict[int, Frame], published: date | None) -> None:
        doc = sent.doc
        owners: dict[int, Frame] = {}
        for frame in frames.values():
            owners[frame.token.i] = frame
            for i in frame.consumed:
                owners.setdefault(i, frame)
        lex = self.lexicon
        for future in (False, True):
            for expr in find_dates(str(sent.text), published, future=future):
                span = doc.char_span(
                    sent.start_char + expr.start,
                    sent.start_char + expr.end,
                    alignment_mode="expand",
                )
                if span is None:
                    continue
                node = span.root
                owner: Frame | None = None
                for _ in range(12):
                    if node.i in owners:
                        owner = owners[node.i]
                        break
                    if node.lemma_.lower() in lex.speech_verbs or node.head is node:
                        break
                    if node.pos_ == "VERB" and node is not span.root:
                        break
                    node = node.head
                if owner is not None and owner.future == future and owner.date is None:
                    owner.date = expr
        # Contents inherit their governor's date; governors take a date from a "during" noun.
        for frame in sorted(frames.values(), key=lambda f: f.depth):
            if frame.date is None and frame.parent is not None and self._is_content(frame):
                frame.date = frame.parent.date
        for frame in frames.values():
            if frame.date is None:
                for other in frames.values():
                    if (
                        other.parent is frame
                        and other.relation in ("pobj:during", "pobj:in", "pobj:amid")
                        and other.date is not None
                    ):
                        frame.date = other.date

    # ================================================================== output

    def _confidence(self, frame: Frame) -> float:
        score = 0.5
        if not frame.nominal or len(frame.consumed) > 0:
            score += 0.15
        # Events in subordinate clauses ("after X shot down Y") are rarely the main event.
        node, subordinate = frame.token, 0
        for _ in range(12):
            if node.dep_ in ("advcl", "relcl", "acl") and node.head is not node:
                subordinate += 1
            if node.head is node:
                break
            node = node.head
        score -= 0.1 * min(subordinate, 2)
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
        score -= (
            0.15 * min(frame.depth, 3) if self._is_content(frame) else 0.05 * min(frame.depth, 3)
        )
        if frame.hypothetical:
            score -= 0.05
        return round(min(0.95, max(0.05, score)), 3)

    def _to_action(self, frame: Frame, sent: Token) -> Action:
        assert frame.sense is not None
        mode = frame.sense.mode
        for c in frame.token.children:
            adverb = self.lexicon.adverb_modes.get(c.lower_)
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
            confidence=self._confidence(frame),
        )
