"""Repair of verb lemmas the small spaCy model cuts short ("staged" -> "stag").

The small model's lemmatizer strips "-ed"/"-es"/"-ing" from verbs whose base form ends in a
silent "e" ("staged" -> "stag", "fined" -> "fin"), so the event coder finds no verb. A
verb's lemma is restored to ``lemma + "e"`` when the cut form is no verb the event
vocabularies (the PLOVER lexicon and the CAMEO verb dictionary) know and the "e" form is.
"""

from __future__ import annotations

import functools

from spacy.language import Language
from spacy.tokens import Doc

from kg.extraction.actions.lexicon import load_lexicon
from kg.extraction.dictionaries.verb_patterns import load_verb_dictionary

LEMMA_REPAIR = "newskg_verb_lemma_repair"
_VERB_TAGS = frozenset({"VBD", "VBN", "VBZ", "VBG", "VBP", "VB"})


@functools.cache
def known_verbs() -> frozenset[str]:
    """Verb lemmas of the PLOVER lexicon and of the CAMEO verb dictionary.

    Both come from their cached loaders, which the extractor shares, so nothing is read
    twice.
    """
    words = {k.split()[0] for k in load_lexicon().verbs}
    words |= set(load_verb_dictionary().verbs)
    return frozenset(w.lower() for w in words)


def repaired_lemma(text: str, lemma: str, verbs: frozenset[str]) -> str | None:
    """The silent-"e" base form of a cut verb lemma, or None when the lemma stands."""
    low, base = text.lower(), lemma.lower()
    cut = low.startswith(base) and low != base and low[len(base) :] in ("ed", "es", "ing")
    if cut and base not in verbs and base + "e" in verbs:
        return base + "e"
    return None


@Language.component(LEMMA_REPAIR)
def verb_lemma_repair(doc: Doc) -> Doc:
    """Restore the silent "e" of verb lemmas the lemmatizer cut ("stag" -> "stage")."""
    verbs = known_verbs()
    for tok in doc:
        if tok.tag_ in _VERB_TAGS:
            fixed = repaired_lemma(tok.text, tok.lemma_, verbs)
            if fixed is not None:
                tok.lemma_ = fixed
    return doc
