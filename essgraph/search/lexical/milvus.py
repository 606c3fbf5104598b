"""Milvus full-text index: BM25 functions of the collection the Milvus vector index writes."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any, Protocol

import numpy as np

from essgraph.core.errors import ConfigError
from essgraph.search.lexical.base import Ids, LexicalIndex, Scores, top_positive
from essgraph.search.lexical.field import Bm25Field
from essgraph.search.lexical.tokenize import raw_tokens, stem_tokens, strip_elisions

SEARCH_LIMIT = 16_384  # Milvus's largest top-k
SEARCH_MARGIN = 16  # extra hits asked of Milvus, in case some are not live in this snapshot


def bm25_text(text: str, analysis: str) -> str:
    """What the stemmed BM25 field receives for `text`: elisions stripped for the server's analyzer,
    essgraph's folded stems joined by spaces otherwise (the same tokens as the local index)."""
    if analysis == "milvus":
        return strip_elisions(text)
    return " ".join(stem_tokens(text))


def raw_text(text: str, query: bool = False) -> str:
    """The unstemmed field (acronyms, names in capitals, numbers; every word of a question), folded."""
    return " ".join(raw_tokens(text, query=query))


class MilvusRows(Protocol):
    """What this index needs of the Milvus vector index it is bound to (search/vector/milvus.py, not
    imported here: the vector room imports the lexical one, never the reverse)."""

    @property
    def passages(self) -> Any:
        """The MilvusPassages collection (search_text, target.analysis)."""

    def pending_removals(self) -> int:
        """Rows removed by the snapshot but still in Milvus (asked for on top of k)."""


