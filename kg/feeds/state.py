"""Feed state in one sqlite file: feeds, their poll schedule and errors, and seen entries.

sqlite in WAL mode with a busy timeout, so two processes (two ``kg watch``, or
``kg feeds add`` while one watches) can use it at once. A watcher *claims* the feeds it
is about to poll in one ``BEGIN IMMEDIATE`` transaction by moving their next poll past a
lease, so a second watcher does not poll the same feed at the same time.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from kg.ingest.dedup_store import connect

_SCHEMA = """
CREATE TABLE IF NOT EXISTS feeds (
    url TEXT PRIMARY KEY,
    interval_s REAL NOT NULL,
    added_at REAL NOT NULL,
    title TEXT,
    etag TEXT,
    last_modified TEXT,
    last_poll REAL,
    last_success REAL,
    last_error TEXT,
    failures INTEGER NOT NULL DEFAULT 0,
    next_poll REAL NOT NULL,
    article_count INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS seen (
    entry_key TEXT PRIMARY KEY,
    feed_url TEXT NOT NULL,
    outcome TEXT NOT NULL,
    article_id TEXT,
    seen_at REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS seen_feed ON seen(feed_url);
"""

_COLUMNS = (
    "url, interval_s, added_at, title, etag, last_modified, last_poll, last_success, "
    "last_error, failures, next_poll, article_count"
)


@dataclass(frozen=True, slots=True)
class FeedRecord:
    """One feed and where its polling stands. Times are Unix seconds (UTC).

    Attributes:
        url: the feed's URL, as added.
        interval_s: how often it is polled when healthy.
        etag: the last ``ETag`` the server sent, for a conditional GET.
        last_modified: the last ``Last-Modified`` the server sent.
        last_poll: when it was last polled, successfully or not.
        last_error: the last poll's error, or None when it succeeded.
        failures: consecutive failed polls (drives the backoff).
        next_poll: when it is due next.
        article_count: articles ingested from it so far.
    """

    url: str
    interval_s: float
    added_at: float
    title: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    last_poll: float | None = None
    last_success: float | None = None
    last_error: str | None = None
    failures: int = 0
    next_poll: float = 0.0
    article_count: int = 0


def _record(row: sqlite3.Row) -> FeedRecord:
    return FeedRecord(**{key: row[key] for key in row.keys()})  # noqa: SIM118


class FeedStore:
    """The feeds table and the seen-entries table.

    Args:
        path: the sqlite file (created with its parent folders if missing).
        clock: the time source; tests pass a fake one.
    """

    def __init__(self, path: Path, clock: Callable[[], float] = time.time) -> None:
        self.path = path
        self.clock = clock
        self._conn = connect(path)
        self._conn.executescript(_SCHEMA)

    def close(self) -> None:
        """Close the connection."""
        self._conn.close()

    # ------------------------------------------------------------------ feeds

    def add(self, url: str, interval_s: float) -> FeedRecord:
        """Add a feed, due at once; adding it again only changes its interval."""
        now = self.clock()
        with self._conn:
            self._conn.execute("BEGIN IMMEDIATE")
            self._conn.execute(
                "INSERT INTO feeds (url, interval_s, added_at, next_poll) VALUES (?, ?, ?, ?) "
                "ON CONFLICT(url) DO UPDATE SET interval_s = excluded.interval_s",
                (url, interval_s, now, now),
            )
        found = self.get(url)
        assert found is not None  # just written
        return found

    def remove(self, url: str) -> bool:
        """Remove a feed and its seen entries; False when there was no such feed."""
        with self._conn:
            self._conn.execute("BEGIN IMMEDIATE")
            deleted = self._conn.execute("DELETE FROM feeds WHERE url = ?", (url,)).rowcount
            self._conn.execute("DELETE FROM seen WHERE feed_url = ?", (url,))
        return deleted > 0

    def get(self, url: str) -> FeedRecord | None:
        """One feed, or None."""
        row = self._conn.execute(f"SELECT {_COLUMNS} FROM feeds WHERE url = ?", (url,)).fetchone()
        return None if row is None else _record(row)

    def feeds(self) -> list[FeedRecord]:
        """Every feed, in the order they were added."""
        rows = self._conn.execute(f"SELECT {_COLUMNS} FROM feeds ORDER BY added_at, url")
        return [_record(r) for r in rows.fetchall()]

    def claim(
        self, *, lease_s: float, due_only: bool = True, limit: int | None = None
    ) -> list[FeedRecord]:
        """Take the feeds to poll now, pushing their next poll ``lease_s`` ahead.

        Args:
            lease_s: how long the claim holds; a poll that dies leaves the feed due
                again after it.
            due_only: only feeds whose next poll has come (``kg watch``); otherwise
                every feed, due or not (``kg watch --once``).
            limit: at most this many, the longest due first.

        Returns:
            The claimed feeds, as they were before the claim.
        """
        now = self.clock()
        with self._conn:
            self._conn.execute("BEGIN IMMEDIATE")
            cap = -1 if limit is None else limit  # sqlite: LIMIT -1 is no limit
            if due_only:
                sql = (
                    f"SELECT {_COLUMNS} FROM feeds WHERE next_poll <= ? "
                    "ORDER BY next_poll, url LIMIT ?"
                )
                rows = self._conn.execute(sql, (now, cap)).fetchall()
            else:
                # --once is asked for by a person: it polls a feed waiting out a backoff too.
                sql = f"SELECT {_COLUMNS} FROM feeds ORDER BY added_at, url LIMIT ?"
                rows = self._conn.execute(sql, (cap,)).fetchall()
            feeds = [_record(r) for r in rows]
            self._conn.executemany(
                "UPDATE feeds SET next_poll = ? WHERE url = ?",
                [(now + lease_s, f.url) for f in feeds],
            )
        return feeds

    def record_success(
        self,
        url: str,
        *,
        title: str | None,
        etag: str | None,
        last_modified: str | None,
        ingested: int,
    ) -> None:
        """A poll went through: reset the failures and schedule the next regular poll."""
        now = self.clock()
        with self._conn:
            self._conn.execute("BEGIN IMMEDIATE")
            self._conn.execute(
                "UPDATE feeds SET title = COALESCE(?, title), etag = ?, last_modified = ?, "
                "last_poll = ?, last_success = ?, last_error = NULL, failures = 0, "
                "next_poll = ? + interval_s, article_count = article_count + ? WHERE url = ?",
                (title, etag, last_modified, now, now, now, ingested, url),
            )

    def record_failure(self, url: str, error: str, *, base_s: float, max_s: float) -> float:
        """A poll failed: keep the error and back off exponentially.

        The n-th consecutive failure waits ``base_s * 2**(n-1)``, at most ``max_s``.

        Returns:
            The delay until the next attempt, in seconds.
        """
        now = self.clock()
        with self._conn:
            self._conn.execute("BEGIN IMMEDIATE")
            row = self._conn.execute("SELECT failures FROM feeds WHERE url = ?", (url,)).fetchone()
            failures = (int(row["failures"]) if row else 0) + 1
            delay = min(max_s, base_s * 2.0 ** (failures - 1))
            self._conn.execute(
                "UPDATE feeds SET last_poll = ?, last_error = ?, failures = ?, next_poll = ? "
                "WHERE url = ?",
                (now, error, failures, now + delay, url),
            )
        return delay

    def next_due(self) -> float | None:
        """When the next feed is due, or None without feeds."""
        row = self._conn.execute("SELECT MIN(next_poll) AS t FROM feeds").fetchone()
        return None if row is None or row["t"] is None else float(row["t"])

    # ------------------------------------------------------------------ seen entries

    def unseen(self, keys: Iterable[str]) -> list[str]:
        """The keys (canonical entry URLs) not handled before, in their order."""
        wanted = list(dict.fromkeys(keys))
        if not wanted:
            return []
        seen: set[str] = set()
        for start in range(0, len(wanted), 500):  # sqlite's bound-parameter limit
            chunk = wanted[start : start + 500]
            marks = ",".join("?" * len(chunk))
            rows = self._conn.execute(
                f"SELECT entry_key FROM seen WHERE entry_key IN ({marks})", chunk
            ).fetchall()
            seen.update(r["entry_key"] for r in rows)
        return [k for k in wanted if k not in seen]

    def mark_seen(self, feed_url: str, outcomes: Iterable[tuple[str, str, str | None]]) -> None:
        """Remember handled entries as (key, outcome, article id)."""
        now = self.clock()
        with self._conn:
            self._conn.execute("BEGIN IMMEDIATE")
            self._conn.executemany(
                "INSERT OR REPLACE INTO seen (entry_key, feed_url, outcome, article_id, seen_at)"
                " VALUES (?, ?, ?, ?, ?)",
                [(key, feed_url, outcome, article, now) for key, outcome, article in outcomes],
            )

    def release(self, feed: FeedRecord) -> None:
        """Give a claimed feed back, due when it was before the claim."""
        with self._conn:
            self._conn.execute("BEGIN IMMEDIATE")
            self._conn.execute(
                "UPDATE feeds SET next_poll = ? WHERE url = ?", (feed.next_poll, feed.url)
            )
