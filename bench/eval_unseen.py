"""Development half as if its verbs were unseen: the lexicon loses each record's event words.

The trigger lexicon was grown on the development half, so its scores there overstate what
it does on new text. This proxy removes, for each record, the lexicon entries (verbs,
verb phrases, event nouns) that contain a word of the record's gold event text, then
extracts the record, with and without the coding dictionaries. It uses the development
half only, so it can guide choices without touching the held-out half.

Run: ``.venv/bin/python bench/eval_unseen.py [--errors]`` (or ``bench/eval_events.py --unseen``);
``--errors`` prints the type errors of this proxy (development half only).
"""

from __future__ import annotations

import dataclasses
import re
import sys
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from bench.eval_events import DEFAULT_DATA, evaluate, load_records, report  # noqa: E402
from kg.extraction.actions.extract import ActionExtractor  # noqa: E402
from kg.extraction.actions.lexicon import Lexicon, load_lexicon  # noqa: E402
from kg.extraction.extractor import RuleBasedExtractor  # noqa: E402
from kg.extraction.jsonl import extraction_record  # noqa: E402
from kg.extraction.nlp import load_nlp  # noqa: E402


def without(lexicon: Lexicon, words: set[str]) -> Lexicon:
    """The lexicon without the entries that contain one of ``words``."""

    def keep(key: str) -> bool:
        return not set(key.split()) & words

    return dataclasses.replace(
        lexicon,
        verbs={k: v for k, v in lexicon.verbs.items() if keep(k)},
        verb_particles={k: v for k, v in lexicon.verb_particles.items() if keep(k)},
        nouns={k: v for k, v in lexicon.nouns.items() if keep(k)},
    )


def event_words(text: str, nlp: Any) -> set[str]:
    """Lower-case words and lemmas of a gold event text."""
    lemmas = {t.lemma_.lower() for t in nlp(text) if t.is_alpha}
    return lemmas | set(re.findall(r"[a-z]+", text.lower()))


def report_unseen(data: Path = DEFAULT_DATA, errors: bool = False) -> None:
    """Print the proxy scores, dictionaries on and off."""
    nlp = load_nlp()
    base = load_lexicon()
    records = load_records(data)
    for index, r in enumerate(records):
        r["key"] = str(index)
    dev = [r for i, r in enumerate(records) if i % 2 == 0]
    reduced = {r["key"]: without(base, event_words(r.get("eventText") or "", nlp)) for r in dev}
    for dictionaries in (True, False):
        extractor = RuleBasedExtractor(actions=ActionExtractor(dictionaries=dictionaries))
        outputs: dict[str, dict[str, Any]] = {}
        for r in dev:
            extractor.actions.lexicon = reduced[r["key"]]
            extraction = extractor.extract(r["text"], None)
            outputs[r["key"]] = extraction_record(r["key"], r["text"], extraction)
        label = "dicts=on " if dictionaries else "dicts=off"
        report(f"{label} dev unseen", evaluate(dev, outputs, errors and dictionaries))


if __name__ == "__main__":
    report_unseen(errors="--errors" in sys.argv)
