"""Ranking a question's candidates: BM25, dense and graph rankings, their fusion, section and neighbour
signals, passage kinds. Functions of the settings and one index snapshot, no state of their own."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping

import numpy as np
import numpy.typing as npt

from essgraph.core.settings import Settings
from essgraph.search.kinds import REFERENCE_KINDS, asked_kinds
from essgraph.search.snapshot import IndexSnapshot
from essgraph.search.understand import QueryAnalysis


def lexical_ranking(
    st: Settings,
    snap: IndexSnapshot,
    query: str,
    analysis: QueryAnalysis | None,
    depth: int,
    allowed: set[int] | None,
) -> list[tuple[int, float]]:
    """The `depth` best BM25 (id, score) pairs for `query`, its phrase terms and its weighted
    expansions, among `allowed` (None: every passage)."""
    expansions = weighted_expansions(st, snap, analysis)
    k = len(snap.records) if allowed is not None else depth
    ids, scores = snap.lexical.search(query, k, expansions, phrase_weight=st.lexical_phrase_weight)
    return _best_allowed(ids, scores, depth, allowed)


def dense_ranking(
    st: Settings, snap: IndexSnapshot, vector: np.ndarray, depth: int, allowed: set[int] | None
) -> list[tuple[int, float]]:
    """The `depth` nearest passages to the question's `vector` as (id, cosine) pairs, among `allowed`."""
    if snap.vectors is None:
        return []
    k = len(snap.records) if allowed is not None else depth
    ids, scores = snap.vectors.search(vector, k, threads=st.query_threads)
    return _best_allowed(ids, scores, depth, allowed)


def _best_allowed(
    ids: npt.NDArray[np.int64], scores: npt.NDArray[np.float32], depth: int, allowed: set[int] | None
) -> list[tuple[int, float]]:
    """The first `depth` of the ranked `ids` and `scores` that are in `allowed` (None: all), as Python
    pairs. With a filter the ranking covers the whole corpus, so the filter is one numpy mask rather than
    a Python loop over every passage."""
    ids, scores = np.asarray(ids), np.asarray(scores)
    if allowed is not None:
        keep = np.isin(ids, np.fromiter(allowed, dtype=np.int64, count=len(allowed)))
        ids, scores = ids[keep], scores[keep]
    return list(zip(ids[:depth].tolist(), scores[:depth].tolist(), strict=True))


def graph_ranking(
    st: Settings,
    snap: IndexSnapshot,
    analysis: QueryAnalysis,
    prior: Mapping[int, float],
    allowed: set[int] | None,
) -> list[tuple[int, float]]:
    """Passages linked to the understood concepts/entities, most links first, then by `prior`."""
    weight: dict[int, float] = defaultdict(float)
    total = max(len(snap.records), 1)

    def idf(ids: set[int]) -> float:
        return math.log(1.0 + total / max(len(ids), 1))

    for iri in analysis.concepts:
        ids = snap.by_concept.get(iri, set())
        for pid in ids:
            weight[pid] += idf(ids)
        section_ids = snap.by_section_concept.get(iri, set())
        for pid in section_ids:
            weight[pid] += st.section_link_weight * idf(section_ids)
    for iri in analysis.broader:
        ids = snap.by_concept.get(iri, set())
        for pid in ids:
            weight[pid] += st.broader_weight * idf(ids)
        section_ids = snap.by_section_concept.get(iri, set())
        for pid in section_ids:
            weight[pid] += st.broader_weight * st.section_link_weight * idf(section_ids)
    for iri in analysis.entities:
        ids = snap.by_entity.get(iri, set())
        for pid in ids:
            weight[pid] += idf(ids)
    ranked = [pid for pid in weight if allowed is None or pid in allowed]
    ranked.sort(key=lambda pid: (-weight[pid], -prior.get(pid, 0.0), pid))
    return [(pid, weight[pid]) for pid in ranked]


def weighted_expansions(
    st: Settings, snap: IndexSnapshot, analysis: QueryAnalysis | None
) -> list[tuple[str, float]]:
    """Expansion texts (per concept, its label words not in the question) with `expansion_weight`
    scaled by the concept's specificity: a concept linked to almost every passage ("économie
    sociale et solidaire") says little about which passage answers, so its labels barely count."""
    if analysis is None:
        return []
    out: list[tuple[str, float]] = []
    for text, iri in zip(analysis.expansions, analysis.expansion_concepts, strict=True):
        weight = st.expansion_weight * concept_specificity(st, snap, iri)
        if weight > 0:
            out.append((text, weight))
    return out


def concept_specificity(st: Settings, snap: IndexSnapshot, iri: str) -> float:
    """1 for a concept linked to at most `expansion_full_df` passages, falling with log(N / df) to 0
    for a concept linked to every passage (an inverse document frequency, rescaled)."""
    ref = st.expansion_full_df
    total = len(snap.records)
    if ref <= 0 or total <= ref:
        return 1.0
    df = len(snap.by_concept.get(iri, ())) + 1
    if df >= total:
        return 0.0
    return min(1.0, math.log(total / df) / math.log(total / ref))


