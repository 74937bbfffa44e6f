"""CAMEO actor codes against the PLOVER Gold Standard Records' codes.

Each gold participant has a country ``code`` ("SDN", "IGO") and often a ``sector``
("GOV", "REB", "REFKUR"). Two scores:

* intrinsic: the gold participant's own text coded by the dictionaries
  (:mod:`kg.extraction.dictionaries.actor_codes`), no extraction involved;
* extracted: the main event's participants that match a gold one (shared content word, as
  in :mod:`bench.eval_events`), with the codes the extractor gave them.

Country accuracy compares the first three letters; sector accuracy the first three letters
of the sector, over gold participants that have one. A participant without a code counts
as wrong.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kg.extraction.dictionaries.actor_codes import load_actor_coder


@dataclass
class CodeCounts:
    """Country and sector agreement counts."""

    country_ok: int = 0
    country_n: int = 0
    sector_ok: int = 0
    sector_n: int = 0

    def add(self, predicted: str | None, gold: dict[str, Any]) -> None:
        code = predicted or ""
        self.country_n += 1
        self.country_ok += code[:3] == str(gold.get("code", ""))[:3]
        sector = str(gold.get("sector") or "")[:3]
        if sector:
            self.sector_n += 1
            self.sector_ok += code[3:6] == sector or (len(code) == 3 and code == sector)

    def text(self) -> str:
        c = self.country_ok / self.country_n if self.country_n else 0.0
        s = self.sector_ok / self.sector_n if self.sector_n else 0.0
        return f"country {c:.3f} (n={self.country_n})  sector {s:.3f} (n={self.sector_n})"


def _gold(record: dict[str, Any]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for key in ("source", "target"):
        value = record.get(key)
        if isinstance(value, list):
            out += [v for v in value if isinstance(v, dict) and v.get("actorText")]
    return out


def code_scores(
    records: list[dict[str, Any]],
    outputs: dict[str, dict[str, Any]],
    main: Any,
    words: Any,
) -> tuple[CodeCounts, CodeCounts]:
    """(intrinsic, extracted) code agreement over the records.

    Args:
        records: Gold records.
        outputs: Extraction outputs keyed by record key (with ``actor_codes`` etc.).
        main: The main-event chooser of :mod:`bench.eval_events`.
        words: The content-word function of :mod:`bench.eval_events`.
    """
    coder = load_actor_coder()
    intrinsic, extracted = CodeCounts(), CodeCounts()
    for r in records:
        action = main(outputs[r["key"]]["actions"])
        predicted: list[tuple[set[str], str | None]] = []
        if action is not None:
            for role in ("actor", "target"):
                for name, text, code in zip(
                    action[role + "s"],
                    action[role + "_texts"],
                    action[role + "_codes"],
                    strict=True,
                ):
                    predicted.append((words(name) | words(text), code))
        for gold in _gold(r):
            found = coder.code(str(gold["actorText"]))
            intrinsic.add(found.code if found else None, gold)
            gold_words = words(str(gold["actorText"]))
            hit = next((code for w, code in predicted if w & gold_words), None)
            if any(w & gold_words for w, _ in predicted):
                extracted.add(hit, gold)
    return intrinsic, extracted
