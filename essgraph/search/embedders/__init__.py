"""Text embedders behind one interface, chosen by a config string (see `make_embedder`)."""

from __future__ import annotations

from essgraph.search.embedders.base import Embedder, WordStates, normalise
from essgraph.search.embedders.cache import (
    SQLITE_CACHE_FILE,
    EmbeddingCache,
    SqliteEmbeddingCache,
    SqliteWordCache,
    embed_with_cache,
    embed_words_with_cache,
    text_hash,
)
from essgraph.search.embedders.factory import (
    make_embedder,
    make_embedding_cache,
    seed_embedding_cache,
    words_name_for,
)

__all__ = [
    "SQLITE_CACHE_FILE",
    "Embedder",
    "EmbeddingCache",
    "SqliteEmbeddingCache",
    "SqliteWordCache",
    "WordStates",
    "embed_with_cache",
    "embed_words_with_cache",
    "make_embedder",
    "make_embedding_cache",
    "normalise",
    "seed_embedding_cache",
    "text_hash",
    "words_name_for",
]
