"""The embedder interface: passages and queries to L2-normalised float32 vectors."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

Vectors = npt.NDArray[np.float32]


class Embedder(ABC):
    """Turns texts into unit vectors; `name` identifies the model and is stored with every index."""

    name: str
    dim: int

    def __init__(self, query_threads: int = 1, ingest_threads: int = 1) -> None:
        self.query_threads = query_threads
        self.ingest_threads = ingest_threads

    @abstractmethod
    def embed_passages(self, texts: Sequence[str]) -> Vectors:
        """Vectors of passages (bulk, `ingest_threads`); returns an (n, dim) float32 array."""

    @abstractmethod
    def embed_query(self, text: str) -> Vectors:
        """Vector of one search query (`query_threads`); returns a (dim,) float32 array."""


def normalise(vectors: npt.ArrayLike) -> Vectors:
    """Rows of `vectors` scaled to unit length (zero rows stay zero); returns float32."""
    arr = np.asarray(vectors, dtype=np.float32)
    if arr.ndim == 1:
        norm = float(np.linalg.norm(arr))
        return arr / norm if norm > 0 else arr
    norms = np.linalg.norm(arr, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return (arr / norms).astype(np.float32, copy=False)
