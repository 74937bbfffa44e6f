"""Rules that resolve one candidate span to an entity, first rule that applies.

Curated entity; acronym or its long form; surname of a full person name in the document;
full person name; country; capital (metonymy: the country, unless after a locative
preposition: then the city); an unfamiliar city mislabelled by the model; demonym (its
country); otherwise the label's type with the text as name.
"""

from __future__ import annotations

import re

from spacy.tokens import Doc, Span

from kg.core.identity import normalize_key
from kg.core.models import EntityType
from kg.extraction.entities.acronyms import AcronymDefinition, find_acronym_definitions, is_acronym
from kg.extraction.entities.candidates import Candidate
from kg.extraction.entities.clusters import FIXED, FULL_NAME, PERSON_LABEL, Resolved
from kg.extraction.entities.gazetteer import Country, CuratedEntity, Gazetteer, fold
from kg.extraction.entities.resolution import SurnameIndex
from kg.extraction.entities.typing_rules import label_type

# "(ACR)" right after an entity span.
_ACRONYM_AFTER = re.compile(r"[ \t]*\([ \t]*([A-Z][A-Za-z0-9&.\-]{1,9})[ \t]*\)")

# Labels the small model gives to unfamiliar city names ("Aleppo" NORP, "Sinjar" ORG,
# "Palmyra" PERSON): a one-token span with one of them that names a city is a Place.
_CITY_MISLABELS = frozenset({"PERSON", "ORG", "NORP", "LANGUAGE"})
_LOCATIVE_PREPOSITIONS = frozenset(
    {
        "in", "at", "near", "to", "from", "into", "inside", "outside", "around", "across",
        "through", "toward", "towards", "via", "within", "throughout", "onto", "outskirts",
    }
)  # fmt: skip
HONORIFICS = re.compile(r"^(?:Mr|Mrs|Ms|Dr|Sir|Gen|Col|Lt|Sgt|Capt|Maj|Prof)\.?\s+")


