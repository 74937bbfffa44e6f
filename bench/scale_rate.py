"""Ingest rate at two graph sizes, measured side by side: the goal "rate at 10k >= 0.9 x the
rate at 1k" of issue #8, with the machine's load hitting both sides alike.

Takes two stores that ``bench/scale.py --var-dir`` built (a small and a large graph: their
``neo4j/``, ``qdrant/`` and ``scale.json``), which it never modifies: it copies each into a
directory of its own (``--work``; deleted afterwards unless ``--keep``). On each copy it
starts a Neo4j server (``kg neo4j start`` on the ports given) and a ``kg serve``, the server
path ``bench/scale.py`` grows its graphs through, and sends the SAME next corpus lines
(after every line either store holds, from their ``scale.json``) to both through the
ingest-jobs client (:class:`kg.ingest.server_client.ServerIngest`), in chunks that
alternate between the two sides (small, large, large, small, small, large ...), so a
change of the machine's load falls on both alike. It prints each side's articles/s, the
ratio large / small (overall, and the median of the per-round ratios), the load average,
and ``kg check`` of both copies afterwards.

Run: ``.venv/bin/python bench/scale_rate.py --small /tmp/scale10k-1k --large
/tmp/scale10k-var --n 400`` (Reuters-21578, Distribution 1.0, research use only).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    # `python bench/scale_rate.py` puts bench/ first on the path: import this checkout's kg.
    sys.path.insert(0, str(ROOT))

from bench.scale import (  # noqa: E402
    WARM_UP,
    api_server,
    articles,
    free_port,
    kg_command,
    neo4j_server,
    stored_articles,
)
from kg.ingest.server_client import ServerIngest  # noqa: E402


def copy_store(source: Path, target: Path) -> int:
    """Copy a kept store (never touching it); return the corpus lines it holds."""
    state = json.loads((source / "scale.json").read_text(encoding="utf-8"))
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    for name in ("neo4j", "qdrant", "scale.json"):
        src = source / name
        if src.is_dir():
            subprocess.run(["cp", "-a", str(src), str(target / name)], check=True)
        elif src.exists():
            shutil.copy2(src, target / name)
    # A copied pid file would name the source's old server.
    (target / "neo4j" / "run" / "neo4j.pid").unlink(missing_ok=True)
    return int(state.get("lines", 0))


def side_env(var_dir: Path, bolt: int, http: int) -> dict[str, str]:
    """The environment of one side's ``kg`` commands: its own stores and ports."""
    env = {
        **os.environ,
        "NEWSKG_VAR_DIR": str(var_dir),
        "NEWSKG_QDRANT_DIR": str(var_dir / "qdrant"),
        "NEWSKG_NEO4J_BOLT_PORT": str(bolt),
        "NEWSKG_NEO4J_HTTP_PORT": str(http),
        "NEWSKG_NEO4J_HEAP": os.environ.get("NEWSKG_NEO4J_HEAP", "1g"),
        "NEWSKG_NEO4J_PAGECACHE": os.environ.get("NEWSKG_NEO4J_PAGECACHE", "512m"),
    }
    env.pop("NEWSKG_NEO4J_URI", None)
    env.pop("NEWSKG_QDRANT_URL", None)
    return env


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", type=Path, required=True, help="the small kept store")
    parser.add_argument("--large", type=Path, required=True, help="the large kept store")
    parser.add_argument("--n", type=int, default=400, help="articles ingested into each side")
    parser.add_argument("--chunk", type=int, default=50, help="articles per alternation")
    parser.add_argument("--ports", default="7723,7724,7725,7726", help="bolt,http small; large")
    parser.add_argument("--work", type=Path, help="where the copies go (default: temporary)")
    parser.add_argument("--keep", action="store_true", help="keep the copies afterwards")
    args = parser.parse_args()
    ports = [int(p) for p in args.ports.split(",")]
    work = args.work or Path(tempfile.mkdtemp(prefix="newskg-scale-rate-"))
    names = ("small", "large")
    dirs = {name: work / name for name in names}
    lines = {
        name: copy_store(source, dirs[name])
        for name, source in zip(names, (args.small, args.large), strict=True)
    }
    first = max(lines.values())  # no line either store already holds
    envs = {
        name: side_env(dirs[name], ports[2 * i], ports[2 * i + 1]) for i, name in enumerate(names)
    }
    print(f"copies under {work}; corpus lines held: {lines}; sending lines {first}..")
    seconds = dict.fromkeys(names, 0.0)
    sent = dict.fromkeys(names, 0)
    stored = dict.fromkeys(names, 0)
    rounds: list[float] = []
    loads: list[float] = [os.getloadavg()[0]]
    try:
        with ExitStack() as stack:
            urls: dict[str, tuple[str, str]] = {}
            for name in names:
                stack.enter_context(neo4j_server(envs[name], keep=False))
                urls[name] = stack.enter_context(api_server(envs[name], dirs[name], free_port()))
            held = {name: stored_articles(envs[name]) for name in names}
            print(f"articles held: {held}")
            # The servers load their models on their first articles: the same lines, untimed.
            warm = articles(first, first + WARM_UP)
            for name in names:
                ServerIngest(*urls[name], timeout=600).run(warm)
            start = first + WARM_UP
            for i, line in enumerate(range(start, start + args.n, args.chunk)):
                step = articles(line, min(line + args.chunk, start + args.n))
                order = names if i % 2 == 0 else names[::-1]
                took: dict[str, float] = {}
                for name in order:
                    t0 = time.perf_counter()
                    report = ServerIngest(*urls[name], timeout=600).run(step)
                    took[name] = time.perf_counter() - t0
                    seconds[name] += took[name]
                    sent[name] += len(step)
                    stored[name] += report.stored
                rounds.append(took["small"] / took["large"])
                loads.append(os.getloadavg()[0])
                print(
                    f"  lines {line}..{line + len(step)}: small {len(step) / took['small']:.2f}, "
                    f"large {len(step) / took['large']:.2f} articles/s "
                    f"(ratio {rounds[-1]:.2f}, load {loads[-1]:.1f})",
                    flush=True,
                )
            after = {name: stored_articles(envs[name]) for name in names}
        # The API servers are stopped; Neo4j runs again for the checks.
        checks = {}
        for name in names:
            with neo4j_server(envs[name], keep=False):
                done = kg_command(envs[name], "check")
                checks[name] = f"exit {done.returncode}: {done.stdout.strip()[-300:]}"
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    rate = {name: sent[name] / seconds[name] for name in names}
    print(f"articles held after: {after} (stored this run: {stored})")
    for name in names:
        print(f"{name}: {rate[name]:.2f} articles/s ({sent[name]} sent, {seconds[name]:.0f} s)")
    print(
        f"ratio large / small: {rate['large'] / rate['small']:.2f} overall, "
        f"median of {len(rounds)} rounds {statistics.median(rounds):.2f} (goal >= 0.9)"
    )
    print(f"load average: {min(loads):.1f}-{max(loads):.1f}")
    for name in names:
        print(f"kg check {name}: {checks[name]}")


if __name__ == "__main__":
    main()
