"""Text embedders behind one interface, chosen by a config string (see `make_embedder`)."""

from __future__ import annotations

from essgraph.search.embedders.base import Embedder, normalise
from essgraph.search.embedders.cache import EmbeddingCache, embed_with_cache, text_hash
from essgraph.search.embedders.factory import make_embedder

__all__ = ["Embedder", "EmbeddingCache", "embed_with_cache", "make_embedder", "normalise", "text_hash"]
