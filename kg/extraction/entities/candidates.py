"""Candidate entity spans of a document: the model's entities, repaired and completed.

The model's spans are repaired and relabelled (:mod:`kg.extraction.entities.span_rules`),
organisation phrases and portfolio places are added, and each span is trimmed of a leading
determiner and a trailing possessive.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc, Span

from kg.extraction.entities.gazetteer import Gazetteer
from kg.extraction.entities.roles import ROLE_HEADS, TITLE_WORDS
from kg.extraction.entities.span_rules import (
    merge_phrases,
    organisation_phrases,
    portfolio_places,
    repair_entity_spans,
)

_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "FAC", "NORP", "LANGUAGE"})


@dataclass(frozen=True, slots=True)
class Candidate:
    """A span that may name an entity, with its (repaired) spaCy label."""

    start: int
    end: int
    label: str
    span: Span


def _trim(span: Span) -> Span | None:
    """Drop a leading determiner and a trailing possessive; None if nothing is left."""
    start, end = span.start, span.end
    doc = span.doc
    while start < end and doc[start].lower_ in ("the", "a", "an"):
        start += 1
    while end > start and (doc[end - 1].tag_ == "POS" or doc[end - 1].text in ("'s", "\u2019s")):
        end -= 1
    if start >= end:
        return None
    return doc[start:end]


def _is_title_only(span: Span) -> bool:
    """A bare title ("Foreign Secretary", "Interior" of "Interior Minister"), not a body
    named with title words ("Armed Forces", "Foreign Office")."""
    if not all(t.lower_ in TITLE_WORDS for t in span):
        return False
    after = span.doc[span.end] if span.end < len(span.doc) else None
    return any(t.lower_ in ROLE_HEADS for t in span) or (
        after is not None and after.lower_ in ROLE_HEADS
    )


def candidate_spans(doc: Doc, gaz: Gazetteer) -> list[Candidate]:
    """The spans that may name entities: the model's, repaired, plus organisation phrases
    and portfolio places, trimmed; bare titles and spans without letters are dropped."""

    def is_place(text: str) -> bool:
        return bool(gaz.country(text) or gaz.capital(text) or gaz.city(text))

    repaired = repair_entity_spans(
        doc,
        (ent for ent in doc.ents if ent.label_ in _LABELS),
        is_place=is_place,
        is_known=lambda text: bool(
            gaz.country(text)
            or gaz.capital(text)
            or gaz.city(text)
            or gaz.curated_entity(text)
            or gaz.demonym(text)
        ),
    )
    out: list[Candidate] = []
    phrases = organisation_phrases(doc) + portfolio_places(doc, is_place)
    for ent in merge_phrases(repaired, sorted(phrases, key=lambda s: s.start)):
        span = _trim(ent)
        if span is None or _is_title_only(span):
            continue
        if not any(ch.isalpha() for ch in span.text):
            continue
        out.append(Candidate(span.start_char, span.end_char, ent.label_, span))
    return out
