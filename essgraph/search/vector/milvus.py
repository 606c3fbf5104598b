"""Milvus dense index: the passages' vectors, texts and facets in one Milvus collection per index."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from essgraph.core.errors import ConfigError, IndexUnavailable
from essgraph.core.files import atomic_path
from essgraph.search.embedders.base import Vectors
from essgraph.search.milvus_client import MilvusPassages, MilvusTarget
from essgraph.search.vector.base import Ids, VectorIndex

if TYPE_CHECKING:
    from essgraph.search.records import PassageRecord


class MilvusVectorIndex(VectorIndex):
    """The live ids of one snapshot over a Milvus collection that every snapshot shares.

    Milvus is changed in place while the published snapshot keeps answering, so: ids are never reused
    and rows of new passages are inserted at once (older snapshots filter them out: not in their live
    set); rows of removed passages stay until the *next* write, when no published snapshot holds them
    any more, and are deleted then (`clone`). A rebuild creates a new collection (`base_changed`), named
    in the small base file the engine saves (`save`), and drops the older ones at the next write.
    """

    def __init__(self, passages: MilvusPassages, live: set[int] | None = None) -> None:
        super().__init__(passages.dim)
        self.passages = passages
        self._live: set[int] = live if live is not None else set()
        self._removed: set[int] = set()  # removed by this snapshot, deleted from Milvus at the next write
        # id -> vector, shared by the clones (ids are never reused): the section index reads every vector
        # at each publish, and fetching them all from Milvus each time would cost more than keeping them
        self._vectors: dict[int, npt.NDArray[np.float32]] = {}
        self._collections_checked = False
        self._unsealed = False
        self.base_changed = True

    def wants_base_file(self) -> bool:
        """Always: the base file names the collection (the engine saves it when `base_changed`)."""
        return True

    def clone(self) -> MilvusVectorIndex:
        """The next snapshot's index: the same collection, a copy of the live ids; the rows this snapshot
        removed are deleted now (the snapshot before it, which still had them, is no longer published),
        and so are, at the first write of a process, the collections of earlier rebuilds and the rows no
        snapshot holds (left by a process stopped before its next write; only a writer gets here, and
        the store lets one process write a home at a time)."""
        if not self._collections_checked:
            self.passages.drop_others()
            self._removed |= self.passages.ids() - self._live
        if self._removed:
            self.passages.delete(self._removed)
            for pid in self._removed:
                self._vectors.pop(pid, None)
            self._removed = set()
        self._collections_checked = True
        other = MilvusVectorIndex(self.passages, set(self._live))
        other._vectors = self._vectors
        other._collections_checked = True
        other.base_changed = False
        return other

    def add(self, ids: Ids, vectors: Vectors) -> None:
        """Not enough for Milvus, whose rows carry the texts and facets too: see `add_passages`."""
        raise ConfigError(
            "L'index Milvus reçoit les passages entiers (add_passages).",
            "The Milvus index takes whole passages (add_passages).",
        )

    def add_passages(self, ids: Ids, vectors: Vectors, records: Sequence[PassageRecord]) -> None:
        """Insert the passages' rows (vector, texts, facets) and count them live."""
        if len(ids) == 0:
            return
        self.passages.insert(ids, vectors, records)
        self._unsealed = True
        for pid, vector in zip(ids, vectors, strict=True):
            self._vectors[int(pid)] = np.asarray(vector, dtype=np.float32)
        self._live.update(int(i) for i in ids)

    def prepare(self) -> None:
        """On milvus-lite, seal the rows inserted since the last call (one flush per rebuild or document
        written, never per batch): lite scans rows still growing, and at 5 000 passages a BM25 search
        took 0.65 s before the flush and 0.08 s after (bench/milvus_flush.py). A Milvus server gives
        growing rows an interim index and seals them itself (a flush per ingested document would make
        many small segments, and a server may rate-limit flush calls), so sealing is left to it."""
        if self._unsealed and self.passages.target.lite:
            self.passages.flush()
        self._unsealed = False

    def remove(self, ids: Ids) -> None:
        """Stop answering with `ids`; their rows are deleted at the next write (see `clone`)."""
        for pid in ids:
            if int(pid) in self._live:
                self._live.discard(int(pid))
                self._removed.add(int(pid))

    def pending_removals(self) -> int:
        """Rows this snapshot removed that are still in Milvus (deleted at the next write)."""
        return len(self._removed)

    def live(self) -> set[int]:
        """The ids this snapshot answers with (read it, never change it)."""
        return self._live

    def search(
        self, query: Vectors, k: int, threads: int = 1, where: str = ""
    ) -> tuple[Ids, npt.NDArray[np.float32]]:
        """Top-`k` live ids and inner products, best first; `where` is an optional Milvus filter on the
        scalar fields (see milvus_client.filter_expression). Raises IndexUnavailable if Milvus is down."""
        if not self._live or k <= 0:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        hits = self.passages.search_dense(query, k + len(self._removed) + 16, where)
        kept = [(pid, score) for pid, score in hits if pid in self._live][:k]
        return (
            np.array([p for p, _ in kept], dtype=np.int64),
            np.array([s for _, s in kept], dtype=np.float32),
        )

    def vectors(self, ids: Ids) -> Vectors:
        """The vectors of `ids`: from memory when known, otherwise from Milvus (then kept)."""
        out = np.zeros((len(ids), self.dim), dtype=np.float32)
        missing = [int(i) for i in ids if int(i) not in self._vectors]
        fetched = self.passages.vectors(missing) if missing else {}
        self._vectors.update(fetched)
        for row, pid in enumerate(ids):
            found = self._vectors.get(int(pid))
            if found is None:
                found = fetched.get(int(pid))
            if found is None:
                raise IndexUnavailable(
                    f"Le passage {int(pid)} manque dans la collection Milvus {self.passages.name}.",
                    f"Passage {int(pid)} is missing from Milvus collection {self.passages.name}.",
                )
            out[row] = found
        return out

    def __len__(self) -> int:
        return len(self._live)

    def unavailable(self) -> str | None:
        """None when Milvus answers, otherwise why not (shown by /health)."""
        return self.passages.reachable()

    def save(self, path: Path) -> None:
        """Write the base file: the collection's name and dimension (JSON), atomically."""
        with atomic_path(path) as tmp:
            tmp.write_text(json.dumps({"collection": self.passages.name, "dim": self.dim}), encoding="utf-8")
        self.base_changed = False

    @classmethod
    def new(cls, target: MilvusTarget, dim: int) -> MilvusVectorIndex:
        """An index over a new empty collection; raises IndexUnavailable if Milvus does not answer."""
        return cls(MilvusPassages.create(target, dim))

    @classmethod
    def from_parts(
        cls, target: MilvusTarget, dim: int, ids: Ids, base_path: Path | None
    ) -> MilvusVectorIndex:
        """The index of the live `ids` over the collection the base file names. When Milvus answers,
        ids it lacks are left out (the engine then sees fewer vectors than passages: reindex); when it
        does not, the index is opened anyway and every search raises IndexUnavailable until it does."""
        if base_path is None or not base_path.exists():
            raise ConfigError(
                "Index Milvus sans collection enregistrée : lancez « essgraph reindex ».",
                "Milvus index without a saved collection name: run `essgraph reindex`.",
            )
        saved = json.loads(base_path.read_text(encoding="utf-8"))
        passages = MilvusPassages(target, str(saved["collection"]), int(saved.get("dim", dim)))
        live = {int(i) for i in ids}
        try:
            present = passages.ids()
        except IndexUnavailable:
            present = None
        if present is not None:
            live &= present
        index = cls(passages, live)
        index.base_changed = False
        return index
