"""Lexical and vector backends on tiny data: search, removal, persistence, HNSW switch."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from essgraph.core.errors import ConfigError
from essgraph.search.lexical.base import top_positive
from essgraph.search.lexical.bm25s_index import Bm25sIndex, score_texts
from essgraph.search.lexical.factory import make_lexical_index
from essgraph.search.lexical.inverted import InvertedBm25Index
from essgraph.search.vector.factory import make_vector_index
from essgraph.search.vector.faiss import FaissIndex

TEXTS = [
    "Le garage solidaire répare les voitures.",
    "La SCIC associe salariés, usagers et collectivités.",
    "Les cantines achètent des produits bio locaux.",
]


def test_score_texts_ranks_a_few_texts_and_dampens_repeated_query_words() -> None:
    scores = score_texts("les garages solidaires et la cantine", TEXTS)
    assert scores[0] > scores[2] > 0 and scores[1] == 0
    once, thrice = score_texts("garage cantine", TEXTS), score_texts("garage garage garage cantine", TEXTS)
    assert thrice[0] / thrice[2] == pytest.approx(np.log1p(3) / np.log1p(1) * once[0] / once[2], rel=1e-5)
    assert len(score_texts("garage", [])) == 0


def test_top_positive_keeps_the_best_with_ties_by_id() -> None:
    order = np.array([3, 5, 7, 9, 11], dtype=np.int64)
    total = np.array([0.5, 2.0, 0.5, 0.0, 0.5], dtype=np.float32)
    ids, scores = top_positive(order, total, 3)
    assert list(ids) == [5, 3, 7] and list(scores) == [2.0, 0.5, 0.5]
    assert list(top_positive(order, total, 10)[0]) == [5, 3, 7, 11]


def test_both_lexical_backends_rank_alike() -> None:
    texts = [*TEXTS, "Un garage associatif.", "Le garage et la cantine du garage."]
    results = []
    for backend in ("bm25", "bm25s"):
        index = make_lexical_index(backend, raw_weight=0.5)
        index.add([10, 11, 12, 13, 14], texts)
        ids, scores = index.search("garage", 2, expansions=[("cantines bio", 0.5)])
        results.append((list(ids), list(index.search("garage cantine SCIC", 10)[0])))
        assert len(ids) == 2 and scores[0] >= scores[1] > 0
    assert results[0] == results[1]


def test_bm25_finds_stemmed_and_acronym_matches() -> None:
    index = Bm25sIndex()
    index.add([10, 11, 12], TEXTS)
    ids, scores = index.search("garages solidaires", 5)
    assert ids[0] == 10 and scores[0] > 0
    ids, _ = index.search("scic", 5)
    assert list(ids) == [11]
    assert len(index.search("zzz inconnu", 5)[0]) == 0


def test_bm25_expansion_brings_synonym_passages() -> None:
    index = Bm25sIndex()
    index.add([1, 2, 3], TEXTS)
    assert len(index.search("restauration collective", 5)[0]) == 0
    ids, _ = index.search("restauration collective", 5, [("cantines scolaires", 0.3)])
    assert list(ids) == [3]


def test_bm25_remove_and_round_trip(tmp_path: Path) -> None:
    index = Bm25sIndex()
    index.add([1, 2, 3], TEXTS)
    index.remove([1])
    assert 1 not in index.search("garage", 5)[0]
    path = tmp_path / "lex.json.gz"
    index.save(path)
    loaded = make_lexical_index("bm25s", 0.5, path)
    assert len(loaded) == 2
    assert list(loaded.search("SCIC", 5)[0]) == [2]


def test_unknown_backends_raise_config_error() -> None:
    with pytest.raises(ConfigError):
        make_lexical_index("lucene", 0.5)
    with pytest.raises(ConfigError):
        make_vector_index("annoy", 8, 1000)


def _unit(rows: int, dim: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    v = rng.standard_normal((rows, dim)).astype(np.float32)
    return v / np.linalg.norm(v, axis=1, keepdims=True)


def test_faiss_flat_exact_remove_and_persist(tmp_path: Path) -> None:
    vectors = _unit(50, 16, 0)
    index = FaissIndex(16, hnsw_threshold=1000)
    index.add(np.arange(100, 150), vectors)
    ids, scores = index.search(vectors[7], 3)
    assert ids[0] == 107 and scores[0] == pytest.approx(1.0, abs=1e-5)
    index.remove(np.array([107]))
    assert 107 not in index.search(vectors[7], 50)[0]
    path = tmp_path / "v.faiss"
    index.save(path)
    loaded = FaissIndex.load(path, 16, 1000)
    assert len(loaded) == 49 and loaded.kind == "flat"
    assert list(loaded.search(vectors[8], 1)[0]) == [108]


def test_faiss_switches_to_hnsw_above_threshold(tmp_path: Path) -> None:
    vectors = _unit(1500, 16, 1)
    index = FaissIndex(16, hnsw_threshold=1000)
    index.add(np.arange(1000), vectors[:1000])
    assert index.kind == "flat"
    index.add(np.arange(1000, 1500), vectors[1000:])
    assert index.kind == "hnsw" and len(index) == 1500
    assert index.search(vectors[1200], 1)[0][0] == 1200
    index.remove(np.arange(0, 600))
    assert index.kind == "flat" and len(index) == 900
    index.add(np.arange(2000, 2200), _unit(200, 16, 2))
    index.save(tmp_path / "h.faiss")
    loaded = FaissIndex.load(tmp_path / "h.faiss", 16, 1000)
    assert loaded.kind == "hnsw" and len(loaded) == 1100


def test_incremental_bm25_scores_like_bm25s_and_updates_in_place(tmp_path: Path) -> None:
    """The incremental backend ranks and scores exactly like bm25s, before and after a removal."""
    reference, incremental = Bm25sIndex(), InvertedBm25Index()
    for index in (reference, incremental):
        index.add([1, 2, 3], TEXTS)
    for query in ("garages solidaires", "scic collectivités", "produits bio"):
        ref_ids, ref_scores = reference.search(query, 5, [("cantines scolaires", 0.3)])
        ids, scores = incremental.search(query, 5, [("cantines scolaires", 0.3)])
        assert list(ids) == list(ref_ids)
        assert np.allclose(scores, ref_scores, rtol=1e-5)
    incremental.remove([1])
    incremental.add([4], ["Un autre garage solidaire en milieu rural."])
    fresh = InvertedBm25Index()
    fresh.add_tokens([2, 3, 4], incremental.tokens([2, 3, 4]))
    ids, scores = incremental.search("garage solidaire", 5)
    fresh_ids, fresh_scores = fresh.search("garage solidaire", 5)
    assert list(ids) == list(fresh_ids) == [4]
    assert np.allclose(scores, fresh_scores)
    assert "garag" in incremental.matched_terms("garage") and not incremental.matched_terms("voitures") - {
        "voitur"
    }
    incremental.save(tmp_path / "lex.json.gz")
    loaded = make_lexical_index("bm25", 0.5, tmp_path / "lex.json.gz")
    assert list(loaded.search("SCIC", 5)[0]) == [2]


def test_hnsw_base_takes_delta_and_tombstones_without_rebuild(tmp_path: Path) -> None:
    """With an HNSW base, small removals are tombstones and additions go to a flat delta; a saved base
    completed by `from_parts` answers like the live index."""
    vectors = _unit(1500, 16, 3)
    index = FaissIndex(16, hnsw_threshold=1000)
    index.add(np.arange(1500), vectors)
    index.save(tmp_path / "base.faiss")
    index.remove(np.arange(10))
    extra = _unit(20, 16, 4)
    index.add(np.arange(5000, 5020), extra)
    assert index.kind == "hnsw" and not index.base_changed and index.pending == 30
    assert len(index) == 1510
    assert 3 not in index.search(vectors[3], 20)[0]
    assert index.search(extra[5], 1)[0][0] == 5005
    assert np.allclose(index.vectors(np.array([5005, 100])), np.vstack([extra[5], vectors[100]]))
    live = np.concatenate([np.arange(10, 1500), np.arange(5000, 5020)])
    live_vectors = np.vstack([vectors[10:], extra])
    restored = FaissIndex.from_parts(16, 1000, live, live_vectors, tmp_path / "base.faiss")
    assert restored.pending == 30 and len(restored) == 1510
    for probe in (vectors[3], vectors[700], extra[12]):
        assert list(restored.search(probe, 5)[0]) == list(index.search(probe, 5)[0])
    index.remove(np.arange(10, 400))  # past compact_fraction: the base is rebuilt
    assert index.base_changed and index.pending == 0 and len(index) == 1120


# words kept together against the same words spread out: the phrase field's family
APART = "Chaque commande se prépare avec soin ; l'offre publique aussi, et la commande reste publique."
TOGETHER = "Elle rédige un long guide de la commande publique pour les services techniques municipaux."


@pytest.mark.parametrize("backend", ["bm25", "bm25s"])
def test_phrase_weight_ranks_words_kept_together_first(backend: str, tmp_path: Path) -> None:
    """Without the phrase field the passage repeating both words leads; with it, the one that keeps
    them side by side does, on every local backend, after a clone, a removal and a reload."""
    index = make_lexical_index(backend, raw_weight=0.5)
    index.add([1, 2, 3], [APART, TOGETHER, TEXTS[0]])
    assert list(index.search("la commande publique", 5)[0]) == [1, 2]
    ids, scores = index.search("la commande publique", 5, phrase_weight=1.0)
    assert list(ids) == [2, 1] and scores[0] > index.search("la commande publique", 5)[1][1]
    # a pair of words no passage keeps together adds nothing; expansions are never read as phrases
    assert list(index.search("publique commande", 5, phrase_weight=1.0)[0]) == [1, 2]
    assert list(index.search("garage", 5, [("commande publique", 1.0)], phrase_weight=1.0)[0]) == [3, 1, 2]
    copy = index.clone()
    copy.remove([2])
    assert list(copy.search("la commande publique", 5, phrase_weight=1.0)[0]) == [1]
    assert list(index.search("la commande publique", 5, phrase_weight=1.0)[0]) == [2, 1]
    index.save(tmp_path / "lex.json.gz")
    loaded = make_lexical_index(backend, 0.5, tmp_path / "lex.json.gz")
    assert list(loaded.search("la commande publique", 5, phrase_weight=1.0)[0]) == [2, 1]
    index.add([2], [TEXTS[1]])  # a replaced passage loses its old phrases
    assert 2 not in index.search("commande publique", 5, phrase_weight=1.0)[0]