class MilvusLexicalIndex(LexicalIndex):
    """BM25 through Milvus on two fields of each row: the stemmed French text and the raw field
    (acronyms, names in capitals, numbers), the raw score added with weight `raw_weight`, as the local
    index does. Rows are written by the vector index of the same snapshot (`bind`), which holds the
    collection; this index keeps the passages' local tokens (for the per-document files and for the
    vocabulary the highlighter and the question-coverage floor read) and filters Milvus's hits to them.

    A question and each (text, weight) expansion are sent in one request per field, each asking for
    every matching passage up to `depth` (at most Milvus's top-k limit, 16 384); a passage's score is
    the weighted sum over the hit lists it appears in (beyond that depth, a passage outside a list gets
    0 from it).
    """

    def __init__(self, raw_weight: float = 0.5, depth: int | None = None) -> None:
        self.raw_weight = raw_weight
        self.depth = min(depth or SEARCH_LIMIT, SEARCH_LIMIT)
        self._tokens: dict[int, tuple[list[str], list[str]]] = {}
        self._order: Ids = np.zeros(0, dtype=np.int64)
        self._vocab: Counter[str] = Counter()
        self._index: MilvusRows | None = None
        self._phrases = Bm25Field()

    def bind(self, vectors: object) -> None:
        """Search the collection of `vectors` (the Milvus vector index of the same snapshot)."""
        if vectors is None:
            return
        if not (hasattr(vectors, "passages") and hasattr(vectors, "pending_removals")):
            raise ConfigError(
                "L'index lexical Milvus demande l'index vectoriel Milvus (ESSGRAPH_INDEX=milvus).",
                "The Milvus lexical index needs the Milvus vector index (ESSGRAPH_INDEX=milvus).",
            )
        self._index = vectors  # type: ignore[assignment]

    def add(self, ids: Sequence[int], texts: Sequence[str]) -> None:
        """Keep the tokens of `texts` (the rows themselves are written by the vector index)."""
        self.add_tokens(ids, self.tokenize(texts))

    def clone(self) -> MilvusLexicalIndex:
        """An independent copy (token lists shared, vocabulary copied), bound to the same collection
        until the snapshot binds it to its own vector index."""
        other = MilvusLexicalIndex(self.raw_weight, self.depth)
        other._tokens = dict(self._tokens)
        other._vocab = Counter(self._vocab)
        other._phrases = self._phrases.clone()
        other._index = self._index
        return other

    def prepare(self) -> None:
        """Nothing to build: Milvus indexes rows as they are inserted."""

    def add_tokens(self, ids: Sequence[int], tokens: Sequence[tuple[list[str], list[str]]]) -> None:
        """Keep already tokenised passages under `ids` (a replaced id is forgotten first)."""
        for pid, (stem, raw) in zip(ids, tokens, strict=True):
            self.remove([int(pid)])
            self._tokens[int(pid)] = (list(stem), list(raw))
            self._vocab.update(_terms(stem, raw))
            self._add_phrases(int(pid), stem)

    def tokens(self, ids: Sequence[int]) -> list[Any]:
        """The kept [stemmed, raw] token lists of `ids`."""
        return [list(self._tokens[int(pid)]) for pid in ids]

    def remove(self, ids: Sequence[int]) -> None:
        """Forget `ids` (their rows are removed by the vector index)."""
        for pid in ids:
            found = self._tokens.pop(int(pid), None)
            if found is not None:
                self._remove_phrases(int(pid))
                for term in _terms(*found):
                    left = self._vocab[term] - 1
                    if left > 0:
                        self._vocab[term] = left
                    else:
                        del self._vocab[term]

    def _ready(self) -> None:
        self._order = np.array(sorted(self._tokens), dtype=np.int64)

    def _scores(self, text: str) -> Scores:
        """The score of `text` against every kept passage, in `_order` (0 beyond Milvus's top-k)."""
        self._ready()
        found = self._weighted([(text, 1.0)], min(len(self._order), self.depth))
        return np.array([found.get(int(pid), 0.0) for pid in self._order], dtype=np.float32)

    def _weighted(self, texts: Sequence[tuple[str, float]], limit: int) -> dict[int, float]:
        """{id: weighted BM25 over `texts`} for the kept passages in Milvus's top lists."""
        if self._index is None:
            raise ConfigError(
                "Index lexical Milvus sans collection (aucun passage indexé).",
                "Milvus lexical index without a collection (no passage indexed).",
            )
        passages = self._index.passages
        margin = limit + SEARCH_MARGIN + self._index.pending_removals()
        stems = passages.search_text(
            "text", [bm25_text(t, passages.target.analysis) for t, _ in texts], margin
        )
        total: dict[int, float] = {}
        for (_, weight), hits in zip(texts, stems, strict=True):
            for pid, score in hits:
                if pid in self._tokens:
                    total[pid] = total.get(pid, 0.0) + weight * score
        if self.raw_weight:
            raws = passages.search_text("raw", [raw_text(t, query=True) for t, _ in texts], margin)
            for (_, weight), hits in zip(texts, raws, strict=True):
                for pid, score in hits:
                    if pid in self._tokens:
                        total[pid] = total.get(pid, 0.0) + weight * self.raw_weight * score
        return total

    def search(
        self, query: str, k: int, expansions: Sequence[tuple[str, float]] = (), phrase_weight: float = 0.0
    ) -> tuple[Ids, Scores]:
        """The `k` best kept ids and scores for `query` plus the weighted expansions and the question's
        phrase terms (scored here, from the kept tokens: the collection has no phrase field), positive
        scores only, best first, ties by id; raises IndexUnavailable when Milvus does not answer."""
        if not self._tokens or k <= 0:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        texts = [(query, 1.0), *((t, w) for t, w in expansions if w)]
        # every matching passage up to `depth`, as the local index scores: with shorter lists an expansion
        # adds nothing to a passage outside its list, and the fused scores drift (BENCHMARKS, Milvus)
        found = self._weighted(texts, max(k, min(len(self._tokens), self.depth)))
        if phrase_weight:
            # Milvus's BM25 function scores each term with the classic (k1 + 1) factor that the local
            # Lucene variant leaves out (its scores are ~2.2 times the local ones): the phrase field,
            # scored here from the kept tokens, is put on Milvus's scale before it is added
            self._ready()
            phrases = (self.k1 + 1.0) * self._phrase_scores(query)
            for i in np.flatnonzero(phrases):
                pid = int(self._order[i])
                found[pid] = found.get(pid, 0.0) + phrase_weight * float(phrases[i])
        if not found:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        order = np.array(list(found), dtype=np.int64)
        total = np.array(list(found.values()), dtype=np.float32)
        return top_positive(order, total, k)

    def matched_terms(self, query: str) -> set[str]:
        """Stemmed and raw query tokens some kept passage has (from the local tokens)."""
        return {t for t in stem_tokens(query) if f"s:{t}" in self._vocab} | {
            t for t in raw_tokens(query, query=True) if f"r:{t}" in self._vocab
        }


def _terms(stem: Sequence[str], raw: Sequence[str]) -> set[str]:
    """The distinct vocabulary keys of one passage: "s:" + stemmed token, "r:" + raw token."""
    return {f"s:{t}" for t in stem} | {f"r:{t}" for t in raw}
