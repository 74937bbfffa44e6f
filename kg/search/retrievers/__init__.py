"""The three retrievers of hybrid search, each returning its own ranked passages.

- :mod:`.vector`: nearest passages to the query's embedding (Qdrant);
- :mod:`.fulltext`: BM25 over passage text (Neo4j's Lucene index);
- :mod:`.graph`: the query's entities expanded to the actions in which they play the asked
  role, to the passages evidencing them, then to the passages mentioning them.

A retriever reads, and never writes into another's results: :mod:`kg.search.fusion` fuses
the rankings and :mod:`kg.search.engine` merges the passages they read.
"""

from __future__ import annotations

from collections.abc import Mapping
from concurrent.futures import Future
from dataclasses import dataclass, field

from kg.core.records import PassageRecord
from kg.search.fusion import Ranked


@dataclass(frozen=True, slots=True)
class Retrieved:
    """One retriever's answer.

    Attributes:
        ranked: Passage ids with the retriever's raw score (and graph path), best first,
            each id once.
        passages: The passages the retriever read on the way, by id (they spare a read
            when the fused passages are shown).
    """

    ranked: tuple[Ranked, ...] = ()
    passages: Mapping[str, PassageRecord] = field(default_factory=dict)


def first_of_each(ranked: list[Ranked]) -> tuple[Ranked, ...]:
    """First occurrence of each key (a passage can be reached by several graph paths)."""
    seen: set[str] = set()
    out = []
    for item in ranked:
        if item.key not in seen:
            seen.add(item.key)
            out.append(item)
    return tuple(out)


def merge_passages(*found: Mapping[str, PassageRecord]) -> dict[str, PassageRecord]:
    """The passages the retrievers read, the first retriever's copy winning."""
    merged: dict[str, PassageRecord] = {}
    for passages in found:
        for passage_id, passage in passages.items():
            merged.setdefault(passage_id, passage)
    return merged


def found_ids(job: Future[Retrieved]) -> list[str]:
    """The passage ids a retriever's job found; none if it failed.

    The failure is raised where the job's result is read with the others', after the
    vector job has seen it (and not embedded for a graph that is down).
    """
    if job.exception() is not None:
        return []
    return [r.key for r in job.result().ranked]
