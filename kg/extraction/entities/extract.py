"""Entity extraction and within-document resolution on a spaCy ``Doc``.

Steps:

1. Candidate spans: the model's entities merged with the gazetteer/curated span ruler
   (:mod:`kg.extraction.nlp`), trimmed of a leading "the" and a trailing possessive.
2. Acronym definitions: "Long Name (ACR)" / "ACR (Long Name)" with matching initials, and
   an entity span directly followed by "(ACR)" (translated names keep their own-language
   acronym: "National Liberation Army (ELN)"). The acronym becomes an alias of the long
   name, and its later occurrences are mentions of it.
3. Each span is resolved, first rule that applies: curated entity; acronym/long form;
   surname of a full person name in the document; country name; capital (metonymy: the
   country, unless after a locative preposition: then the city); demonym (its country);
   otherwise the label's type with the text as name.
4. Occurrences of surnames and acronyms the model did not tag are added as mentions.
5. One type per entity by weighted votes of its mentions (gazetteer and curated types are
   fixed; full person names weigh most).
6. Roles from title phrases (:mod:`kg.extraction.entities.roles`).
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span

from kg.core.identity import normalize_key
from kg.core.models import Entity, EntityType, Extraction, Mention
from kg.extraction.entities.acronyms import AcronymDefinition, find_acronym_definitions, is_acronym
from kg.extraction.entities.gazetteer import Country, CuratedEntity, Gazetteer, fold, get_gazetteer
from kg.extraction.entities.resolution import SurnameIndex
from kg.extraction.entities.roles import (
    ROLE_HEADS,
    TITLE_WORDS,
    TokenMention,
    roles_from_occurrences,
    title_occurrences,
)
from kg.extraction.entities.span_rules import (
    honorific_start,
    merge_phrases,
    organisation_phrases,
    portfolio_places,
    repair_entity_spans,
)
from kg.extraction.entities.typing_rules import label_type

_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "FAC", "NORP", "LANGUAGE"})
# Labels the small model gives to unfamiliar city names ("Aleppo" NORP, "Sinjar" ORG,
# "Palmyra" PERSON): a one-token span with one of them that names a city is a Place.
_CITY_MISLABELS = frozenset({"PERSON", "ORG", "NORP", "LANGUAGE"})
_LOCATIVE_PREPOSITIONS = frozenset(
    {
        "in", "at", "near", "to", "from", "into", "inside", "outside", "around", "across",
        "through", "toward", "towards", "via", "within", "throughout", "onto", "outskirts",
    }
)  # fmt: skip
_FIXED = 1000.0  # vote weight of gazetteer/curated evidence
_FULL_NAME = 3.0
_PERSON_LABEL = 2.0
# Ties between equally voted types: the more specific, person-first.
_TYPE_ORDER: tuple[EntityType, ...] = (
    "Person",
    "Country",
    "ArmedGroup",
    "PoliticalParty",
    "MediaOrganization",
    "Government",
    "Organization",
    "Place",
)
_HONORIFICS = re.compile(r"^(?:Mr|Mrs|Ms|Dr|Sir|Gen|Col|Lt|Sgt|Capt|Maj|Prof)\.?\s+")


@dataclass(frozen=True, slots=True)
class DetailedMention:
    """A mention with how it was found; ``entity_key`` is None for unresolved demonyms."""

    start: int
    end: int
    text: str
    label: str  # spaCy label, or "ACRONYM"/"SURNAME" for occurrences found by scanning
    entity_key: str | None
    type: EntityType | None
    via: str  # the rule that resolved it


@dataclass(frozen=True, slots=True)
class DetailedExtraction:
    """The extraction plus every mention with its provenance (for evaluation)."""

    extraction: Extraction
    mentions: tuple[DetailedMention, ...]


@dataclass(slots=True)
class _Cluster:
    key: str
    name: str
    votes: dict[EntityType, float] = field(default_factory=lambda: defaultdict(float))
    surfaces: set[str] = field(default_factory=set)
    aliases: set[str] = field(default_factory=set)
    wikidata: str | None = None


@dataclass(frozen=True, slots=True)
class _Resolved:
    key: str
    name: str
    type: EntityType
    weight: float
    via: str
    wikidata: str | None = None
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class _Candidate:
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


class EntityExtractor:
    """Extracts resolved entities, their mentions and roles from a parsed ``Doc``.

    Args:
        gazetteer: Country/capital/demonym/curated indexes; the packaged one by default.
    """

    def __init__(self, gazetteer: Gazetteer | None = None) -> None:
        self._gaz = gazetteer or get_gazetteer()

    def extract(self, doc: Doc) -> Extraction:
        """Entities, mentions (offsets into ``doc.text``) and roles of one document.

        Args:
            doc: A document processed by :func:`kg.extraction.nlp.load_nlp`'s pipeline.

        Returns:
            The extraction (no actions).
        """
        return self.extract_detailed(doc).extraction

    # ------------------------------------------------------------------ pipeline

    def extract_detailed(self, doc: Doc) -> DetailedExtraction:
        """Like :meth:`extract`, also returning each mention's label and resolving rule."""
        candidates = self._candidates(doc)
        surnames = SurnameIndex()
        for cand in candidates:
            if cand.label == "PERSON" and len(cand.span) >= 2 and not self._known_non_person(cand):
                surnames.add(_HONORIFICS.sub("", cand.span.text), cand.start)
        acronyms, long_forms = self._acronym_maps(doc, candidates)

        clusters: dict[str, _Cluster] = {}
        detailed: list[DetailedMention] = []
        for cand in candidates:
            resolved = self._resolve(cand, surnames, acronyms, long_forms)
            text = doc.text[cand.start : cand.end]
            if resolved is None:
                detailed.append(
                    DetailedMention(
                        cand.start, cand.end, text, cand.label, None, None, "unresolved"
                    )
                )
                continue
            self._add(clusters, resolved, text)
            detailed.append(
                DetailedMention(
                    cand.start,
                    cand.end,
                    text,
                    cand.label,
                    resolved.key,
                    resolved.type,
                    resolved.via,
                )
            )
        detailed += self._scan_untagged(doc, detailed, surnames, acronyms, long_forms, clusters)
        detailed.sort(key=lambda m: m.start)

        entities = {key: self._entity(c) for key, c in clusters.items()}
        final: list[DetailedMention] = []
        for m in detailed:
            key = m.entity_key
            via = m.via
            # An unresolved word ("Asad" tagged NORP) naming a person found elsewhere in
            # the document is a mention of that person.
            if (
                key is None
                and normalize_key(m.text) in entities
                and entities[normalize_key(m.text)].type == "Person"
            ):
                key, via = normalize_key(m.text), "same-name"
                clusters[key].surfaces.add(m.text)
            if key is None:
                final.append(m)
                continue
            typ = entities[key].type
            start = honorific_start(doc.text, m.start) if typ == "Person" else m.start
            final.append(
                DetailedMention(start, m.end, doc.text[start : m.end], m.label, key, typ, via)
            )
        mentions = tuple(
            Mention(m.start, m.end, m.text, m.entity_key, m.type)
            for m in final
            if m.entity_key is not None and m.type is not None
        )
        roles = roles_from_occurrences(title_occurrences(doc, self._token_map(doc, mentions)))
        extraction = Extraction(
            entities=tuple(entities.values()), mentions=mentions, roles=tuple(roles)
        )
        return DetailedExtraction(extraction, tuple(final))

    def _candidates(self, doc: Doc) -> list[_Candidate]:
        gaz = self._gaz

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
        out: list[_Candidate] = []
        phrases = organisation_phrases(doc) + portfolio_places(doc, is_place)
        for ent in merge_phrases(repaired, sorted(phrases, key=lambda s: s.start)):
            span = _trim(ent)
            if span is None or _is_title_only(span):
                continue
            if not any(ch.isalpha() for ch in span.text):
                continue
            out.append(_Candidate(span.start_char, span.end_char, ent.label_, span))
        return out

    def _known_non_person(self, cand: _Candidate) -> bool:
        text = cand.span.text
        return (
            self._gaz.country(text) is not None
            or self._gaz.curated_entity(text) is not None
            or self._gaz.capital(text) is not None
        )

    # ------------------------------------------------------------------ acronyms

    def _acronym_maps(
        self, doc: Doc, candidates: list[_Candidate]
    ) -> tuple[dict[str, _Resolved], dict[str, _Resolved]]:
        """Acronym -> entity and folded long form -> entity, from definitions in the text."""
        definitions = find_acronym_definitions(doc.text)
        defined = {(d.long_start, d.acronym) for d in definitions}
        # An entity directly followed by "(ACR)", initials or not ("... Army (ELN)").
        for cand in candidates:
            if cand.label in ("PERSON", "NORP"):
                continue
            m = re.match(r"[ \t]*\([ \t]*([A-Z][A-Za-z0-9&.\-]{1,9})[ \t]*\)", doc.text[cand.end :])
            if m is None or not is_acronym(m.group(1)) or self._gaz.country(m.group(1)):
                continue
            if (cand.start, m.group(1)) in defined:
                continue
            a_start = cand.end + m.start(1)
            definitions.append(
                AcronymDefinition(
                    doc.text[cand.start : cand.end],
                    m.group(1),
                    cand.start,
                    cand.end,
                    a_start,
                    a_start + len(m.group(1)),
                )
            )
        acronyms: dict[str, _Resolved] = {}
        long_forms: dict[str, _Resolved] = {}
        for d in definitions:
            curated = self._gaz.curated_entity(d.long_form) or self._gaz.curated_entity(d.acronym)
            if curated is not None:
                target = self._curated(curated, "acronym")
            else:
                country = self._gaz.country(d.long_form)
                if country is not None:
                    target = self._country(country, 1.0, "acronym")
                else:
                    typ = self._long_form_type(d, candidates)
                    target = _Resolved(
                        normalize_key(d.long_form), d.long_form, typ, 1.0, "acronym",
                        aliases=(d.acronym,),
                    )  # fmt: skip
            acronyms[d.acronym] = target
            long_forms[fold(d.long_form)] = target
        return acronyms, long_forms

    def _long_form_type(self, d: AcronymDefinition, candidates: list[_Candidate]) -> EntityType:
        for cand in candidates:
            if cand.start <= d.long_start and d.long_end <= cand.end:
                typ = label_type(cand.label, d.long_form)
                if typ is not None:
                    return typ
        return label_type("ORG", d.long_form) or "Organization"

    # ------------------------------------------------------------------ resolution rules

    def _curated(self, entity: CuratedEntity, via: str) -> _Resolved:
        return _Resolved(
            normalize_key(entity.name),
            entity.name,
            entity.type,
            _FIXED,
            via,
            entity.wikidata,
            entity.aliases,
        )

    def _country(self, country: Country, weight: float, via: str) -> _Resolved:
        return _Resolved(
            normalize_key(country.name), country.name, "Country", weight, via, country.wikidata
        )

    def _resolve(
        self,
        cand: _Candidate,
        surnames: SurnameIndex,
        acronyms: dict[str, _Resolved],
        long_forms: dict[str, _Resolved],
    ) -> _Resolved | None:
        text = cand.span.text
        gaz = self._gaz
        if text in acronyms:
            return acronyms[text]
        if fold(text) in long_forms:
            return long_forms[fold(text)]
        curated = gaz.curated_entity(text)
        if curated is not None:
            return self._curated(curated, "curated")
        if len(cand.span) == 1:
            full = surnames.resolve(text, cand.start)
            if full is not None:
                return _Resolved(normalize_key(full), full, "Person", _PERSON_LABEL, "surname")
        if cand.label == "PERSON" and len(cand.span) >= 2 and not self._known_non_person(cand):
            name = _HONORIFICS.sub("", text)
            return _Resolved(normalize_key(name), name, "Person", _FULL_NAME, "full-name")
        country = gaz.country(text)
        if country is not None and cand.label != "NORP":
            return self._country(country, _FIXED, "country")
        capital = gaz.capital(text)
        if capital is not None and cand.label in ("GPE", "LOC", "PERSON", "ORG"):
            if self._is_locative(cand.span):
                return _Resolved(normalize_key(text), text, "Place", _FIXED, "capital-place")
            return self._country(capital, _FIXED, "capital-metonym")
        if (
            cand.label in _CITY_MISLABELS
            and " " not in text
            and gaz.city(text) is not None
            and gaz.demonym(text) is None
        ):
            return _Resolved(normalize_key(text), text, "Place", 1.0, "city")
        if cand.label == "LANGUAGE":
            return None
        # The small model often tags a demonym ORG or PERSON ("his Ugandan counterpart").
        if cand.label in ("ORG", "PERSON") and len(cand.span) == 1:
            demonym_country = gaz.demonym(text)
            if demonym_country is not None:
                return self._country(demonym_country, _FIXED, "demonym")
        if cand.label == "NORP":
            demonym_country = gaz.demonym(text) or gaz.country(text)
            if demonym_country is None:
                return None
            return self._country(demonym_country, _FIXED, "demonym")
        typ = label_type(cand.label, text)
        if typ is None:
            return None
        weight = _PERSON_LABEL if typ == "Person" else 1.0
        return _Resolved(normalize_key(text), text, typ, weight, "label")

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

    # ------------------------------------------------------------------ untagged occurrences

    def _scan_untagged(
        self,
        doc: Doc,
        found: list[DetailedMention],
        surnames: SurnameIndex,
        acronyms: dict[str, _Resolved],
        long_forms: dict[str, _Resolved],
        clusters: dict[str, _Cluster],
    ) -> list[DetailedMention]:
        """Mentions of surnames and acronyms that the model did not tag."""
        taken = [(m.start, m.end) for m in found]
        words: dict[str, str] = {}
        for key, cluster in clusters.items():
            parts = cluster.name.split()
            if len(parts) > 1 and max(cluster.votes, key=lambda t: cluster.votes[t]) == "Person":
                words[parts[-1]] = key
        for acronym in list(acronyms):
            words[acronym] = acronyms[acronym].key
            # "CoI" defined, "COI" used later: the upper-cased form is the same acronym.
            if acronym.upper() != acronym and acronym.upper() not in acronyms:
                acronyms[acronym.upper()] = acronyms[acronym]
                words[acronym.upper()] = acronyms[acronym].key
        added: list[DetailedMention] = []
        for word in words:
            for m in re.finditer(rf"(?<![\w-]){re.escape(word)}(?![\w-])", doc.text):
                if any(s < m.end() and m.start() < e for s, e in taken):
                    continue
                if word in acronyms:
                    resolved = acronyms[word]
                    label = "ACRONYM"
                else:
                    full = surnames.resolve(word, m.start())
                    if full is None:
                        continue
                    resolved = _Resolved(
                        normalize_key(full), full, "Person", _PERSON_LABEL, "surname"
                    )
                    label = "SURNAME"
                self._add(clusters, resolved, word)
                taken.append((m.start(), m.end()))
                added.append(
                    DetailedMention(
                        m.start(), m.end(), word, label, resolved.key, resolved.type, resolved.via
                    )
                )
        del long_forms  # long forms are always entities already
        return added

    # ------------------------------------------------------------------ clusters

    @staticmethod
    def _add(clusters: dict[str, _Cluster], resolved: _Resolved, surface: str) -> None:
        cluster = clusters.get(resolved.key)
        if cluster is None:
            cluster = clusters[resolved.key] = _Cluster(resolved.key, resolved.name)
        elif resolved.weight >= _FIXED or (
            len(resolved.name) > len(cluster.name) and resolved.via != "label"
        ):
            cluster.name = resolved.name
        cluster.votes[resolved.type] += resolved.weight
        # A capital standing for its country is not a name of the country.
        if resolved.via != "capital-metonym":
            cluster.surfaces.add(surface)
        cluster.aliases.update(resolved.aliases)
        cluster.wikidata = cluster.wikidata or resolved.wikidata

    @staticmethod
    def _entity(cluster: _Cluster) -> Entity:
        best = max(cluster.votes.values())
        typ = next(t for t in _TYPE_ORDER if cluster.votes.get(t, 0) == best)
        aliases = (cluster.surfaces | cluster.aliases) - {cluster.name}
        return Entity(
            key=cluster.key,
            name=cluster.name,
            type=typ,
            aliases=tuple(sorted(aliases)),
            wikidata=cluster.wikidata,
        )

    @staticmethod
    def _token_map(doc: Doc, mentions: tuple[Mention, ...]) -> dict[int, TokenMention]:
        by_token: dict[int, TokenMention] = {}
        for m in mentions:
            span = doc.char_span(m.start, m.end, alignment_mode="expand")
            if span is None:
                continue
            tm = TokenMention(m.entity_key, m.type, span.start, span.end - 1)
            for i in range(span.start, span.end):
                by_token[i] = tm
        return by_token


def group_by_entity(extraction: Extraction) -> dict[str, list[Mention]]:
    """Mentions of an extraction grouped by entity key (convenience for callers and tests)."""
    grouped: dict[str, list[Mention]] = defaultdict(list)
    for m in extraction.mentions:
        grouped[m.entity_key].append(m)
    return dict(grouped)
