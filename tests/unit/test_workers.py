"""Ingest worker processes end with the process that started them, even on SIGKILL."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# A parent that starts a spawned child (as PreparePool starts its workers) and waits to
# be killed. The child says its pid once it runs, then blocks forever unless its watch
# ends it.
PARENT = """
import multiprocessing, os, sys, time
from kg.ingest.workers import watch_parent

def child(watch, ready):
    if watch:
        watch_parent(every=0.05)
    ready.send(os.getpid())
    time.sleep(600)

if __name__ == "__main__":
    context = multiprocessing.get_context("spawn")
    receive, ready = context.Pipe(duplex=False)  # a pipe: no semaphore left behind
    context.Process(target=child, args=(sys.argv[1] == "1", ready)).start()
    print(receive.recv(), flush=True)
    time.sleep(600)
"""


def _alive(pid: int) -> bool:
    """Running, not a zombie left for an init that does not reap."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def _orphan_after_parent_killed(tmp: Path, watch: bool, wait: float) -> bool:
    """Kill the parent with SIGKILL; whether its child is still running ``wait`` s later."""
    script = tmp / "parent.py"  # a file: spawn re-imports the parent's main module
    script.write_text(PARENT)
    parent = subprocess.Popen(
        [sys.executable, str(script), "1" if watch else "0"],
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env=os.environ | {"PYTHONPATH": str(ROOT)},
    )
    assert parent.stdout is not None
    child = int(parent.stdout.readline())
    assert _alive(child)
    try:
        parent.send_signal(signal.SIGKILL)
        parent.wait()
        deadline = time.monotonic() + wait
        while _alive(child) and time.monotonic() < deadline:
            time.sleep(0.05)
        return _alive(child)
    finally:
        if _alive(child):
            os.kill(child, signal.SIGKILL)


def test_a_worker_ends_when_its_parent_is_killed(tmp_path: Path) -> None:
    assert not _orphan_after_parent_killed(tmp_path, watch=True, wait=30)


def test_without_the_watch_the_worker_would_outlive_its_parent(tmp_path: Path) -> None:
    # The case the watch is for: the orphan lives on (checked briefly).
    assert _orphan_after_parent_killed(tmp_path, watch=False, wait=1)
