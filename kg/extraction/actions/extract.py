"""Rule-based PLOVER event extraction over a spaCy dependency parse.

For each sentence the extractor finds *triggers* (verbs, verb particles, nominal events and
stated intentions listed in the lexicon), builds one frame per trigger with its actors and
targets from the parse (subject, passive agent, objects, prepositions), links frames to the
frame whose clause embeds them (the content of a vow, request or accusation), and then
derives flags (negated, hypothetical, future), attribution ("..., X said", "according to X"),
a date resolved against the publication date, and a place.

The steps live in their own modules, in pipeline order: :mod:`~kg.extraction.actions.triggers`
(trigger detection), :mod:`~kg.extraction.actions.frame_links` (governing frames),
:mod:`~kg.extraction.actions.subjects`, :mod:`~kg.extraction.actions.arguments` and
:mod:`~kg.extraction.actions.noun_arguments` (actors, targets, places),
:mod:`~kg.extraction.actions.flags`,
:mod:`~kg.extraction.actions.composites` (what contents inherit; intentions, requests, cessations),
:mod:`~kg.extraction.actions.target_rules`, :mod:`~kg.extraction.actions.attribution`,
:mod:`~kg.extraction.actions.event_dates` and :mod:`~kg.extraction.actions.action_output`.

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
* An action names at least one participant (an actor or a target); a trigger whose frame
  found none is not emitted (the ``ActionActorShape`` would drop it).
"""

from __future__ import annotations

from datetime import date

from kg.core.models import Action, Extraction
from kg.extraction.actions.action_output import to_action
from kg.extraction.actions.arguments import uncoded_content_targets, verb_arguments
from kg.extraction.actions.attribution import attribution
from kg.extraction.actions.composites import inherit_from_governors, intent_type, resolve_composites
from kg.extraction.actions.dictionary_coding import (
    add_dictionary_frames,
    apply_dictionary_roles,
    drop_unanchored_dictionary_frames,
)
from kg.extraction.actions.event_dates import assign_dates
from kg.extraction.actions.flags import own_flags
from kg.extraction.actions.frame_links import is_content, link_parents
from kg.extraction.actions.frames import Frame, same
from kg.extraction.actions.lexicon import Lexicon, load_lexicon
from kg.extraction.actions.noun_arguments import noun_arguments
from kg.extraction.actions.participants import ParticipantResolver, Token
from kg.extraction.actions.target_rules import (
    drop_non_participants,
    inherit_purpose_targets,
    place_as_target,
    share_coordinated_targets,
)
from kg.extraction.actions.triggers import find_frames
from kg.extraction.dictionaries.actor_codes import ActorCoder, load_actor_coder
from kg.extraction.dictionaries.verb_patterns import VerbDictionary, load_verb_dictionary

__all__ = ["ActionExtractor", "intent_type"]


class ActionExtractor:
    """Extracts :class:`~kg.core.models.Action` records from a parsed document.

    Args:
        lexicon: The trigger lexicon; the packaged one by default.
        dictionaries: Whether PETRARCH2's CAMEO verb patterns code verbs too (off: the
            lexicon alone, for evaluation).
    """

    def __init__(self, lexicon: Lexicon | None = None, *, dictionaries: bool = True) -> None:
        self.lexicon = lexicon or load_lexicon()
        self.dictionary: VerbDictionary | None = load_verb_dictionary() if dictionaries else None
        self.coder: ActorCoder | None = load_actor_coder() if dictionaries else None

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
            # An action needs a participant (the shapes require one); one without any
            # would only be built, mapped, validated and then dropped.
            # In text order: dictionary frames were added after the lexicon's.
            actions.extend(
                to_action(f, sent, self.lexicon)
                for f in sorted(frames, key=lambda f: f.token.i)
                if not f.suppressed and (f.actors or f.targets)
            )
        return tuple(actions)

    def _sentence(
        self, sent: Token, res: ParticipantResolver, published: date | None
    ) -> list[Frame]:
        lex = self.lexicon
        frames = find_frames(sent, res, lex)
        matches = (
            add_dictionary_frames(sent, frames, lex, self.dictionary) if self.dictionary else {}
        )
        if not frames:
            return []
        link_parents(frames, lex)
        for frame in sorted(frames.values(), key=lambda f: f.depth):
            if frame.nominal:
                noun_arguments(frame, res, frames, lex)
            else:
                verb_arguments(frame, res, frames, lex)
            own_flags(frame, lex)
        apply_dictionary_roles(frames, matches, res)
        uncoded_content_targets(frames, res)
        inherit_from_governors(frames.values(), lex)
        resolve_composites(frames, lex)
        drop_non_participants(frames.values(), lex)
        share_coordinated_targets(frames.values())
        inherit_purpose_targets(frames.values())
        # Attribution and place flow from governors to contents.
        for frame in sorted(frames.values(), key=lambda f: f.depth):
            frame.attributed_to = attribution(frame, res, lex)
            if frame.parent is not None and not frame.attributed_to and is_content(frame):
                frame.attributed_to = list(frame.parent.attributed_to)
            if frame.place is None and frame.parent is not None and is_content(frame):
                frame.place = frame.parent.place
        assign_dates(sent, frames, published, lex)
        place_as_target(frames.values(), lex)
        drop_non_participants(frames.values(), lex)
        for frame in frames.values():
            frame.targets = [t for t in frame.targets if not any(same(t, a) for a in frame.actors)]
        if self.coder is not None:
            drop_unanchored_dictionary_frames(frames, self.coder, res, matches)
        return list(frames.values())
