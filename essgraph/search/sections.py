"""Section-level retrieval: each section (fiche, chapter) scored as a whole by BM25 and a dense centroid."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence

import numpy as np

from essgraph.search.embedders.base import Vectors, normalise
from essgraph.search.lexical.inverted import InvertedBm25Index
from essgraph.search.records import PassageRecord

VectorsOf = Callable[[Sequence[int]], Vectors]


def section_key(rec: PassageRecord) -> str | None:
    """The key grouping the passages of one section of one document (None for a passage outside any)."""
    sec = rec.section
    name = sec.label or sec.title
    if sec.number is None and not name:
        return None
    return f"{rec.doc_id}#{sec.number if sec.number is not None else ''}#{name}"


def _rescaled(scores: Vectors) -> Vectors:
    """`scores` mapped linearly to [0, 1] (min -> 0, max -> 1; a constant list -> zeros)."""
    if len(scores) == 0:
        return scores
    low, top = float(scores.min()), float(scores.max())
    if top <= low:
        return np.zeros_like(scores)
    return ((scores - low) / (top - low)).astype(np.float32)


class SectionIndex:
    """Sections as retrieval units: a BM25 index over "section label, concept labels, all passage texts"
    and the normalised mean of the passages' vectors. Built in memory from the passage records (cheap:
    a section index holds one row per section) and rebuilt lazily after a change.
    """

    def __init__(self, raw_weight: float) -> None:
        self.raw_weight = raw_weight
        self.keys: list[str] = []
        self.members: dict[str, list[int]] = {}
        self._lexical: InvertedBm25Index | None = None
        self._centroids: Vectors = np.zeros((0, 0), dtype=np.float32)

    def build(
        self,
        records: Mapping[int, PassageRecord],
        vectors_of: VectorsOf | None,
        concept_labels: Mapping[str, str],
    ) -> None:
        """Group `records` by section and index each section's text and centroid vector."""
        members: dict[str, list[int]] = defaultdict(list)
        for pid in sorted(records, key=lambda p: (records[p].doc_id, records[p].index, p)):
            key = section_key(records[pid])
            if key is not None:
                members[key].append(pid)
        self.keys = sorted(members)
        self.members = {k: members[k] for k in self.keys}
        texts: list[str] = []
        for key in self.keys:
            first = records[self.members[key][0]]
            concepts = sorted({c for pid in self.members[key] for c in records[pid].section_concepts})
            head = [first.section.label or first.section.title]
            head += [concept_labels[c] for c in concepts if c in concept_labels]
            texts.append("\n".join(head + [records[pid].text for pid in self.members[key]]))
        self._lexical = InvertedBm25Index(raw_weight=self.raw_weight)
        self._lexical.add(list(range(len(self.keys))), texts)
        if vectors_of is not None and self.keys:
            rows = [vectors_of(self.members[key]).mean(axis=0) for key in self.keys]
            self._centroids = normalise(np.vstack(rows))
        else:
            self._centroids = np.zeros((0, 0), dtype=np.float32)

    def scores(
        self,
        query: str,
        expansions: Sequence[tuple[str, float]],
        query_vector: Vectors | None,
        weight_lexical: float,
        weight_dense: float,
    ) -> dict[str, float]:
        """{section key: score in [0, 1]}: BM25 and centroid cosine, each rescaled over the sections,
        combined with the passage fusion weights and divided by their sum."""
        if not self.keys or self._lexical is None:
            return {}
        total = np.zeros(len(self.keys), dtype=np.float32)
        ids, values = self._lexical.search(query, len(self.keys), expansions)
        lexical = np.zeros(len(self.keys), dtype=np.float32)
        lexical[ids] = values
        total += weight_lexical * _rescaled(lexical)
        weights = weight_lexical
        if query_vector is not None and self._centroids.shape[0] == len(self.keys) and weight_dense > 0:
            total += weight_dense * _rescaled(self._centroids @ query_vector.astype(np.float32))
            weights += weight_dense
        total /= max(weights, 1e-9)
        return {key: float(v) for key, v in zip(self.keys, total, strict=True) if v > 0}
