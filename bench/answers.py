"""Dump search answers as JSON, to check that a speed-up changed none of them.

For each query of ``bench/peer.py`` (the re3d role questions and its extra queries) and of
``bench/scale.py``, and each ``bench/scale.py`` query again prefixed "most reported"
(ordered by sources): the view both APIs render, as REST's JSON (``/search``), and the
``run`` result (its ``repr``: passages, scores, ``why``, actions, understanding). Run it on
the old code and on the new, against the same stores, and compare the two files (``cmp``).

Point it at a store with the usual variables (``NEWSKG_NEO4J_BOLT_PORT``,
``NEWSKG_QDRANT_DIR``...); the embedded Qdrant shard must not be open in another process.

Run: ``.venv/bin/python bench/answers.py OUT.json [--limit 10]``.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from api.rest.search_models import to_response  # noqa: E402
from bench.eval_search import QUESTIONS  # noqa: E402
from bench.peer import EXTRA_QUERIES  # noqa: E402
from bench.scale import QUERIES  # noqa: E402
from kg.core.config import get_settings  # noqa: E402
from kg.search.request import SearchRequest  # noqa: E402
from kg.services import build_services, close  # noqa: E402


def queries() -> list[str]:
    """The peer bench's queries, the scale bench's, and the latter "most reported"."""
    questions = json.loads(QUESTIONS.read_text(encoding="utf-8"))["questions"]
    asked = [q["query"] for q in questions] + list(EXTRA_QUERIES) + list(QUERIES)
    return asked + [f"most reported {q}" for q in QUERIES]


def main(argv: Sequence[str] | None = None) -> int:
    """Write every query's view and result to the given file, keys sorted."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("out", type=Path)
    parser.add_argument("--limit", type=int, default=10)
    args = parser.parse_args(argv)
    services = build_services(get_settings())
    answers: dict[str, object] = {}
    try:
        for query in queries():
            request = SearchRequest(query, args.limit)
            view = to_response(services.search.view(request)).model_dump_json()
            answers[f"view: {query}"] = json.loads(view)
            answers[f"run: {query}"] = repr(services.search.run(request))
    finally:
        close(services)
    args.out.write_text(json.dumps(answers, indent=1, sort_keys=True), encoding="utf-8")
    print(f"{len(answers)} answers written to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
