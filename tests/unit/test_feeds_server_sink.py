"""ServerSink: articles go to the running server's ingest jobs; copies are decided here."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from kg.core.errors import ServiceUnavailableError
from kg.core.models import Article, GraphRows, RelRow
from kg.feeds.server_sink import ServerSink
from kg.ingest.dedup import Deduplicator, NearDuplicateIndex
from kg.ingest.dedup_store import SqliteDedupStore
from kg.ingest.server_client import ServerIngestReport
from tests.feeds_support import gold

STORY = gold("port-strike")


def _report(stored: int, state: str = "done", errors: tuple[str, ...] = ()) -> ServerIngestReport:
    return ServerIngestReport(
        job_id="j", stored=stored, created=stored, passages=0, actions=0,
        rejected=len(errors), errors=errors, state=state,
    )  # fmt: skip


class FakeServer:
    """Answers each job from a script; remembers what it was sent."""

    def __init__(self, answers: list[ServerIngestReport | Exception]) -> None:
        self.answers = answers
        self.sent: list[Article] = []

    def run(self, records: Sequence[Article]) -> ServerIngestReport:
        self.sent.extend(records)
        answer = self.answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer


class FakeGraph:
    def __init__(self) -> None:
        self.rels: list[RelRow] = []

    def write(self, rows: GraphRows, *, replacing: str | None = None) -> tuple[str, ...]:
        self.rels.extend(rows.relationships)
        return ()


def test_server_sink_sends_new_articles_and_keeps_copies_back(tmp_path: Path) -> None:
    store = SqliteDedupStore(tmp_path / "dedup.sqlite")
    server = FakeServer(
        [
            _report(1),
            _report(1),
            _report(0, errors=("feed:x: article failed validation",)),
            _report(0, state="failed", errors=("batch of 1: Neo4j is unavailable",)),
            ServiceUnavailableError("newskg server", "connection refused"),
        ]
    )
    graph = FakeGraph()
    sink = ServerSink(server, Deduplicator(NearDuplicateIndex(), store), graph=graph)  # type: ignore[arg-type]
    original = Article(title="Strike", body=STORY, url="https://example.org/a")
    wire = Article(
        title="Wire", body="\n\n".join(STORY.split("\n\n")[:4]), url="https://wire.example/b"
    )
    mirror = Article(title="Mirror", body=STORY, url="https://mirror.example/c")
    bad = Article(title="Bad", body="Something else entirely.", url="https://example.org/d")
    down = Article(title="Down", body="Another story again.", url="https://example.org/e")
    gone = Article(title="Gone", body="A third different story.", url="https://example.org/f")
    outcomes = sink.ingest([original, wire, mirror, bad, down, gone])
    assert [o.status for o in outcomes] == [
        "stored", "stored", "duplicate", "rejected", "failed", "failed",
    ]  # fmt: skip
    assert outcomes[1].duplicate_of == original.id
    assert outcomes[2].article_id == original.id
    assert "failed validation" in outcomes[3].detail
    assert [a.title for a in server.sent] == ["Strike", "Wire", "Bad", "Down", "Gone"]
    assert graph.rels == [RelRow("DUPLICATE_OF", wire.id, original.id)]
    store.close()
