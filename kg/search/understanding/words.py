"""The words of a query: tokens, stop words, name folding, and the event words it uses.

Event words come from the PLOVER lexicon (:mod:`kg.extraction.actions.lexicon`, the one
reader of ``plover_lexicon.json``): its ``query_words``, then its verb and noun lemmas.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

from kg.extraction.actions.lexicon import load_lexicon

STOP_WORDS = frozenset(
    """a an the of in on at to for from by with about and or is are was were be been who what
    which whom whose when where why how did do does has have had any all some this that these
    those it its their his her our my your me us them they he she we i actions action events
    event news article articles passage passages between against since during after before
    over under into than then there here not no s""".split()  # noqa: SIM905
)
"""Words that never name an entity or an event alone (with generic ones: "actions", "news")."""

_TOKEN_RE = re.compile(r"[^\W_][\w\-.&]*[^\W_]|[^\W_]", re.UNICODE)
_POSSESSIVE_RE = re.compile(r"(['\u2019]s)\b", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Token:
    """A word of the query with its character offsets."""

    text: str
    start: int
    end: int


def normalize_name(text: str) -> str:
    """Fold a name for comparison: accents, case, punctuation, a leading "the", a possessive."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    folded = re.sub(r"'s\b", "", folded.lower())
    words = re.findall(r"[a-z0-9]+", folded)
    if words and words[0] == "the":
        words = words[1:]
    return " ".join(words)


def tokenize(text: str) -> list[Token]:
    """Split a query into word tokens (keeping "U.S.", "al-Qaeda" whole) with offsets."""
    tokens = []
    for match in _TOKEN_RE.finditer(text):
        word = match.group(0)
        end = match.end()
        possessive = _POSSESSIVE_RE.search(word)
        if possessive and possessive.end() == len(word):
            word = word[: possessive.start()]
            end = match.start() + len(word)
        tokens.append(Token(word, match.start(), end))
    return tokens


def content_words(query: str) -> list[str]:
    """The query's words minus stop words and generic words ("actions", "news")."""
    return [t.text for t in tokenize(query) if t.text.lower() not in STOP_WORDS]


@lru_cache(maxsize=1)
def event_lexicon() -> Mapping[str, str]:
    """Word -> PLOVER type for query event words (see the module docstring).

    Raises:
        ConfigurationError: the lexicon file is missing or invalid (never silently empty).
    """
    return load_lexicon().query_event_words()


def event_type_of(word: str) -> str | None:
    """The PLOVER type a query word names, trying simple lemmas ("sanctioned" -> "sanction")."""
    lexicon = event_lexicon()
    lower = word.lower()
    if lower in STOP_WORDS:
        return None
    for form in _lemma_candidates(lower):
        if form in lexicon:
            return lexicon[form]
    return None


def _lemma_candidates(word: str) -> list[str]:
    forms = [word]
    if word.endswith("ies") and len(word) > 4:
        forms.append(word[:-3] + "y")
    if word.endswith("es") and len(word) > 3:
        forms.append(word[:-2])
    if word.endswith("s") and not word.endswith("ss") and len(word) > 3:
        forms.append(word[:-1])
    if word.endswith("ed") and len(word) > 4:
        forms += [word[:-2], word[:-1]]
    if word.endswith("ing") and len(word) > 5:
        forms += [word[:-3], word[:-3] + "e"]
    return forms
