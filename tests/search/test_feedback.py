"""Pseudo-relevance feedback and the linear fusion's rescaling, on the tiny real index of the tests."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest

from essgraph.core.settings import Settings
from essgraph.search.engine import SearchEngine
from essgraph.search.feedback import feedback_vector
from essgraph.search.ranking import fuse, rescaled


def _with(engine: SearchEngine, **changes: object) -> Settings:
    return Settings(**{**engine.settings.model_dump(), **changes})


def test_feedback_vector_is_the_unit_rocchio_query(engine: SearchEngine) -> None:
    snap = engine.snapshot
    assert snap.vectors is not None
    pids = sorted(snap.records)
    embedded = engine.query_vectors.cached("garage solidaire", engine.settings)
    if embedded is None:
        engine.search("garage solidaire", 3)
        embedded = engine.query_vectors.cached("garage solidaire", engine.settings)
    assert embedded is not None
    query = embedded[0]  # (vector, token states)
    fused = {pids[0]: 3.0, pids[1]: 2.0, pids[2]: 1.0}
    moved = feedback_vector(snap, query, fused, 2, 0.5)
    assert moved is not None
    stored = snap.vectors.vectors(np.asarray(pids[:2], dtype=np.int64))
    expected = query + 0.5 * stored.mean(axis=0)
    expected /= np.linalg.norm(expected)
    assert np.allclose(moved, expected, atol=1e-5)
    assert math.isclose(float(np.linalg.norm(moved)), 1.0, rel_tol=1e-5)
    # the moved query is closer to the passages fed back than the question was
    assert float(stored.mean(axis=0) @ moved) > float(stored.mean(axis=0) @ query)
    assert feedback_vector(snap, query, fused, 2, 0.0) is None
    assert feedback_vector(snap, query, {}, 2, 0.5) is None


def test_feedback_off_changes_nothing_and_on_keeps_a_sound_ranking(engine: SearchEngine) -> None:
    question = "garage solidaire pour réparer les voitures"
    engine.settings = _with(engine, feedback_weight=0.0)
    off = [(h.record.doc_id, h.record.start_line) for h in engine.search(question, 6).hits]
    engine.settings = _with(engine, feedback_weight=0.0, feedback_passages=1)
    assert [(h.record.doc_id, h.record.start_line) for h in engine.search(question, 6).hits] == off
    engine.settings = _with(engine, feedback_weight=1.0, feedback_passages=1)
    on = engine.search(question, 6).hits
    # the garage passage found first stays first: feedback toward it only strengthens it
    assert (on[0].record.doc_id, on[0].record.start_line) == off[0] == ("guide", 4)
    assert len({(h.record.doc_id, h.record.start_line) for h in on}) == len(on)
    # a filter still holds after the second dense search
    filtered = engine.search(question, 6, filters={"document": "rapport.txt"}).hits
    assert filtered and all(h.record.document == "rapport.txt" for h in filtered)


def test_feedback_does_not_embed_again(engine: SearchEngine, monkeypatch: pytest.MonkeyPatch) -> None:
    """The second dense search reads the passages' stored vectors: one question, one embedding."""
    engine.search("cantines", 3)  # concept vectors and the model loaded before counting
    engine.settings = _with(engine, feedback_weight=0.5, feedback_passages=2, query_vector_cache=0)
    embedder = engine.embedder
    calls: list[str] = []
    for method in ("embed_query", "embed_query_words"):  # the vector alone, or with its token states
        real = getattr(embedder, method)

        def counted(text: str, real: Any = real) -> Any:
            calls.append(text)
            return real(text)

        monkeypatch.setattr(embedder, method, counted)
    assert engine.search("acheter local pour les cantines", 3).hits
    assert len(calls) == 1


@pytest.mark.parametrize(
    ("scale", "expected"),
    [
        ("minmax", [1.0, 0.5, 0.0]),
        ("rank", [1.0, 2 / 3, 1 / 3]),
        ("zscore", [4.0 / math.sqrt(8.0 / 3.0), 2.0 / math.sqrt(8.0 / 3.0), 0.0]),
    ],
)
def test_rescaled_lists(scale: str, expected: list[float]) -> None:
    st = Settings(fusion_scale=scale)
    assert rescaled(st, [(7, 9.0), (3, 7.0), (5, 5.0)]) == pytest.approx(expected)


@pytest.mark.parametrize("scale", ["minmax", "zscore", "rank"])
def test_rescaling_ignores_the_retrievers_units(scale: str) -> None:
    """BM25 and cosines live on different scales: every rescaling gives the same values to a list
    whose scores are multiplied and shifted, so no retriever counts more for its units."""
    st = Settings(fusion_scale=scale)
    scores = [(1, 10.0), (2, 2.0), (3, 1.9), (4, 1.8), (5, 1.0)]
    affine = [(pid, 0.01 * score + 0.7) for pid, score in scores]
    assert rescaled(st, affine) == pytest.approx(rescaled(st, scores))
    assert rescaled(st, scores)[-1] == pytest.approx(0.0 if scale != "rank" else 0.2)


def test_zscore_gives_a_long_tail_leader_more_than_min_max() -> None:
    """Scores packed near the top with one far below: min-max squeezes the leaders' lead into [0, 1]
    by the outlier; the z-score measures it in standard deviations of the list."""
    tail = [(1, 10.0), (2, 9.9), (3, 9.8), (4, 9.7), (5, 0.0)]
    assert rescaled(Settings(fusion_scale="minmax"), tail)[0] == 1.0
    assert rescaled(Settings(fusion_scale="zscore"), tail)[0] > 2.0
    fused = fuse(Settings(fusion_scale="zscore"), [(tail, 1.0), ([(5, 1.0), (1, 0.5)], 1.0)])
    assert max(fused, key=lambda pid: fused[pid]) == 1


def test_one_item_list_counts_from_zero() -> None:
    for scale in ("minmax", "zscore"):
        assert rescaled(Settings(fusion_scale=scale), [(4, 2.5)]) == [1.0]
    assert rescaled(Settings(fusion_scale="rank"), [(4, 2.5)]) == [1.0]
