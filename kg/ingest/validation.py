"""An article's RDF checked against the SHACL shapes before anything is stored."""

from __future__ import annotations

import dataclasses
import logging

from kg.core.errors import ValidationFailedError
from kg.core.identity import role_iri
from kg.core.models import ParsedDocument
from kg.ingest.prepared import DROPPABLE_KINDS
from kg.rdf.mapping import document_triples
from kg.rdf.ontology import load_ontology
from kg.rdf.triples import Triples

log = logging.getLogger(__name__)


def validated(doc: ParsedDocument) -> tuple[ParsedDocument, Triples, tuple[str, ...]]:
    """Map to RDF and check the shapes.

    An extracted action or role that fails is left out whole and reported; anything
    else failing (the article, a passage, an entity) rejects the article.

    Raises:
        ValidationFailedError: the article cannot be stored as it is.
    """
    ontology = load_ontology()
    rdf = document_triples(doc)
    violations = ontology.check(rdf)
    if not violations:
        return doc, rdf, ()
    if any(not v.kinds or not set(v.kinds) <= DROPPABLE_KINDS for v in violations):
        raise ValidationFailedError(doc.article.id, [v.message for v in violations])
    bad = {v.focus for v in violations}
    extraction = doc.extraction
    kept = dataclasses.replace(
        extraction,
        actions=tuple(a for a in extraction.actions if a.iri_in(doc.article.iri) not in bad),
        roles=tuple(
            r
            for r in extraction.roles
            if role_iri(r.holder_key, r.title, r.organization_key) not in bad
        ),
    )
    doc = dataclasses.replace(doc, extraction=kept)
    rdf = document_triples(doc)
    remaining = ontology.check(rdf)
    if remaining:
        raise ValidationFailedError(doc.article.id, [v.message for v in remaining])
    for v in violations:
        # Info, not a warning: on real news many extracted actions lack a participant, and a
        # line each drowned the ingest's output; the article's report lists them all.
        log.info("left out of %s: %s", doc.article.origin or doc.article.id, v.message)
    return doc, rdf, tuple(v.message for v in violations)