class SpanResolver:
    """Resolves candidate spans against a gazetteer.

    Args:
        gazetteer: Country/capital/demonym/curated indexes.
    """

    def __init__(self, gazetteer: Gazetteer) -> None:
        self._gaz = gazetteer

    def known_non_person(self, cand: Candidate) -> bool:
        """Whether a span tagged PERSON is a known country, capital or curated entity."""
        text = cand.span.text
        return (
            self._gaz.country(text) is not None
            or self._gaz.curated_entity(text) is not None
            or self._gaz.capital(text) is not None
        )

    # ------------------------------------------------------------------ acronyms

    def acronym_maps(
        self, doc: Doc, candidates: list[Candidate]
    ) -> tuple[dict[str, Resolved], dict[str, Resolved]]:
        """Acronym -> entity and folded long form -> entity, from definitions in the text."""
        text = doc.text  # built from the tokens on every access: read it once
        definitions = find_acronym_definitions(text)
        defined = {(d.long_start, d.acronym) for d in definitions}
        # An entity directly followed by "(ACR)", initials or not ("... Army (ELN)").
        for cand in candidates:
            if cand.label in ("PERSON", "NORP"):
                continue
            m = _ACRONYM_AFTER.match(text, cand.end)
            if m is None or not is_acronym(m.group(1)) or self._gaz.country(m.group(1)):
                continue
            if (cand.start, m.group(1)) in defined:
                continue
            a_start = m.start(1)
            definitions.append(
                AcronymDefinition(
                    text[cand.start : cand.end],
                    m.group(1),
                    cand.start,
                    cand.end,
                    a_start,
                    a_start + len(m.group(1)),
                )
            )
        acronyms: dict[str, Resolved] = {}
        long_forms: dict[str, Resolved] = {}
        for d in definitions:
            curated = self._gaz.curated_entity(d.long_form) or self._gaz.curated_entity(d.acronym)
            if curated is not None:
                target = self.curated(curated, "acronym")
            else:
                country = self._gaz.country(d.long_form)
                if country is not None:
                    target = self.country(country, 1.0, "acronym")
                else:
                    typ = self._long_form_type(d, candidates)
                    target = Resolved(
                        normalize_key(d.long_form), d.long_form, typ, 1.0, "acronym",
                        aliases=(d.acronym,),
                    )  # fmt: skip
            acronyms[d.acronym] = target
            long_forms[fold(d.long_form)] = target
        return acronyms, long_forms

    def _long_form_type(self, d: AcronymDefinition, candidates: list[Candidate]) -> EntityType:
        for cand in candidates:
            if cand.start <= d.long_start and d.long_end <= cand.end:
                typ = label_type(cand.label, d.long_form)
                if typ is not None:
                    return typ
        return label_type("ORG", d.long_form) or "Organization"

    # ------------------------------------------------------------------ resolution rules

    def curated(self, entity: CuratedEntity, via: str) -> Resolved:
        """A curated entity (fixed type and Wikidata id)."""
        return Resolved(
            normalize_key(entity.name),
            entity.name,
            entity.type,
            FIXED,
            via,
            entity.wikidata,
            entity.aliases,
        )

    def country(self, country: Country, weight: float, via: str) -> Resolved:
        """A country of the gazetteer."""
        return Resolved(
            normalize_key(country.name), country.name, "Country", weight, via, country.wikidata
        )

    def resolve(
        self,
        cand: Candidate,
        surnames: SurnameIndex,
        acronyms: dict[str, Resolved],
        long_forms: dict[str, Resolved],
    ) -> Resolved | None:
        """The entity a span names, by the first rule that applies; None when none does."""
        text = cand.span.text
        gaz = self._gaz
        if text in acronyms:
            return acronyms[text]
        if fold(text) in long_forms:
            return long_forms[fold(text)]
        curated = gaz.curated_entity(text)
        if curated is not None:
            return self.curated(curated, "curated")
        if len(cand.span) == 1:
            full = surnames.resolve(text, cand.start)
            if full is not None:
                return Resolved(normalize_key(full), full, "Person", PERSON_LABEL, "surname")
        if cand.label == "PERSON" and len(cand.span) >= 2 and not self.known_non_person(cand):
            name = HONORIFICS.sub("", text)
            return Resolved(normalize_key(name), name, "Person", FULL_NAME, "full-name")
        country = gaz.country(text)
        if country is not None and cand.label != "NORP":
            return self.country(country, FIXED, "country")
        capital = gaz.capital(text)
        if capital is not None and cand.label in ("GPE", "LOC", "PERSON", "ORG"):
            if self._is_locative(cand.span):
                return Resolved(normalize_key(text), text, "Place", FIXED, "capital-place")
            return self.country(capital, FIXED, "capital-metonym")
        if (
            cand.label in _CITY_MISLABELS
            and " " not in text
            and gaz.city(text) is not None
            and gaz.demonym(text) is None
        ):
            return Resolved(normalize_key(text), text, "Place", 1.0, "city")
        if cand.label == "LANGUAGE":
            return None
        # The small model often tags a demonym ORG or PERSON ("his Ugandan counterpart").
        if cand.label in ("ORG", "PERSON") and len(cand.span) == 1:
            demonym_country = gaz.demonym(text)
            if demonym_country is not None:
                return self.country(demonym_country, FIXED, "demonym")
        if cand.label == "NORP":
            demonym_country = gaz.demonym(text) or gaz.country(text)
            if demonym_country is None:
                return None
            return self.country(demonym_country, FIXED, "demonym")
        typ = label_type(cand.label, text)
        if typ is None:
            return None
        weight = PERSON_LABEL if typ == "Person" else 1.0
        return Resolved(normalize_key(text), text, typ, weight, "label")

    @staticmethod
    def _is_locative(span: Span) -> bool:
        """Whether a place name is the object of a locative preposition ("in Washington")."""
        token = span.root
        while token.dep_ == "conj" and token.head is not token:
            token = token.head
        if token.dep_ == "pobj" and token.head.lower_ in _LOCATIVE_PREPOSITIONS:
            return True
        if span.start > 0:
            prev = span.doc[span.start - 1]
            followed_by_possessive = span.end < len(span.doc) and span.doc[span.end].tag_ == "POS"
            return prev.lower_ in _LOCATIVE_PREPOSITIONS and not followed_by_possessive
        return False
