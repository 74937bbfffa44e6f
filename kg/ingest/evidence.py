"""A batch's passage vectors and its actions' evidence vectors, from one forward pass.

The event merge (:mod:`kg.core.event_merge`) compares actions by the embedding of their
evidence (the sentence that reports them). That sentence lies inside a passage, which is
embedded anyway, so its vector is pooled from the passage's contextual token embeddings
over the sentence's tokens (:meth:`kg.vectors.embedder.Embedder.embed_spans`) instead of a
second forward pass over the sentence alone: that pass cost about a sixth of the prepare
stage. A sentence that begins with the end of the paragraph before (a closing quote, the
paragraph break) is pooled over its part in its own passage. Only an evidence span no
passage holds whole otherwise, or that the model cut off, is embedded on its own.

One function serves the in-process ingest, its worker processes and the Ray actors (all
through :meth:`kg.ingest.pipeline.IngestPipeline.prepare_many`) and the merge benchmark,
so their vectors agree.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from typing import Protocol

from kg.core.identity import stable_id
from kg.core.models import ParsedDocument

Vector = tuple[float, ...]
_WORD = re.compile(r"\w")


class SpanEmbedder(Protocol):
    """What the evidence pooling needs of :class:`kg.vectors.embedder.Embedder`."""

    def embed(self, texts: Sequence[str]) -> list[Vector]:
        """One vector per text, in input order."""
        ...

    def embed_spans(
        self, texts: Sequence[str], spans: Sequence[Sequence[tuple[int, int]]]
    ) -> tuple[list[Vector], list[list[Vector | None]]]:
        """The texts' vectors, and per text one vector (or None) per character span."""
        ...


def embed_documents(
    embedder: SpanEmbedder, docs: Sequence[ParsedDocument]
) -> list[tuple[list[Vector], dict[str, Vector]]]:
    """Each document's passage vectors (in passage order) and evidence vectors (by action
    id), for the whole batch in one embedding call, plus one for the evidence texts that
    could not be pooled from a passage (usually none).
    """
    texts: list[str] = []
    spans: list[list[tuple[int, int]]] = []
    # Per document, per action id: (passage row, span index), or the evidence text itself.
    places: list[dict[str, tuple[int, int] | str]] = []
    for doc in docs:
        first = len(texts)
        starts = [p.start for p in doc.passages]
        texts += [p.text for p in doc.passages]
        spans += [[] for _ in doc.passages]
        seen: dict[tuple[int, int], tuple[int, int]] = {}
        own: dict[str, tuple[int, int] | str] = {}
        body, iri = doc.article.body, doc.article.iri
        for action in doc.extraction.actions:
            key = (action.start, action.end)
            j = bisect.bisect_right(starts, max(action.end - 1, action.start)) - 1
            holder = doc.passages[j] if j >= 0 else None
            if key not in seen and holder is not None and action.end <= holder.end:
                # A sentence may begin with what closes the paragraph before ('"' and the
                # paragraph break): no word of it lies outside the passage of its end.
                start = max(action.start, holder.start)
                if not _WORD.search(body, action.start, start):
                    row = first + j
                    seen[key] = (row, len(spans[row]))
                    spans[row].append((start - holder.start, action.end - holder.start))
            where = seen.get(key)
            own[stable_id(action.iri_in(iri))] = (
                where if where is not None else body[action.start : action.end]
            )
        places.append(own)
    vectors, pooled = embedder.embed_spans(texts, spans) if texts else ([], [])

    def pooled_at(place: tuple[int, int] | str) -> Vector | None:
        return None if isinstance(place, str) else pooled[place[0]][place[1]]

    alone = sorted(
        {
            _text_of(texts, spans, place)
            for own in places
            for place in own.values()
            if pooled_at(place) is None
        }
    )
    extra = dict(zip(alone, embedder.embed(alone), strict=True)) if alone else {}
    results = []
    cursor = 0
    for doc, own in zip(docs, places, strict=True):
        passage_vectors = vectors[cursor : cursor + len(doc.passages)]
        cursor += len(doc.passages)
        evidence = {
            action_id: pooled_at(place) or extra[_text_of(texts, spans, place)]
            for action_id, place in own.items()
        }
        results.append((passage_vectors, evidence))
    return results


def _text_of(
    texts: Sequence[str], spans: Sequence[Sequence[tuple[int, int]]], place: tuple[int, int] | str
) -> str:
    """The evidence text at a place: the text itself, or the span of its passage."""
    if isinstance(place, str):
        return place
    row, index = place
    start, end = spans[row][index]
    return texts[row][start:end]
