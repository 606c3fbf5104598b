"""Pseudo-relevance feedback: the question's vector moved toward its best first-pass passages, re-searched."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from essgraph.core.settings import Settings
from essgraph.search.ranking import dense_ranking, fuse, graph_ranking
from essgraph.search.snapshot import IndexSnapshot
from essgraph.search.understand import QueryAnalysis

Ranking = list[tuple[int, float]]


def fuse_with_graph(
    st: Settings,
    snap: IndexSnapshot,
    rankings: list[tuple[Ranking, float]],
    analysis: QueryAnalysis | None,
    allowed: set[int] | None,
) -> dict[int, float]:
    """{id: fused score} of the retrievers' `rankings` plus the graph ranking of the understood concepts
    and entities (ordered among equals by the first fusion), each rescaled per list (ranking.fuse)."""
    fused = fuse(st, rankings)
    if analysis is not None and (analysis.concepts or analysis.entities or analysis.broader):
        graph = graph_ranking(st, snap, analysis, fused, allowed)[: st.candidates]
        for pid, score in fuse(st, [(graph, st.weight_graph)]).items():
            fused[pid] += score
    return fused


def feedback_vector(
    snap: IndexSnapshot, vector: np.ndarray, fused: Mapping[int, float], depth: int, weight: float
) -> np.ndarray | None:
    """Rocchio's query: the unit vector of `vector` + `weight` × the mean stored vector of the `depth`
    best passages of `fused` (ties by id). The passages' vectors are read from the index, nothing is
    embedded. None when there is no vector index, no candidate or nothing to add (weight or depth 0)."""
    if snap.vectors is None or weight <= 0 or depth <= 0 or not fused:
        return None
    top = sorted(fused, key=lambda pid: (-fused[pid], pid))[:depth]
    stored = snap.vectors.vectors(np.asarray(top, dtype=np.int64))
    moved = np.asarray(vector, dtype=np.float32).reshape(-1) + weight * stored.mean(axis=0)
    norm = float(np.linalg.norm(moved))
    if norm == 0.0:
        return None
    return (moved / norm).astype(np.float32)


def with_dense_feedback(
    st: Settings,
    snap: IndexSnapshot,
    rankings: list[tuple[Ranking, float]],
    dense_at: int,
    vector: np.ndarray,
    fused: dict[int, float],
    analysis: QueryAnalysis | None,
    allowed: set[int] | None,
) -> dict[int, float]:
    """The fusion again with the dense ranking (`rankings[dense_at]`) replaced by the nearest passages
    to the feedback vector (settings.feedback_weight, feedback_passages), among `allowed`; `fused`
    itself (unchanged) when feedback is off or impossible. `rankings` is not changed.

    Why: a question worded unlike the corpus finds a few right passages through its words, labels or
    concepts; their vectors carry the corpus's own wording of the topic, so the dense side finds the
    passages that say the same thing in still other words."""
    moved = feedback_vector(snap, vector, fused, st.feedback_passages, st.feedback_weight)
    if moved is None:
        return fused
    again = list(rankings)
    again[dense_at] = (dense_ranking(st, snap, moved, st.candidates, allowed), rankings[dense_at][1])
    return fuse_with_graph(st, snap, again, analysis, allowed)
