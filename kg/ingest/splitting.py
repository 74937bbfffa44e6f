"""Split an article body into passages that keep their character offsets.

A passage is a paragraph; a paragraph longer than ``max_chars`` is cut at sentence
boundaries so that embeddings see coherent, not truncated, text.
"""

from __future__ import annotations

import re

from kg.core.models import Article, Passage

_PARAGRAPH = re.compile(r"[^\n]+(?:\n(?!\n)[^\n]+)*")
# A sentence ends at . ! ? (optionally followed by a closing quote) and whitespace.
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’)]?\s+")


def _sentence_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    spans = []
    cursor = start
    for match in _SENTENCE_END.finditer(text, start, end):
        spans.append((cursor, match.start() + len(match.group(0).rstrip())))
        cursor = match.end()
    if cursor < end:
        spans.append((cursor, end))
    return spans


def split_passages(article: Article, max_chars: int = 600) -> tuple[Passage, ...]:
    """Split ``article.body`` into passages.

    Args:
        article: the parsed article.
        max_chars: paragraphs longer than this are packed sentence by sentence into
            passages of at most this length (a single longer sentence stays whole).

    Returns:
        Passages in order; ``article.body[p.start:p.end] == p.text`` for each.
    """
    body = article.body
    spans: list[tuple[int, int]] = []
    for para in _PARAGRAPH.finditer(body):
        if para.end() - para.start() <= max_chars:
            spans.append((para.start(), para.end()))
            continue
        chunk_start: int | None = None
        chunk_end = para.start()
        for s, e in _sentence_spans(body, para.start(), para.end()):
            if chunk_start is not None and e - chunk_start > max_chars:
                spans.append((chunk_start, chunk_end))
                chunk_start = None
            if chunk_start is None:
                chunk_start = s
            chunk_end = e
        if chunk_start is not None:
            spans.append((chunk_start, chunk_end))
    return tuple(
        Passage(article_iri=article.iri, index=i, start=s, end=e, text=body[s:e])
        for i, (s, e) in enumerate(spans)
    )
