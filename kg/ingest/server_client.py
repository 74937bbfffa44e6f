"""Ingest through the running server: stream articles to its ``/ingest/jobs`` in batches.

Used by ``kg ingest`` (and feeds) when ``kg serve`` owns the stores: the embedded Qdrant
shard is one process's, so a second process hands its articles over instead of opening
it. Batches are bounded in bytes, so a file of any size streams in bounded memory.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import httpx

from kg.core.errors import ArticleParseError, AuthenticationError, ServiceUnavailableError
from kg.core.models import Article

BATCH_BYTES = 512 * 1024  # well under the server's request-body limit
BATCH_ARTICLES = 200
API_KEY_HEADER = "X-API-Key"


@dataclass(frozen=True, slots=True)
class ServerIngestReport:
    """What the server's job did with the articles sent to it."""

    job_id: str
    stored: int
    created: int
    passages: int
    actions: int
    rejected: int
    errors: tuple[str, ...]
    state: str


def article_record(article: Article) -> dict[str, Any]:
    """An article as the server's batch endpoint takes it."""
    return {
        "title": article.title,
        "text": article.body,
        "published": article.published.isoformat() if article.published else None,
        "url": article.url,
        "source": article.source,
        "section": article.section,
        "origin": article.origin,
    }


def batches(
    records: Iterable[Article | ArticleParseError],
    max_bytes: int = BATCH_BYTES,
    max_articles: int = BATCH_ARTICLES,
) -> Iterator[dict[str, list[Any]]]:
    """Group records into request bodies of at most ``max_bytes`` (one oversized article
    goes alone, and the server answers for it)."""
    articles: list[dict[str, Any]] = []
    rejected: list[str] = []
    size = 0
    for record in records:
        if isinstance(record, ArticleParseError):
            rejected.append(str(record))
            continue
        item = article_record(record)
        item_size = len(json.dumps(item, ensure_ascii=False).encode())
        if articles and (size + item_size > max_bytes or len(articles) >= max_articles):
            yield {"articles": articles, "rejected": rejected}
            articles, rejected, size = [], [], 0
        articles.append(item)
        size += item_size
    if articles or rejected:
        yield {"articles": articles, "rejected": rejected}


class ServerIngest:
    """A client of one running server's ingest jobs.

    Args:
        url: The server's base URL.
        token: Its local token (or the API key).
        timeout: Seconds to wait for one HTTP answer.
    """

    def __init__(self, url: str, token: str, timeout: float = 120) -> None:
        self._url = url
        self._token = token
        self._timeout = timeout

    def run(
        self, records: Iterable[Article | ArticleParseError], progress: bool = False
    ) -> ServerIngestReport:
        """Send every record to a new job, wait until the server has handled them all.

        Raises:
            ServiceUnavailableError: the server cannot be reached or failed.
            AuthenticationError: the server refused the local token.
        """
        headers = {API_KEY_HEADER: self._token}
        with httpx.Client(base_url=self._url, headers=headers, timeout=self._timeout) as http:
            job = self._call(http, "POST", "/ingest/jobs")
            job_id = str(job["id"])
            bar = _progress_bar(progress)
            try:
                for body in batches(records):
                    job = self._send(http, job_id, body)
                    _show(bar, job)
                job = self._call(http, "POST", f"/ingest/jobs/{job_id}/close")
                while not job["finished"]:
                    _show(bar, job)
                    time.sleep(0.2)
                    job = self._call(http, "GET", f"/ingest/jobs/{job_id}")
                _show(bar, job)
            finally:
                if bar is not None:
                    bar.close()
        return ServerIngestReport(
            job_id=job_id,
            stored=int(job["stored"]),
            created=int(job["created"]),
            passages=int(job["passages"]),
            actions=int(job["actions"]),
            rejected=int(job["rejected"]),
            errors=tuple(str(e) for e in job["errors"]),
            state=str(job["state"]),
        )

    def _send(self, http: httpx.Client, job_id: str, body: dict[str, list[Any]]) -> dict[str, Any]:
        """Append a batch; a batch the server finds too large is reported, not fatal."""
        path = f"/ingest/jobs/{job_id}/articles"
        try:
            return self._call(http, "POST", path, json=body)
        except _TooLarge as exc:
            rejected = [
                f"{a.get('origin') or a.get('title')}: {exc}" for a in body["articles"]
            ] + list(body["rejected"])
            return self._call(http, "POST", path, json={"articles": [], "rejected": rejected})

    def _call(self, http: httpx.Client, method: str, path: str, **kwargs: Any) -> dict[str, Any]:
        try:
            response = http.request(method, path, **kwargs)
        except httpx.HTTPError as exc:
            raise ServiceUnavailableError("newskg server", f"{self._url}: {exc}") from exc
        if response.status_code == 401:
            raise AuthenticationError(f"the server at {self._url} refused the local token")
        if response.status_code == 413:
            raise _TooLarge(_error_message(response))
        if response.status_code >= 400:
            error = _error_message(response)
            raise ServiceUnavailableError(
                "newskg server", f"{method} {path} answered {response.status_code}: {error}"
            )
        body: dict[str, Any] = response.json()
        return body


class _TooLarge(Exception):
    """The server refused a request body as too large."""


def _error_message(response: httpx.Response) -> str:
    try:
        return str(response.json()["error"]["message"])
    except (ValueError, KeyError, TypeError):
        return response.text[:200]


def _progress_bar(enabled: bool) -> Any:
    if not enabled:
        return None
    from tqdm import tqdm

    return tqdm(desc="ingest (server)", unit="article")


def _show(bar: Any, job: dict[str, Any]) -> None:
    if bar is not None:
        bar.total = int(job["received"])
        bar.n = int(job["processed"])
        bar.refresh()
