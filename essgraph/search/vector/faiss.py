"""FAISS dense index: exact inner product (IndexFlatIP) up to a threshold, HNSW above it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import faiss as _faiss
import numpy as np
import numpy.typing as npt

from essgraph.core.errors import ConfigError
from essgraph.core.files import atomic_path
from essgraph.search.embedders.base import Vectors
from essgraph.search.vector.base import Ids, VectorIndex

HNSW_M = 32
HNSW_EF_CONSTRUCTION = 80


class FaissIndex(VectorIndex):
    """Flat inner-product index inside an IndexIDMap2 up to `hnsw_threshold` vectors; above it an HNSW
    *base* plus a flat *delta* and a set of *tombstones*.

    HNSW cannot delete, and rebuilding it costs seconds at 100 000 vectors, so with an HNSW base: new
    vectors go to the flat delta, removed base vectors become tombstones (filtered out of results), and
    the base is rebuilt only when delta + tombstones exceed `compact_fraction` of it. `base_changed`
    tells the owner when the base must be written again; the delta and tombstones are derived at load
    from the live ids (`from_parts`). A flat index deletes in place and is never written: it is rebuilt
    from the stored vectors at load (a copy).
    """

    def __init__(
        self, dim: int, hnsw_threshold: int, ef_search: int = 128, compact_fraction: float = 0.1
    ) -> None:
        super().__init__(dim)
        self.hnsw_threshold = hnsw_threshold
        self.ef_search = ef_search
        self.compact_fraction = compact_fraction
        self._index: _faiss.IndexIDMap2 = self._new(hnsw=False)
        self._hnsw = False
        self._delta: _faiss.IndexIDMap2 = self._new(hnsw=False)
        self._delta_ids: set[int] = set()
        self._tombstones: set[int] = set()
        self.base_changed = True

    def _new(self, hnsw: bool) -> _faiss.IndexIDMap2:
        inner: _faiss.Index
        if hnsw:
            inner = _faiss.IndexHNSWFlat(self.dim, HNSW_M, _faiss.METRIC_INNER_PRODUCT)
            inner.hnsw.efSearch = self.ef_search
            inner.hnsw.efConstruction = HNSW_EF_CONSTRUCTION
        else:
            inner = _faiss.IndexFlatIP(self.dim)
        return _faiss.IndexIDMap2(inner)

    @property
    def kind(self) -> str:
        """ "hnsw" or "flat"."""
        return "hnsw" if self._hnsw else "flat"

    def wants_base_file(self) -> bool:
        """True with an HNSW base (saved, then completed at load by a delta and tombstones)."""
        return self._hnsw

    @property
    def pending(self) -> int:
        """Vectors in the delta plus tombstones (0 for a flat index)."""
        return len(self._delta_ids) + len(self._tombstones)

    @staticmethod
    def _ids_of(index: _faiss.IndexIDMap2) -> Ids:
        if index.ntotal == 0:
            return np.zeros(0, dtype=np.int64)
        return _faiss.vector_to_array(index.id_map).astype(np.int64)

    def _all(self) -> tuple[Ids, Vectors]:
        """Live ids and vectors (base minus tombstones, plus delta)."""
        parts_ids: list[Ids] = []
        parts_vecs: list[Vectors] = []
        for index in (self._index, self._delta):
            n = index.ntotal
            if n == 0:
                continue
            ids = self._ids_of(index)
            vecs = np.asarray(index.index.reconstruct_n(0, n), dtype=np.float32)
            if index is self._index and self._tombstones:
                keep = ~np.isin(ids, np.fromiter(self._tombstones, dtype=np.int64))
                ids, vecs = ids[keep], vecs[keep]
            parts_ids.append(ids)
            parts_vecs.append(vecs)
        if not parts_ids:
            return np.zeros(0, dtype=np.int64), np.zeros((0, self.dim), dtype=np.float32)
        return np.concatenate(parts_ids), np.concatenate(parts_vecs)

    def _rebuild(self, ids: Ids, vectors: Vectors) -> None:
        hnsw = len(ids) > self.hnsw_threshold
        index = self._new(hnsw)
        if len(ids):
            index.add_with_ids(np.ascontiguousarray(vectors, dtype=np.float32), ids)
        self._index, self._hnsw = index, hnsw
        self._delta, self._delta_ids, self._tombstones = self._new(hnsw=False), set(), set()
        self.base_changed = True

    def _maybe_compact(self) -> None:
        if self._hnsw and self.pending > self.compact_fraction * max(self._index.ntotal, 1):
            self._rebuild(*self._all())

    def clone(self) -> FaissIndex:
        """An independent copy: a flat index and the delta are copied (faiss.clone_index; a flat index
        deletes in place), an HNSW base is shared (never changed in place: removals are tombstones and
        a compaction builds a new base)."""
        other = FaissIndex(self.dim, self.hnsw_threshold, self.ef_search, self.compact_fraction)
        other._hnsw = self._hnsw
        other._index = self._index if self._hnsw else _clone(self._index)
        other._delta = _clone(self._delta)
        other._delta_ids = set(self._delta_ids)
        other._tombstones = set(self._tombstones)
        other.base_changed = self.base_changed
        return other

    def add(self, ids: Ids, vectors: Vectors) -> None:
        """Add vectors: to the delta of an HNSW base, in place in a flat index (crossing the threshold
        turns the flat index into an HNSW base)."""
        if len(ids) == 0:
            return
        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        ids = np.ascontiguousarray(ids, dtype=np.int64)
        if self._hnsw:
            self._delta.add_with_ids(vectors, ids)
            self._delta_ids.update(int(i) for i in ids)
            self._maybe_compact()
        elif self._index.ntotal + len(ids) > self.hnsw_threshold:
            old_ids, old_vecs = self._all()
            self._rebuild(np.concatenate([old_ids, ids]), np.concatenate([old_vecs, vectors]))
        else:
            self._index.add_with_ids(vectors, ids)

    def remove(self, ids: Ids) -> None:
        """Remove ids: in place (flat index, delta), as tombstones in an HNSW base."""
        if len(ids) == 0:
            return
        ids = np.asarray(ids, dtype=np.int64)
        if not self._hnsw:
            if self._index.ntotal:
                self._index.remove_ids(_faiss.IDSelectorBatch(ids))
            return
        in_delta = np.array([int(i) in self._delta_ids for i in ids], dtype=bool)
        if in_delta.any():
            self._delta.remove_ids(_faiss.IDSelectorBatch(ids[in_delta]))
            self._delta_ids.difference_update(int(i) for i in ids[in_delta])
        self._tombstones.update(int(i) for i in ids[~in_delta])
        self._maybe_compact()

    def search(self, query: Vectors, k: int, threads: int = 1) -> tuple[Ids, npt.NDArray[np.float32]]:
        """Top-`k` ids and inner products for one query vector, best first, on `threads` threads."""
        if len(self) == 0 or k <= 0:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        _faiss.omp_set_num_threads(threads)
        q = np.ascontiguousarray(query.reshape(1, -1), dtype=np.float32)
        found_ids: list[Ids] = []
        found_scores: list[npt.NDArray[np.float32]] = []
        for index, extra in ((self._index, len(self._tombstones)), (self._delta, 0)):
            if index.ntotal == 0:
                continue
            scores, ids = index.search(q, min(k + extra, index.ntotal))
            keep = ids[0] >= 0
            if extra:
                keep &= ~np.isin(ids[0], np.fromiter(self._tombstones, dtype=np.int64))
            found_ids.append(ids[0][keep].astype(np.int64))
            found_scores.append(scores[0][keep].astype(np.float32))
        all_ids, all_scores = np.concatenate(found_ids), np.concatenate(found_scores)
        order = np.argsort(-all_scores, kind="stable")[:k]
        return all_ids[order], all_scores[order]

    def vectors(self, ids: Ids) -> Vectors:
        """The stored vectors of `ids` (all present), as an (len(ids), dim) float32 array."""
        out = np.zeros((len(ids), self.dim), dtype=np.float32)
        if len(ids) == 0:
            return out
        wanted = np.ascontiguousarray(ids, dtype=np.int64)
        in_delta = np.array([int(i) in self._delta_ids for i in wanted], dtype=bool)
        if (~in_delta).any():
            out[~in_delta] = self._index.reconstruct_batch(np.ascontiguousarray(wanted[~in_delta]))
        if in_delta.any():
            out[in_delta] = self._delta.reconstruct_batch(np.ascontiguousarray(wanted[in_delta]))
        return out

    def __len__(self) -> int:
        return int(self._index.ntotal) - len(self._tombstones) + int(self._delta.ntotal)

    def save(self, path: Path) -> None:
        """Write the base index with faiss.write_index to a temporary file, then rename over `path`."""
        with atomic_path(path) as tmp:
            _faiss.write_index(self._index, str(tmp))
        self.base_changed = False

    @classmethod
    def load(cls, path: Path, dim: int, hnsw_threshold: int, compact_fraction: float = 0.1) -> FaissIndex:
        """The base index saved at `path` (no delta, no tombstones)."""
        index = cls(dim, hnsw_threshold, compact_fraction=compact_fraction)
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
        index.base_changed = False
        return index

    @classmethod
    def from_parts(
        cls,
        dim: int,
        hnsw_threshold: int,
        ids: Ids,
        vectors: Vectors,
        base_path: Path | None = None,
        compact_fraction: float = 0.1,
    ) -> FaissIndex:
        """The index of the live `ids`/`vectors` (from per-document files): built in memory when flat;
        with a saved HNSW base at `base_path`, the base plus a delta of the ids it lacks and tombstones
        for the ids it has but are no longer live."""
        if base_path is None:
            index = cls(dim, hnsw_threshold, compact_fraction=compact_fraction)
            index._rebuild(ids, vectors)
            return index
        index = cls.load(base_path, dim, hnsw_threshold, compact_fraction)
        base_ids = cls._ids_of(index._index)
        live = np.asarray(ids, dtype=np.int64)
        index._tombstones = {int(i) for i in base_ids[~np.isin(base_ids, live)]}
        missing = ~np.isin(live, base_ids)
        if missing.any():
            index._delta.add_with_ids(np.ascontiguousarray(vectors[missing], dtype=np.float32), live[missing])
            index._delta_ids = {int(i) for i in live[missing]}
        return index


def _clone(index: _faiss.IndexIDMap2) -> _faiss.IndexIDMap2:
    """A deep copy of an id-mapped flat index (faiss.clone_index returns the generic Index type)."""
    copy = _faiss.clone_index(index)
    assert isinstance(copy, _faiss.IndexIDMap2)
    return copy
