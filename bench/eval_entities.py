"""Entity extraction benchmark on re3d (UK Government part).

Data: re3d, the Relationship and Entity Extraction Evaluation Dataset, by Dstl (UK Defence
Science and Technology Laboratory), annotated by Aleph Insights with Committed Software;
UK Government subset, documents from gov.uk. Licensed under the Open Government Licence
v3.0. Read from ``../shared/data/re3d-ukgov`` relative to the repository root (not copied).

Scores, per type and micro-averaged over Person, Organisation, Location, Nationality:

* exact: predicted span equals a gold span of the same type;
* exact modulo "the": exact, after dropping a leading "the"/"a"/"an" from both spans (re3d
  keeps the article in "the Global Coalition"; newskg's mentions leave it out);
* overlap: predicted span overlaps a gold span of the same type (each gold span matched once).

Our types map to re3d's: Person -> Person; Organization, Government, ArmedGroup,
PoliticalParty, MediaOrganization -> Organisation; Country, Place -> Location; mentions
found as demonyms (spaCy NORP), resolved or not -> Nationality.

Also: of re3d's IsSynonymOf pairs (ISIL / Daesh, a title / the person), how many have both
sides found and resolved to one entity key.

``--split`` also reports the even-index documents (in file order; used while developing the
extraction rules) and the odd-index ones (held out) separately; with ``--show-errors`` and
``--split`` only the even half's errors are printed.

Run: ``.venv/bin/python bench/eval_entities.py [--data PATH] [--split] [--show-errors]``.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

import spacy  # noqa: E402

from kg.core.models import Role  # noqa: E402
from kg.extraction.entities.extract import DetailedMention, EntityExtractor  # noqa: E402
from kg.extraction.nlp import load_nlp  # noqa: E402

DEFAULT_DATA = REPO_ROOT.parent / "shared" / "data" / "re3d-ukgov"
SCORED = ("Person", "Organisation", "Location", "Nationality")
TYPE_MAP = {
    "Person": "Person",
    "Organization": "Organisation",
    "Government": "Organisation",
    "ArmedGroup": "Organisation",
    "PoliticalParty": "Organisation",
    "MediaOrganization": "Organisation",
    "Country": "Location",
    "Place": "Location",
}

BASELINE_MAP = {
    "PERSON": "Person",
    "ORG": "Organisation",
    "GPE": "Location",
    "LOC": "Location",
    "FAC": "Location",
    "NORP": "Nationality",
}


@dataclass(frozen=True, slots=True)
class Span:
    doc: str
    start: int
    end: int
    type: str


def gold_type_of(mention: DetailedMention) -> str | None:
    """The re3d type our mention is scored as."""
    if mention.via == "demonym" or (mention.label == "NORP" and mention.via == "unresolved"):
        return "Nationality"
    return TYPE_MAP.get(mention.type) if mention.type else None


def read_jsonl(path: Path) -> list[dict[str, object]]:
    """One JSON object per line."""
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def score(gold: list[Span], pred: list[Span], *, overlap: bool) -> dict[str, tuple[int, int, int]]:
    """(true positives, predicted, gold) per type; gold spans are matched at most once."""
    out: dict[str, tuple[int, int, int]] = {}
    for typ in SCORED:
        g = [s for s in gold if s.type == typ]
        p = [s for s in pred if s.type == typ]
        used: set[int] = set()
        tp = 0
        for ps in p:
            for gi, gs in enumerate(g):
                if gi in used or gs.doc != ps.doc:
                    continue
                hit = (
                    gs.start < ps.end and ps.start < gs.end
                    if overlap
                    else (gs.start, gs.end) == (ps.start, ps.end)
                )
                if hit:
                    used.add(gi)
                    tp += 1
                    break
        out[typ] = (tp, len(p), len(g))
    return out


def without_article(spans: list[Span], texts: dict[str, str]) -> list[Span]:
    """The spans with a leading "the"/"a"/"an" (and the space after it) dropped."""
    out: list[Span] = []
    for s in spans:
        m = re.match(r"(?:the|a|an)\s+", texts[s.doc][s.start : s.end], re.IGNORECASE)
        out.append(Span(s.doc, s.start + m.end(), s.end, s.type) if m else s)
    return out


def prf(tp: int, n_pred: int, n_gold: int) -> tuple[float, float, float]:
    """Precision, recall, F1."""
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def print_table(title: str, counts: dict[str, tuple[int, int, int]]) -> None:
    """Per-type and micro-averaged precision/recall/F1."""
    print(f"\n{title}")
    print(f"{'type':<14}{'P':>7}{'R':>7}{'F1':>7}{'tp':>6}{'pred':>6}{'gold':>6}")
    totals = [0, 0, 0]
    for typ, (tp, n_pred, n_gold) in counts.items():
        p, r, f = prf(tp, n_pred, n_gold)
        print(f"{typ:<14}{p:7.3f}{r:7.3f}{f:7.3f}{tp:6d}{n_pred:6d}{n_gold:6d}")
        totals = [totals[0] + tp, totals[1] + n_pred, totals[2] + n_gold]
    p, r, f = prf(*totals)
    print(f"{'micro':<14}{p:7.3f}{r:7.3f}{f:7.3f}{totals[0]:6d}{totals[1]:6d}{totals[2]:6d}")


def main() -> None:
    """Run the benchmark and print its numbers."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--show-errors", action="store_true", help="print missed/spurious spans")
    parser.add_argument(
        "--split", action="store_true", help="also score even/odd-index documents separately"
    )
    args = parser.parse_args()

    documents = read_jsonl(args.data / "documents.json")
    entities = read_jsonl(args.data / "entities.json")
    relations = read_jsonl(args.data / "relations.json")
    nlp = load_nlp()
    extractor = EntityExtractor()

    gold = [
        Span(str(e["documentId"]), int(e["begin"]), int(e["end"]), str(e["type"]))  # type: ignore[call-overload]
        for e in entities
        if e["type"] in SCORED
    ]
    pred: list[Span] = []
    mentions_by_doc: dict[str, list[DetailedMention]] = defaultdict(list)
    roles_by_doc: dict[str, list[Role]] = defaultdict(list)
    for document in documents:
        doc_id = str(document["_id"])
        text = str(document["text"])
        detailed = extractor.extract_detailed(nlp(text))
        roles_by_doc[doc_id].extend(detailed.extraction.roles)
        for m in detailed.mentions:
            typ = gold_type_of(m)
            if typ is not None:
                pred.append(Span(doc_id, m.start, m.end, typ))
            mentions_by_doc[doc_id].append(m)

    print(f"re3d UK Government subset: {len(documents)} documents, {len(gold)} gold entities")
    print("(re3d by Dstl; Open Government Licence v3.0)")
    texts = {str(d["_id"]): str(d["text"]) for d in documents}

    def tables(suffix: str, g: list[Span], p: list[Span]) -> None:
        print_table(f"Exact span match{suffix}", score(g, p, overlap=False))
        print_table(
            f"Exact span match modulo a leading article{suffix}",
            score(without_article(g, texts), without_article(p, texts), overlap=False),
        )
        print_table(f"Overlap match{suffix}", score(g, p, overlap=True))

    tables("", gold, pred)
    even = {str(d["_id"]) for i, d in enumerate(documents) if i % 2 == 0}
    if args.split:
        for half, wanted in (("even (development)", True), ("odd (held out)", False)):
            g = [s for s in gold if (s.doc in even) == wanted]
            p = [s for s in pred if (s.doc in even) == wanted]
            tables(f", {half} half", g, p)

    # Baseline for comparison: the bare model's labels, no ruler, no resolution.
    bare = spacy.load(nlp.meta["lang"] + "_" + nlp.meta["name"])
    baseline = [
        Span(str(d["_id"]), ent.start_char, ent.end_char, BASELINE_MAP[ent.label_])
        for d in documents
        for ent in bare(str(d["text"])).ents
        if ent.label_ in BASELINE_MAP
    ]
    print_table("Baseline (bare spaCy labels), exact", score(gold, baseline, overlap=False))
    print_table("Baseline (bare spaCy labels), overlap", score(gold, baseline, overlap=True))

    def key_at(doc_id: str, start: int, end: int) -> str | None:
        for m in mentions_by_doc[doc_id]:
            if m.entity_key is not None and m.start < end and start < m.end:
                return m.entity_key
        return None

    # In this subset every IsSynonymOf pair is a title and the person holding it
    # ("Foreign Office Minister" / "Tobias Ellwood"). newskg models that as a Role of the
    # person, not as one entity, so a pair counts as resolved when both sides are one
    # entity or when the person on one side holds a role whose title is the other side.
    def words(text: str) -> set[str]:
        return {w for w in re.findall(r"[a-z]+", text.lower()) if w not in {"the", "for", "of"}}

    def role_links(doc_id: str, holder: str | None, title: str) -> bool:
        wanted = words(title)
        return holder is not None and any(
            role.holder_key == holder
            and wanted
            and wanted <= words(role.title) | words(role.organization_key or "")
            for role in roles_by_doc[doc_id]
        )

    pairs = [r for r in relations if r["type"] == "IsSynonymOf"]
    found = same_entity = via_role = 0
    for r in pairs:
        doc_id = str(r["documentId"])
        a = key_at(doc_id, int(r["sourceBegin"]), int(r["sourceEnd"]))  # type: ignore[call-overload]
        b = key_at(doc_id, int(r["targetBegin"]), int(r["targetEnd"]))  # type: ignore[call-overload]
        if a is not None and b is not None:
            found += 1
        if a is not None and a == b:
            same_entity += 1
        elif role_links(doc_id, a, str(r["target"])) or role_links(doc_id, b, str(r["source"])):
            via_role += 1
        elif args.show_errors:
            print(f"  synonym not resolved: {r['source']!r} ({a}) / {r['target']!r} ({b})")
    print(
        f"\nIsSynonymOf pairs: {len(pairs)} total, {found} with both sides found; resolved: "
        f"{same_entity} as one entity, {via_role} as person + role title "
        f"({same_entity + via_role}/{len(pairs)})"
    )

    if args.show_errors:
        shown = even if args.split else {s.doc for s in gold} | {s.doc for s in pred}
        gold_set = {(s.doc, s.start, s.end, s.type) for s in gold if s.doc in shown}
        pred_set = {(s.doc, s.start, s.end, s.type) for s in pred if s.doc in shown}
        print("\nMissed (exact):")
        for d, s, e, t in sorted(gold_set - pred_set):
            print(f"  {t:<13} {texts[d][s:e]!r}")
        print("\nSpurious (exact):")
        for d, s, e, t in sorted(pred_set - gold_set):
            print(f"  {t:<13} {texts[d][s:e]!r}")


if __name__ == "__main__":
    main()
