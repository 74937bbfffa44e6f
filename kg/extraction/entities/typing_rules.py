"""Rules mapping spaCy labels and name shapes to the ontology's entity types."""

from __future__ import annotations

import re

from kg.core.models import EntityType

_MEDIA_WORDS = frozenset(
    {
        "radio", "tv", "television", "news", "times", "post", "agency", "press", "journal",
        "herald", "tribune", "gazette", "broadcasting", "broadcaster", "network", "channel",
        "telegraph", "guardian", "observer", "daily", "magazine", "newspaper", "wire",
    }
)  # fmt: skip
_GOVERNMENT_HEADS = frozenset(
    {
        "government", "ministry", "administration", "army", "police", "military", "forces",
        "navy", "force", "department", "parliament", "congress", "senate", "cabinet",
        "presidency", "council", "guard", "command", "office", "assembly", "coalition",
    }
)  # fmt: skip
_ARMED_GROUP_WORDS = frozenset(
    {
        "liberation", "rebels", "rebel", "militia", "militias", "brigade", "brigades",
        "jihad", "mujahideen", "mujahedeen", "guerrilla", "guerrillas", "insurgents", "cartel",
        "resistance", "insurgent", "jihadist", "jihadists",
    }
)  # fmt: skip
_PARTY_RE = re.compile(r"\b(?:Party|Partido|Parti)\b")
_GOVERNMENT_PREFIX_RE = re.compile(r"^(?:Ministry|Department|Office|Government) of\b")


def refine_organization(name: str) -> EntityType:
    """The most specific organisation type a name's shape supports.

    "Liberal Party" -> PoliticalParty; "Blu Radio", "Reuters News Agency" ->
    MediaOrganization; "National Liberation Army", "Tren de Aragua cartel" -> ArmedGroup;
    "Ministry of Defence", "Colombian army", "Trump administration" -> Government;
    anything else -> Organization.
    """
    words = [w.lower() for w in re.findall(r"[\w'-]+", name)]
    if not words:
        return "Organization"
    if _PARTY_RE.search(name):
        return "PoliticalParty"
    if words[-1] in _MEDIA_WORDS or (len(words) > 1 and words[0] == "daily"):
        return "MediaOrganization"
    if any(w in _ARMED_GROUP_WORDS for w in words):
        return "ArmedGroup"
    if words[-1] in _GOVERNMENT_HEADS or _GOVERNMENT_PREFIX_RE.match(name):
        return "Government"
    return "Organization"


def label_type(label: str, text: str) -> EntityType | None:
    """The entity type of a spaCy entity label before any gazetteer look-up.

    GPE is typed Place here; the caller upgrades it to Country when the gazetteer knows it.
    NORP and other labels give None (they are handled as demonyms or dropped).
    """
    if label == "PERSON":
        return "Person"
    if label == "ORG":
        return refine_organization(text)
    if label in ("GPE", "LOC", "FAC"):
        return "Place"
    return None
