"""Both Qdrant adapters against the same VectorStore contract (no services needed).

qdrant-edge runs in-process on a directory; qdrant-client runs in its local mode on a
directory. Each test opens real stores in ``tmp_path``.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest

from kg.core.config import get_settings
from kg.core.errors import ConfigurationError, ServiceUnavailableError, VectorSizeMismatchError
from kg.core.identity import stable_id
from kg.core.models import VectorFilter, VectorHit, VectorPoint
from kg.core.ports import VectorStore
from kg.vectors.factory import open_vector_store
from kg.vectors.qdrant_edge import QdrantEdgeStore
from kg.vectors.qdrant_server import QdrantClientStore

DIM = 4
StoreFactory = Callable[[], VectorStore]


def _unit(*xs: float) -> tuple[float, ...]:
    norm = math.sqrt(sum(x * x for x in xs))
    return tuple(x / norm for x in xs)


def _pid(name: str) -> str:
    return stable_id(f"https://example.org/passage/{name}")


ARTICLE_A = stable_id("https://example.org/article/a")
ARTICLE_B = stable_id("https://example.org/article/b")
ENTITY_X = stable_id("https://example.org/entity/x")
ENTITY_Y = stable_id("https://example.org/entity/y")
ENTITY_Z = stable_id("https://example.org/entity/z")


def _point(
    name: str,
    vector: tuple[float, ...],
    article: str,
    entities: list[str],
    published: date | None,
) -> VectorPoint:
    payload: dict[str, object] = {
        "passage_id": _pid(name),
        "article_id": article,
        "text": f"passage {name}",
        "entity_ids": entities,
        "published": published.isoformat() if published else None,
    }
    if published is not None:
        payload["published_day"] = published.toordinal()
    return VectorPoint(id=_pid(name), vector=vector, payload=payload)


POINTS = [
    _point("p1", _unit(1, 0, 0, 0), ARTICLE_A, [ENTITY_X], date(2024, 1, 10)),
    _point("p2", _unit(1, 1, 0, 0), ARTICLE_A, [ENTITY_X, ENTITY_Y], date(2024, 1, 10)),
    _point("p3", _unit(1, 1, 1, 0), ARTICLE_B, [ENTITY_Y], date(2024, 3, 5)),
    _point("p4", _unit(0, 0, 0, 1), ARTICLE_B, [], None),
]
QUERY = _unit(1, 0, 0, 0)  # cosine order: p1 > p2 > p3 > p4


@pytest.fixture(params=["edge", "client"])
def open_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[StoreFactory]:
    """A factory opening a store on the same directory each time; all are closed after."""
    opened: list[VectorStore] = []

    def factory() -> VectorStore:
        store: VectorStore
        if request.param == "edge":
            store = QdrantEdgeStore(tmp_path / "edge", "passages")
        else:
            store = QdrantClientStore("passages", path=tmp_path / "client")
        opened.append(store)
        return store

    yield factory
    for store in opened:
        store.close()


@pytest.fixture
def store(open_store: StoreFactory) -> VectorStore:
    s = open_store()
    s.bootstrap(DIM)
    s.upsert(POINTS)
    return s


def _ids(hits: list[VectorHit]) -> list[str]:
    return [h.id for h in hits]


def test_search_returns_best_first_with_cosine_scores(store: VectorStore) -> None:
    hits = store.search(QUERY, limit=10)
    assert _ids(hits) == [_pid("p1"), _pid("p2"), _pid("p3"), _pid("p4")]
    assert hits[0].score == pytest.approx(1.0, abs=1e-5)
    assert hits[1].score == pytest.approx(1 / math.sqrt(2), abs=1e-5)
    assert hits[3].score == pytest.approx(0.0, abs=1e-5)
    assert hits[0].payload["text"] == "passage p1"
    assert list(hits[1].payload["entity_ids"]) == [ENTITY_X, ENTITY_Y]


def test_search_respects_limit(store: VectorStore) -> None:
    assert _ids(store.search(QUERY, limit=2)) == [_pid("p1"), _pid("p2")]


def test_filter_by_article(store: VectorStore) -> None:
    hits = store.search(QUERY, limit=10, flt=VectorFilter(article_ids=(ARTICLE_B,)))
    assert _ids(hits) == [_pid("p3"), _pid("p4")]


def test_excluded_articles_are_left_out_in_the_store(store: VectorStore) -> None:
    """Search leaves near-duplicate copies out this way: the limit counts the others only."""
    hits = store.search(QUERY, limit=2, flt=VectorFilter(exclude_article_ids=(ARTICLE_A,)))
    assert _ids(hits) == [_pid("p3"), _pid("p4")]
    flt = VectorFilter(entity_ids=(ENTITY_Y,), exclude_article_ids=(ARTICLE_B,))
    assert _ids(store.search(QUERY, limit=10, flt=flt)) == [_pid("p2")]


def test_filter_by_entities_is_any_of(store: VectorStore) -> None:
    only_y = store.search(QUERY, limit=10, flt=VectorFilter(entity_ids=(ENTITY_Y,)))
    assert _ids(only_y) == [_pid("p2"), _pid("p3")]
    x_or_z = store.search(QUERY, limit=10, flt=VectorFilter(entity_ids=(ENTITY_X, ENTITY_Z)))
    assert _ids(x_or_z) == [_pid("p1"), _pid("p2")]


def test_filter_by_date_range_is_inclusive_and_skips_undated(store: VectorStore) -> None:
    january = VectorFilter(published_from=date(2024, 1, 10), published_to=date(2024, 1, 10))
    assert _ids(store.search(QUERY, limit=10, flt=january)) == [_pid("p1"), _pid("p2")]
    since_feb = VectorFilter(published_from=date(2024, 2, 1))
    assert _ids(store.search(QUERY, limit=10, flt=since_feb)) == [_pid("p3")]
    until_feb = VectorFilter(published_to=date(2024, 2, 1))
    assert _ids(store.search(QUERY, limit=10, flt=until_feb)) == [_pid("p1"), _pid("p2")]


def test_filters_combine_with_and(store: VectorStore) -> None:
    flt = VectorFilter(article_ids=(ARTICLE_A,), entity_ids=(ENTITY_Y,))
    assert _ids(store.search(QUERY, limit=10, flt=flt)) == [_pid("p2")]


def test_retrieve_keeps_asked_order_and_skips_unknown(store: VectorStore) -> None:
    unknown = _pid("nope")
    hits = store.retrieve([_pid("p3"), unknown, _pid("p1")])
    assert _ids(hits) == [_pid("p3"), _pid("p1")]
    assert all(h.score == 0.0 for h in hits)
    assert hits[0].payload["article_id"] == ARTICLE_B


def test_delete_removes_points_and_ignores_unknown(store: VectorStore) -> None:
    store.delete([_pid("p1"), _pid("nope")])
    assert store.count() == 3
    assert _pid("p1") not in _ids(store.search(QUERY, limit=10))
    assert store.retrieve([_pid("p1")]) == []


def test_reupsert_same_id_replaces_without_growing(store: VectorStore) -> None:
    assert store.count() == 4
    changed = _point("p4", _unit(1, 0, 0, 0.01), ARTICLE_B, [ENTITY_Z], date(2024, 5, 1))
    store.upsert([changed])
    store.upsert([changed])
    assert store.count() == 4
    hits = store.retrieve([_pid("p4")])
    assert list(hits[0].payload["entity_ids"]) == [ENTITY_Z]
    assert _ids(store.search(QUERY, limit=1)) in ([_pid("p1")], [_pid("p4")])
    assert _pid("p4") in _ids(store.search(QUERY, limit=2))


def test_points_persist_after_reopen(open_store: StoreFactory) -> None:
    first = open_store()
    first.bootstrap(DIM)
    first.upsert(POINTS)
    first.close()
    second = open_store()
    assert second.count() == 4
    assert _ids(second.search(QUERY, limit=1)) == [_pid("p1")]
    second.bootstrap(DIM)  # bootstrapping an existing collection keeps its points
    assert second.count() == 4


def test_bootstrap_with_another_size_raises(open_store: StoreFactory) -> None:
    first = open_store()
    first.bootstrap(DIM)
    first.close()
    second = open_store()
    with pytest.raises(VectorSizeMismatchError) as info:
        second.bootstrap(DIM + 1)
    assert info.value.expected == DIM + 1
    assert info.value.actual == DIM


def test_upsert_of_wrong_size_raises(store: VectorStore) -> None:
    bad = VectorPoint(id=_pid("bad"), vector=(1.0, 0.0), payload={})
    with pytest.raises(VectorSizeMismatchError):
        store.upsert([bad])
    assert store.count() == 4


def test_missing_collection_reads_as_empty(open_store: StoreFactory) -> None:
    fresh = open_store()
    fresh.ping()
    assert fresh.count() == 0
    assert fresh.search(QUERY, limit=5) == []
    assert fresh.retrieve([_pid("p1")]) == []
    fresh.delete([_pid("p1")])


def test_first_upsert_creates_the_collection(open_store: StoreFactory) -> None:
    fresh = open_store()
    fresh.upsert(POINTS[:2])
    assert fresh.count() == 2


def test_open_vector_store_picks_adapter_without_io(tmp_path: Path) -> None:
    settings = get_settings(var_dir=tmp_path, qdrant_url=None)
    embedded = open_vector_store(settings)
    assert isinstance(embedded, QdrantEdgeStore)
    assert embedded.directory == settings.qdrant_path / settings.qdrant_collection
    assert not embedded.directory.exists()
    remote = open_vector_store(get_settings(var_dir=tmp_path, qdrant_url="http://127.0.0.1:9"))
    assert isinstance(remote, QdrantClientStore)


def test_client_store_needs_exactly_one_target(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError):
        QdrantClientStore("passages")
    with pytest.raises(ConfigurationError):
        QdrantClientStore("passages", url="http://127.0.0.1:9", path=tmp_path)


def test_unreachable_server_is_service_unavailable() -> None:
    # Port 9 (discard) on loopback: nothing listens there, so the connection is refused.
    store = QdrantClientStore("passages", url="http://127.0.0.1:9", timeout=2)
    try:
        with pytest.raises(ServiceUnavailableError) as info:
            store.ping()
        assert info.value.service == "qdrant"
        with pytest.raises(ServiceUnavailableError):
            store.bootstrap(DIM)
    finally:
        store.close()


def test_edge_shard_held_open_elsewhere_is_service_unavailable(tmp_path: Path) -> None:
    holder = QdrantEdgeStore(tmp_path, "passages")
    holder.bootstrap(DIM)
    other = QdrantEdgeStore(tmp_path, "passages")
    try:
        with pytest.raises(ServiceUnavailableError):
            other.count()
    finally:
        holder.close()
    assert other.count() == 0
    other.close()


def _scan_all(store: VectorStore, limit: int, flt: VectorFilter | None = None) -> list[list[str]]:
    pages, offset = [], None
    while True:
        page = store.scan(offset, limit, flt)
        pages.append([h.id for h in page.points])
        if page.next_offset is None:
            return pages
        offset = page.next_offset


def test_scan_pages_through_every_point_once_with_payloads(store: VectorStore) -> None:
    pages = _scan_all(store, limit=3)
    assert [len(p) for p in pages] == [3, 1]
    assert sorted(i for p in pages for i in p) == sorted(p.id for p in POINTS)
    first = store.scan(None, 1)
    assert first.points[0].payload["passage_id"] == first.points[0].id
    assert _scan_all(store, limit=10) == [sorted(p.id for p in POINTS)]


def test_scan_filters_by_article_and_reads_a_missing_collection_as_empty(
    store: VectorStore, open_store: StoreFactory
) -> None:
    pages = _scan_all(store, limit=1, flt=VectorFilter(article_ids=(ARTICLE_B,)))
    assert sorted(i for p in pages for i in p) == sorted([_pid("p3"), _pid("p4")])
    assert store.scan(None, 0).points == ()
