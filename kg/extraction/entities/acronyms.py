"""Acronym definitions in running text: "National Liberation Army (ELN)", "ISIL (Islamic State
of Iraq and the Levant)".

Pure functions over strings; no model needed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Lower-case words allowed inside a name and skippable when matching initials.
CONNECTORS = frozenset(
    {"of", "the", "and", "for", "in", "on", "de", "del", "la", "el", "al", "des", "du", "y", "et"}
)
_WORD = r"(?:[A-Z][\w'\u2019.&-]*|" + "|".join(sorted(CONNECTORS)) + r")"
_NAME = rf"{_WORD}(?:[ \t]+{_WORD}){{0,11}}"
_ACRONYM = r"[A-Z][A-Za-z0-9&.\-]{1,11}"
_LONG_THEN_SHORT = re.compile(rf"({_NAME})[ \t]*\([ \t]*({_ACRONYM})[ \t]*\)")
_SHORT_THEN_LONG = re.compile(rf"\b({_ACRONYM})[ \t]*\([ \t]*({_NAME})[ \t]*\)")


@dataclass(frozen=True, slots=True)
class AcronymDefinition:
    """``acronym`` is defined as ``long_form`` at these offsets of the text."""

    long_form: str
    acronym: str
    long_start: int
    long_end: int
    acronym_start: int
    acronym_end: int


def acronym_letters(acronym: str) -> str:
    """The letters an acronym spells, upper-cased: "U.S." -> "US", "FARC-EP" -> "FARCEP"."""
    return "".join(ch for ch in acronym if ch.isalpha()).upper()


def is_acronym(token: str) -> bool:
    """Whether a token looks like an acronym: at least two capitals and mostly capitals."""
    letters = [ch for ch in token if ch.isalpha()]
    capitals = sum(ch.isupper() for ch in letters)
    return capitals >= 2 and capitals * 2 > len(letters)


def initials_match(words: list[str], letters: str) -> bool:
    """Whether ``letters`` are the initials of ``words``, in order.

    Every capitalised word must give its initial; connector words ("of", "the", "de") may
    give theirs or be skipped. "Islamic State of Iraq and the Levant" spells "ISIL" and
    "ISOIATL"; "Democratic Republic of the Congo" spells "DRC".
    """

    def match(wi: int, li: int) -> bool:
        if wi == len(words):
            return li == len(letters)
        word = words[wi]
        if word.lower() in CONNECTORS and match(wi + 1, li):
            return True
        return li < len(letters) and word[:1].upper() == letters[li] and match(wi + 1, li + 1)

    return bool(words) and bool(letters) and match(0, 0)


def _trim_to_initials(words: list[str], letters: str) -> int | None:
    """Index of the first word of the shortest-leading-trim suffix whose initials match."""
    for k in range(len(words)):
        if words[k][:1].isupper() and initials_match(words[k:], letters):
            return k
    return None


def find_acronym_definitions(text: str) -> list[AcronymDefinition]:
    """Find "Long Name (ACR)" and "ACR (Long Name)" definitions whose initials match.

    For "Long Name (ACR)" the long form is the shortest tail of the capitalised run before
    the parenthesis that spells the acronym ("Colombia's the National Liberation Army (NLA)"
    gives "National Liberation Army").

    Args:
        text: Any text.

    Returns:
        The definitions, in text order.
    """
    found: list[AcronymDefinition] = []
    for m in _LONG_THEN_SHORT.finditer(text):
        acronym = m.group(2)
        if not is_acronym(acronym):
            continue
        spans = [(w.start(), w.end()) for w in re.finditer(r"\S+", m.group(1))]
        words = [m.group(1)[s:e] for s, e in spans]
        k = _trim_to_initials(words, acronym_letters(acronym))
        if k is None:
            continue
        start = m.start(1) + spans[k][0]
        end = m.start(1) + spans[-1][1]
        found.append(AcronymDefinition(text[start:end], acronym, start, end, m.start(2), m.end(2)))
    for m in _SHORT_THEN_LONG.finditer(text):
        acronym, long_form = m.group(1), m.group(2)
        words = long_form.split()
        if words and words[0].lower() == "the":
            words = words[1:]
        if not is_acronym(acronym) or not initials_match(words, acronym_letters(acronym)):
            continue
        lead = long_form.index(words[0])
        found.append(
            AcronymDefinition(
                long_form[lead:], acronym, m.start(2) + lead, m.end(2), m.start(1), m.end(1)
            )
        )
    return sorted(found, key=lambda d: d.long_start)
