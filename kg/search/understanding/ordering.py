"""Ordering cues: a query asking for the most widely reported actions first.

"the most reported attacks on ISIL", "actions against the ELN by number of sources",
"widely reported talks between Colombia and the US" ask for the actions ranked by how many
distinct sources report their event. :func:`order_cue` finds such a phrase, says what it
asks, and blanks it out of the query: the phrase names no entity and no event, so the
retrievers and the entity lookup never see it ("by number of sources" is no actor cue,
"reported" no fulltext term).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_SOURCES = r"(?:distinct\s+|different\s+|independent\s+)?(?:sources|outlets|publications|reports)"
_REPORTED = r"(?:reported|covered)"

_CUES = (
    # "(the) most (widely) reported / covered (first)", "most-reported", "widely reported"
    rf"(?:the\s+)?(?:most|widely|(?:most\s+)?widely)[\s-]+{_REPORTED}(?:\s+first)?",
    # "(ranked / ordered / sorted) by (the) number / count of sources", "by source count"
    rf"(?:(?:ranked|ordered|sorted)\s+)?by\s+(?:the\s+)?(?:number|count)\s+of\s+{_SOURCES}",
    r"(?:(?:ranked|ordered|sorted)\s+)?by\s+(?:source|sources)\s+count",
    # "(reported) by the most sources", "with the most sources"
    rf"(?:{_REPORTED}\s+)?(?:by|in|with|from)\s+the\s+most\s+{_SOURCES}",
    # "by how many sources (report it / them)"
    rf"by\s+how\s+many\s+{_SOURCES}(?:\s+(?:report|reported|cover|covered)(?:\s+(?:it|them))?)?",
)
_CUE_RE = re.compile(r"\b(?:" + "|".join(_CUES) + r")\b", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class OrderCue:
    """What the query says about the order of its actions.

    Attributes:
        by_sources: The query asks for the most widely reported actions first.
        phrases: The phrases that asked, as written ("most widely reported").
        text: The query with those phrases blanked out by spaces, so offsets into it are
            offsets into the query.
    """

    by_sources: bool
    phrases: tuple[str, ...]
    text: str

    @property
    def search_text(self) -> str:
        """The query without the phrases, spaces collapsed (what the retrievers search)."""
        return " ".join(self.text.split())


def order_cue(query: str) -> OrderCue:
    """Find the phrases asking to rank actions by their number of sources.

    Args:
        query: The raw query.

    Returns:
        The cue; ``by_sources`` is False (and ``text`` the query) when there is none.
    """
    phrases = tuple(m.group(0) for m in _CUE_RE.finditer(query))
    if not phrases:
        return OrderCue(False, (), query)
    text = _CUE_RE.sub(lambda m: " " * len(m.group(0)), query)
    return OrderCue(True, phrases, text)
