"""Event extraction benchmark on the PLOVER Gold Standard Records (dev part).

Data: PLOVER Gold Standard Records (``PLOVER_GSR_CAMEO.txt`` of openeventdata/PLOVER,
commit 5e0c24f), © 2016 Open Event Data Alliance, licensed CC BY-SA 4.0. Read from
``../shared/data/plover-gsr-dev`` relative to the repository root (not copied).

The sentences go through the same code path as ``kg extract`` (``kg.extraction.jsonl``).
The records use an older PLOVER draft; their types are mapped to the current ones:
DEMAND -> REQUEST, DISAPPROVE -> ACCUSE, INVESTIGATE -> ACCUSE, FIGHT -> ASSAULT.

Scores:

* type accuracy: the predicted *main event* is the highest-confidence action of the record
  (ties: the earliest). Following PLOVER, a stated future intention is coded as the
  intention (AGREE for cooperation, THREATEN for hostility, REJECT for refused cooperation),
  so a main event flagged ``future`` with another type is coded that way; the raw accuracy
  without this coding is printed too.
* actor / target F1 (micro): the main event's actors (targets) against the record's source
  (target) actors. A predicted participant matches a gold one when they share a content
  word (case-insensitive; the canonical name or the surface text may match); each gold
  participant is matched at most once.

* exact match: the same, but a predicted participant matches only when its canonical name
  or surface text equals the gold text (case-insensitive, punctuation and a leading
  article ignored). Precision, recall and F1 are printed for both matches.

Every score is printed twice in the same run: with PETRARCH2's coding dictionaries
(``dicts=on``) and with the lexicon alone (``dicts=off``).

``--split`` reports the even-index records (used while developing the lexicon and the
dictionary coding) and the odd-index ones (held out) separately; ``--half dev`` prints the
development half only (use it while tuning). ``--unseen`` adds a proxy for new text on the
development half (:mod:`bench.eval_unseen`: the lexicon loses each record's event words).
``--re3d`` adds the re3d-ukgov score (:mod:`bench.eval_re3d`): ``FightingAgainst``
relations recovered as actions (with ``--half dev``, on its even-index documents only).

Run: ``.venv/bin/python bench/eval_events.py [--data PATH] [--split] [--half dev]
[--errors] [--unseen] [--re3d]``.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from kg.core.models import PloverType  # noqa: E402
from kg.extraction.actions.composites import intent_type  # noqa: E402
from kg.extraction.actions.extract import ActionExtractor  # noqa: E402
from kg.extraction.actions.lexicon import load_lexicon  # noqa: E402
from kg.extraction.extractor import RuleBasedExtractor  # noqa: E402
from kg.extraction.jsonl import extract_records  # noqa: E402

DEFAULT_DATA = REPO_ROOT.parent / "shared" / "data" / "plover-gsr-dev" / "plover_gsr_dev.json"
OLD_TYPES = {
    "DEMAND": "REQUEST",
    "DISAPPROVE": "ACCUSE",
    "INVESTIGATE": "ACCUSE",
    "FIGHT": "ASSAULT",
}
STOPWORDS = frozenset(
    {"a", "an", "the", "of", "in", "on", "at", "to", "for", "from", "by", "and", "or", "s"}
    | {"its", "his", "her", "their", "who", "which", "that"}
)


def content_words(text: str) -> set[str]:
    """Lower-case words of a name, without stopwords and punctuation."""
    return {
        w for w in re.findall(r"[a-z0-9]+", text.lower().replace(".", "")) if w not in STOPWORDS
    }


def exact_form(text: str) -> str:
    """A name for exact comparison: lower case, no punctuation, no leading article."""
    words = re.findall(r"[a-z0-9]+", text.lower().replace(".", "").replace("'s", ""))
    if words and words[0] in ("the", "a", "an"):
        words = words[1:]
    return " ".join(words)


@dataclass
class Counts:
    """Micro-averaged match counts."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    def f1(self) -> float:
        p, r = self.precision(), self.recall()
        return 2 * p * r / (p + r) if p + r else 0.0

    def prf(self) -> str:
        return f"P={self.precision():.3f} R={self.recall():.3f} F1={self.f1():.3f}"


def gold_names(value: Any) -> list[str]:
    if not isinstance(value, list):
        return []
    return [str(v["actorText"]) for v in value if isinstance(v, dict) and v.get("actorText")]


def match(
    predicted: list[list[str]], gold: list[str], counts: Counts, *, exact: bool = False
) -> None:
    """Greedy one-to-one matching; each predicted item is a list of alternative names."""
    used = [False] * len(gold)
    for alternatives in predicted:
        if exact:
            forms = {exact_form(a) for a in alternatives}
            hit = next(
                (i for i, g in enumerate(gold) if not used[i] and exact_form(g) in forms), None
            )
        else:
            words = (
                set().union(*(content_words(a) for a in alternatives)) if alternatives else set()
            )
            hit = next(
                (i for i, g in enumerate(gold) if not used[i] and content_words(g) & words),
                None,
            )
        if hit is None:
            counts.fp += 1
        else:
            used[hit] = True
            counts.tp += 1
    counts.fn += used.count(False)


