"""An article page's main text and metadata, by trafilatura.

``bench/furniture.py`` measured trafilatura against the line rules of
:mod:`kg.ingest.furniture` (HTML turned to text, then the rules) on the test pages and the
seed: trafilatura keeps the article and drops menus, share bars, related links and
footers that no line rule names, so it is what reads pages. The line rules still read
the ``seeds/`` text format, which has no markup to go by.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

_BLANK_LINES = re.compile(r"\n\s*\n+")
_BYLINE_MAX = 120  # a longer paragraph naming the author is text about them, not a byline


@dataclass(frozen=True, slots=True)
class PageContent:
    """What trafilatura read from a page.

    Attributes:
        text: the main text, paragraphs separated by one blank line.
        title: the page's headline, if found.
        published: the publication date, if found.
        author: the byline, if found.
        sitename: the publisher's name, if found.
    """

    text: str
    title: str | None = None
    published: date | None = None
    author: str | None = None
    sitename: str | None = None


def extract_page(html: str, url: str | None = None) -> PageContent | None:
    """Extract the main text, title, date and author of an article page.

    Args:
        html: the decoded page.
        url: where it came from (helps trafilatura with relative links and metadata).

    Returns:
        The content, or None when the page holds no recognisable main text.
    """
    import trafilatura  # imported here: only page reading needs it (and it loads slowly)

    doc = trafilatura.bare_extraction(
        html,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        include_images=False,
        deduplicate=False,
    )
    if doc is None or isinstance(doc, dict):  # a dict only when as_dict=True
        return None
    title = " ".join((doc.title or "").split()) or None
    author = " ".join((doc.author or "").split()) or None
    text = _without_header(paragraphs(doc.text or ""), title, author)
    if not text:
        return None
    return PageContent(
        text=text,
        title=title,
        published=_date(doc.date),
        author=author,
        sitename=(doc.sitename or "").strip() or None,
    )


def _without_header(text: str, title: str | None, author: str | None) -> str:
    """Drop leading paragraphs that are the headline or a byline.

    Some layouts put the headline and the byline inside the article element, and
    trafilatura then keeps them as text; they are metadata, already in the fields.
    """
    paras = text.split("\n\n")
    while paras:
        first = paras[0]
        is_title = title is not None and first == title
        is_byline = author is not None and author in first and len(first) <= _BYLINE_MAX
        if not (is_title or is_byline):
            break
        paras.pop(0)
    return "\n\n".join(paras)


def paragraphs(text: str) -> str:
    """One paragraph per non-blank line, joined by blank lines as the splitter expects."""
    lines = (" ".join(line.split()) for line in _BLANK_LINES.sub("\n", text).splitlines())
    return "\n\n".join(line for line in lines if line)


def _date(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None