def add_section_scores(
    st: Settings,
    snap: IndexSnapshot,
    concept_labels: Mapping[str, str],
    query: str,
    analysis: QueryAnalysis | None,
    vector: np.ndarray | None,
    fused: dict[int, float],
    allowed: set[int] | None,
) -> None:
    """Add `weight_section` × the score of each candidate's section to `fused` (in place); the
    passages of the `section_candidates` best sections join the candidates. `concept_labels`: {concept
    IRI: label} of the thesaurus (section titles are matched with them)."""
    sections = snap.sections(concept_labels)
    expansions = weighted_expansions(st, snap, analysis)
    scores = sections.scores(query, expansions, vector, st.weight_lexical, st.weight_dense)
    if not scores:
        return
    best = sorted(scores, key=lambda key: (-scores[key], key))[: st.section_candidates]
    for key in best:
        for pid in sections.members[key]:
            if pid not in fused and (allowed is None or pid in allowed):
                fused[pid] = 0.0
    for pid in fused:
        section = snap.section_of.get(pid)
        if section is not None:
            fused[pid] += st.weight_section * scores.get(section, 0.0)


def fuse(st: Settings, rankings: Iterable[tuple[list[tuple[int, float]], float]]) -> dict[int, float]:
    """Weighted fusion of ranked (id, score) lists: reciprocal ranks (settings.fusion = "rrf") or
    scores rescaled to [0, 1] within each list ("linear", see `rescaled`); returns {id: fused score}."""
    k = st.rrf_k
    fused: dict[int, float] = defaultdict(float)
    for ranking, weight in rankings:
        if weight <= 0 or not ranking:
            continue
        if st.fusion == "rrf":
            for rank, (pid, _score) in enumerate(ranking, start=1):
                fused[pid] += weight / (k + rank)
        else:
            for pid, score in zip((pid for pid, _ in ranking), rescaled(st, ranking), strict=True):
                fused[pid] += weight * score
    return fused


def rescaled(st: Settings, ranking: list[tuple[int, float]]) -> list[float]:
    """The scores of the ranked (id, score) list put on the common scale of linear fusion
    (settings.fusion_scale), in the list's order: 'minmax' (lowest 0, best 1; a one-item list counts
    its score from 0), 'zscore' (lowest 0, one standard deviation = 1: a lead counts by how unusual it
    is in this list, not by the list's extremes), 'rank' (1 for the first, falling by 1/length: the
    scores' spread is ignored)."""
    n = len(ranking)
    if st.fusion_scale == "rank":
        return [1.0 - rank / n for rank in range(n)]
    scores = [score for _pid, score in ranking]
    low = scores[-1] if n > 1 else 0.0
    if st.fusion_scale == "zscore" and n > 1:
        mean = sum(scores) / n
        spread = math.sqrt(sum((s - mean) ** 2 for s in scores) / n)
    else:
        spread = scores[0] - low
    spread = spread or 1.0
    return [(score - low) / spread for score in scores]


def with_neighbours(
    st: Settings, snap: IndexSnapshot, fused: Mapping[int, float], allowed: set[int] | None
) -> dict[int, float]:
    """Fused scores plus `neighbour_weight` × the best fused score of each passage's neighbours (an
    answer split across a passage boundary); neighbours of candidates join the candidates."""
    weight = st.neighbour_weight
    neighbours = snap.neighbours()
    pids = set(fused)
    for pid in fused:
        pids.update(neighbours.get(pid, ()))
    out: dict[int, float] = {}
    score_of = fused.get
    for pid in pids:
        if allowed is not None and pid not in allowed:
            continue
        near = 0.0
        for other in neighbours.get(pid, ()):
            near = max(near, score_of(other, 0.0))
        score = score_of(pid, 0.0) + weight * near
        if score > 0:
            out[pid] = score
    return out


def weigh_kinds(st: Settings, snap: IndexSnapshot, query: str, fused: dict[int, float]) -> None:
    """Multiply (in place) the scores of passages that point elsewhere by `kind_weight`, and of
    example boxes by `example_kind_weight`, unless the question asks for that kind; a question that
    asks for a reference kind ("qui contacter ?") turns the preference round: running text gets
    `kind_weight` and the passages of the asked kind keep their score."""
    if st.kind_weight >= 1.0 and st.example_kind_weight >= 1.0:
        return
    asked = asked_kinds(query)
    answers_down = bool(asked & REFERENCE_KINDS)
    for pid in fused:
        kind = snap.records[pid].kind
        if kind in asked:
            continue
        if kind in REFERENCE_KINDS or (answers_down and kind in ("answer", "")):
            fused[pid] *= st.kind_weight
        elif kind == "example":
            fused[pid] *= st.example_kind_weight
