"""One incremental BM25 field (Lucene variant, as bm25s): the unit the lexical backends are built of."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
from scipy import sparse

Int32s = npt.NDArray[np.int32]
Floats = npt.NDArray[np.float32]
Ids = npt.NDArray[np.int64]


class Bm25Field:
    """One BM25 field: vocabulary, per-passage (term ids, counts, length), document frequencies.

    Passages are added and removed in place; the column-major matrix scored at query time is assembled
    lazily, rows in the order given (`assemble`). Scores are bm25s's Lucene variant."""

    def __init__(self) -> None:
        self.vocab: dict[str, int] = {}
        self.rows: dict[int, tuple[Int32s, Floats, int]] = {}
        self.df = np.zeros(0, dtype=np.int64)
        self.total_len = 0
        self._matrix: sparse.csc_matrix | None = None
        self._order: Ids = np.zeros(0, dtype=np.int64)
        self._lengths: Floats = np.zeros(0, dtype=np.float32)

    def add(self, pid: int, tokens: Sequence[str]) -> None:
        counts = Counter(tokens)
        ids = np.empty(len(counts), dtype=np.int32)
        for i, term in enumerate(counts):
            tid = self.vocab.get(term)
            if tid is None:
                tid = self.vocab[term] = len(self.vocab)
            ids[i] = tid
        if len(self.vocab) > len(self.df):
            grown = np.zeros(max(len(self.vocab), 2 * len(self.df)), dtype=np.int64)
            grown[: len(self.df)] = self.df
            self.df = grown
        self.df[ids] += 1
        length = max(len(tokens), 1)  # an empty passage counts as one placeholder token, as in bm25s
        self.rows[pid] = (ids, np.fromiter(counts.values(), dtype=np.float32, count=len(counts)), length)
        self.total_len += length
        self._matrix = None

    def clone(self) -> Bm25Field:
        """A copy whose changes leave this field as it is (rows, immutable arrays, are shared)."""
        other = Bm25Field()
        other.vocab = dict(self.vocab)
        other.rows = dict(self.rows)
        other.df = self.df.copy()
        other.total_len = self.total_len
        other._matrix, other._order, other._lengths = self._matrix, self._order, self._lengths
        return other

    def remove(self, pid: int) -> None:
        row = self.rows.pop(pid, None)
        if row is not None:
            self.df[row[0]] -= 1
            self.total_len -= row[2]
            self._matrix = None

    def assemble(self, order: Ids) -> None:
        """Build the (passages × terms) count matrix, rows in `order`."""
        rows = [self.rows[int(pid)] for pid in order]
        if rows:
            cols = np.concatenate([r[0] for r in rows])
            data = np.concatenate([r[1] for r in rows])
            row_idx = np.repeat(np.arange(len(rows), dtype=np.int32), [len(r[0]) for r in rows])
        else:
            cols = np.zeros(0, dtype=np.int32)
            data = np.zeros(0, dtype=np.float32)
            row_idx = np.zeros(0, dtype=np.int32)
        self._matrix = sparse.csc_matrix((data, (row_idx, cols)), shape=(len(rows), max(len(self.vocab), 1)))
        self._order = order
        self._lengths = np.array([r[2] for r in rows], dtype=np.float32)

    def scores(self, tokens: Sequence[str], k1: float, b: float) -> Floats:
        """BM25 of every passage (in assembly order) for `tokens` (repeated tokens count again)."""
        assert self._matrix is not None
        n = len(self._order)
        total = np.zeros(n, dtype=np.float32)
        if n == 0:
            return total
        avgdl = max(self.total_len / n, 1e-9)
        norm = k1 * (1.0 - b + b * self._lengths / avgdl)
        for term, repeat in Counter(tokens).items():
            tid = self.vocab.get(term)
            if tid is None or self.df[tid] <= 0:
                continue
            df = float(self.df[tid])
            idf = np.log1p((n - df + 0.5) / (df + 0.5))
            start, end = self._matrix.indptr[tid], self._matrix.indptr[tid + 1]
            rows = self._matrix.indices[start:end]
            tf = self._matrix.data[start:end]
            total[rows] += repeat * idf * tf / (tf + norm[rows])
        return total

    @property
    def assembled(self) -> bool:
        """Whether the matrix is up to date with the kept rows (no add or remove since `assemble`)."""
        return self._matrix is not None

    @property
    def order(self) -> Ids:
        """The passage ids of the matrix rows, as last assembled."""
        return self._order
