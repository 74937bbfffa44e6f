"""Persistence of the deduplicator: one sqlite file of fingerprints and MinHash signatures.

sqlite in WAL mode with a busy timeout, so ``kg watch`` and another process can read
and add at once; each process picks up the other's signatures before it decides.
"""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

from kg.core.config import Settings
from kg.ingest.dedup import (
    DedupDecision,
    Deduplicator,
    KnownArticle,
    NearDuplicateIndex,
    Signature,
)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS articles (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    article_id TEXT NOT NULL UNIQUE,
    url TEXT,
    fingerprint TEXT NOT NULL,
    signature BLOB NOT NULL,
    shingles INTEGER NOT NULL,
    duplicate_of TEXT,
    similarity REAL,
    recorded_at REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS articles_url ON articles(url);
CREATE INDEX IF NOT EXISTS articles_fingerprint ON articles(fingerprint);
"""


def connect(path: Path) -> sqlite3.Connection:
    """Open (creating) a sqlite file for use by several processes."""
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path, timeout=30.0, isolation_level=None, check_same_thread=False)
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA busy_timeout=30000")
    return conn


class SqliteDedupStore:
    """Fingerprints, canonical URLs, signatures and duplicate links of stored articles.

    Args:
        path: the sqlite file (created with its parent folders if missing).
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._conn = connect(path)
        self._conn.executescript(_SCHEMA)
        self._seen_seq = 0

    def close(self) -> None:
        """Close the connection."""
        self._conn.close()

    def _known(self, row: sqlite3.Row | None) -> KnownArticle | None:
        if row is None:
            return None
        return KnownArticle(row["article_id"], row["url"], row["fingerprint"])

    def by_url(self, url: str) -> KnownArticle | None:
        """The article stored under this canonical URL."""
        row = self._conn.execute(
            "SELECT article_id, url, fingerprint FROM articles WHERE url = ? ORDER BY seq DESC",
            (url,),
        ).fetchone()
        return self._known(row)

    def by_fingerprint(self, fingerprint: str) -> KnownArticle | None:
        """The first article stored with this text fingerprint."""
        row = self._conn.execute(
            "SELECT article_id, url, fingerprint FROM articles WHERE fingerprint = ? ORDER BY seq",
            (fingerprint,),
        ).fetchone()
        return self._known(row)

    def new_signatures(self) -> list[tuple[str, Signature]]:
        """Signatures recorded (by any process) since the previous call."""
        rows = self._conn.execute(
            "SELECT seq, article_id, signature, shingles FROM articles WHERE seq > ? ORDER BY seq",
            (self._seen_seq,),
        ).fetchall()
        if rows:
            self._seen_seq = int(rows[-1]["seq"])
        return [
            (str(r["article_id"]), Signature.from_bytes(bytes(r["signature"]), int(r["shingles"])))
            for r in rows
        ]

    def record(self, decision: DedupDecision) -> None:
        """Remember a stored article; an article recorded before is replaced (new seq)."""
        with self._conn:
            self._conn.execute("BEGIN IMMEDIATE")
            self._conn.execute("DELETE FROM articles WHERE article_id = ?", (decision.article_id,))
            self._conn.execute(
                "INSERT INTO articles (article_id, url, fingerprint, signature, shingles,"
                " duplicate_of, similarity, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    decision.article_id,
                    decision.url,
                    decision.fingerprint,
                    decision.signature.to_bytes(),
                    decision.signature.shingles,
                    decision.original_id if decision.kind == "near_duplicate" else None,
                    decision.similarity if decision.kind == "near_duplicate" else None,
                    time.time(),
                ),
            )

    def duplicate_of(self, article_id: str) -> str | None:
        """The original a stored near-duplicate was linked to."""
        row = self._conn.execute(
            "SELECT duplicate_of FROM articles WHERE article_id = ?", (article_id,)
        ).fetchone()
        return None if row is None else row["duplicate_of"]

    def duplicate_links(self) -> list[tuple[str, str, float]]:
        """Every (copy, original, similarity) link, for the graph's ``DUPLICATE_OF``."""
        rows = self._conn.execute(
            "SELECT article_id, duplicate_of, similarity FROM articles "
            "WHERE duplicate_of IS NOT NULL ORDER BY seq"
        ).fetchall()
        return [(r["article_id"], r["duplicate_of"], float(r["similarity"])) for r in rows]


def open_deduplicator(settings: Settings) -> tuple[Deduplicator, SqliteDedupStore]:
    """The deduplicator configured by ``settings``, with its store (close it when done)."""
    store = SqliteDedupStore(settings.dedup_path)
    index = NearDuplicateIndex(
        num_perm=settings.dedup_num_perm,
        shingle_words=settings.dedup_shingle_words,
        threshold=settings.dedup_threshold,
        containment=settings.dedup_containment,
    )
    return Deduplicator(index, store), store
