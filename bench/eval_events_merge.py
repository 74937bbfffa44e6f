"""Event merging on gold pairs: precision and recall of "these two reports are one event".

Reads ``tests/gold/event_pairs.jsonl`` (pairs of Reuters-21578 articles by line number,
labelled by hand; see its header) and the articles from
``../shared/data/reuters21578/articles.jsonl`` (research use only; never copied here).
Each article is extracted as ingest would (entities, actions, the dateline's day as the
publication date) and each action's evidence embedded as ingest does it
(:func:`kg.ingest.evidence.embed_documents`: pooled from the passage's token embeddings
over the evidence sentence); a pair is predicted *same* when some action of one and some
action of the other satisfy the merge rule (:func:`kg.core.event_merge.same_event`) with
the settings' thresholds. The same run also scores the evidence embedded on its own (one
more forward pass per sentence, as ingest did before), for comparison.

    python bench/eval_events_merge.py [--paragraphs 4] [--sweep]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg.core.config import get_settings  # noqa: E402
from kg.core.event_merge import MergeRule, Report, same_event  # noqa: E402
from kg.core.identity import stable_id  # noqa: E402
from kg.core.models import Article, ParsedDocument  # noqa: E402
from kg.extraction.extractor import extractor_from_settings  # noqa: E402
from kg.ingest.evidence import embed_documents  # noqa: E402
from kg.ingest.splitting import split_passages  # noqa: E402
from kg.vectors.embedder import embedder_from_settings  # noqa: E402

GOLD = ROOT / "tests" / "gold" / "event_pairs.jsonl"
DATA = ROOT.parent / "shared" / "data" / "reuters21578" / "articles.jsonl"
MONTH_NAMES = [
    "jan",
    "feb",
    "march",
    "april",
    "may",
    "june",
    "july",
    "aug",
    "sept",
    "oct",
    "nov",
    "dec",
]
MONTHS = {m: i for i, m in enumerate(MONTH_NAMES, start=1)}
DATELINE = re.compile(r"^[^-\n]{0,80}?,\s*([A-Za-z]+)\.?\s+(\d{1,2})\s+-")


def dateline(text: str) -> date | None:
    """The day of a 1987 Reuters dateline ("BAGHDAD, March 18 - ...")."""
    m = DATELINE.match(text)
    if not m:
        return None
    word = m.group(1).lower()
    month = next((n for name, n in MONTHS.items() if word.startswith(name[:3])), None)
    return date(1987, month, int(m.group(2))) if month else None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--paragraphs", type=int, default=4, help="lead paragraphs read")
    parser.add_argument("--sweep", action="store_true", help="also sweep the thresholds")
    args = parser.parse_args()

    lines = GOLD.read_text().splitlines()
    pairs = [json.loads(x) for x in lines[1:] if x.strip()]
    wanted = sorted({p["a"] for p in pairs} | {p["b"] for p in pairs})
    rows = DATA.read_text(encoding="utf-8").splitlines()
    settings = get_settings()
    extractor = extractor_from_settings(settings)
    embedder = embedder_from_settings(settings)

    methods = ("pooled from the passage (ingest)", "embedded alone")
    reports: dict[str, dict[int, list[Report]]] = {m: {} for m in methods}
    for n in wanted:
        article = json.loads(rows[n - 1])
        text = "\n\n".join(article["text"].split("\n\n")[: args.paragraphs])
        published = dateline(text)
        extraction = extractor.extract(text, published)
        body = Article(title=f"line {n}", body=text, url=f"line:{n}")
        doc = ParsedDocument(body, split_passages(body, settings.passage_max_chars), extraction)
        ((_, pooled),) = embed_documents(embedder, [doc])
        evidence = [text[a.start : a.end] for a in extraction.actions]
        alone = embedder.embed(evidence) if evidence else []
        ids = [stable_id(a.iri_in(body.iri)) for a in extraction.actions]
        for method, vectors in zip(methods, ([pooled[i] for i in ids], alone), strict=True):
            reports[method][n] = [
                Report(
                    id=f"{n}/{i}",
                    iri=f"line:{n}/{i}",
                    type=a.type,
                    actors=frozenset(x.entity_key for x in a.actors if x.entity_key),
                    targets=frozenset(x.entity_key for x in a.targets if x.entity_key),
                    date=a.date or published,
                    article_id=stable_id(f"line:{n}"),
                    source=article.get("source"),
                    published=published,
                    confidence=a.confidence,
                    embedding=tuple(v),
                )
                for i, (a, v) in enumerate(zip(extraction.actions, vectors, strict=True))
            ]

    def score(method: str, rule: MergeRule) -> tuple[float, float, float, int, int, int]:
        tp = fp = fn = 0
        by_line = reports[method]
        for p in pairs:
            predicted = any(
                same_event(x, y, rule) for x in by_line[p["a"]] for y in by_line[p["b"]]
            )
            tp += predicted and p["same"]
            fp += predicted and not p["same"]
            fn += (not predicted) and p["same"]
        precision = tp / (tp + fp) if tp + fp else 1.0
        recall = tp / (tp + fn) if tp + fn else 1.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return precision, recall, f1, tp, fp, fn

    same = sum(p["same"] for p in pairs)
    print(
        f"{len(pairs)} pairs ({same} same event, {len(pairs) - same} different), "
        f"{sum(len(v) for v in reports[methods[0]].values())} actions in {len(wanted)} articles"
    )
    agreement = [
        sum(x * y for x, y in zip(a.embedding, b.embedding, strict=True))
        for n in wanted
        for a, b in zip(reports[methods[0]][n], reports[methods[1]][n], strict=True)
    ]
    if agreement:
        agreement.sort()
        print(
            f"cosine of the two evidence vectors of an action: mean "
            f"{sum(agreement) / len(agreement):.3f}, min {agreement[0]:.3f}, median "
            f"{agreement[len(agreement) // 2]:.3f}"
        )
    rule = MergeRule(settings.event_window_days, settings.event_similarity)
    for method in methods:
        p, r, f, tp, fp, fn = score(method, rule)
        print(
            f"evidence {method}: settings (window {rule.window_days} d, similarity "
            f"{rule.min_similarity}): precision {p:.2f} recall {r:.2f} F1 {f:.2f} "
            f"(tp {tp} fp {fp} fn {fn})"
        )
        if args.sweep:
            for window in (1, 3, 7):
                for sim in (0.3, 0.4, 0.5, 0.6, 0.7):
                    p, r, f, tp, fp, fn = score(method, MergeRule(window, sim))
                    print(f"  window {window} similarity {sim}: P {p:.2f} R {r:.2f} F1 {f:.2f}")


if __name__ == "__main__":
    main()
