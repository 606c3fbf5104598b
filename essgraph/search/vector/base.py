"""The dense index interface: integer ids -> unit vectors, inner-product search, persistence."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from essgraph.search.embedders.base import Vectors

if TYPE_CHECKING:
    from essgraph.search.records import PassageRecord

Ids = npt.NDArray[np.int64]


class VectorIndex(ABC):
    """Vectors of passages under integer ids; scores are inner products (cosine for unit vectors)."""

    base_changed: bool = False

    def __init__(self, dim: int) -> None:
        self.dim = dim

    def wants_base_file(self) -> bool:
        """True when the index keeps a saved base (e.g. HNSW, too slow to rebuild at load); the owner
        writes it with `save` when `base_changed`. Otherwise it is rebuilt from the stored vectors."""
        return False

    @abstractmethod
    def clone(self) -> VectorIndex:
        """An independent copy to change while this one keeps answering searches."""

    @abstractmethod
    def add(self, ids: Ids, vectors: Vectors) -> None:
        """Add vectors under `ids` (ids must not be present yet)."""

    def add_passages(self, ids: Ids, vectors: Vectors, records: Sequence[PassageRecord]) -> None:
        """Add vectors with their passages (a backend storing texts and facets beside the vectors, such
        as Milvus, needs them); local indexes keep the vectors only."""
        self.add(ids, vectors)

    def prepare(self) -> None:
        """Make the vectors added since the last call fast to search, before the snapshot holding them
        is published (local indexes search them at once: nothing to do)."""
        return None

    def unavailable(self) -> str | None:
        """Why the index cannot answer now (a remote index unreachable), None when it can."""
        return None

    @abstractmethod
    def remove(self, ids: Ids) -> None:
        """Remove the vectors with these ids (absent ids are ignored)."""

    @abstractmethod
    def search(self, query: Vectors, k: int, threads: int = 1) -> tuple[Ids, npt.NDArray[np.float32]]:
        """The `k` nearest ids and their scores, best first (fewer when the index is smaller)."""

    @abstractmethod
    def vectors(self, ids: Ids) -> Vectors:
        """The stored vectors of `ids` (all present), as an (len(ids), dim) float32 array."""

    @abstractmethod
    def __len__(self) -> int:
        """Number of vectors held."""

    @abstractmethod
    def save(self, path: Path) -> None:
        """Write the index to `path` atomically (temporary file then rename)."""
