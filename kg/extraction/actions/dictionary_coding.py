"""The CAMEO coding dictionaries inside the rule-based action extractor.

Two steps, around the lexicon's own:

1. :func:`add_dictionary_frames`, right after trigger detection: each verb frame gets the
   dictionary's reading (:class:`~kg.extraction.dictionaries.verb_patterns.VerbMatch`).
   A fitting pattern decides the PLOVER type and mode; a pattern coded "no event" drops
   the frame ("attacked corruption"); the verb's bare code only decides for verbs the lexicon
   lacks. Verbs the lexicon lacks but the dictionary codes become new frames.
2. :func:`apply_dictionary_roles`, after the lexicon found actors and targets: where the
   pattern placed the target ("talks with X", "strikes against X") or reversed the roles
   ("appeared before the court"), its reading wins; where the lexicon found no target, the
   dictionary's default one (the object, or the object of "against"/"on"/"with") fills in.

The lexicon keeps everything else: nouns, intentions, requests, attribution, flags, dates.
"""

from __future__ import annotations

from kg.core.models import PLOVER_TYPES, Participant
from kg.extraction.actions.frames import Frame, add
from kg.extraction.actions.lexicon import Lexicon, TriggerSense
from kg.extraction.actions.participants import ParticipantResolver, Token
from kg.extraction.actions.triggers import embedded_content
from kg.extraction.dictionaries.actor_codes import ActorCoder
from kg.extraction.dictionaries.verb_patterns import VerbDictionary, VerbMatch

# Verbs whose coding the lexicon does better on its own (speech, stance, control).
_SKIP_KINDS = frozenset({"intent", "request", "say_must", "cessation"})


def _sense(match: VerbMatch) -> TriggerSense | None:
    for plover in PLOVER_TYPES:
        if plover == match.type:
            return TriggerSense(plover, match.mode)
    return None


# Reading strong enough to start a frame the lexicon did not, or to retype one.
_NEW_BASES = frozenset({"verb", "head"})
_MIN_SPECIFICITY = 3  # to retype or drop a lexicon frame
_NEW_SPECIFICITY = 2  # for a new frame to rank with the lexicon's
# Confidence taken off a frame only the dictionary found: a fitting pattern is good
# evidence, the bare code of a verb's synonym block much less.
_STRONG_PENALTY = 0.05
_OWN_PENALTY = 0.1  # the verb's own code (it heads its block or carries a code)
_WEAK_PENALTY = 0.15


def _candidate(tok: Token, lex: Lexicon, frames: dict[int, Frame]) -> bool:
    """Whether a token the lexicon left alone may start a dictionary frame.

    Speech verbs may, but only through a fitting pattern (see :func:`_speech_fits`).
    """
    if tok.pos_ != "VERB" or tok.dep_ in ("amod", "aux", "auxpass", "compound", "prep"):
        return False
    if tok.tag_ == "VBG" and tok.dep_ in ("acl", "advcl", "pcomp"):
        return False
    lemma = tok.lemma_.lower()
    if lemma in lex.transparent_verbs:
        return False
    # An intention verb states an intention only with what is intended ("offered to
    # mediate"); with a plain object ("offered concessions") it is an event like any other.
    if lemma in lex.intent_verbs and embedded_content(tok) is not None:
        return False
    # "held talks", "imposed sanctions": the event noun is already a frame.
    return not any(c.i in frames for c in tok.children if c.dep_ in ("dobj", "nsubjpass"))


def _speech_fits(tok: Token, lex: Lexicon, match: VerbMatch) -> bool:
    """A speech verb is an event only where it reports no speech: where a pattern names
    what is declared ("declared a ceasefire"), or where it has no clause and its own code
    is an event ("conceded to the demands"); "said", "conceded that" stay statements."""
    if tok.lemma_.lower() not in lex.speech_verbs:
        return True
    if match.type is None:
        return False
    if match.specificity >= _NEW_SPECIFICITY:
        return True
    reports = any(c.dep_ in ("ccomp", "xcomp", "parataxis") for c in tok.children)
    return not reports and match.basis in _NEW_BASES


_NOUN_DEPS = frozenset({"dobj", "nsubj", "nsubjpass", "pobj", "conj", "ROOT", "attr"})


def _noun_candidate(tok: Token, frames: dict[int, Frame]) -> bool:
    """An event noun the lexicon left alone ("renewed negotiations", "the bombing of X")."""
    return (
        tok.pos_ == "NOUN"
        and tok.dep_ in _NOUN_DEPS
        and not tok.ent_type_
        and not (tok.dep_ == "dobj" and tok.head.i in frames)
    )


def _add_noun_frame(
    tok: Token, frames: dict[int, Frame], matches: dict[int, VerbMatch], d: VerbDictionary
) -> None:
    """A weak frame for an event noun the dictionary codes through its verb."""
    noun = d.match_noun(tok)
    sense = _sense(noun) if noun is not None else None
    if noun is None or sense is None or noun.basis not in _NEW_BASES:
        return
    frame = Frame("event", tok, sense, tok.text, nominal=True, by_dictionary=True)
    frame.penalty = _WEAK_PENALTY
    frames[tok.i] = frame
    matches[tok.i] = noun


def _carries_event_noun(tok: Token, lex: Lexicon, d: VerbDictionary) -> bool:
    """Whether a light verb's object is an event noun the dictionary codes."""
    if tok.lemma_.lower() not in lex.light_verbs:
        return False
    for obj in (c for c in tok.children if c.dep_ == "dobj" and c.pos_ == "NOUN"):
        noun = d.match_noun(obj)
        if noun is not None and noun.basis in _NEW_BASES and _sense(noun) is not None:
            return True
    return False


