"""One story, many copies: recognise an article seen before, exactly or nearly.

Three checks, cheapest first:

* the same canonical URL (scheme and host lower-cased, fragment and tracking parameters
  such as ``utm_*`` removed) with the same text: nothing new, not stored again;
* the same text after normalisation (case, punctuation, spacing), under any URL or
  headline: not stored again, reported with the original's id;
* nearly the same text (a wire copy with a new headline, a trimmed ending, a few words
  changed): MinHash signatures of word shingles, candidates from LSH, kept when the
  estimated Jaccard similarity or the estimated containment of the shorter text in the
  longer one passes its threshold. The copy is stored and linked to its original.

Everything here is pure; :mod:`kg.ingest.dedup_store` persists signatures so the index
survives a restart.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal, Protocol
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from kg.core.models import Article

# Query parameters that say how a reader arrived, not which page they read.
TRACKING_PREFIXES = ("utm_", "mc_", "pk_", "hsa_", "_hs")
TRACKING_PARAMS = frozenset(
    {
        "fbclid",
        "gclid",
        "dclid",
        "gbraid",
        "wbraid",
        "msclkid",
        "yclid",
        "igshid",
        "ocid",
        "cmpid",
        "ref",
        "ref_src",
        "ref_url",
        "smid",
        "sr_share",
        "at_medium",
        "at_campaign",
        "_ga",
        "_gl",
        "spm",
        "output",
    }
)
_DEFAULT_PORTS = {"http": 80, "https": 443}
_WORD = re.compile(r"\w+")
# MinHash permutations hash 32-bit values; this scheme is named explicitly when a stored
# signature is turned back into a MinHash (datasketch refuses to guess it).
MINHASH_SCHEME: Literal["affine32"] = "affine32"


def canonical_url(url: str) -> str:
    """The URL that names the same page whichever link led to it.

    Lower-cases the scheme and host, drops a default port, the fragment, an empty
    query and tracking parameters; keeps the path (it is case-sensitive) and the
    order of the remaining parameters.

    Args:
        url: an absolute URL.

    Returns:
        The canonical form; a string that is not an absolute URL is returned stripped.
    """
    parts = urlsplit(url.strip())
    if not parts.scheme or not parts.netloc:
        return url.strip()
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower().rstrip(".")
    netloc = host
    if parts.port is not None and parts.port != _DEFAULT_PORTS.get(scheme):
        netloc = f"{host}:{parts.port}"
    if parts.username:
        netloc = f"{parts.username}@{netloc}"
    query = [
        (key, value)
        for key, value in parse_qsl(parts.query, keep_blank_values=True)
        if key.lower() not in TRACKING_PARAMS and not key.lower().startswith(TRACKING_PREFIXES)
    ]
    return urlunsplit((scheme, netloc, parts.path or "/", urlencode(query), ""))


def normalised_words(text: str) -> list[str]:
    """The words of a text, compatibility-folded and case-folded, punctuation dropped."""
    return _WORD.findall(unicodedata.normalize("NFKC", text).casefold())


def text_fingerprint(text: str) -> str:
    """A digest of the normalised text: equal for texts differing only in case, spacing
    or punctuation."""
    return hashlib.sha256(" ".join(normalised_words(text)).encode("utf-8")).hexdigest()


def shingles(words: Sequence[str], size: int) -> set[bytes]:
    """The set of ``size``-word shingles; a text shorter than that is one shingle."""
    if len(words) <= size:
        return {" ".join(words).encode("utf-8")} if words else set()
    return {" ".join(words[i : i + size]).encode("utf-8") for i in range(len(words) - size + 1)}


@dataclass(frozen=True, slots=True)
class Signature:
    """A text's MinHash and the number of shingles it was made from.

    The shingle count turns an estimated Jaccard similarity into an estimated
    containment, which is what recognises a copy with its ending trimmed.
    """

    hashvalues: tuple[int, ...]
    shingles: int

    def to_bytes(self) -> bytes:
        """Little-endian 32-bit values, for storage."""
        return b"".join(v.to_bytes(4, "little") for v in self.hashvalues)

    @classmethod
    def from_bytes(cls, data: bytes, shingles: int) -> Signature:
        """Inverse of :meth:`to_bytes`."""
        values = tuple(int.from_bytes(data[i : i + 4], "little") for i in range(0, len(data), 4))
        return cls(hashvalues=values, shingles=shingles)


@dataclass(frozen=True, slots=True)
class NearMatch:
    """An indexed text close to the queried one.

    Attributes:
        key: the indexed article's id.
        jaccard: estimated Jaccard similarity of the two shingle sets.
        containment: estimated share of the smaller set found in the larger one.
    """

    key: str
    jaccard: float
    containment: float


class NearDuplicateIndex:
    """MinHash/LSH index of article texts, keyed by article id.

    Args:
        num_perm: MinHash permutations (signature length).
        shingle_words: words per shingle.
        threshold: estimated Jaccard similarity from which two texts are near-duplicates.
        containment: estimated containment from which two texts are near-duplicates
            (a trimmed copy is contained in its original).
        seed: MinHash seed; signatures made with another seed are not comparable.
    """

    def __init__(
        self,
        *,
        num_perm: int = 128,
        shingle_words: int = 3,
        threshold: float = 0.5,
        containment: float = 0.8,
        seed: int = 1,
    ) -> None:
        from datasketch import MinHashLSH  # imported here: only deduplication needs it

        self.num_perm = num_perm
        self.shingle_words = shingle_words
        self.threshold = threshold
        self.containment = containment
        self.seed = seed
        # LSH proposes candidates below the Jaccard threshold too, so that a trimmed copy
        # (low Jaccard, high containment) is still looked at; the estimate decides.
        self._lsh = MinHashLSH(
            threshold=max(0.05, min(threshold, containment) * 0.6), num_perm=num_perm
        )
        self._signatures: dict[str, Signature] = {}

    def __len__(self) -> int:
        return len(self._signatures)

    def __contains__(self, key: object) -> bool:
        return key in self._signatures

    def signature(self, text: str) -> Signature:
        """The signature of a text (its body; a headline is not part of the story)."""
        from datasketch import MinHash

        grams = shingles(normalised_words(text), self.shingle_words)
        minhash = MinHash(num_perm=self.num_perm, seed=self.seed, scheme=MINHASH_SCHEME)
        minhash.update_batch(sorted(grams))
        return Signature(tuple(int(v) for v in minhash.hashvalues), len(grams))

    def _minhash(self, signature: Signature) -> object:
        from datasketch import MinHash

        return MinHash(seed=self.seed, hashvalues=signature.hashvalues, scheme=MINHASH_SCHEME)

    def add(self, key: str, signature: Signature) -> None:
        """Index a signature under ``key``, replacing what was indexed under it."""
        if len(signature.hashvalues) != self.num_perm:
            raise ValueError(
                f"signature has {len(signature.hashvalues)} values, the index {self.num_perm}"
            )
        if key in self._signatures:
            self.remove(key)
        self._lsh.insert(key, self._minhash(signature))
        self._signatures[key] = signature

    def remove(self, key: str) -> None:
        """Forget ``key``; nothing happens when it is not indexed."""
        if key in self._signatures:
            self._lsh.remove(key)
            del self._signatures[key]

    def query(self, signature: Signature, *, exclude: Iterable[str] = ()) -> list[NearMatch]:
        """Indexed texts that are near-duplicates of ``signature``, most similar first."""
        skip = set(exclude)
        matches = []
        for key in self._lsh.query(self._minhash(signature)):
            if key in skip:
                continue
            other = self._signatures[key]
            jaccard = estimate_jaccard(signature, other)
            contained = estimate_containment(jaccard, signature.shingles, other.shingles)
            if jaccard >= self.threshold or contained >= self.containment:
                matches.append(NearMatch(str(key), jaccard, contained))
        return sorted(matches, key=lambda m: (-m.jaccard, -m.containment, m.key))


def estimate_jaccard(a: Signature, b: Signature) -> float:
    """Share of equal MinHash values: an unbiased estimate of the Jaccard similarity."""
    if not a.hashvalues or not b.hashvalues:
        return 0.0
    same = sum(1 for x, y in zip(a.hashvalues, b.hashvalues, strict=True) if x == y)
    return same / len(a.hashvalues)


def estimate_containment(jaccard: float, size_a: int, size_b: int) -> float:
    """|A ∩ B| / min(|A|, |B|) from the Jaccard estimate and the two set sizes.

    With J = |A ∩ B| / |A ∪ B| and |A ∪ B| = |A| + |B| - |A ∩ B|, the intersection is
    J (|A| + |B|) / (1 + J).
    """
    smaller = min(size_a, size_b)
    if smaller <= 0:
        return 0.0
    return min(1.0, jaccard * (size_a + size_b) / (1.0 + jaccard) / smaller)


DuplicateKind = Literal["new", "seen", "same_text", "updated", "near_duplicate"]


@dataclass(frozen=True, slots=True)
class DedupDecision:
    """What the deduplicator thinks of an incoming article.

    Attributes:
        kind: ``new``; ``seen`` (same canonical URL, same text: skip); ``same_text`` (an
            identical text under another URL: skip); ``updated`` (same URL, new text:
            store, replacing the old version); ``near_duplicate`` (store, and link it to
            ``original_id``).
        article_id: the incoming article's id.
        url: its canonical URL, or None.
        fingerprint: its normalised-text digest.
        signature: its MinHash signature.
        original_id: the article it duplicates, for ``seen``, ``same_text`` and
            ``near_duplicate``.
        similarity: estimated Jaccard similarity to the original (1.0 for exact copies).
    """

    kind: DuplicateKind
    article_id: str
    url: str | None
    fingerprint: str
    signature: Signature
    original_id: str | None = None
    similarity: float = 0.0

    @property
    def store(self) -> bool:
        """Whether the article should be ingested."""
        return self.kind in ("new", "updated", "near_duplicate")


@dataclass(frozen=True, slots=True)
class KnownArticle:
    """What the store remembers of one article."""

    article_id: str
    url: str | None
    fingerprint: str


class DedupStore(Protocol):
    """Persistence behind :class:`Deduplicator` (see :mod:`kg.ingest.dedup_store`)."""

    def by_url(self, url: str) -> KnownArticle | None:
        """The article stored under this canonical URL."""
        ...

    def by_fingerprint(self, fingerprint: str) -> KnownArticle | None:
        """The first article stored with this text fingerprint."""
        ...

    def new_signatures(self) -> list[tuple[str, Signature]]:
        """Signatures added since the last call (all of them on the first)."""
        ...

    def record(self, decision: DedupDecision) -> None:
        """Remember an article that was stored, with its link to an original if any."""
        ...


class Deduplicator:
    """Decides whether an article is new, and remembers the ones that were stored.

    Args:
        index: the near-duplicate index (empty; it is filled from the store).
        store: where fingerprints and signatures persist.
    """

    def __init__(self, index: NearDuplicateIndex, store: DedupStore) -> None:
        self.index = index
        self.store = store

    def _refresh(self) -> None:
        # Another process may have stored articles since; pick up their signatures.
        for key, signature in self.store.new_signatures():
            self.index.add(key, signature)

    def check(self, article: Article) -> DedupDecision:
        """Classify ``article`` against everything stored so far. Stores nothing."""
        self._refresh()
        url = canonical_url(article.url) if article.url else None
        fingerprint = text_fingerprint(article.body)
        signature = self.index.signature(article.body)
        base = DedupDecision("new", article.id, url, fingerprint, signature)
        known = self.store.by_url(url) if url else None
        if known is not None and known.fingerprint == fingerprint:
            return _with(base, "seen", known.article_id, 1.0)
        same = self.store.by_fingerprint(fingerprint)
        if same is not None and same.article_id != article.id:
            return _with(base, "same_text", same.article_id, 1.0)
        if known is not None:
            return _with(base, "updated", None, 0.0)
        matches = self.index.query(signature, exclude=[article.id])
        if matches:
            return _with(base, "near_duplicate", matches[0].key, matches[0].jaccard)
        return base

    def record(self, decision: DedupDecision) -> None:
        """Remember a stored article so later copies of it are recognised."""
        self.store.record(decision)
        self.index.add(decision.article_id, decision.signature)


def _with(
    base: DedupDecision, kind: DuplicateKind, original: str | None, similarity: float
) -> DedupDecision:
    return DedupDecision(
        kind, base.article_id, base.url, base.fingerprint, base.signature, original, similarity
    )
