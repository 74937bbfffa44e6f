"""re3d-ukgov: ``FightingAgainst`` relations recovered as actions.

Data: the UK Government part of re3d (Relationship and Entity Extraction Evaluation
Dataset, Dstl), dstl/re3d commit b061ff0, Open Government Licence v3.0. Read from
``../shared/data/re3d-ukgov`` (not copied).

Each document body goes through the rule-based extractor. A predicted pair is an
(actor, target) pair of a hostile action (ASSAULT, COERCE, THREATEN; they are what a
"fighting against" relation reports). A gold relation (source, target), deduplicated per
document on lower-cased texts, is recovered when a predicted pair of the same document has
an actor sharing a content word with its source and a target sharing one with its target
(the canonical name or the surface text may match; one-to-one, greedy). Precision is over
predicted pairs, recall over gold relations.

``--half dev`` scores the even-index documents only (in ``documents.json`` order), so
that the odd-index ones stay unread while the extractor is tuned.

Run: ``.venv/bin/python bench/eval_re3d.py [--data DIR] [--half dev]``.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from bench.eval_events import Counts, content_words  # noqa: E402
from kg.extraction.actions.extract import ActionExtractor  # noqa: E402
from kg.extraction.extractor import RuleBasedExtractor  # noqa: E402

DEFAULT_DATA = REPO_ROOT.parent / "shared" / "data" / "re3d-ukgov"
HOSTILE = frozenset({"ASSAULT", "COERCE", "THREATEN"})


def _lines(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def gold_pairs(data: Path) -> dict[str, list[tuple[str, str]]]:
    """Document id -> deduplicated (source, target) texts of FightingAgainst relations."""
    out: dict[str, list[tuple[str, str]]] = {}
    for rel in _lines(data / "relations.json"):
        if rel.get("type") != "FightingAgainst":
            continue
        pair = (str(rel["source"]), str(rel["target"]))
        pairs = out.setdefault(str(rel["documentId"]), [])
        if all((a.lower(), b.lower()) != (pair[0].lower(), pair[1].lower()) for a, b in pairs):
            pairs.append(pair)
    return out


def predicted_pairs(extractor: RuleBasedExtractor, text: str) -> list[tuple[set[str], set[str]]]:
    """(actor words, target words) of every hostile action's actor-target pair."""
    extraction = extractor.extract(text, None)
    names = {e.key: e.name for e in extraction.entities}
    pairs: list[tuple[set[str], set[str]]] = []
    for action in extraction.actions:
        if action.type not in HOSTILE:
            continue
        for actor in action.actors:
            for target in action.targets:
                a = content_words(actor.text) | content_words(names.get(actor.entity_key or "", ""))
                t = content_words(target.text) | content_words(
                    names.get(target.entity_key or "", "")
                )
                pairs.append((a, t))
    return pairs


def score(data: Path, *, dictionaries: bool, half: str = "all") -> Counts:
    """Pair-level counts over all documents, or over the even-index ones (``half="dev"``)."""
    extractor = RuleBasedExtractor(actions=ActionExtractor(dictionaries=dictionaries))
    gold = gold_pairs(data)
    counts = Counts()
    documents = _lines(data / "documents.json")
    if half == "dev":
        documents = documents[::2]
    for doc in documents:
        wanted = gold.get(str(doc["_id"]), [])
        used = [False] * len(wanted)
        for actor_words, target_words in predicted_pairs(extractor, str(doc["text"])):
            hit = next(
                (
                    i
                    for i, (src, tgt) in enumerate(wanted)
                    if not used[i]
                    and content_words(src) & actor_words
                    and content_words(tgt) & target_words
                ),
                None,
            )
            if hit is None:
                counts.fp += 1
            else:
                used[hit] = True
                counts.tp += 1
        counts.fn += used.count(False)
    return counts


def report_re3d(*, dictionaries: bool, data: Path = DEFAULT_DATA, half: str = "all") -> None:
    """Print the FightingAgainst score for one dictionary setting (``half``: "all" or "dev")."""
    counts = score(data, dictionaries=dictionaries, half=half)
    label = "dicts=on " if dictionaries else "dicts=off"
    where = "dev(even) documents" if half == "dev" else "all documents"
    print(
        f"{label} re3d-ukgov FightingAgainst as actions, {where} (Dstl, OGL v3.0): "
        f"{counts.prf()} "
        f"(tp={counts.tp} fp={counts.fp} fn={counts.fn})"
    )


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument(
        "--half", choices=("dev", "all"), default="all", help="dev: even-index documents only"
    )
    args = parser.parse_args(argv)
    for dictionaries in (True, False):
        report_re3d(dictionaries=dictionaries, data=args.data, half=args.half)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
