"""BM25 with bm25s: a stemmed French field plus an unstemmed field for acronyms, names and numbers."""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import bm25s
import numpy as np

from essgraph.search.lexical.base import Ids, LexicalIndex, Scores, read_token_file
from essgraph.search.lexical.field import Bm25Field
from essgraph.search.lexical.tokenize import raw_tokens, stem_tokens


class Bm25sIndex(LexicalIndex):
    """Two bm25s matrices (stemmed text, raw acronym/name/number tokens) over the same passages.

    bm25s has no incremental add: the tokenised corpus is kept, and the matrices are rebuilt lazily on
    the first search after a change. The raw field's score is added with weight `raw_weight`.
    """

    def __init__(self, raw_weight: float = 0.5, k1: float = 1.2, b: float = 0.75) -> None:
        self.raw_weight = raw_weight
        self.k1 = k1
        self.b = b
        self._tokens: dict[int, tuple[list[str], list[str]]] = {}
        self._order: Ids = np.zeros(0, dtype=np.int64)
        self._stem: bm25s.BM25 | None = None
        self._raw: bm25s.BM25 | None = None
        self._dirty = True
        self._phrases = Bm25Field()

    def add(self, ids: Sequence[int], texts: Sequence[str]) -> None:
        """Tokenise and keep `texts` under `ids`; matrices are rebuilt at the next search."""
        self.add_tokens(ids, self.tokenize(texts))

    def clone(self) -> Bm25sIndex:
        """An independent copy (see LexicalIndex.clone); its matrices are rebuilt by `prepare`."""
        other = Bm25sIndex(self.raw_weight, self.k1, self.b)
        other._tokens = dict(self._tokens)
        other._order, other._stem, other._raw, other._dirty = self._order, self._stem, self._raw, self._dirty
        other._phrases = self._phrases.clone()
        return other

    def prepare(self) -> None:
        """Rebuild the matrices now if the passages changed (otherwise the next search would)."""
        if self._dirty:
            self.rebuild()

    def add_tokens(self, ids: Sequence[int], tokens: Sequence[tuple[list[str], list[str]]]) -> None:
        """Keep already tokenised passages under `ids`; matrices are rebuilt at the next search."""
        for pid, (stem, raw) in zip(ids, tokens, strict=True):
            self._remove_phrases(int(pid))
            self._tokens[int(pid)] = (list(stem), list(raw))
            self._add_phrases(int(pid), stem)
        self._dirty = True

    def tokens(self, ids: Sequence[int]) -> list[Any]:
        """The kept [stemmed, raw] token lists of `ids`."""
        return [list(self._tokens[int(pid)]) for pid in ids]

    def remove(self, ids: Sequence[int]) -> None:
        """Drop `ids`; matrices are rebuilt at the next search."""
        for pid in ids:
            self._tokens.pop(int(pid), None)
            self._remove_phrases(int(pid))
        self._dirty = True

    def rebuild(self) -> None:
        """Recompute both BM25 matrices from the kept tokens."""
        self._order = np.array(sorted(self._tokens), dtype=np.int64)
        if len(self._order) == 0:
            self._stem = self._raw = None
        else:
            stem = [self._tokens[int(i)][0] or [""] for i in self._order]
            raw = [self._tokens[int(i)][1] or [""] for i in self._order]
            self._stem = bm25s.BM25(k1=self.k1, b=self.b)
            self._stem.index(stem, show_progress=False)
            self._raw = bm25s.BM25(k1=self.k1, b=self.b)
            self._raw.index(raw, show_progress=False)
            self._phrases.assemble(self._order)
        self._dirty = False

    def _ready(self) -> None:
        if self._dirty:
            self.rebuild()

    def _scores(self, text: str) -> Scores:
        assert self._stem is not None and self._raw is not None
        total = np.zeros(len(self._order), dtype=np.float32)
        stem = [t for t in stem_tokens(text) if t in self._stem.vocab_dict]
        if stem:
            total += self._stem.get_scores(stem)
        raw = [t for t in raw_tokens(text, query=True) if t in self._raw.vocab_dict]
        if raw and self.raw_weight:
            total += self.raw_weight * self._raw.get_scores(raw)
        return total

    def matched_terms(self, query: str) -> set[str]:
        """Stemmed and raw query tokens present in the index vocabulary."""
        self._ready()
        terms: set[str] = set()
        if self._stem is not None and self._raw is not None:
            terms |= {t for t in stem_tokens(query) if t in self._stem.vocab_dict}
            terms |= {t for t in raw_tokens(query, query=True) if t in self._raw.vocab_dict}
        return terms

    @classmethod
    def load(cls, path: Path, raw_weight: float = 0.5) -> Bm25sIndex:
        """The index saved at `path` (matrices rebuilt at first search)."""
        index = cls(raw_weight=raw_weight)
        tokens = read_token_file(path)
        index.add_tokens(list(tokens), list(tokens.values()))
        return index


def score_texts(query: str, texts: Sequence[str], k1: float = 1.2, b: float = 0.75) -> Scores:
    """BM25 of `query` against a handful of `texts` (the stemmed French field of the search index),
    through a throwaway bm25s index over them; one score per text, 0 where nothing matches.

    A query token repeated n times weighs ln(1 + n), so that a long query (say, every passage that
    cites an initiative) is not carried by its most repeated words."""
    if not texts:
        return np.zeros(0, dtype=np.float32)
    index = bm25s.BM25(k1=k1, b=b)
    index.index([stem_tokens(text) or [""] for text in texts], show_progress=False)
    counts = Counter(token for token in stem_tokens(query) if token in index.vocab_dict)
    by_count: defaultdict[int, list[str]] = defaultdict(list)
    for token, count in counts.items():
        by_count[count].append(token)
    scores = np.zeros(len(texts), dtype=np.float32)
    for count, tokens in by_count.items():
        scores += np.float32(math.log1p(count)) * index.get_scores(tokens)
    return scores
