"""The real all-MiniLM-L6-v2 model, loaded from its package with the hub switched off."""

from __future__ import annotations

import math
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from kg.core.config import get_settings
from kg.core.errors import ConfigurationError
from kg.vectors.embedder import (
    Embedder,
    declared_dimension,
    default_model_path,
    embedder_from_settings,
)

pytestmark = pytest.mark.integration


def _cosine(a: tuple[float, ...], b: tuple[float, ...]) -> float:
    return sum(x * y for x, y in zip(a, b, strict=True))


@pytest.fixture(scope="module")
def embedder() -> Iterator[Embedder]:
    previous = {k: os.environ.get(k) for k in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE")}
    os.environ["HF_HUB_OFFLINE"] = "1"
    yield embedder_from_settings(get_settings())
    for key, value in previous.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


def test_default_model_comes_from_the_package() -> None:
    path = default_model_path()
    assert path.name == "model"
    assert (path / "modules.json").is_file()


def test_dimension_is_384(embedder: Embedder) -> None:
    assert embedder.dimension == 384
    assert os.environ["HF_HUB_OFFLINE"] == "1"
    assert os.environ["TRANSFORMERS_OFFLINE"] == "1"


def test_vectors_are_normalised_and_in_order(embedder: Embedder) -> None:
    texts = ["The ministers signed a ceasefire.", "Heavy rain flooded the valley.", "x"]
    vectors = embedder.embed(texts, batch_size=2)
    assert len(vectors) == 3
    for vector in vectors:
        assert len(vector) == 384
        assert math.sqrt(sum(x * x for x in vector)) == pytest.approx(1.0, abs=1e-4)
    assert embedder.embed_query(texts[1]) == pytest.approx(vectors[1], abs=1e-5)
    assert embedder.embed([]) == []


def test_paraphrase_scores_higher_than_unrelated(embedder: Embedder) -> None:
    query = embedder.embed_query("The two countries agreed to a ceasefire.")
    paraphrase, unrelated = embedder.embed(
        [
            "Both nations accepted a truce and stopped the fighting.",
            "The bakery sells fresh bread every morning.",
        ]
    )
    assert _cosine(query, paraphrase) > _cosine(query, unrelated) + 0.2


def test_spans_are_pooled_from_the_texts_pass(embedder: Embedder) -> None:
    texts = [
        "Rebels attacked the army base near the border. Officials condemned the attack.",
        "word " * 400 + "The last sentence is cut off.",
    ]
    first = (0, texts[0].index(" Officials"))
    tail = (texts[1].index("The last"), len(texts[1]))
    vectors, pooled = embedder.embed_spans(texts, [[first, (0, 0)], [(0, 4), tail]])
    # The texts' vectors are exactly what embed gives; the spans come from the same pass.
    for got, want in zip(vectors, embedder.embed(texts), strict=True):
        assert got == pytest.approx(want, abs=1e-5)
    alone = embedder.embed_query(texts[0][first[0] : first[1]])
    assert pooled[0][0] is not None
    assert math.sqrt(sum(x * x for x in pooled[0][0])) == pytest.approx(1.0, abs=1e-4)
    # Pooled in context, the sentence stays close to the sentence embedded on its own.
    assert _cosine(pooled[0][0], alone) > 0.8
    assert pooled[0][1] is None  # an empty span holds no token
    assert pooled[1][0] is not None
    assert pooled[1][1] is None  # past the model's 256 tokens: the caller embeds it alone
    assert embedder.embed_spans([], []) == ([], [])


def test_a_directory_without_a_model_is_a_configuration_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError):
        _ = Embedder(model_path=tmp_path).dimension


def test_the_declared_dimension_is_the_models(tmp_path: Path) -> None:
    # Read from the configuration, the model unloaded; the same as the loaded model's.
    fresh = Embedder()
    assert declared_dimension(default_model_path()) == fresh.dimension == 384
    assert fresh._model is None
    assert fresh.embed(["x"]) and len(fresh.embed(["x"])[0]) == fresh.dimension
    (tmp_path / "modules.json").write_text(
        '[{"type": "sentence_transformers.models.Dense", "path": "1", "idx": 0, "name": "0"}]'
    )
    assert declared_dimension(tmp_path) is None