def _penalty(match: VerbMatch) -> float:
    """How far below the lexicon's triggers a frame only the dictionary found ranks."""
    if match.specificity >= _NEW_SPECIFICITY:
        return _STRONG_PENALTY
    return _OWN_PENALTY if match.basis in _NEW_BASES else _WEAK_PENALTY


def add_dictionary_frames(
    sent: Token,
    frames: dict[int, Frame],
    lex: Lexicon,
    dictionary: VerbDictionary,
) -> dict[int, VerbMatch]:
    """Retype, drop and add verb frames by the dictionary; returns the matches by token index.

    Args:
        sent: The sentence span.
        frames: The lexicon's frames (changed in place).
        lex: The lexicon.
        dictionary: The CAMEO verb dictionary.
    """
    matches: dict[int, VerbMatch] = {}
    consumed = {i for f in frames.values() for i in f.consumed if i != f.token.i}
    for tok in sent:
        if tok.i in consumed:
            continue
        if tok.i not in frames and _noun_candidate(tok, frames):
            _add_noun_frame(tok, frames, matches, dictionary)
            continue
        frame = frames.get(tok.i)
        if frame is not None and (frame.nominal or frame.kind in _SKIP_KINDS):
            continue
        if frame is None and not _candidate(tok, lex, frames):
            continue
        if frame is None and _carries_event_noun(tok, lex, dictionary):
            continue  # "ordered patrols": the noun is the event, as for the lexicon's nouns
        match = dictionary.match(tok)
        if match is None:
            continue
        if frame is None and not _speech_fits(tok, lex, match):
            continue
        sense = _sense(match)
        strong = match.specificity >= _MIN_SPECIFICITY
        if frame is None:
            # "was arrested in X": a passive names its target, and often no source.
            agentless = match.passive and bool(match.targets) and match.basis != "block"
            if (
                sense is not None
                and (match.sources or agentless)
                and (match.specificity or match.basis in _NEW_BASES or match.targets)
            ):
                frame = Frame("event", tok, sense, tok.text, by_dictionary=True)
                frame.penalty = _penalty(match)
                frames[tok.i] = frame
                matches[tok.i] = match
            continue
        if len(frame.consumed) > 1:
            continue  # a multi-word lexicon trigger ("force out") knows better
        if strong and match.cameo is None:
            del frames[tok.i]  # the pattern says this use is no event
            continue
        if sense is not None and strong:
            frame.sense = sense
        matches[tok.i] = match
    return matches


def apply_dictionary_roles(
    frames: dict[int, Frame],
    matches: dict[int, VerbMatch],
    res: ParticipantResolver,
) -> None:
    """Use the dictionary's sources and targets where its pattern placed them."""
    for index, match in matches.items():
        frame = frames.get(index)
        if frame is None:
            continue
        targets = [p for t in match.targets for p in res.participants(t)]
        if match.reversed:
            sources = [p for t in match.sources for p in res.participants(t)]
            if sources and targets and sources != frame.actors:
                frame.actors, frame.targets = sources, targets
                continue
        if match.target_marked and targets:
            frame.targets = []
            add(frame.targets, targets)
        elif not frame.targets:
            # Only named participants: the lexicon already turned down things ("the wounded").
            add(frame.targets, [p for p in targets if p.entity_key])


_POLITICAL_TYPES = frozenset({"Country", "Government", "ArmedGroup", "PoliticalParty", "Person"})


# Sectors the dictionaries code that are no political actors by themselves.
_NON_POLITICAL_SECTORS = frozenset({"BUS"})


def _political(p: Participant, coder: ActorCoder, res: ParticipantResolver) -> bool:
    """Whether a participant is a political actor: coded by the CAMEO dictionaries (not as
    a business: "the company"), or an entity of a political type (a company is not)."""
    code = coder.code(p.text)
    if code is not None and code.sector not in _NON_POLITICAL_SECTORS:
        return True
    return bool(p.entity_key) and res.entity_type(p.entity_key) in _POLITICAL_TYPES


def drop_unanchored_dictionary_frames(
    frames: dict[int, Frame],
    coder: ActorCoder,
    res: ParticipantResolver,
    matches: dict[int, VerbMatch] | None = None,
) -> None:
    """Keep a frame only the dictionary found when political actors take part.

    As in PETRARCH, an event needs coded actors: "the stock traded", "the company expects"
    are no events. A fitting pattern needs one political participant. The verb's own code
    needs a political actor ("rebels surrendered", "guerillas blew up power lines"), or
    a political target when it names no actor ("a missionary was arrested"). The
    code of a synonym's block, the weakest reading, needs a political actor and, when the
    verb has a target, a political target too.
    """
    for index, frame in frames.items():
        if not frame.by_dictionary:
            continue
        match = (matches or {}).get(index)
        # Whether the verb has an object, even one later turned down ("gave a welcome").
        transitive = bool(frame.targets) or (match is not None and bool(match.targets))
        if frame.penalty <= _STRONG_PENALTY:
            keep = any(_political(p, coder, res) for p in frame.actors + frame.targets)
        elif frame.penalty <= _OWN_PENALTY:
            # An agentless passive ("a missionary was arrested") is anchored by its target.
            keep = any(_political(p, coder, res) for p in frame.actors or frame.targets)
        else:
            keep = any(_political(p, coder, res) for p in frame.actors) and (
                not transitive or any(_political(p, coder, res) for p in frame.targets)
            )
        if not keep:
            frame.suppressed = True
