"""Rules that repair, relabel and add candidate entity spans around the model's entities.

The small spaCy model splits or misses multi-word organisation names, runs a person's name
into the title before it, and gives unfamiliar town names person or organisation labels.
These rules use the sentence's shape rather than lists of names:

* :func:`organisation_phrases`: a run of capitalised words ending in an organisation head
  noun ("Office", "Council", "Forces", ...), with "of/for/against/on ..." complements:
  "Foreign and Commonwealth Office", "Global Coalition against Daesh", "Government of Iraq".
* :func:`repair_entity_spans`: cut a span at an unclosed parenthesis; split
  "Minister for the Middle East Tobias Ellwood" into the portfolio and the person; a
  one-word person/organisation/group label after a locative preposition becomes a place
  ("in Palmyra"); a name before "regime"/"administration" is a person ("the Asad regime");
  a name before "community"/"people" is a group of people ("the Yazidi community").
* :func:`merge_phrases`: a phrase replaces the model's entities it covers.
* :func:`honorific_start`: where a person mention starts when "Mr"/"Dr"/... precedes it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence

from spacy.tokens import Doc, Span, Token

from kg.extraction.entities.acronyms import is_acronym
from kg.extraction.entities.roles import ROLE_HEADS

# Capitalised head nouns that end an organisation's name.
ORGANISATION_HEADS = frozenset(
    {
        "office", "ministry", "council", "coalition", "forces", "force", "army", "navy",
        "front", "party", "agency", "commission", "committee", "union", "organisation",
        "organization", "group", "brigade", "brigades", "movement", "alliance", "government",
        "department", "assembly", "parliament", "court", "bank", "fund", "programme",
        "program", "institute", "university", "association", "federation", "league",
        "service", "services", "police", "guard", "guards", "corps", "command", "authority",
        "network", "foundation", "society", "board", "secretariat", "mission", "battalion",
        "militia", "militias", "opposition", "congress", "senate", "cabinet", "directorate",
        "unit", "units", "tribunal", "caucus", "consortium", "company",
        "corporation", "bureau", "administration",
    }
)  # fmt: skip
# Words after which a capitalised complement continues the name ("Office for ...").
_COMPLEMENT_PREPOSITIONS = frozenset({"of", "for", "against", "on"})
_REGION_WORDS = frozenset(
    {
        "east", "west", "north", "south", "asia", "africa", "america", "americas", "europe",
        "gulf", "pacific", "caribbean", "balkans", "levant", "sahel", "arctic", "atlantic",
        "middle", "central", "eastern", "western", "northern", "southern",
    }
)  # fmt: skip
_LOCATIVE = frozenset({"in", "near", "around", "outside", "inside", "across", "throughout"})
# "at" and "to" also take organisations ("at Reuters"), so only person-like labels move.
_LOCATIVE_PERSONLIKE = _LOCATIVE | {"at", "to", "from", "towards", "toward"}
# "the town of Marea", "the ancient site of Palmyra".
_PLACE_NOUNS = frozenset(
    {
        "town", "city", "village", "site", "area", "province", "district", "region",
        "outskirts", "suburbs", "governorate", "neighbourhood", "neighborhood", "port",
        "island", "valley", "camp", "county", "municipality", "state",
    }
)  # fmt: skip
_LEADER_NOUNS = frozenset({"regime", "administration", "dictatorship", "junta"})
_PEOPLE_NOUNS = frozenset(
    {"community", "communities", "people", "peoples", "minority", "minorities", "tribesmen"}
)
_HONORIFIC_BEFORE = re.compile(
    r"(?:^|(?<=\s))(?:Mr|Mrs|Ms|Miss|Dr|Sir|Dame|Lord|Lady|Prof|Professor|Sheikh|Imam)\.?\s+$"
)
_PERSON_LIKE = frozenset({"PERSON", "NORP"})


def _is_capitalised(token: Token) -> bool:
    return token.text[:1].isupper() and any(ch.isalpha() for ch in token.text)


def _name_word(token: Token) -> bool:
    """A word that may be part of a name: capitalised, not sentence-initial filler."""
    if not _is_capitalised(token) or token.tag_ == "POS" or token.is_punct:
        return False
    if token.lower_ in ("the", "a", "an"):
        return False
    # A capitalised first word of a sentence is a name only if tagged as one.
    return not (token.is_sent_start and token.pos_ not in ("PROPN", "ADJ"))


def _capitalised_run(doc: Doc, start: int) -> int:
    """End (exclusive) of the run of name words from ``start``; "and" may join two."""
    end = start
    while end < len(doc):
        token = doc[end]
        if _name_word(token) and not token.is_sent_start or (end == start and _name_word(token)):
            end += 1
            continue
        if (
            token.lower_ == "and"
            and end > start
            and end + 1 < len(doc)
            and _name_word(doc[end + 1])
            and doc[end + 1].lower_ not in ORGANISATION_HEADS
        ):
            end += 1
            continue
        break
    return end


def _complement_end(doc: Doc, head_end: int) -> int:
    """Extend past "of/for/against/on [the] Name Name" complements, possibly chained."""
    end = head_end
    while end + 1 < len(doc) and doc[end].lower_ in _COMPLEMENT_PREPOSITIONS:
        i = end + 1
        if doc[i].lower_ == "the" and i + 1 < len(doc):
            i += 1
        run_end = _capitalised_run(doc, i)
        if run_end == i:
            break
        end = run_end
    return end


def organisation_phrases(doc: Doc) -> list[Span]:
    """Organisation names by their shape: capitalised words ending in a head noun.

    The phrase ends at the last head noun of a run of capitalised words ("UN Security
    Council Resolution 2254" gives "UN Security Council"), then takes capitalised "of",
    "for", "against" or "on" complements when the head ends the run ("Government of Iraq",
    "Global Coalition against Daesh"). A head on its own ("the Council") is not a name.

    Args:
        doc: A parsed document.

    Returns:
        ``ORG`` spans, non-overlapping, in document order.
    """
    phrases: list[Span] = []
    i = 0
    while i < len(doc):
        if not _name_word(doc[i]):
            i += 1
            continue
        run_end = _capitalised_run(doc, i)
        heads = [k for k in range(i, run_end) if doc[k].lower_ in ORGANISATION_HEADS]
        if not heads:
            i = run_end
            continue
        last = heads[-1]
        end = _complement_end(doc, run_end) if last == run_end - 1 else last + 1
        # Leading title words belong to a person's title ("Minister", "President").
        start = i
        while start < last and doc[start].lower_ in ROLE_HEADS:
            start += 1
        if end - start >= 2 and doc[end - 1].lower_ != "and":
            phrases.append(Span(doc, start, end, label="ORG"))
        i = max(end, run_end)
    return phrases


def portfolio_places(doc: Doc, is_place: Callable[[str], bool]) -> list[Span]:
    """Regions named as a minister's portfolio: "Minister for Central Asia", "Minister for
    the Middle East and North Africa" (the model often misses them in titles).

    Args:
        doc: A parsed document.
        is_place: Whether a text names a known country, capital or city.

    Returns:
        ``LOC`` spans of the capitalised run after "<title> for [the]" when every word is a
        region word or the run is a known place.
    """
    found: list[Span] = []
    for token in doc[:-2]:
        if token.lower_ not in ROLE_HEADS or doc[token.i + 1].lower_ != "for":
            continue
        start = token.i + 2
        if doc[start].lower_ == "the" and start + 1 < len(doc):
            start += 1
        end = start
        while end < len(doc) and _is_capitalised(doc[end]) and doc[end].lower_ in _REGION_WORDS:
            end += 1
        if end == start:
            run_end = _capitalised_run(doc, start)
            if run_end > start and is_place(doc[start:run_end].text):
                end = run_end
        if end > start and doc[end - 1].lower_ not in ("middle", "central"):
            found.append(Span(doc, start, end, label="LOC"))
    return found


def merge_phrases(entities: Sequence[Span], phrases: Iterable[Span]) -> list[Span]:
    """Entities with each phrase replacing the entities inside it.

    A phrase is kept when every entity it overlaps lies inside it and none of them is a
    person's full name; otherwise the model's entities stand.

    Args:
        entities: Candidate entities (non-overlapping).
        phrases: Organisation phrases (non-overlapping).

    Returns:
        Non-overlapping spans in document order.
    """
    kept = list(entities)
    for phrase in phrases:
        overlapping = [e for e in kept if e.start < phrase.end and phrase.start < e.end]
        if any(e.start < phrase.start or e.end > phrase.end for e in overlapping):
            continue
        if any(e.label_ == "PERSON" and len(e) >= 2 for e in overlapping):
            continue
        kept = [e for e in kept if e not in overlapping] + [phrase]
    return sorted(kept, key=lambda s: s.start)


def _trim_parenthesis(span: Span) -> Span | None:
    """Cut a span before an unclosed "(" ("Commission of Inquiry (CoI" -> "...Inquiry")."""
    for k, token in enumerate(span):
        if token.text == "(" and not any(t.text == ")" for t in span[k:]):
            return Span(span.doc, span.start, span.start + k, label=span.label_) if k else None
    return span


def _split_portfolio(span: Span, is_place: Callable[[str], bool]) -> list[Span]:
    """Split "[the] Middle East Tobias Ellwood" after "Minister for" into place + person."""
    doc = span.doc
    start = span.start
    if doc[start].lower_ == "the":
        start += 1
    before = span.start - 1
    if before >= 0 and doc[before].lower_ == "the":
        before -= 1
    if before < 1 or doc[before].lower_ != "for" or doc[before - 1].lower_ not in ROLE_HEADS:
        return [span]
    tokens = doc[start : span.end]
    if len(tokens) < 3 or not all(_is_capitalised(t) for t in tokens):
        return [span]
    for cut in range(len(tokens) - 2, 0, -1):
        portfolio = tokens[:cut]
        if is_place(portfolio.text) or all(t.lower_ in _REGION_WORDS for t in portfolio):
            return [
                Span(doc, span.start, start + cut, label="LOC"),
                Span(doc, start + cut, span.end, label="PERSON"),
            ]
    return [span]


def _relabel(span: Span, known_names: set[str], is_known: Callable[[str], bool]) -> str:
    """A better label for a one-word span, from the words around it."""
    doc = span.doc
    text = span.text
    if " " in text or is_acronym(text) or is_known(text):
        return span.label_
    after = doc[span.end] if span.end < len(doc) else None
    if after is not None and after.lower_ in _LEADER_NOUNS and span.label_ != "PERSON":
        return "PERSON"
    if after is not None and after.lower_ in _PEOPLE_NOUNS and span.label_ in ("ORG", "GPE"):
        return "NORP"
    if text in known_names or text.lower() in ORGANISATION_HEADS:
        return span.label_
    if after is not None and after.tag_ == "POS":
        return span.label_
    token = doc[span.start]
    while token.dep_ == "conj" and token.head is not token:
        token = token.head
    preposition = token.head.lower_ if token.dep_ == "pobj" else None
    if preposition is None and span.start > 0:
        preposition = doc[span.start - 1].lower_
    allowed = _LOCATIVE_PERSONLIKE if span.label_ in _PERSON_LIKE else _LOCATIVE
    place_of = preposition == "of" and token.head.head.lower_ in _PLACE_NOUNS
    if (preposition in allowed or place_of) and span.label_ in ("PERSON", "NORP", "ORG"):
        return "GPE"
    return span.label_


def repair_entity_spans(
    doc: Doc,
    entities: Iterable[Span],
    *,
    is_place: Callable[[str], bool],
    is_known: Callable[[str], bool],
) -> list[Span]:
    """Fix the model's entity spans and labels by their context.

    Args:
        doc: The parsed document.
        entities: The model's (and ruler's) entities.
        is_place: Whether a text names a known country, capital or city.
        is_known: Whether a text is a gazetteer or curated name (its label is kept).

    Returns:
        The repaired spans, in document order.
    """
    spans: list[Span] = []
    for ent in entities:
        trimmed = _trim_parenthesis(ent)
        if trimmed is None:
            continue
        if trimmed.label_ in ("ORG", "PERSON", "GPE"):
            spans.extend(_split_portfolio(trimmed, is_place))
        else:
            spans.append(trimmed)
    # Words of multi-word person names: "Asad" in "in Asad's Syria" stays a person.
    known_names = {t.text for s in spans if s.label_ == "PERSON" and len(s) >= 2 for t in s}
    out: list[Span] = []
    for span in spans:
        label = _relabel(span, known_names, is_known) if len(span.text.split()) == 1 else None
        out.append(span if label in (None, span.label_) else Span(doc, span.start, span.end, label))
    return sorted(out, key=lambda s: s.start)


def honorific_start(text: str, start: int) -> int:
    """Where a person mention starting at ``start`` begins with its honorific ("Mr")."""
    m = _HONORIFIC_BEFORE.search(text, max(0, start - 14), start)
    return m.start() if m is not None else start
