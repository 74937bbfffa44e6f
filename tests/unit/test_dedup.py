"""One story, many copies: canonical URLs, exact and near-duplicate detection, persistence."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from pathlib import Path

import pytest

from kg.core.errors import ServiceUnavailableError, ValidationFailedError
from kg.core.models import Article, GraphRows, RelRow
from kg.feeds.sink import PipelineSink
from kg.ingest.dedup import (
    Deduplicator,
    NearDuplicateIndex,
    Signature,
    canonical_url,
    estimate_containment,
    text_fingerprint,
)
from kg.ingest.dedup_store import SqliteDedupStore
from tests.feeds_support import gold

STORY = gold("port-strike")
OTHER = gold("ceasefire-talks")


@pytest.mark.parametrize(
    ("url", "canonical"),
    [
        (
            "HTTPS://Example.ORG/News/A?utm_source=x&utm_medium=rss#top",
            "https://example.org/News/A",
        ),
        ("http://example.org:80/a?id=7&fbclid=abc", "http://example.org/a?id=7"),
        ("https://example.org:8443/a?b=2&a=1", "https://example.org:8443/a?b=2&a=1"),
        ("https://example.org", "https://example.org/"),
    ],
)
def test_canonical_url(url: str, canonical: str) -> None:
    assert canonical_url(url) == canonical


def test_fingerprint_ignores_case_spacing_and_punctuation() -> None:
    assert text_fingerprint("Hello,   World!\n\nAgain.") == text_fingerprint("hello world again")
    assert text_fingerprint("hello world") != text_fingerprint("hello there world")


def _article(body: str, url: str | None, title: str = "Headline") -> Article:
    return Article(title=title, body=body, url=url)


def _trimmed(text: str, share: float) -> str:
    paras = text.split("\n\n")
    return "\n\n".join(paras[: max(1, round(len(paras) * share))])


def test_index_finds_retitled_trimmed_and_lightly_edited_copies_not_other_stories() -> None:
    index = NearDuplicateIndex()
    index.add("original", index.signature(STORY))
    index.add("other", index.signature(OTHER))
    edited = STORY.replace("Thousands of", "Hundreds of").replace("Monday", "Tuesday")
    for copy in (STORY, _trimmed(STORY, 0.6), edited):
        (match,) = index.query(index.signature(copy))
        assert match.key == "original"
    assert index.query(index.signature("A completely different text about football.")) == []


def test_signature_round_trips_through_bytes() -> None:
    index = NearDuplicateIndex(num_perm=64)
    signature = index.signature(STORY)
    assert Signature.from_bytes(signature.to_bytes(), signature.shingles) == signature
    assert len(signature.hashvalues) == 64


def test_containment_of_a_subset() -> None:
    # A has 100 shingles, B is 60 of them: J = 0.6, containment of B in A = 1.
    assert estimate_containment(0.6, 100, 60) == pytest.approx(1.0)


def _dedup(path: Path) -> tuple[Deduplicator, SqliteDedupStore]:
    store = SqliteDedupStore(path)
    return Deduplicator(NearDuplicateIndex(), store), store


def test_decisions_and_their_survival_across_a_restart(tmp_path: Path) -> None:
    path = tmp_path / "dedup.sqlite"
    dedup, store = _dedup(path)
    original = _article(STORY, "https://example.org/a/strike")
    first = dedup.check(original)
    assert first.kind == "new" and first.store
    dedup.record(first)
    store.close()

    dedup, store = _dedup(path)  # a new process: signatures come back from the file
    try:
        same_page = _article(STORY, "HTTPS://EXAMPLE.org/a/strike?utm_campaign=x#c")
        assert dedup.check(same_page).kind == "seen"
        elsewhere = _article(STORY.upper(), "https://mirror.example.net/strike", "Other title")
        copy = dedup.check(elsewhere)
        assert (copy.kind, copy.original_id, copy.store) == ("same_text", original.id, False)
        updated = _article(STORY + "\n\nThe strike ended on Friday.", original.url)
        assert dedup.check(updated).kind == "updated"
        wire = _article(_trimmed(STORY, 0.7), "https://wire.example.com/x", "New headline")
        near = dedup.check(wire)
        assert (near.kind, near.original_id, near.store) == ("near_duplicate", original.id, True)
        dedup.record(near)
        assert store.duplicate_of(wire.id) == original.id
        assert store.duplicate_links()[0][:2] == (wire.id, original.id)
        assert dedup.check(_article(OTHER, "https://example.org/a/congo")).kind == "new"
    finally:
        store.close()


def test_a_second_process_sees_signatures_recorded_by_the_first(tmp_path: Path) -> None:
    path = tmp_path / "dedup.sqlite"
    one, store_one = _dedup(path)
    two, store_two = _dedup(path)
    try:
        assert two.check(_article(OTHER, None)).kind == "new"  # loads (nothing) first
        one.record(one.check(_article(STORY, "https://example.org/a/strike")))
        near = two.check(_article(_trimmed(STORY, 0.7), "https://wire.example.com/x"))
        assert near.kind == "near_duplicate"
    finally:
        store_one.close()
        store_two.close()


@dataclasses.dataclass
class _Report:
    article_id: str


class FakePipeline:
    """Stands in for IngestPipeline.ingest_article."""

    def __init__(self, errors: Sequence[Exception] = ()) -> None:
        self.stored: list[Article] = []
        self.errors = list(errors)

    def ingest_article(self, article: Article) -> _Report:
        if self.errors:
            raise self.errors.pop(0)
        self.stored.append(article)
        return _Report(article.id)


class FakeGraph:
    """Records what the sink writes to the graph."""

    def __init__(self) -> None:
        self.rels: list[RelRow] = []

    def write(self, rows: GraphRows, *, replacing: str | None = None) -> tuple[str, ...]:
        self.rels.extend(rows.relationships)
        return ()


def test_pipeline_sink_skips_copies_links_near_duplicates_and_sorts_errors(
    tmp_path: Path,
) -> None:
    dedup, store = _dedup(tmp_path / "dedup.sqlite")
    pipeline, graph = FakePipeline(), FakeGraph()
    sink = PipelineSink(pipeline, dedup, graph=graph)  # type: ignore[arg-type]
    original = _article(STORY, "https://example.org/a/strike")
    wire = _article(_trimmed(STORY, 0.7), "https://wire.example.com/x", "New headline")
    mirror = _article(STORY, "https://mirror.example.net/strike")
    outcomes = sink.ingest([original, wire, mirror])
    assert [o.status for o in outcomes] == ["stored", "stored", "duplicate"]
    assert outcomes[1].duplicate_of == original.id
    assert outcomes[2].article_id == original.id
    assert [a.id for a in pipeline.stored] == [original.id, wire.id]
    assert graph.rels == [RelRow("DUPLICATE_OF", wire.id, original.id)]

    pipeline.errors = [
        ServiceUnavailableError("Neo4j", "connection refused"),
        ValidationFailedError("x", ["bad"]),
    ]
    one, two = _article(OTHER, "https://example.org/1"), _article(OTHER + " Two.", None)
    failed, rejected = sink.ingest([one, two])
    assert (failed.status, failed.settled) == ("failed", False)
    assert (rejected.status, rejected.settled) == ("rejected", True)
    # A failed article was not recorded: it is new next time.
    assert dedup.check(one).kind == "new"
    store.close()
