"""Where a text is cut: into passages (paragraphs, long ones packed sentence by sentence)
and into chunks of whole passages for the language model.

Pure functions over strings, shared by the splitter (:mod:`kg.ingest.splitting`) and the
extractor (:mod:`kg.extraction.extractor`), so a chunk never cuts a passage.
"""

from __future__ import annotations

import re

_PARAGRAPH = re.compile(r"[^\n]+(?:\n(?!\n)[^\n]+)*")
# A sentence ends at . ! ? (optionally followed by a closing quote) and whitespace.
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’)]?\s+")
_WHITESPACE = re.compile(r"\s+")


def _sentence_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    spans = []
    cursor = start
    for match in _SENTENCE_END.finditer(text, start, end):
        spans.append((cursor, match.start() + len(match.group(0).rstrip())))
        cursor = match.end()
    if cursor < end:
        spans.append((cursor, end))
    return spans


def passage_spans(text: str, max_chars: int = 600) -> list[tuple[int, int]]:
    """The ``(start, end)`` of each passage of ``text``, in order.

    A passage is a paragraph; a paragraph longer than ``max_chars`` is packed sentence by
    sentence into passages of at most this length (a single longer sentence stays whole).
    """
    spans: list[tuple[int, int]] = []
    for para in _PARAGRAPH.finditer(text):
        if para.end() - para.start() <= max_chars:
            spans.append((para.start(), para.end()))
            continue
        chunk_start: int | None = None
        chunk_end = para.start()
        for s, e in _sentence_spans(text, para.start(), para.end()):
            if chunk_start is not None and e - chunk_start > max_chars:
                spans.append((chunk_start, chunk_end))
                chunk_start = None
            if chunk_start is None:
                chunk_start = s
            chunk_end = e
        if chunk_start is not None:
            spans.append((chunk_start, chunk_end))
    return spans


def chunk_spans(text: str, max_chars: int, passage_chars: int = 600) -> list[tuple[int, int]]:
    """Cut ``text`` into consecutive chunks of whole passages, each at most ``max_chars``.

    The chunks cover the text exactly (``"".join(text[s:e] for s, e in chunks) == text``)
    and each starts where a passage starts or ends (the whitespace between two passages
    goes with either). A single passage longer than ``max_chars`` (one very long sentence)
    is cut at the last whitespace before the limit, or at the limit when there is none.

    Args:
        text: The article body.
        max_chars: The longest chunk wanted.
        passage_chars: The passage size of :func:`passage_spans`.

    Returns:
        ``[(0, len(text))]`` for a text of at most ``max_chars``; ``[]`` for an empty one.
    """
    if not text:
        return []
    if len(text) <= max_chars:
        return [(0, len(text))]
    cuts: list[int] = [0]  # where a chunk may start: passage starts and ends
    for start, end in passage_spans(text, min(passage_chars, max_chars)):
        cursor = start
        while end - cursor > max_chars:  # one sentence longer than a chunk
            cursor = _last_space_before(text, cursor, cursor + max_chars)
            cuts.append(cursor)
        cuts += [start, end]
    cuts = sorted({c for c in cuts if 0 < c < len(text)})
    chunks: list[tuple[int, int]] = []
    chunk_start = 0
    previous = 0
    for cut in [*cuts, len(text)]:
        if cut - chunk_start > max_chars and previous > chunk_start:
            chunks.append((chunk_start, previous))
            chunk_start = previous
        previous = cut
    chunks.append((chunk_start, len(text)))
    return chunks


def _last_space_before(text: str, start: int, limit: int) -> int:
    """The end of the last whitespace run in ``text[start + 1:limit]``, else ``limit``."""
    last = None
    for match in _WHITESPACE.finditer(text, start + 1, limit):
        last = match.end()
    return last if last is not None and last < limit else limit
