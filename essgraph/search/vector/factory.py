"""Choose the dense index backend from its config string."""

from __future__ import annotations

from pathlib import Path

from essgraph.core.errors import ConfigError
from essgraph.search.embedders.base import Vectors
from essgraph.search.vector.base import Ids, VectorIndex


def make_vector_index(
    backend: str, dim: int, hnsw_threshold: int, path: Path | None = None, compact_fraction: float = 0.1
) -> VectorIndex:
    """A new (or, with an existing `path`, the saved) vector index; raises ConfigError if unknown."""
    if backend == "faiss":
        from essgraph.search.vector.faiss import FaissIndex

        if path is not None and path.exists():
            return FaissIndex.load(path, dim, hnsw_threshold, compact_fraction)
        return FaissIndex(dim, hnsw_threshold, compact_fraction=compact_fraction)
    raise ConfigError(
        f"Index vectoriel inconnu « {backend} » (valeur possible : 'faiss').",
        f"Unknown vector backend {backend!r} (expected 'faiss').",
    )


def vector_index_from_parts(
    backend: str,
    dim: int,
    hnsw_threshold: int,
    ids: Ids,
    vectors: Vectors,
    base_path: Path | None = None,
    compact_fraction: float = 0.1,
) -> VectorIndex:
    """The index of the live `ids`/`vectors`, completing a saved base at `base_path` if given;
    raises ConfigError for an unknown backend."""
    if backend == "faiss":
        from essgraph.search.vector.faiss import FaissIndex

        return FaissIndex.from_parts(dim, hnsw_threshold, ids, vectors, base_path, compact_fraction)
    raise ConfigError(
        f"Index vectoriel inconnu « {backend} » (valeur possible : 'faiss').",
        f"Unknown vector backend {backend!r} (expected 'faiss').",
    )
