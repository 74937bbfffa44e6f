"""bench/scale.py's results: latencies, checkpoints, the state kept between stages, the report."""

from __future__ import annotations

import json
import statistics
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True, slots=True)
class Latency:
    """Latencies of one kind of request, in milliseconds."""

    p50: float
    p95: float

    @classmethod
    def of(cls, samples: list[float]) -> Latency:
        """p50 and p95 (nearest rank) of samples in seconds."""
        ordered = sorted(samples)
        rank95 = max(0, int(round(0.95 * len(ordered))) - 1)
        return cls(p50=1000 * statistics.median(ordered), p95=1000 * ordered[rank95])

    def __str__(self) -> str:
        return f"p50 {self.p50:7.1f} ms  p95 {self.p95:7.1f} ms"


@dataclass(frozen=True, slots=True)
class Checkpoint:
    """What one checkpoint measured."""

    articles: int
    rate: float
    rest: Latency
    graphql: Latency
    entity: Latency
    neo4j_mb: float
    qdrant_mb: float
    load: float
    """The machine's 1-minute load average: the bench shares its cores with other work."""

    @classmethod
    def nan(cls) -> Checkpoint:
        """A checkpoint that measured nothing (no ingest rate yet)."""
        nothing = Latency(float("nan"), float("nan"))
        return cls(0, float("nan"), nothing, nothing, nothing, 0.0, 0.0, 0.0)


def load_state(path: Path) -> dict[str, Any]:
    """What earlier stages kept: their ports and checkpoints (empty on a first run)."""
    if not path.is_file():
        return {}
    return dict(json.loads(path.read_text(encoding="utf-8")))


def points_of(state: dict[str, Any]) -> dict[int, Checkpoint]:
    """The checkpoints an earlier stage measured, by their number of articles."""
    out = {}
    for saved in state.get("points", []):
        raw = {k: v for k, v in saved.items() if k != "checkpoint"}
        point = Checkpoint(
            **{
                **raw,
                "rest": Latency(**raw["rest"]),
                "graphql": Latency(**raw["graphql"]),
                "entity": Latency(**raw["entity"]),
            }
        )
        out[int(saved.get("checkpoint", point.articles))] = point
    return out


def save_state(
    path: Path, ports: dict[str, str], points: dict[int, Checkpoint], lines: int
) -> None:
    """Keep the ports, the corpus lines ingested and every checkpoint so far."""
    state = {
        "ports": ports,
        "lines": lines,
        "points": [{**asdict(points[n]), "checkpoint": n} for n in sorted(points)],
    }
    path.write_text(json.dumps(state, indent=1) + "\n", encoding="utf-8")


def report(points: list[Checkpoint]) -> None:
    """The table of checkpoints and the goals' ratios."""
    print()
    print(
        "articles  ingest/s  REST /search p50/p95  GraphQL search p50/p95  entity p50/p95  "
        "Neo4j MB  Qdrant MB  load"
    )
    for p in points:
        print(
            f"{p.articles:8d}  {p.rate:8.2f}  {p.rest.p50:8.1f} / {p.rest.p95:6.1f}  "
            f"{p.graphql.p50:10.1f} / {p.graphql.p95:6.1f}  "
            f"{p.entity.p50:6.1f} / {p.entity.p95:5.1f}  {p.neo4j_mb:8.1f}  {p.qdrant_mb:9.1f}  "
            f"{p.load:4.1f}"
        )
    first, last = points[0], points[-1]
    if len(points) > 1:
        print(
            f"ingest rate {last.articles} / {first.articles}: "
            f"{last.rate / first.rate:.2f} (goal >= 0.9)"
        )
        print(
            f"REST search p95 {last.articles} / {first.articles}: "
            f"{last.rest.p95 / first.rest.p95:.2f} (goal <= 1.5)"
        )
        print(
            f"GraphQL search p95 {last.articles} / {first.articles}: "
            f"{last.graphql.p95 / first.graphql.p95:.2f} (goal <= 1.5)"
        )
    print(
        f"REST /search at {last.articles}: p50 {last.rest.p50:.1f} ms (goal <= 50), "
        f"p95 {last.rest.p95:.1f} ms (goal <= 100)"
    )
