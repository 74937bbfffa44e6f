"""Articles of our own for the news tests over the real stores.

- :data:`RELEASE_STORY`, a wire story (six paragraphs) about the ELN freeing soldiers, and
  :func:`wire_copy`, the same story republished under another headline with its ending
  trimmed: a near-duplicate that the feed sink links ``DUPLICATE_OF`` the story;
- :data:`EXCHANGE_A` / :data:`EXCHANGE_B`, two outlets' own reports of one prisoner
  exchange agreement: one event, two sources.

Every article carries a publication date no other test uses (:data:`STORY_DAY`), so a
search or an ``actions`` query filtered to it sees only this test's articles, whatever
else the shared Neo4j holds.
"""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

from kg.core.errors import NotFoundError
from kg.core.models import Article
from kg.feeds.sink import PipelineSink
from kg.ingest.dedup import Deduplicator, NearDuplicateIndex
from kg.ingest.dedup_store import SqliteDedupStore
from kg.services import Services

STORY_DAY = date(2019, 5, 17)

RELEASE_STORY = "\n\n".join(
    (
        "The National Liberation Army (ELN) freed twelve soldiers it had held in the "
        "mountains of Arauca, the Colombian army said on Friday.",
        "Colombian President Gustavo Petro thanked the Catholic Church and the United "
        "Nations for mediating the release, and accused the ELN of delaying it for weeks.",
        "The rebels handed the soldiers to a humanitarian commission near the Venezuelan "
        "border. Doctors said all twelve were in good health.",
        "Petro's government and the ELN have held talks since 2022, and the ELN announced a "
        "unilateral ceasefire for the regional elections.",
        "Analysts in Bogota said the release could open the way for a new round of "
        "negotiations in Mexico City, although several ELN commanders rejected any "
        "disarmament.",
        "The army said it would continue its operations against other armed groups in the "
        "region, including dissidents of the former FARC.",
    )
)

EXCHANGE_A = (
    "The Colombian government and the National Liberation Army (ELN) signed a prisoner "
    "exchange agreement in Caracas on Monday, mediators said."
)
EXCHANGE_B = (
    "Colombia's government signed a prisoner exchange accord with the National Liberation "
    "Army (ELN) in Caracas on Monday, freeing twelve captives."
)


def wire_copy(story: str = RELEASE_STORY) -> str:
    """The story as a wire service republishes it: the first four paragraphs."""
    return "\n\n".join(story.split("\n\n")[:4])


@contextmanager
def story_and_copy(services: Services, tmp_path: Path) -> Iterator[tuple[Article, Article]]:
    """Ingest :data:`RELEASE_STORY` and its wire copy through the feed sink (which links
    the copy ``DUPLICATE_OF`` the story); both are deleted when the block ends."""
    base = f"https://test.newskg.invalid/news/{uuid.uuid4()}"
    original = Article(
        title="ELN frees twelve soldiers in Arauca",
        body=RELEASE_STORY,
        url=f"{base}/story",
        published=STORY_DAY,
        source="Outlet A",
    )
    copy = Article(
        title="Twelve soldiers released by Colombian rebels",
        body=wire_copy(),
        url=f"{base}/wire",
        published=STORY_DAY,
        source="Outlet B",
    )
    store = SqliteDedupStore(tmp_path / "dedup.sqlite")
    sink = PipelineSink(
        services.pipeline, Deduplicator(NearDuplicateIndex(), store), graph=services.writer
    )
    try:
        first, second = sink.ingest([original, copy])
        assert (first.status, second.status) == ("stored", "stored"), (first, second)
        assert second.duplicate_of == original.id, second
        yield original, copy
    finally:
        store.close()
        for article in (copy, original):
            with contextlib.suppress(NotFoundError):
                services.pipeline.delete_article(article.id)
