"""Choose the dense index backend from its config string."""

from __future__ import annotations

from pathlib import Path

from essgraph.errors import ConfigError
from search.vector.base import VectorIndex


def make_vector_index(backend: str, dim: int, hnsw_threshold: int, path: Path | None = None) -> VectorIndex:
    """A new (or, with an existing `path`, the saved) vector index; raises ConfigError if unknown."""
    if backend == "faiss":
        from search.vector.faiss import FaissIndex

        if path is not None and path.exists():
            return FaissIndex.load(path, dim, hnsw_threshold)
        return FaissIndex(dim, hnsw_threshold)
    raise ConfigError(
        f"Index vectoriel inconnu « {backend} » (valeur possible : 'faiss').",
        f"Unknown vector backend {backend!r} (expected 'faiss').",
    )
