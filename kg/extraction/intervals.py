"""A set of half-open character spans that answers "does this span overlap one of yours?"
in logarithmic time, so scanning a long text for occurrences stays linear in its length.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable


class SpanSet:
    """Half-open ``[start, end)`` spans; spans may overlap each other.

    Args:
        spans: The initial spans.
    """

    def __init__(self, spans: Iterable[tuple[int, int]] = ()) -> None:
        self._starts: list[int] = []
        self._ends: list[int] = []  # the end of each span, in start order
        self._longest = 0
        for start, end in spans:
            self.add(start, end)

    def add(self, start: int, end: int) -> None:
        """Add the span ``[start, end)``."""
        i = bisect.bisect_right(self._starts, start)
        self._starts.insert(i, start)
        self._ends.insert(i, end)
        self._longest = max(self._longest, end - start)

    def overlaps(self, start: int, end: int) -> bool:
        """Whether ``[start, end)`` overlaps a span of the set (``s < end and start < e``)."""
        # Only spans starting before ``end`` and after ``start - longest`` can overlap.
        hi = bisect.bisect_left(self._starts, end)
        lo = bisect.bisect_right(self._starts, start - self._longest - 1)
        return any(self._ends[i] > start for i in range(lo, hi))
