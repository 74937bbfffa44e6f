"""The fulltext retriever: BM25 over passage text, on the query's content words."""

from __future__ import annotations

from kg.core.ports import SearchGraph
from kg.core.records import SearchScope
from kg.search.fusion import Ranked
from kg.search.retrievers import Retrieved
from kg.search.understanding.words import content_words


def retrieve_fulltext(graph: SearchGraph, query: str, scope: SearchScope, depth: int) -> Retrieved:
    """Passages matching the query's content words (stop and generic words dropped).

    Args:
        graph: Runs the fulltext lookup.
        query: The query text.
        scope: Dates, types and mentioned entity.
        depth: How many passages to return at most.
    """
    words = content_words(query)
    if not words:
        return Retrieved()
    hits = graph.passages_matching(words, scope, depth)
    ranked = tuple(Ranked(h.passage.id, round(h.score, 6)) for h in hits)
    return Retrieved(ranked, {h.passage.id: h.passage for h in hits})
