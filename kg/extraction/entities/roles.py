"""Positions people hold, read from title phrases around person mentions.

Patterns (spaCy tokens; the entity mentions are already resolved):

* ``[Org's | Org | Demonym] [adjectives] Title Person`` -- "Colombia's leftist President
  Gustavo Petro", "his US counterpart Donald Trump", "Interior Minister Armando Benedetti";
* ``Person, [the] Title of Org`` and ``Person, Org's Title``;
* ``Org's Title`` with no person ("Bogotá's interior minister said"): a title occurrence.

A role without an organisation takes the organisation of a same-title occurrence elsewhere
in the document that has exactly one. "counterpart" takes the title of the nearest earlier
role in the same sentence (Petro is president, so "his US counterpart" is president of the
United States).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from spacy.tokens import Doc, Token

from kg.core.models import EntityType, Role

ROLE_HEADS = frozenset(
    {
        "president", "minister", "leader", "counterpart", "chief", "secretary", "spokesman",
        "spokeswoman", "spokesperson", "commander", "ambassador", "envoy", "king", "queen",
        "prince", "chancellor", "governor", "mayor", "senator", "director", "chairman",
        "chairwoman", "premier", "ruler", "emir", "prosecutor", "general", "vice-president",
        "czar", "tsar", "head", "negotiator", "representative", "speaker", "pope",
    }
)  # fmt: skip
TITLE_MODIFIERS = frozenset(
    {
        "prime", "foreign", "interior", "defence", "defense", "deputy", "vice", "finance",
        "health", "justice", "home", "economy", "energy", "trade", "oil", "education",
        "security", "army", "military", "acting", "interim", "supreme", "top", "state",
        "attorney", "special", "chief", "secretary", "general", "police", "intelligence",
        "national", "border", "drug", "peace", "opposition", "rebel", "guerrilla", "armed",
        "forces", "commanding", "senior", "executive", "first", "lord", "office",
    }
)  # fmt: skip
TITLE_WORDS = ROLE_HEADS | TITLE_MODIFIERS
_ORG_TYPES = frozenset(
    {"Organization", "Government", "ArmedGroup", "PoliticalParty", "MediaOrganization", "Country"}
)
_NOT_CURRENT = frozenset({"former", "ex", "late", "then"})


@dataclass(frozen=True, slots=True)
class TokenMention:
    """The entity a token belongs to."""

    entity_key: str
    type: EntityType
    first: int  # first token index of the mention
    last: int  # last token index of the mention


@dataclass(frozen=True, slots=True)
class TitleOccurrence:
    """A title phrase in the text, with its holder and organisation when stated."""

    title: str
    holder_key: str | None
    organization_key: str | None
    sentence_start: int
    head_index: int


def _org_at(token: Token, mentions: Mapping[int, TokenMention]) -> TokenMention | None:
    found = mentions.get(token.i)
    return found if found is not None and found.type in _ORG_TYPES else None


def _person_at(mentions: Mapping[int, TokenMention], i: int) -> str | None:
    """The person whose mention starts at token ``i``, if any."""
    found = mentions.get(i)
    return (
        found.entity_key
        if found is not None and found.type == "Person" and found.first == i
        else None
    )


def _title_occurrence(
    doc: Doc, head: Token, mentions: Mapping[int, TokenMention]
) -> TitleOccurrence | None:
    if head.i in mentions and mentions[head.i].type == "Person":
        return None
    # Title words to the left of the head ("Interior Minister", "Prime Minister").
    i = head.i - 1
    while i >= 0 and doc[i].lower_ in TITLE_MODIFIERS and i not in mentions:
        i -= 1
    # Also accept title words the model wrongly tagged (e.g. "Interior" as ORG).
    while i >= 0 and doc[i].lower_ in TITLE_MODIFIERS:
        i -= 1
    title_tokens = doc[i + 1 : head.i + 1]
    title = " ".join(t.lower_ for t in title_tokens)
    # Adjectives between the organisation and the title ("leftist", "Colombian" is a mention).
    skipped = 0
    while i >= 0 and skipped < 2 and i not in mentions and doc[i].pos_ in ("ADJ", "ADV"):
        if doc[i].lower_ in _NOT_CURRENT:
            return None
        i -= 1
        skipped += 1
    if i >= 0 and doc[i].lower_ in _NOT_CURRENT:
        return None
    org: TokenMention | None = None
    if i >= 0 and doc[i].tag_ == "POS" and i - 1 >= 0:
        org = _org_at(doc[i - 1], mentions)
        left_edge = mentions[i - 1].first if (i - 1) in mentions else i
    else:
        org = _org_at(doc[i], mentions) if i >= 0 else None
        left_edge = org.first if org is not None else i + 1
    # "... of Colombia" after the title.
    j = head.i + 1
    if org is None and j < len(doc) and doc[j].lower_ == "of":
        j += 1
        if j < len(doc) and doc[j].lower_ == "the":
            j += 1
        if j < len(doc):
            org = _org_at(doc[j], mentions)
            if org is not None:
                j = org.last + 1
    # "Minister for the Middle East": a "for" complement is part of the title.
    if j == head.i + 1 and j < len(doc) and doc[j].lower_ == "for":
        end = j + 1
        while end < len(doc) and doc[end].is_alpha and not _person_at(mentions, end):
            if doc[end].pos_ not in ("DET", "PROPN", "NOUN", "ADJ", "ADP", "CCONJ"):
                break
            end += 1
        if end > j + 1:
            title = " ".join([title, *(t.lower_ for t in doc[j:end])])
            j = end
    holder: str | None = None
    nxt = _person_at(mentions, j)
    after = mentions[j].last + 1 if nxt else j
    if nxt is not None:
        holder = nxt
    elif (
        # "Foreign Office Minister, Tobias Ellwood, said": the person in apposition.
        j < len(doc) - 1
        and doc[j].text == ","
        and (appositive := _person_at(mentions, j + 1)) is not None
        and (
            (after := mentions[j + 1].last + 1) >= len(doc)
            or doc[after].text == ","
            or doc[after].pos_ in ("VERB", "AUX")
        )
    ):
        holder = appositive
    else:
        # Apposition: "Person, [the] Title ..." or "Person, Org's Title".
        k = left_edge - 1
        if k >= 0 and doc[k].lower_ in ("the", "a", "an"):
            k -= 1
        if k >= 1 and doc[k].text == ",":
            prev = mentions.get(k - 1)
            if prev is not None and prev.type == "Person":
                holder = prev.entity_key
    return TitleOccurrence(
        title=title,
        holder_key=holder,
        organization_key=org.entity_key if org is not None else None,
        sentence_start=head.sent.start if doc.has_annotation("SENT_START") else 0,
        head_index=head.i,
    )


def title_occurrences(doc: Doc, mentions: Mapping[int, TokenMention]) -> list[TitleOccurrence]:
    """Every title phrase in ``doc`` (see the module docstring for the patterns)."""
    found: list[TitleOccurrence] = []
    for token in doc:
        if token.lower_ in ROLE_HEADS and token.pos_ in ("NOUN", "PROPN"):
            occurrence = _title_occurrence(doc, token, mentions)
            if occurrence is not None:
                found.append(occurrence)
    return found


def roles_from_occurrences(occurrences: list[TitleOccurrence]) -> list[Role]:
    """Roles from title occurrences, filling missing titles and organisations.

    Args:
        occurrences: From :func:`title_occurrences`, in text order.

    Returns:
        Distinct roles, in text order.
    """
    resolved: list[TitleOccurrence] = []
    counterparts: set[int] = set()
    for occ in occurrences:
        title = occ.title
        if title.split()[-1] == "counterpart":
            counterparts.add(occ.head_index)
            earlier = [
                o
                for o in resolved
                if o.sentence_start == occ.sentence_start
                and o.head_index < occ.head_index
                and o.title.split()[-1] != "counterpart"
            ]
            if not earlier:
                continue
            title = earlier[-1].title
        resolved.append(
            TitleOccurrence(
                title, occ.holder_key, occ.organization_key, occ.sentence_start, occ.head_index
            )
        )
    orgs_by_title: dict[str, set[str]] = {}
    for occ in resolved:
        if occ.organization_key is not None:
            orgs_by_title.setdefault(occ.title, set()).add(occ.organization_key)
    roles: list[Role] = []
    seen: set[tuple[str, str, str | None]] = set()
    for occ in resolved:
        if occ.holder_key is None:
            continue
        org = occ.organization_key
        # A counterpart holds the title in another organisation: never fill it in.
        if (
            org is None
            and occ.head_index not in counterparts
            and len(orgs_by_title.get(occ.title, ())) == 1
        ):
            org = next(iter(orgs_by_title[occ.title]))
        if org == occ.holder_key:
            org = None
        key = (occ.holder_key, occ.title, org)
        if key not in seen:
            seen.add(key)
            roles.append(Role(holder_key=occ.holder_key, title=occ.title, organization_key=org))
    # A role with no organisation is dropped when the same holder has the title with one.
    with_org = {(r.holder_key, r.title) for r in roles if r.organization_key is not None}
    return [
        r
        for r in roles
        if r.organization_key is not None or (r.holder_key, r.title) not in with_org
    ]
