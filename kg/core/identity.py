"""Stable identifiers: every node has an IRI, and its id is the uuid5 of that IRI.

Re-ingesting the same article therefore produces the same ids, and ``MERGE`` on ids
changes nothing.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
import uuid

ONTOLOGY_NS = "https://w3id.org/newskg/ontology#"
DATA_NS = "https://w3id.org/newskg/id/"


def stable_id(iri: str) -> str:
    """The node id for an IRI: a uuid5 in the URL namespace."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, iri))


def normalize_key(name: str) -> str:
    """Canonical key of a name: accents folded, lower case, words joined by hyphens.

    A name with no Latin letters or digits ("Владимир Путин") would fold to nothing, and
    all such names would share one IRI; it gets a key made from a digest of the name.
    """
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    key = re.sub(r"[^a-z0-9]+", "-", folded.lower()).strip("-")
    if key:
        return key
    normal = " ".join(unicodedata.normalize("NFC", name).casefold().split())
    return f"u-{_digest(normal)}" if normal else ""


def _digest(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:16]


def article_iri(url: str | None, title: str, body: str) -> str:
    """An article is identified by its URL when it has one, else by its content."""
    key = url if url else _digest(title, body)
    return f"{DATA_NS}article/{_digest(key)}"


def passage_iri(article: str, index: int) -> str:
    return f"{article}/passage/{index}"


def entity_iri(key: str) -> str:
    return f"{DATA_NS}entity/{key}"


def action_iri(article: str, signature: str) -> str:
    return f"{article}/action/{_digest(signature)}"


def role_iri(holder_key: str, title: str, organization_key: str | None) -> str:
    return f"{DATA_NS}role/{holder_key}/{normalize_key(title)}/{organization_key or '-'}"
