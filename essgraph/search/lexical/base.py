"""The lexical index interface: passages under integer ids, scored against a French query."""

from __future__ import annotations

import gzip
import json
from abc import ABC, abstractmethod
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from essgraph.core.files import atomic_path
from essgraph.search.lexical.field import Bm25Field
from essgraph.search.lexical.tokenize import phrase_tokens, raw_tokens, stem_tokens

Ids = npt.NDArray[np.int64]
Scores = npt.NDArray[np.float32]


TokenPair = tuple[list[str], list[str]]  # (stemmed tokens, raw tokens) of one passage


def read_token_file(path: Path) -> dict[int, TokenPair]:
    """The tokenised corpus written by `LexicalIndex.save`: id -> (stemmed, raw) tokens."""
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        data = json.load(fh)
    return {int(k): (v[0], v[1]) for k, v in data.items()}


def top_positive(order: Ids, total: Scores, k: int) -> tuple[Ids, Scores]:
    """The ids (`order[i]`) and scores of the `k` best positive `total[i]`, best first, ties by id."""
    positive = np.flatnonzero(total > 0)
    if len(positive) > k:
        values = total[positive]
        kth = np.partition(values, len(positive) - k)[len(positive) - k]  # the k-th best score
        above = positive[values > kth]
        tied = positive[values == kth]
        tied = tied[np.argsort(order[tied], kind="stable")][: k - len(above)]
        positive = np.concatenate([above, tied])
    top = positive[np.lexsort((order[positive], -total[positive]))]
    return order[top], total[top]


class LexicalIndex(ABC):
    """Texts of passages under integer ids; `search` returns the best-scoring ids.

    A backend keeps its passages' tokens in `_tokens`, the ids in scoring order in `_order` (ready after
    `_ready`), and scores one text against every passage in `_scores`. Every backend also keeps, here,
    the phrase field (pairs of consecutive stems, `phrase_tokens`), derived from the stemmed tokens:
    it is created in their `__init__` and their add/remove/clone call `_add_phrases`, `_remove_phrases`
    and `_phrases.clone()`."""

    _tokens: dict[int, TokenPair]
    _order: Ids
    _phrases: Bm25Field
    k1: float = 1.2
    b: float = 0.75

    def _add_phrases(self, pid: int, stems: Sequence[str]) -> None:
        """Index the phrase terms of one passage's stemmed tokens (call after removing an old `pid`)."""
        self._phrases.add(pid, phrase_tokens(stems))

    def _remove_phrases(self, pid: int) -> None:
        """Forget one passage's phrase terms (an absent id is ignored)."""
        self._phrases.remove(pid)

    def _phrase_scores(self, text: str) -> Scores:
        """BM25 of `text`'s phrase terms against every passage, in `_order` (after `_ready`)."""
        field = self._phrases
        if not field.assembled or not np.array_equal(field.order, self._order):
            field.assemble(self._order)
        return field.scores(phrase_tokens(stem_tokens(text)), self.k1, self.b)

    @abstractmethod
    def add(self, ids: Sequence[int], texts: Sequence[str]) -> None:
        """Index `texts` under `ids` (an id already present is replaced)."""

    def bind(self, vectors: object) -> None:
        """Tie this index to the vector index of the same snapshot: a backend whose rows the vector
        index writes (Milvus, one collection per index) searches its collection; local ones ignore it."""
        return None

    @staticmethod
    def tokenize(texts: Sequence[str]) -> list[TokenPair]:
        """The (stemmed, raw) token lists of `texts`, as `add_tokens` takes them: an ingest tokenises
        its passages before it touches the index (the slow part, done while searches go on)."""
        return [(stem_tokens(t), raw_tokens(t)) for t in texts]

    @abstractmethod
    def clone(self) -> LexicalIndex:
        """An independent copy to change while this one keeps answering (token lists, never changed
        in place, are shared; per-passage counts and frequencies are copied)."""

    @abstractmethod
    def prepare(self) -> None:
        """Build the structures searches use (matrices) now, so that no search has to build them."""

    @abstractmethod
    def add_tokens(self, ids: Sequence[int], tokens: Sequence[tuple[list[str], list[str]]]) -> None:
        """Index already tokenised passages (as returned by `tokens`) under `ids`."""

    @abstractmethod
    def tokens(self, ids: Sequence[int]) -> list[Any]:
        """JSON-ready token lists of `ids` (to store per document and restore with `add_tokens`)."""

    @abstractmethod
    def remove(self, ids: Sequence[int]) -> None:
        """Forget these ids (absent ids are ignored)."""

    @abstractmethod
    def _ready(self) -> None:
        """Bring the scoring structures (and `_order`) up to date with the kept passages."""

    @abstractmethod
    def _scores(self, text: str) -> Scores:
        """The score of `text` against every passage, in `_order` (after `_ready`)."""

    def search(
        self, query: str, k: int, expansions: Sequence[tuple[str, float]] = (), phrase_weight: float = 0.0
    ) -> tuple[Ids, Scores]:
        """The `k` best ids and scores for `query`, plus each (text, weight) expansion scored with weight
        and the question's phrase terms with `phrase_weight` (expansions are bags of label words, their
        neighbouring words are no phrase).

        Only ids with a positive score are returned, best first (ties by id).
        """
        self._ready()
        if len(self._order) == 0 or k <= 0:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        total = self._scores(query)
        if phrase_weight:
            total += phrase_weight * self._phrase_scores(query)
        for text, weight in expansions:
            if weight:
                total += weight * self._scores(text)
        return top_positive(self._order, total, k)

    @abstractmethod
    def matched_terms(self, query: str) -> set[str]:
        """The index terms `query` would match (for highlighting)."""

    def __len__(self) -> int:
        """Number of passages held."""
        return len(self._tokens)

    def save(self, path: Path) -> None:
        """Write the tokenised corpus (gzip JSON) to a temporary file, then rename over `path`."""
        data = {str(k): [s, r] for k, (s, r) in self._tokens.items()}
        with atomic_path(path) as tmp, gzip.open(tmp, "wt", encoding="utf-8") as fh:
            json.dump(data, fh, ensure_ascii=False, separators=(",", ":"))