def main_event(actions: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The highest-confidence action (earliest on ties)."""
    if not actions:
        return None
    return max(enumerate(actions), key=lambda ia: (ia[1]["confidence"], -ia[0]))[1]


def coded_type(action: dict[str, Any]) -> str:
    """PLOVER coding of a stated intention (see the module docstring)."""
    plain = str(action["type"])
    lexicon = load_lexicon()
    if action.get("negated") and plain in lexicon.cooperative_types:
        return "REJECT"
    if action.get("future") and plain not in ("AGREE", "THREATEN", "REJECT", "REQUEST"):
        return intent_type(cast(PloverType, plain), bool(action.get("negated")), lexicon)
    return plain


def load_records(path: Path) -> list[dict[str, Any]]:
    records = [
        r for r in json.loads(path.read_text(encoding="utf-8")) if r.get("event") != "DOCUMENT"
    ]
    return [r for r in records if r.get("text")]


def evaluate(
    records: list[dict[str, Any]], outputs: dict[str, dict[str, Any]], show: bool
) -> dict[str, Any]:
    correct = raw_correct = 0
    actors, targets = Counts(), Counts()
    actors_exact, targets_exact = Counts(), Counts()
    for r in records:
        gold_type = OLD_TYPES.get(r["event"], r["event"])
        out = outputs[r["key"]]
        main = main_event(out["actions"])
        predicted = coded_type(main) if main else None
        correct += predicted == gold_type
        raw_correct += (main["type"] if main else None) == gold_type
        pa = (
            [[n, t] for n, t in zip(main["actors"], main["actor_texts"], strict=True)]
            if main
            else []
        )
        pt = (
            [[n, t] for n, t in zip(main["targets"], main["target_texts"], strict=True)]
            if main
            else []
        )
        match(pa, gold_names(r.get("source")), actors)
        match(pt, gold_names(r.get("target")), targets)
        match(pa, gold_names(r.get("source")), actors_exact, exact=True)
        match(pt, gold_names(r.get("target")), targets_exact, exact=True)
        if show and (predicted != gold_type):
            print(
                f"  {r['id']}: gold {gold_type} got {predicted} [{main['trigger'] if main else ''}]"
            )
            print(f"     {r['text'][:160]}")
    n = len(records) or 1
    return {
        "records": len(records),
        "type_accuracy": correct / n,
        "raw_type_accuracy": raw_correct / n,
        "actor_f1": actors.f1(),
        "target_f1": targets.f1(),
        "actor": actors,
        "target": targets,
        "actor_exact": actors_exact,
        "target_exact": targets_exact,
    }


def run(
    path: Path, *, dictionaries: bool = True
) -> tuple[list[dict[str, Any]], dict[str, dict[str, Any]]]:
    """Extract every record; outputs are keyed by record position (some ids repeat)."""
    records = load_records(path)
    for index, r in enumerate(records):
        r["key"] = str(index)
    lines: Iterable[str] = (json.dumps({"id": r["key"], "text": r["text"]}) for r in records)
    extractor = RuleBasedExtractor(actions=ActionExtractor(dictionaries=dictionaries))
    outputs = {o["id"]: o for o in extract_records(lines, extractor, source=str(path))}
    return records, outputs


def report_codes(
    name: str, records: list[dict[str, Any]], outputs: dict[str, dict[str, Any]]
) -> None:
    """Actor-code agreement with the gold codes (see :mod:`bench.eval_codes`)."""
    from bench.eval_codes import code_scores

    intrinsic, extracted = code_scores(records, outputs, main_event, content_words)
    print(f"{name:18}   codes of gold texts: {intrinsic.text()}")
    print(f"{'':18}   codes of matched participants: {extracted.text()}")


def report(name: str, scores: dict[str, Any]) -> None:
    print(
        f"{name:18} n={int(scores['records']):3d}  type_acc={scores['type_accuracy']:.3f} "
        f"(raw {scores['raw_type_accuracy']:.3f})"
    )
    for role in ("actor", "target"):
        print(
            f"{'':18}   {role:6} overlap {scores[role].prf()}   "
            f"exact {scores[role + '_exact'].prf()}"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument(
        "--split", action="store_true", help="report even (dev) and odd (held-out) halves"
    )
    parser.add_argument(
        "--half", choices=("dev", "both"), default="both", help="dev: the even half only"
    )
    parser.add_argument(
        "--errors", action="store_true", help="print type errors of the dev half only"
    )
    parser.add_argument("--re3d", action="store_true", help="also score re3d-ukgov")
    parser.add_argument(
        "--unseen",
        action="store_true",
        help="also score the dev half with each record's event words out of the lexicon",
    )
    parser.add_argument(
        "--dicts", choices=("on", "off", "both"), default="both", help="dictionary settings"
    )
    args = parser.parse_args(argv)
    print(
        "PLOVER Gold Standard Records (dev part), (c) 2016 Open Event Data Alliance, CC BY-SA 4.0"
    )
    settings = {"on": [True], "off": [False], "both": [True, False]}[args.dicts]
    for dictionaries in settings:
        label = "dicts=on " if dictionaries else "dicts=off"
        records, outputs = run(args.data, dictionaries=dictionaries)
        even = [r for i, r in enumerate(records) if i % 2 == 0]
        odd = [r for i, r in enumerate(records) if i % 2 == 1]
        if args.half == "dev":
            report(f"{label} dev(even)", evaluate(even, outputs, args.errors))
            if dictionaries:
                report_codes(f"{label} dev(even)", even, outputs)
            continue
        if args.split:
            report(f"{label} dev(even)", evaluate(even, outputs, args.errors))
            report(f"{label} held(odd)", evaluate(odd, outputs, False))
            if dictionaries:
                report_codes(f"{label} dev(even)", even, outputs)
                report_codes(f"{label} held(odd)", odd, outputs)
        report(f"{label} all", evaluate(records, outputs, args.errors and not args.split))
    if args.unseen:
        from bench.eval_unseen import report_unseen

        report_unseen(args.data, errors=args.errors)
    if args.re3d:
        from bench.eval_re3d import report_re3d

        for dictionaries in settings:
            report_re3d(dictionaries=dictionaries, half="dev" if args.half == "dev" else "all")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
