"""Choose the dense index backend from its config string."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from essgraph.core.errors import ConfigError
from essgraph.search.embedders.base import Vectors
from essgraph.search.vector.base import Ids, VectorIndex

if TYPE_CHECKING:
    from essgraph.search.milvus_client import MilvusTarget


def _unknown(backend: str) -> ConfigError:
    return ConfigError(
        f"Index vectoriel inconnu « {backend} » (valeurs possibles : 'faiss', 'milvus').",
        f"Unknown vector backend {backend!r} (expected 'faiss' or 'milvus').",
    )


def _milvus_target(target: MilvusTarget | None) -> MilvusTarget:
    if target is None:
        raise ConfigError(
            "L'index vectoriel « milvus » se choisit par ESSGRAPH_INDEX=milvus.",
            "The 'milvus' vector backend is chosen with ESSGRAPH_INDEX=milvus.",
        )
    return target


def make_vector_index(
    backend: str,
    dim: int,
    hnsw_threshold: int,
    path: Path | None = None,
    compact_fraction: float = 0.1,
    milvus: MilvusTarget | None = None,
) -> VectorIndex:
    """A new (or, with an existing `path`, the saved) vector index; raises ConfigError if unknown.
    `milvus` is where the `milvus` backend creates its collection (IndexUnavailable if unreachable)."""
    if backend == "milvus":
        from essgraph.search.vector.milvus import MilvusVectorIndex

        return MilvusVectorIndex.new(_milvus_target(milvus), dim)
    if backend == "faiss":
        from essgraph.search.vector.faiss import FaissIndex

        if path is not None and path.exists():
            return FaissIndex.load(path, dim, hnsw_threshold, compact_fraction)
        return FaissIndex(dim, hnsw_threshold, compact_fraction=compact_fraction)
    raise _unknown(backend)


def vector_index_from_parts(
    backend: str,
    dim: int,
    hnsw_threshold: int,
    ids: Ids,
    vectors: Vectors,
    base_path: Path | None = None,
    compact_fraction: float = 0.1,
    milvus: MilvusTarget | None = None,
) -> VectorIndex:
    """The index of the live `ids`/`vectors`, completing a saved base at `base_path` if given (for
    `milvus`, the base file names the collection, which already holds the vectors); raises ConfigError
    for an unknown backend."""
    if backend == "milvus":
        from essgraph.search.vector.milvus import MilvusVectorIndex

        return MilvusVectorIndex.from_parts(_milvus_target(milvus), dim, ids, base_path)
    if backend == "faiss":
        from essgraph.search.vector.faiss import FaissIndex

        return FaissIndex.from_parts(dim, hnsw_threshold, ids, vectors, base_path, compact_fraction)
    raise _unknown(backend)
