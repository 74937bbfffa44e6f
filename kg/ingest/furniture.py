"""Site furniture removal: what news sites wrap around an article that is not the article.

The rules are data (regular expressions), applied line by line, so a new site's
furniture is one more pattern, not new code.
"""

from __future__ import annotations

import re

# A line matching one of these ends the article: it and everything after it is furniture.
END_MARKERS: tuple[re.Pattern[str], ...] = tuple(
    re.compile(p, re.IGNORECASE)
    for p in (
        r"^editorial context\s*&\s*insight\s*$",
        r"^original analysis\s*&\s*verification\s*$",
        r"^(related|more) (stories|articles|news)\s*:?\s*$",
        r"^read more\s*:?\s*$",
        r"^share (this|on)\b.*$",
        r"^advertisement\s*$",
    )
)

# Lines dropped wherever they appear.
DROPPED_LINES: tuple[re.Pattern[str], ...] = tuple(
    re.compile(p, re.IGNORECASE)
    for p in (
        r"^edited\s*by.*$",
        r"^reviewed\s*by.*$",
        r"^verified by\b.*$",
        r"^(about )?\d+ (seconds?|minutes?|hours?|days?) ago$",
        r"^published$",
        r"^updated$",
        r"^methodology$",
        r"^(photo|image|video)\s*:.*$",
    )
)


def strip_boilerplate(text: str) -> str:
    """Remove site furniture from an article body, keeping paragraph breaks.

    Args:
        text: the body as published, paragraphs separated by blank lines.

    Returns:
        The body without furniture; paragraphs joined by one blank line.
    """
    kept: list[str] = []
    for raw in text.splitlines():
        line = raw.strip()
        if any(m.match(line) for m in END_MARKERS):
            break
        if any(d.match(line) for d in DROPPED_LINES):
            continue
        kept.append(line)
    paragraphs = re.split(r"\n\s*\n", "\n".join(kept))
    return "\n\n".join(" ".join(p.split()) for p in paragraphs if p.strip())
