"""Split an article body into passages that keep their character offsets.

A passage is a paragraph; a paragraph longer than ``max_chars`` is cut at sentence
boundaries so that embeddings see coherent, not truncated, text (the cutting itself is
:func:`kg.core.text_spans.passage_spans`, shared with the extractor's chunking).
"""

from __future__ import annotations

from kg.core.models import Article, Passage
from kg.core.text_spans import passage_spans


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
    article_iri = article.iri
    return tuple(
        Passage(article_iri=article_iri, index=i, start=s, end=e, text=body[s:e])
        for i, (s, e) in enumerate(passage_spans(body, max_chars))
    )
