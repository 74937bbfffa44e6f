"""``kg check``: compare the graph with the vectors, and mend what a crash left between them.

:meth:`IngestPipeline.store` writes the vectors first, then the graph in one transaction,
then deletes a replaced version's stale vectors. A crash between those steps leaves the
graph whole (an article is in it entirely or not at all) but the vectors out of step:

- ``orphan_vector``: a point whose passage the graph does not hold (the article's graph
  write never committed, or its replaced version's stale vectors were not deleted yet).
  Search never shows it (a vector hit is shown through its graph passage); repair deletes it.
- ``outdated_vector``: a point whose payload differs from its graph passage (text, article,
  offsets, mentioned entities, article metadata): the vectors of a new version were written,
  its graph write was not. Repair re-embeds the graph's text with the graph's payload.
- ``missing_vector``: a graph passage without a point (a repair or delete cut short, or
  a vector store restored from an older copy). Repair embeds it.

Both stores are read in bounded pages: the vectors by scrolling (each page's ids looked up
in the graph), the graph by articles in id order (each page's passages looked up in the
vectors), so memory stays flat however large the stores are.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, get_args

from kg.core.errors import ConfigurationError
from kg.core.models import VectorFilter, VectorHit
from kg.core.ports import ConsistencyGraph, VectorStore
from kg.core.records import CheckScope, StoredPassage
from kg.ingest.pipeline import PassageEmbedder
from kg.vectors.payload import PassagePayload, passage_payload, passage_point

ProblemKind = Literal["orphan_vector", "outdated_vector", "missing_vector"]
PROBLEM_KINDS: tuple[ProblemKind, ...] = get_args(ProblemKind)

PAGE_SIZE = 256  # points (or passages) per round trip to either store
ARTICLE_PAGE = 64  # articles per graph page; their passages are looked up PAGE_SIZE at a time
MAX_LISTED = 1000  # problems listed in a report; the counts cover every one


@dataclass(frozen=True, slots=True)
class Problem:
    """One disagreement between the stores, about one passage id.

    Attributes:
        kind: What is wrong (see the module docstring).
        passage_id: The passage (and point) id.
        article_id: The article the graph (or else the payload) puts it in.
        detail: The payload keys that differ, for an outdated vector.
    """

    kind: ProblemKind
    passage_id: str
    article_id: str
    detail: str = ""


@dataclass(frozen=True, slots=True)
class CheckReport:
    """What ``kg check`` found (and mended, with ``--repair``).

    Attributes:
        articles: Articles in the graph (in scope).
        passages: Their passages in the graph.
        points: Points in the vector store (in scope), before any repair.
        found: Problems found, by kind (every kind is a key).
        problems: The first :data:`MAX_LISTED` problems.
        repaired: Problems mended, by kind; None when no repair was asked for.
    """

    articles: int
    passages: int
    points: int
    found: Mapping[str, int]
    problems: tuple[Problem, ...] = ()
    repaired: Mapping[str, int] | None = None

    @property
    def total(self) -> int:
        """Problems found."""
        return sum(self.found.values())

    @property
    def remaining(self) -> int:
        """Problems found and not mended."""
        return self.total - sum((self.repaired or {}).values())

    def to_dict(self) -> dict[str, Any]:
        """The report as JSON (what ``GET /admin/check`` answers)."""
        return {
            "articles": self.articles,
            "passages": self.passages,
            "points": self.points,
            "found": dict(self.found),
            "problems": [dataclasses.asdict(p) for p in self.problems],
            "repaired": None if self.repaired is None else dict(self.repaired),
        }

    @classmethod
    def from_dict(cls, body: Mapping[str, Any]) -> CheckReport:
        """Read :meth:`to_dict`'s JSON back."""
        repaired = body.get("repaired")
        return cls(
            articles=int(body["articles"]),
            passages=int(body["passages"]),
            points=int(body["points"]),
            found={str(k): int(v) for k, v in body["found"].items()},
            problems=tuple(
                Problem(
                    kind=p["kind"],
                    passage_id=str(p["passage_id"]),
                    article_id=str(p["article_id"]),
                    detail=str(p.get("detail") or ""),
                )
                for p in body.get("problems") or ()
            ),
            repaired=None if repaired is None else {str(k): int(v) for k, v in repaired.items()},
        )

    def lines(self) -> list[str]:
        """The report for people: counts, then one line per listed problem."""
        out = [
            f"graph: {self.articles} article(s), {self.passages} passage(s); "
            f"vectors: {self.points} point(s)",
            ", ".join(
                f"{kind.replace('_', ' ')}s: {self.found.get(kind, 0)}" for kind in PROBLEM_KINDS
            ),
        ]
        for p in self.problems:
            detail = f" ({p.detail})" if p.detail else ""
            out.append(f"{p.kind}: passage {p.passage_id} of article {p.article_id}{detail}")
        if self.total > len(self.problems):
            out.append(f"... and {self.total - len(self.problems)} more")
        if self.repaired is not None:
            mended = ", ".join(
                f"{n} {kind.replace('_', ' ')}(s)" for kind, n in self.repaired.items() if n
            )
            out.append(f"repaired: {mended or 'nothing to repair'}")
        if self.remaining:
            out.append(f"inconsistent: {self.remaining} problem(s)")
        else:
            out.append(
                "consistent" if self.repaired is None or not self.total else "consistent now"
            )
        return out


@dataclass
class _Tally:
    """What a run has seen so far (mutable, private to one run)."""

    articles: int = 0
    passages: int = 0
    points: int = 0
    found: Counter[str] = field(default_factory=Counter)
    repaired: Counter[str] = field(default_factory=Counter)
    problems: list[Problem] = field(default_factory=list)

    def add(self, problems: Iterable[Problem], max_listed: int) -> None:
        for problem in problems:
            self.found[problem.kind] += 1
            if len(self.problems) < max_listed:
                self.problems.append(problem)


