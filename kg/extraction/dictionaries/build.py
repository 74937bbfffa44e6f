"""Convert PETRARCH2's coding dictionaries into the packaged JSON files (run once).

Run from the repository root::

    python -m kg.extraction.dictionaries.build \\
        --source ../shared/data/petrarch2-dictionaries \\
        --plover ../shared/data/plover-gsr-dev/CAMEO2PLOVER-2021.txt

It writes ``verbs.json.gz``, ``actors.json.gz`` and ``agents.json.gz`` and copies the
MIT ``LICENSE`` into ``kg/extraction/data/petrarch/``. The runtime reads only those files.
"""

from __future__ import annotations

import argparse
import gzip
import json
import shutil
from pathlib import Path
from typing import Any

from kg.extraction.dictionaries.actor_source import read_actors, read_agents
from kg.extraction.dictionaries.verb_source import read_plover, read_verbs

OUT_DIR = Path(__file__).resolve().parent.parent / "data" / "petrarch"
ACTOR_FILES = (
    "Phoenix.Countries.actors.txt",
    "Phoenix.International.actors.txt",
    "Phoenix.MilNonState.actors.txt",
)
# Names the 2015 lists lack for groups they do know (same codes as their entries).
SUPPLEMENT: dict[str, list[list[Any]]] = {
    "eln": [["COLREB", 0, 0, "colombia"]],
    "ejercito de liberacion nacional": [["COLREB", 0, 0, "colombia"]],
}

# Plain agent words the list only has in compounds ("government official").
AGENT_SUPPLEMENT: dict[str, str] = {
    "official": "~GOV",
    "officials": "~GOV",
    "militant": "~REB",
    "militants": "~REB",
    "insurgent": "~REB",
    "insurgents": "~REB",
    "forces": "~MIL",
    "armed forces": "~MIL",
    "aircraft": "~MIL",
    "peacekeeper": "~MIL",
    "peacekeepers": "~MIL",
    "negotiator": "~GOV",
    "negotiators": "~GOV",
    "leader": "~GOV",
    "leaders": "~GOV",
    "opposition": "~OPP",
}


def _write(path: Path, data: Any) -> int:
    raw = json.dumps(data, separators=(",", ":"), sort_keys=True).encode("utf-8")
    # mtime=0: the same input gives byte-identical files.
    with path.open("wb") as fh, gzip.GzipFile(fileobj=fh, mode="wb", mtime=0) as gz:
        gz.write(raw)
    return path.stat().st_size


def build(source: Path, plover: Path, out: Path = OUT_DIR) -> dict[str, int]:
    """Read the dictionaries and write the compact files.

    Args:
        source: Folder with PETRARCH2's dictionaries and LICENSE.
        plover: The CAMEO-to-PLOVER table.
        out: Output folder.

    Returns:
        File name -> size in bytes.
    """
    out.mkdir(parents=True, exist_ok=True)
    verbs = read_verbs((source / "CAMEO.2.0.txt").read_text(encoding="latin-1"))
    verbs["plover"] = read_plover(plover.read_text(encoding="utf-8"))
    actors = read_actors([(source / name).read_text(encoding="latin-1") for name in ACTOR_FILES])
    for name, entries in SUPPLEMENT.items():
        actors.setdefault(name, entries)
    agents = read_agents((source / "Phoenix.agents.txt").read_text(encoding="latin-1"))
    for word, code in AGENT_SUPPLEMENT.items():
        agents.setdefault(word, code)
    shutil.copyfile(source / "LICENSE", out / "LICENSE")
    return {
        "verbs.json.gz": _write(out / "verbs.json.gz", verbs),
        "actors.json.gz": _write(out / "actors.json.gz", actors),
        "agents.json.gz": _write(out / "agents.json.gz", agents),
    }


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--source", type=Path, required=True)
    parser.add_argument("--plover", type=Path, required=True)
    parser.add_argument("--out", type=Path, default=OUT_DIR)
    args = parser.parse_args(argv)
    for name, size in build(args.source, args.plover, args.out).items():
        print(f"{name}: {size} bytes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
