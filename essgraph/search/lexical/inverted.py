"""Incremental BM25 (backend "bm25"): per-passage term counts, document frequencies updated in place.

Adding or removing passages costs only their own tokens: document frequencies, lengths and counts are
updated in place, and the column-major matrix used at query time is re-assembled lazily by
concatenating the kept per-passage arrays (no re-tokenisation, no re-scoring of the corpus). Scores are
computed at query time from raw counts with bm25s's Lucene variant (idf = ln(1 + (N − df + 0.5)/(df + 0.5)),
tf part tf / (tf + k1·(1 − b + b·len/avglen))).
Two fields as in the bm25s backend: stemmed French text, and unstemmed acronyms/names/numbers.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy import sparse

from essgraph.search.lexical.base import Ids, LexicalIndex, Scores, read_token_file
from essgraph.search.lexical.tokenize import raw_tokens, stem_tokens

Int32s = npt.NDArray[np.int32]
Floats = npt.NDArray[np.float32]


class _Field:
    """One BM25 field: vocabulary, per-passage (term ids, counts, length), document frequencies."""

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

    def clone(self) -> _Field:
        """A copy whose changes leave this field as it is (rows, immutable arrays, are shared)."""
        other = _Field()
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
        return self._matrix is not None


class InvertedBm25Index(LexicalIndex):
    """Incremental two-field BM25; `raw_weight` scales the unstemmed field."""

    def __init__(self, raw_weight: float = 0.5, k1: float = 1.2, b: float = 0.75) -> None:
        self.raw_weight = raw_weight
        self.k1 = k1
        self.b = b
        self._stem = _Field()
        self._raw = _Field()
        self._tokens: dict[int, tuple[list[str], list[str]]] = {}
        self._order: Ids = np.zeros(0, dtype=np.int64)

    # ---------------------------------------------------------------- writing
    def add(self, ids: Sequence[int], texts: Sequence[str]) -> None:
        """Tokenise `texts` and index them under `ids` (a present id is replaced)."""
        self.add_tokens(ids, self.tokenize(texts))

    def clone(self) -> InvertedBm25Index:
        """An independent copy (see LexicalIndex.clone): changing it leaves this index answering as before."""
        other = InvertedBm25Index(self.raw_weight, self.k1, self.b)
        other._stem, other._raw = self._stem.clone(), self._raw.clone()
        other._tokens = dict(self._tokens)
        other._order = self._order
        return other

    def add_tokens(self, ids: Sequence[int], tokens: Sequence[tuple[list[str], list[str]]]) -> None:
        """Index already tokenised passages ((stemmed, raw) token lists) under `ids`."""
        for pid, (stem, raw) in zip(ids, tokens, strict=True):
            pid = int(pid)
            if pid in self._tokens:
                self.remove([pid])
            self._tokens[pid] = (list(stem), list(raw))
            self._stem.add(pid, stem)
            self._raw.add(pid, raw)

    def remove(self, ids: Sequence[int]) -> None:
        """Forget `ids` (absent ids are ignored)."""
        for pid in ids:
            if self._tokens.pop(int(pid), None) is not None:
                self._stem.remove(int(pid))
                self._raw.remove(int(pid))

    def tokens(self, ids: Sequence[int]) -> list[Any]:
        """The kept [stemmed, raw] token lists of `ids` (JSON-ready, for per-document segment files)."""
        return [list(self._tokens[int(pid)]) for pid in ids]

    # ---------------------------------------------------------------- reading
    def prepare(self) -> None:
        """Assemble the column-major matrices now (otherwise the first search after a change does)."""
        self._ready()

    def _ready(self) -> None:
        if not (self._stem.assembled and self._raw.assembled):
            self._order = np.array(sorted(self._tokens), dtype=np.int64)
            self._stem.assemble(self._order)
            self._raw.assemble(self._order)

    def _scores(self, text: str) -> Scores:
        total = self._stem.scores(stem_tokens(text), self.k1, self.b)
        if self.raw_weight:
            total += self.raw_weight * self._raw.scores(raw_tokens(text, query=True), self.k1, self.b)
        return total

    def matched_terms(self, query: str) -> set[str]:
        """Stemmed and raw query tokens present in the index (in at least one passage)."""
        terms = {
            t for t in stem_tokens(query) if t in self._stem.vocab and self._stem.df[self._stem.vocab[t]]
        }
        raw = self._raw
        terms |= {t for t in raw_tokens(query, query=True) if t in raw.vocab and raw.df[raw.vocab[t]]}
        return terms

    @classmethod
    def load(cls, path: Path, raw_weight: float = 0.5) -> InvertedBm25Index:
        """The index saved at `path`."""
        index = cls(raw_weight=raw_weight)
        tokens = read_token_file(path)
        index.add_tokens(list(tokens), list(tokens.values()))
        return index
