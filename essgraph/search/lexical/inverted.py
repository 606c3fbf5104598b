"""Incremental BM25 (backend "bm25"): per-passage term counts, document frequencies updated in place.

Adding or removing passages costs only their own tokens: document frequencies, lengths and counts are
updated in place, and the column-major matrix used at query time is re-assembled lazily by
concatenating the kept per-passage arrays (no re-tokenisation, no re-scoring of the corpus). Scores are
computed at query time from raw counts with bm25s's Lucene variant (idf = ln(1 + (N − df + 0.5)/(df + 0.5)),
tf part tf / (tf + k1·(1 − b + b·len/avglen))).
Two fields as in the bm25s backend: stemmed French text, and unstemmed acronyms/names/numbers.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from essgraph.search.lexical.base import Ids, LexicalIndex, Scores, read_token_file
from essgraph.search.lexical.field import Bm25Field
from essgraph.search.lexical.tokenize import raw_tokens, stem_tokens


class InvertedBm25Index(LexicalIndex):
    """Incremental two-field BM25; `raw_weight` scales the unstemmed field."""

    def __init__(self, raw_weight: float = 0.5, k1: float = 1.2, b: float = 0.75) -> None:
        self.raw_weight = raw_weight
        self.k1 = k1
        self.b = b
        self._stem = Bm25Field()
        self._raw = Bm25Field()
        self._phrases = Bm25Field()
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
        other._phrases = self._phrases.clone()
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
            self._add_phrases(pid, stem)

    def remove(self, ids: Sequence[int]) -> None:
        """Forget `ids` (absent ids are ignored)."""
        for pid in ids:
            if self._tokens.pop(int(pid), None) is not None:
                self._stem.remove(int(pid))
                self._raw.remove(int(pid))
                self._remove_phrases(int(pid))

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
            self._phrases.assemble(self._order)

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
