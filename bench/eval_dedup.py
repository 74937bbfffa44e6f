"""Near-duplicate detection benchmark on Reuters-21578, with known edits.

Data: Reuters-21578 (Distribution 1.0; David D. Lewis, AT&T Labs), read from
``../shared/data/reuters21578/articles.jsonl`` relative to the repository root (not
copied). Only articles of at least ``--min-words`` words are used.

Set-up, with a fixed seed:

* ``--index`` articles are indexed in a :class:`kg.ingest.dedup.NearDuplicateIndex`;
* positives, each made from an indexed article and linked to it: ``retitled`` (a new
  headline, the body unchanged), ``trimmed`` (the ending cut, 50-80% of the words kept),
  ``edited`` (5% of the words substituted, dropped or inserted), ``rewired`` (new
  headline, ending cut to 70-90%, 3% of the words edited);
* negatives, never indexed: ``unrelated`` (random other articles) and ``hard`` (same
  topic, another story: an article with the same headline, a recurring report such as
  "U.K. MONEY MARKET DEFICIT FORECAST", or the same first three headline words).

The corpus itself holds copies of some stories; a negative whose exact shingle overlap
with some indexed article passes the detector's own thresholds is a true duplicate, and
is left out (the count is printed).

A query is *flagged* when the index returns a match. Precision = flagged positives whose
best match is their original / all flagged queries; recall = that count / all positives.

Run: ``.venv/bin/python bench/eval_dedup.py [--data PATH] [--seed N] [--index N]``.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

from kg.ingest.dedup import NearDuplicateIndex, normalised_words, shingles, text_fingerprint

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data" / "reuters21578" / "articles.jsonl"
SHINGLE = 3


@dataclass(frozen=True)
class Doc:
    key: str
    title: str
    text: str


@dataclass(frozen=True)
class Query:
    kind: str
    text: str
    original: str | None  # the indexed article it copies, None for negatives


def load(path: Path, min_words: int) -> list[Doc]:
    docs: list[Doc] = []
    seen: set[str] = set()
    with path.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines):
            row = json.loads(line)
            text = row.get("text") or ""
            if len(text.split()) < min_words:
                continue
            fingerprint = text_fingerprint(text)
            if fingerprint in seen:  # exact copies inside the corpus: keep one
                continue
            seen.add(fingerprint)
            docs.append(Doc(f"r{number}", " ".join(row.get("title", "").split()), text))
    return docs


def trim(text: str, rng: random.Random, low: float, high: float) -> str:
    words = text.split(" ")
    keep = max(1, round(len(words) * rng.uniform(low, high)))
    return " ".join(words[:keep])


def edit_words(text: str, rng: random.Random, share: float, vocabulary: list[str]) -> str:
    words = text.split(" ")
    for _ in range(max(1, round(len(words) * share))):
        where = rng.randrange(len(words))
        operation = rng.choice(("substitute", "drop", "insert"))
        if operation == "substitute":
            words[where] = rng.choice(vocabulary)
        elif operation == "drop" and len(words) > 1:
            del words[where]
        else:
            words.insert(where, rng.choice(vocabulary))
    return " ".join(words)


def make_positives(
    originals: list[Doc], rng: random.Random, vocabulary: list[str], titles: list[str]
) -> list[Query]:
    kinds = ("retitled", "trimmed", "edited", "rewired")
    queries = []
    for number, doc in enumerate(originals):
        kind = kinds[number % len(kinds)]
        text = doc.text
        if kind == "retitled":
            text = f"{rng.choice(titles)}\n\n{text}" if rng.random() < 0.5 else text
        elif kind == "trimmed":
            text = trim(text, rng, 0.5, 0.8)
        elif kind == "edited":
            text = edit_words(text, rng, 0.05, vocabulary)
        else:
            text = edit_words(trim(text, rng, 0.7, 0.9), rng, 0.03, vocabulary)
        queries.append(Query(kind, text, doc.key))
    return queries


def make_hard_negatives(indexed: list[Doc], pool: list[Doc], limit: int) -> list[Query]:
    by_title: dict[str, list[Doc]] = defaultdict(list)
    by_prefix: dict[str, list[Doc]] = defaultdict(list)
    for doc in pool:
        by_title[doc.title.upper()].append(doc)
        by_prefix[" ".join(doc.title.upper().split()[:3])].append(doc)
    queries: list[Query] = []
    used: set[str] = set()
    for groups in (by_title, by_prefix):
        for doc in indexed:
            key = (
                doc.title.upper() if groups is by_title else " ".join(doc.title.upper().split()[:3])
            )
            for other in groups.get(key, []):
                if other.key not in used and len(queries) < limit:
                    used.add(other.key)
                    queries.append(Query("hard", other.text, None))
                    break
    return queries


class ExactOverlap:
    """Exact shingle overlap against the indexed articles (ground truth for negatives)."""

    def __init__(self, docs: list[Doc]) -> None:
        self.sets = {d.key: shingles(normalised_words(d.text), SHINGLE) for d in docs}
        self.postings: dict[bytes, list[str]] = defaultdict(list)
        for key, grams in self.sets.items():
            for gram in grams:
                self.postings[gram].append(key)

    def best(self, text: str) -> tuple[float, float]:
        grams = shingles(normalised_words(text), SHINGLE)
        shared = Counter(key for gram in grams for key in self.postings.get(gram, ()))
        best_j = best_c = 0.0
        for key, inter in shared.items():
            other = len(self.sets[key])
            best_j = max(best_j, inter / (len(grams) + other - inter))
            best_c = max(best_c, inter / max(1, min(len(grams), other)))
        return best_j, best_c


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--seed", type=int, default=21578)
    parser.add_argument("--index", type=int, default=3000, help="articles indexed")
    parser.add_argument("--positives", type=int, default=800)
    parser.add_argument("--unrelated", type=int, default=1000)
    parser.add_argument("--hard", type=int, default=500)
    parser.add_argument("--min-words", type=int, default=60)
    parser.add_argument("--threshold", type=float, default=0.5)
    parser.add_argument("--containment", type=float, default=0.8)
    args = parser.parse_args()
    if not args.data.exists():
        print(f"no data at {args.data}", file=sys.stderr)
        return 1

    rng = random.Random(args.seed)
    docs = load(args.data, args.min_words)
    rng.shuffle(docs)
    indexed, pool = docs[: args.index], docs[args.index :]
    vocabulary = sorted({w for d in docs[:2000] for w in d.text.split()})
    titles = [d.title for d in pool]
    originals = rng.sample(indexed, min(args.positives, len(indexed)))
    positives = make_positives(originals, rng, vocabulary, titles)
    hard_pool = pool[args.unrelated :]
    unrelated = [Query("unrelated", d.text, None) for d in pool[: args.unrelated]]
    hard = make_hard_negatives(indexed, hard_pool, args.hard)

    started = time.perf_counter()
    index = NearDuplicateIndex(threshold=args.threshold, containment=args.containment)
    for doc in indexed:
        index.add(doc.key, index.signature(doc.text))
    built = time.perf_counter() - started

    exact = ExactOverlap(indexed)
    negatives: list[Query] = []
    corpus_copies = 0
    for query in [*unrelated, *hard]:
        j, c = exact.best(query.text)
        if j >= args.threshold or c >= args.containment:
            corpus_copies += 1  # a real copy already in the corpus: not a negative
        else:
            negatives.append(query)

    started = time.perf_counter()
    tp = fp = 0
    wrong_link = 0
    per_kind: Counter[str] = Counter()
    per_kind_hits: Counter[str] = Counter()
    for query in [*positives, *negatives]:
        matches = index.query(index.signature(query.text))
        per_kind[query.kind] += 1
        if query.original is None:
            if matches:
                fp += 1
                per_kind_hits[query.kind] += 1
        elif matches and matches[0].key == query.original:
            tp += 1
            per_kind_hits[query.kind] += 1
        elif matches:
            fp += 1
            wrong_link += 1
    queried = time.perf_counter() - started

    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / len(positives) if positives else 0.0
    print(f"corpus: {len(docs)} articles of >= {args.min_words} words, seed {args.seed}")
    print(
        f"indexed {len(indexed)} in {built:.1f} s; {len(positives)} positives, "
        f"{len(negatives)} negatives ({corpus_copies} corpus copies left out) "
        f"queried in {queried:.1f} s"
    )
    print(
        f"detector: MinHash {index.num_perm} perms, {index.shingle_words}-word shingles, "
        f"Jaccard >= {index.threshold} or containment >= {index.containment}"
    )
    print(
        f"precision {precision:.3f}  recall {recall:.3f}  "
        f"(tp {tp}, fp {fp}, of which wrong link {wrong_link})"
    )
    for kind in ("retitled", "trimmed", "edited", "rewired"):
        print(
            f"  recall {kind:<9} "
            f"{per_kind_hits[kind] / max(1, per_kind[kind]):.3f} of {per_kind[kind]}"
        )
    for kind in ("unrelated", "hard"):
        rate = per_kind_hits[kind] / max(1, per_kind[kind])
        print(f"  false positives {kind:<9} {per_kind_hits[kind]} of {per_kind[kind]} ({rate:.3f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
