"""Whether a participant phrase names an actor or a place, not a thing or an abstraction.

PLOVER targets (and actors) are actors or places: "restrictions on the use" names neither,
"the wounded" and "protesters" do. Shared by target filtering
(:mod:`~kg.extraction.actions.target_rules`) and participant resolution
(:mod:`~kg.extraction.actions.participants`).
"""

from __future__ import annotations

import re

from kg.core.models import Participant
from kg.extraction.actions.lexicon import Lexicon

_WORD = re.compile(r"[A-Za-z][A-Za-z'-]*")
_PRONOUNS = frozenset(
    {"he", "she", "him", "her", "it", "they", "them", "we", "us", "you", "i", "me", "this"}
)


# Endings of nominalizations that the agent suffixes would otherwise take for people.
_NOMINAL_ENDINGS = ("ment",)


def _singulars(word: str) -> set[str]:
    """The word and its likely singular forms ("militias", "allies", "women")."""
    forms = {word}
    if word.endswith("ies"):
        forms.add(word[:-3] + "y")
    if word.endswith("es"):
        forms.add(word[:-2])
    if word.endswith("s"):
        forms.add(word[:-1])
    if word.endswith("men"):
        forms.add(word[:-3] + "man")
    return forms


def names_participant(p: Participant, lexicon: Lexicon) -> bool:
    """Whether a target could be an actor or a place rather than a thing or an abstraction.

    A resolved entity, a proper name ("Arabs"), a pronoun, a generic group or place noun, a
    listed participant noun ("troops", "the wounded") or an agent-like noun ("protesters",
    "refugees", "civilians") qualifies; the head is the phrase's last word.
    """
    if p.entity_key:
        return True
    words = _WORD.findall(p.text)
    if not words:
        return True
    head: str = words[-1]
    if head[0].isupper():
        return True
    forms = _singulars(head.lower())
    if forms & _PRONOUNS or forms & lexicon.participant_nouns:
        return True
    if any(f in lexicon.generic_group_nouns or f in lexicon.place_nouns for f in forms):
        return True
    if any(f.endswith(_NOMINAL_ENDINGS) for f in forms):
        return False  # "equipment", "statement": "-ment" is no agent's "-ent"
    return head.lower().endswith(lexicon.participant_suffixes)
