"""Choose the lexical index backend from its config string."""

from __future__ import annotations

from pathlib import Path

from essgraph.core.errors import ConfigError
from essgraph.search.lexical.base import LexicalIndex


def make_lexical_index(
    backend: str, raw_weight: float, path: Path | None = None, *, milvus_depth: int | None = None
) -> LexicalIndex:
    """A new (or, with an existing `path`, the saved) lexical index; raises ConfigError if unknown.
    `milvus_depth`: hits the Milvus backend asks per text (None: Milvus's largest top-k)."""
    if backend == "bm25":
        from essgraph.search.lexical.inverted import InvertedBm25Index

        if path is not None and path.exists():
            return InvertedBm25Index.load(path, raw_weight)
        return InvertedBm25Index(raw_weight=raw_weight)
    if backend == "milvus":
        from essgraph.search.lexical.milvus import MilvusLexicalIndex

        return MilvusLexicalIndex(raw_weight=raw_weight, depth=milvus_depth)
    if backend == "bm25s":
        from essgraph.search.lexical.bm25s_index import Bm25sIndex

        if path is not None and path.exists():
            return Bm25sIndex.load(path, raw_weight)
        return Bm25sIndex(raw_weight=raw_weight)
    raise ConfigError(
        f"Index lexical inconnu « {backend} » (valeurs possibles : 'bm25', 'bm25s', 'milvus').",
        f"Unknown lexical backend {backend!r} (expected 'bm25', 'bm25s' or 'milvus').",
    )