class ConsistencyChecker:
    """Compares the graph's passages with the vector store's points; mends on request.

    Args:
        graph: The graph's consistency reads.
        vectors: The vector store.
        embedder: Embeds the passages a repair re-writes (not needed to check).
        page_size: Points or passages per round trip.
        max_listed: Problems listed in a report (all are counted, and all are repaired).
    """

    def __init__(
        self,
        graph: ConsistencyGraph,
        vectors: VectorStore,
        embedder: PassageEmbedder | None = None,
        page_size: int = PAGE_SIZE,
        max_listed: int = MAX_LISTED,
    ) -> None:
        self._graph = graph
        self._vectors = vectors
        self._embedder = embedder
        self._page_size = page_size
        self._max_listed = max_listed

    def check(self, scope: CheckScope | None = None) -> CheckReport:
        """Compare the stores; write nothing."""
        return self._run(scope or CheckScope(), repair=False)

    def repair(self, scope: CheckScope | None = None) -> CheckReport:
        """Compare the stores and mend every problem: delete orphan vectors, (re-)embed the
        passages whose point is missing or outdated from the graph's text and metadata.

        Raises:
            ConfigurationError: no embedder was given.
        """
        if self._embedder is None:
            raise ConfigurationError("kg check --repair needs the passage embedder")
        return self._run(scope or CheckScope(), repair=True)

    # ------------------------------------------------------------------ passes

    def _run(self, scope: CheckScope, repair: bool) -> CheckReport:
        tally = _Tally()
        # Orphans first, so the graph pass never re-embeds a point a repair then deletes.
        self._vector_pass(scope, repair, tally)
        self._graph_pass(scope, repair, tally)
        return CheckReport(
            articles=tally.articles,
            passages=tally.passages,
            points=tally.points,
            found={kind: tally.found[kind] for kind in PROBLEM_KINDS},
            problems=tuple(tally.problems),
            repaired={kind: tally.repaired[kind] for kind in PROBLEM_KINDS} if repair else None,
        )

    def _vector_pass(self, scope: CheckScope, repair: bool, tally: _Tally) -> None:
        """Scroll the points; a point whose passage the graph lacks is an orphan."""
        flt = VectorFilter(article_ids=scope.article_ids) if scope.article_ids else None
        offset: str | None = None
        while True:
            page = self._vectors.scan(offset, self._page_size, flt)
            hits = [h for h in page.points if _in_scope(h, scope)]
            tally.points += len(hits)
            existing = self._graph.existing_passage_ids([h.id for h in hits])
            orphans = [h for h in hits if h.id not in existing]
            tally.add(
                (
                    Problem("orphan_vector", h.id, str(h.payload.get("article_id") or ""))
                    for h in orphans
                ),
                self._max_listed,
            )
            if repair and orphans:
                self._vectors.delete([h.id for h in orphans])
                tally.repaired["orphan_vector"] += len(orphans)
            if page.next_offset is None:
                return
            offset = page.next_offset

    def _graph_pass(self, scope: CheckScope, repair: bool, tally: _Tally) -> None:
        """Page through the articles; look their passages up among the points."""
        after: str | None = None
        while True:
            article_ids = self._graph.article_ids_after(scope, after, ARTICLE_PAGE)
            if not article_ids:
                return
            tally.articles += len(article_ids)
            stored = self._graph.stored_passages(article_ids)
            tally.passages += len(stored)
            for start in range(0, len(stored), self._page_size):
                self._compare(stored[start : start + self._page_size], repair, tally)
            after = article_ids[-1]

    def _compare(self, chunk: Sequence[StoredPassage], repair: bool, tally: _Tally) -> None:
        points = {h.id: h for h in self._vectors.retrieve([s.passage.id for s in chunk])}
        problems: list[Problem] = []
        stale: list[StoredPassage] = []
        for stored in chunk:
            passage_id, article_id = stored.passage.id, stored.article.id
            hit = points.get(passage_id)
            if hit is None:
                problems.append(Problem("missing_vector", passage_id, article_id))
            else:
                differ = _differences(
                    passage_payload(stored), PassagePayload.from_dict(hit.payload, hit.id)
                )
                if not differ:
                    continue
                problems.append(
                    Problem(
                        "outdated_vector", passage_id, article_id, ", ".join(differ) + " differ"
                    )
                )
            stale.append(stored)
        tally.add(problems, self._max_listed)
        if repair and stale:
            assert self._embedder is not None  # repair() checked it
            vectors = self._embedder.embed([s.passage.text for s in stale])
            self._vectors.upsert([passage_point(s, v) for s, v in zip(stale, vectors, strict=True)])
            tally.repaired.update(p.kind for p in problems)


def _in_scope(hit: VectorHit, scope: CheckScope) -> bool:
    """Whether a point's payload puts it in scope (the article ids were filtered already)."""
    if scope.url_prefix is None:
        return True
    url = hit.payload.get("url")
    return isinstance(url, str) and url.startswith(scope.url_prefix)


def _differences(expected: PassagePayload, actual: PassagePayload) -> list[str]:
    """The payload keys whose values differ."""
    return [
        f.name
        for f in dataclasses.fields(PassagePayload)
        if getattr(expected, f.name) != getattr(actual, f.name)
    ]


__all__ = [
    "ARTICLE_PAGE",
    "MAX_LISTED",
    "PAGE_SIZE",
    "PROBLEM_KINDS",
    "CheckReport",
    "ConsistencyChecker",
    "Problem",
    "ProblemKind",
]
