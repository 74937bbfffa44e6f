"""Shared test fixtures: paths and the seed article."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

# Models load from installed packages only; make sure nothing asks a model hub.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "000_dd03a0dc64772d97.txt"
GOLD = ROOT / "tests" / "gold" / "seed.json"


@pytest.fixture(scope="session")
def seed_path() -> Path:
    return SEED
