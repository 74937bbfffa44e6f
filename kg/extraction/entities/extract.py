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
from dataclasses import dataclass

from spacy.tokens import Doc

from kg.core.identity import normalize_key
from kg.core.models import EntityType, Extraction, Mention
from kg.extraction.entities.candidates import candidate_spans
from kg.extraction.entities.clusters import (
    PERSON_LABEL,
    Cluster,
    Resolved,
    add_to_cluster,
    cluster_entity,
)
from kg.extraction.entities.gazetteer import Gazetteer, get_gazetteer
from kg.extraction.entities.resolution import SurnameIndex
from kg.extraction.entities.roles import TokenMention, roles_from_occurrences, title_occurrences
from kg.extraction.entities.span_resolution import HONORIFICS, SpanResolver
from kg.extraction.entities.span_rules import honorific_start
from kg.extraction.intervals import SpanSet


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


class EntityExtractor:
    """Extracts resolved entities, their mentions and roles from a parsed ``Doc``.

    Args:
        gazetteer: Country/capital/demonym/curated indexes; the packaged one by default.
    """

    def __init__(self, gazetteer: Gazetteer | None = None) -> None:
        self._gaz = gazetteer or get_gazetteer()
        self._spans = SpanResolver(self._gaz)

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
        text = doc.text  # built from the tokens on every access: read it once
        candidates = candidate_spans(doc, self._gaz)
        surnames = SurnameIndex()
        for cand in candidates:
            if (
                cand.label == "PERSON"
                and len(cand.span) >= 2
                and not self._spans.known_non_person(cand)
            ):
                surnames.add(HONORIFICS.sub("", cand.span.text), cand.start)
        acronyms, long_forms = self._spans.acronym_maps(doc, candidates)

        clusters: dict[str, Cluster] = {}
        detailed: list[DetailedMention] = []
        for cand in candidates:
            resolved = self._spans.resolve(cand, surnames, acronyms, long_forms)
            surface = text[cand.start : cand.end]
            if resolved is None:
                detailed.append(
                    DetailedMention(
                        cand.start, cand.end, surface, cand.label, None, None, "unresolved"
                    )
                )
                continue
            add_to_cluster(clusters, resolved, surface)
            detailed.append(
                DetailedMention(
                    cand.start,
                    cand.end,
                    surface,
                    cand.label,
                    resolved.key,
                    resolved.type,
                    resolved.via,
                )
            )
        detailed += self._scan_untagged(text, detailed, surnames, acronyms, long_forms, clusters)
        detailed.sort(key=lambda m: m.start)

        entities = {key: cluster_entity(c) for key, c in clusters.items()}
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
            start = honorific_start(text, m.start) if typ == "Person" else m.start
            final.append(DetailedMention(start, m.end, text[start : m.end], m.label, key, typ, via))
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

    # ------------------------------------------------------------------ untagged occurrences

    def _scan_untagged(
        self,
        text: str,
        found: list[DetailedMention],
        surnames: SurnameIndex,
        acronyms: dict[str, Resolved],
        long_forms: dict[str, Resolved],
        clusters: dict[str, Cluster],
    ) -> list[DetailedMention]:
        """Mentions of surnames and acronyms that the model did not tag."""
        taken = SpanSet((m.start, m.end) for m in found)
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
            for m in re.finditer(rf"(?<![\w-]){re.escape(word)}(?![\w-])", text):
                if taken.overlaps(m.start(), m.end()):
                    continue
                if word in acronyms:
                    resolved = acronyms[word]
                    label = "ACRONYM"
                else:
                    full = surnames.resolve(word, m.start())
                    if full is None:
                        continue
                    resolved = Resolved(
                        normalize_key(full), full, "Person", PERSON_LABEL, "surname"
                    )
                    label = "SURNAME"
                add_to_cluster(clusters, resolved, word)
                taken.add(m.start(), m.end())
                added.append(
                    DetailedMention(
                        m.start(), m.end(), word, label, resolved.key, resolved.type, resolved.via
                    )
                )
        del long_forms  # long forms are always entities already
        return added

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
