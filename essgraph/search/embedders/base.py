"""The embedder interface: passages and queries to L2-normalised float32 vectors."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

Vectors = npt.NDArray[np.float32]

_INT8_MAX = 127


@dataclass(frozen=True, slots=True)
class WordStates:
    """The encoder's states of one text's tokens, for matching a question word by word (search.wordmatch):
    `pieces` (n,) int32 token ids, `states` (n, dim) int8 unit vectors quantised row by row, `scales`
    (n,) float32 the factor of each row. Int8 keeps a corpus's states at a quarter of their float size;
    the cosine of a quantised unit vector with its original stays above 0.999."""

    pieces: npt.NDArray[np.int32]
    states: npt.NDArray[np.int8]
    scales: npt.NDArray[np.float32]

    @classmethod
    def of(cls, pieces: Sequence[int], states: npt.ArrayLike) -> WordStates:
        """The token ids `pieces` with their float `states` (one row each), L2-normalised then quantised."""
        raw = np.asarray(states, dtype=np.float32)
        rows = normalise(raw.reshape(len(pieces), raw.shape[-1] if raw.size == 0 else -1))
        peak = np.abs(rows).max(axis=1) if len(rows) else np.zeros(0, dtype=np.float32)
        scales = np.where(peak > 0, peak / _INT8_MAX, 1.0).astype(np.float32)
        quantised = np.round(rows / scales[:, np.newaxis]).astype(np.int8)
        return cls(np.asarray(pieces, dtype=np.int32), quantised, scales)

    def floats(self) -> Vectors:
        """The states as float32 rows (each about unit length)."""
        return (self.states.astype(np.float32) * self.scales[:, np.newaxis]).astype(np.float32, copy=False)

    def __len__(self) -> int:
        return int(self.pieces.shape[0])

    def to_bytes(self) -> bytes:
        """One blob: token count (uint32), pieces, scales, states (read back by `from_bytes`)."""
        n = np.array([len(self)], dtype="<u4")
        return b"".join(
            a.tobytes()
            for a in (n, self.pieces.astype("<i4"), self.scales.astype("<f4"), self.states.astype(np.int8))
        )

    @classmethod
    def from_bytes(cls, blob: bytes, dim: int) -> WordStates:
        """The states `to_bytes` wrote for an encoder of `dim` dimensions; raises ValueError if the blob
        does not hold them."""
        n = int(np.frombuffer(blob, dtype="<u4", count=1)[0])
        if len(blob) != 4 + n * (8 + dim):
            raise ValueError(f"word-state blob of {len(blob)} bytes for {n} tokens of {dim} dimensions")
        pieces = np.frombuffer(blob, dtype="<i4", count=n, offset=4).astype(np.int32)
        scales = np.frombuffer(blob, dtype="<f4", count=n, offset=4 + 4 * n).astype(np.float32)
        states = np.frombuffer(blob, dtype=np.int8, count=n * dim, offset=4 + 8 * n).reshape(n, dim).copy()
        return cls(pieces, states, scales)


class Embedder(ABC):
    """Turns texts into unit vectors; `name` identifies the model and is stored with every index."""

    name: str
    dim: int
    words_name: str | None = None
    """Names the token states `embed_passages_words` gives (model, layer, projection), stored with them;
    None for an embedder that gives none (the word-by-word match is then off)."""
    word_dim: int = 0
    """Dimensions of a token state (0 for an embedder that gives none)."""

    def __init__(self, query_threads: int = 1, ingest_threads: int = 1) -> None:
        self.query_threads = query_threads
        self.ingest_threads = ingest_threads

    @abstractmethod
    def embed_passages(self, texts: Sequence[str]) -> Vectors:
        """Vectors of passages (bulk, `ingest_threads`); returns an (n, dim) float32 array."""

    @abstractmethod
    def embed_query(self, text: str) -> Vectors:
        """Vector of one search query (`query_threads`); returns a (dim,) float32 array."""

    def embed_passages_words(self, texts: Sequence[str]) -> tuple[Vectors, list[WordStates]]:
        """Vectors of passages and the states of their tokens, from the same pass of the encoder.
        Raises NotImplementedError for an embedder whose `words_name` is None."""
        raise NotImplementedError(f"{self.name} gives no token states")

    def embed_query_words(self, text: str) -> tuple[Vectors, WordStates]:
        """Vector of one query and the states of its tokens, from the same pass of the encoder.
        Raises NotImplementedError for an embedder whose `words_name` is None."""
        raise NotImplementedError(f"{self.name} gives no token states")


def normalise(vectors: npt.ArrayLike) -> Vectors:
    """Rows of `vectors` scaled to unit length (zero rows stay zero); returns float32."""
    arr = np.asarray(vectors, dtype=np.float32)
    if arr.ndim == 1:
        norm = float(np.linalg.norm(arr))
        return arr / norm if norm > 0 else arr
    norms = np.linalg.norm(arr, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return (arr / norms).astype(np.float32, copy=False)
