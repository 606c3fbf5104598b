"""FAISS dense index: exact inner product (IndexFlatIP) up to a threshold, HNSW above it."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import faiss as _faiss
import numpy as np
import numpy.typing as npt

from essgraph.errors import ConfigError
from search.embedders.base import Vectors
from search.vector.base import Ids, VectorIndex

HNSW_M = 32


class FaissIndex(VectorIndex):
    """Flat inner-product index inside an IndexIDMap2; switches to HNSW beyond `hnsw_threshold` vectors.

    HNSW cannot delete, so removals from an HNSW index rebuild it from the vectors kept aside in
    `_store` (ids -> vectors); the flat index deletes in place.
    """

    def __init__(self, dim: int, hnsw_threshold: int, ef_search: int = 128) -> None:
        super().__init__(dim)
        self.hnsw_threshold = hnsw_threshold
        self.ef_search = ef_search
        self._index: _faiss.IndexIDMap2 = self._new(hnsw=False)
        self._hnsw = False

    def _new(self, hnsw: bool) -> _faiss.IndexIDMap2:
        inner: _faiss.Index
        if hnsw:
            inner = _faiss.IndexHNSWFlat(self.dim, HNSW_M, _faiss.METRIC_INNER_PRODUCT)
            inner.hnsw.efSearch = self.ef_search
            inner.hnsw.efConstruction = 80
        else:
            inner = _faiss.IndexFlatIP(self.dim)
        return _faiss.IndexIDMap2(inner)

    @property
    def kind(self) -> str:
        """ "hnsw" or "flat"."""
        return "hnsw" if self._hnsw else "flat"

    def _all(self) -> tuple[Ids, Vectors]:
        n = self._index.ntotal
        if n == 0:
            return np.zeros(0, dtype=np.int64), np.zeros((0, self.dim), dtype=np.float32)
        ids = _faiss.vector_to_array(self._index.id_map).astype(np.int64)
        vectors = self._index.index.reconstruct_n(0, n)
        return ids, np.asarray(vectors, dtype=np.float32)

    def _rebuild(self, ids: Ids, vectors: Vectors) -> None:
        hnsw = len(ids) > self.hnsw_threshold
        index = self._new(hnsw)
        if len(ids):
            index.add_with_ids(vectors, ids)
        self._index, self._hnsw = index, hnsw

    def add(self, ids: Ids, vectors: Vectors) -> None:
        """Add vectors; crossing the threshold converts the flat index to HNSW."""
        if len(ids) == 0:
            return
        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        ids = np.ascontiguousarray(ids, dtype=np.int64)
        if not self._hnsw and self._index.ntotal + len(ids) > self.hnsw_threshold:
            old_ids, old_vecs = self._all()
            self._rebuild(np.concatenate([old_ids, ids]), np.concatenate([old_vecs, vectors]))
            return
        self._index.add_with_ids(vectors, ids)

    def remove(self, ids: Ids) -> None:
        """Remove ids; an HNSW index is rebuilt without them (flat again if small enough)."""
        if len(ids) == 0 or self._index.ntotal == 0:
            return
        ids = np.asarray(ids, dtype=np.int64)
        if self._hnsw:
            old_ids, old_vecs = self._all()
            keep = ~np.isin(old_ids, ids)
            self._rebuild(old_ids[keep], old_vecs[keep])
        else:
            self._index.remove_ids(_faiss.IDSelectorBatch(ids))

    def search(self, query: Vectors, k: int, threads: int = 1) -> tuple[Ids, npt.NDArray[np.float32]]:
        """Top-`k` ids and inner products for one query vector, best first, on `threads` threads."""
        n = self._index.ntotal
        if n == 0 or k <= 0:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        _faiss.omp_set_num_threads(threads)
        q = np.ascontiguousarray(query.reshape(1, -1), dtype=np.float32)
        scores, ids = self._index.search(q, min(k, n))
        keep = ids[0] >= 0
        return ids[0][keep].astype(np.int64), scores[0][keep].astype(np.float32)

    def vectors(self, ids: Ids) -> Vectors:
        """The stored vectors of `ids` (all present), as an (len(ids), dim) float32 array."""
        if len(ids) == 0:
            return np.zeros((0, self.dim), dtype=np.float32)
        wanted = np.ascontiguousarray(ids, dtype=np.int64)
        return np.asarray(self._index.reconstruct_batch(wanted), dtype=np.float32)

    def __len__(self) -> int:
        return int(self._index.ntotal)

    def save(self, path: Path) -> None:
        """Write the index with faiss.write_index to a temporary file, then rename over `path`."""
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(path.suffix + ".tmp")
        _faiss.write_index(self._index, str(tmp))
        os.replace(tmp, path)

    @classmethod
    def load(cls, path: Path, dim: int, hnsw_threshold: int) -> FaissIndex:
        """The index saved at `path`."""
        index = cls(dim, hnsw_threshold)
        loaded = _faiss.read_index(str(path))
        if not isinstance(loaded, _faiss.IndexIDMap2):
            raise ConfigError(
                f"Index vectoriel illisible : {path} ; lancer `essgraph reindex`.",
                f"Unreadable vector index {path}; run `essgraph reindex`.",
            )
        index._index = loaded
        index._hnsw = "HNSW" in type(_faiss.downcast_index(index._index.index)).__name__
        if index._hnsw:
            hnsw: Any = _faiss.downcast_index(index._index.index)
            hnsw.hnsw.efSearch = index.ef_search
        return index
