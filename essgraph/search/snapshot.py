"""One state of the search indexes: built by the writer, then only read, so searches take no lock."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from typing import TypeVar

import numpy as np

from essgraph.search.embedders.base import Vectors, WordStates
from essgraph.search.facets import FacetColumns, FacetCounts
from essgraph.search.highlight import WordSpan, shingles, word_spans
from essgraph.search.lexical.base import LexicalIndex, TokenPair
from essgraph.search.records import PassageRecord
from essgraph.search.sections import SectionIndex, section_key
from essgraph.search.tagging import LabelField
from essgraph.search.understand import EntityTable
from essgraph.search.vector.base import Ids, VectorIndex
from essgraph.search.wordmatch import WordIndex

T = TypeVar("T")
Memo = tuple[dict[int, frozenset[int]], dict[int, tuple[WordSpan, ...]], FacetColumns]
"""Per-passage lazy data shared between snapshots: shingles, word spans, facet columns."""


class IndexSnapshot:
    """The passages and every index over them (BM25, vectors, graph links, sections, entity labels) at
    one moment.

    The writer builds the next snapshot from a copy of the current one (`copy`: the published one is
    never changed), removes and adds passages, calls `finish` (query-time structures built now, not in
    a search), saves it, and the engine publishes it with one reference assignment. A search reads the
    snapshot it started with from beginning to end: it never waits for an ingest and never sees an
    index half-updated. Per-passage lazy data (shingles, word spans, facet pairs) is keyed by passage
    id; ids are never reused, so those caches are shared between snapshots.
    """

    def __init__(
        self,
        lexical: LexicalIndex,
        vectors: VectorIndex | None = None,
        section_raw_weight: float = 0.5,
        memo: Memo | None = None,
        labels: LabelField | None = None,
    ) -> None:
        self.lexical = lexical
        # the label field (search.tagging): none without a tagger, e.g. a snapshot built by a test
        self.labels = labels if labels is not None else LabelField(None, None)
        self.vectors = vectors
        self.words = WordIndex()  # token states (search.wordmatch); empty when the match is off
        self.records: dict[int, PassageRecord] = {}
        self.by_doc: dict[str, list[int]] = defaultdict(list)
        self.by_concept: dict[str, set[int]] = defaultdict(set)
        self.by_section_concept: dict[str, set[int]] = defaultdict(set)
        self.by_entity: dict[str, set[int]] = defaultdict(set)
        self.section_of: dict[int, str | None] = {}
        self.entities = EntityTable()
        self._section_raw_weight = section_raw_weight
        self._neighbours: dict[int, list[int]] | None = None
        self._sections: SectionIndex | None = None
        if memo is None:
            memo = ({}, {}, FacetColumns())
        self._shingles, self._word_spans, self._facets = memo

    # ------------------------------------------------------------------ building (writer only)
    def copy(self) -> IndexSnapshot:
        """A snapshot to change while this one keeps answering: maps and indexes copied, records and
        token lists (never changed in place) shared. Costs O(passages), a small part of an ingest."""
        other = IndexSnapshot(
            self.lexical.clone(),
            self.vectors.clone() if self.vectors is not None else None,
            self._section_raw_weight,
            (self._shingles, self._word_spans, self._facets),
            self.labels.clone(),
        )
        other.records = dict(self.records)
        other.words = self.words.clone()
        other.by_doc = defaultdict(list, {k: list(v) for k, v in self.by_doc.items()})
        other.by_concept = defaultdict(set, {k: set(v) for k, v in self.by_concept.items()})
        other.by_section_concept = defaultdict(set, {k: set(v) for k, v in self.by_section_concept.items()})
        other.by_entity = defaultdict(set, {k: set(v) for k, v in self.by_entity.items()})
        other.section_of = dict(self.section_of)
        other.entities = self.entities
        other.lexical.bind(other.vectors)
        return other

    def add(
        self,
        ids: Ids,
        records: Sequence[PassageRecord],
        tokens: Sequence[TokenPair],
        vectors: Vectors,
        words: Sequence[WordStates] | None = None,
    ) -> None:
        """Index `records` under `ids` with their BM25 tokens, vectors and, when kept, token states (all
        computed beforehand)."""
        assert self.vectors is not None, "the engine creates the vector index before the first add"
        self.vectors.add_passages(ids, vectors, records)
        if words is not None:
            self.words.add([int(i) for i in ids], words)
        self.lexical.bind(self.vectors)
        self.lexical.add_tokens([int(i) for i in ids], tokens)
        self.labels.add([int(i) for i in ids], records)
        for pid, rec in zip(ids, records, strict=True):
            self.records[int(pid)] = rec
            self._index_maps(int(pid), rec)

    def index_maps(self) -> None:
        """(Re)build the graph-link and section maps from `records` (after loading them)."""
        self.by_doc = defaultdict(list)
        self.by_concept = defaultdict(set)
        self.by_section_concept = defaultdict(set)
        self.by_entity = defaultdict(set)
        self.section_of = {}
        for pid, rec in self.records.items():
            self._index_maps(pid, rec)
        self.labels.rebuild(self.records)

    def _index_maps(self, pid: int, rec: PassageRecord) -> None:
        self.by_doc[rec.doc_id].append(pid)
        for c in rec.concepts:
            self.by_concept[c].add(pid)
        for c in rec.section_concepts:
            self.by_section_concept[c].add(pid)
        for e in rec.entities:
            self.by_entity[e.iri].add(pid)
        self.section_of[pid] = section_key(rec)
        self._neighbours = None
        self._sections = None

    def remove_document(self, doc_id: str) -> bool:
        """Remove the passages of `doc_id` from every index; returns False when it had none."""
        ids = self.by_doc.pop(doc_id, [])
        if not ids:
            return False
        if self.vectors is not None:
            self.vectors.remove(np.asarray(ids, dtype=np.int64))
        self.lexical.remove(ids)
        self.labels.remove(ids)
        self.words.remove(ids)
        for pid in ids:
            rec = self.records.pop(pid)
            for c in rec.concepts:
                self.by_concept[c].discard(pid)
            for c in rec.section_concepts:
                self.by_section_concept[c].discard(pid)
            for e in rec.entities:
                self.by_entity[e.iri].discard(pid)
            self.section_of.pop(pid, None)
            # shared with older snapshots, which recompute an entry they still need
            self._shingles.pop(pid, None)
            self._word_spans.pop(pid, None)
        self._facets.forget(ids)
        self._neighbours = None
        self._sections = None
        return True

    def finish(self, concept_labels: Mapping[str, str] | None = None) -> None:
        """Build what searches read lazily otherwise: the vector index's search structures, BM25
        matrices, the entity table, neighbours, and the section index when `concept_labels` is given
        (section signal on). Call before publishing."""
        if self.vectors is not None:
            self.vectors.prepare()
        self.lexical.bind(self.vectors)
        self.lexical.prepare()
        self.labels.prepare()
        self.entities = EntityTable.of(self.records.values())
        self.neighbours()
        if concept_labels is not None:
            self.sections(concept_labels)

    # ------------------------------------------------------------------ reading (any thread)
    def doc_ids(self) -> list[str]:
        """The documents this snapshot holds."""
        return sorted(d for d, ids in self.by_doc.items() if ids)

    def passage_keys(self, doc_id: str) -> set[str]:
        """IRIs of the passages of `doc_id` (empty set for an unknown document)."""
        return {self.records[pid].iri for pid in self.by_doc.get(doc_id, [])}

    def neighbours(self) -> dict[int, list[int]]:
        """{passage id: the passages just before and after it in the same document and section}.

        Built by `finish`; built here (by whichever search needs it first, the same result every
        time) only for a snapshot that was not finished.
        """
        found = self._neighbours
        if found is None:
            groups: dict[tuple[str, str | None], list[int]] = defaultdict(list)
            for pid, rec in self.records.items():
                groups[(rec.doc_id, self.section_of.get(pid))].append(pid)
            found = {}
            for members in groups.values():
                members.sort(key=lambda p: (self.records[p].char_start, p))
                for i, pid in enumerate(members):
                    found[pid] = members[max(i - 1, 0) : i] + members[i + 1 : i + 2]
            self._neighbours = found
        return found

    def sections(self, concept_labels: Mapping[str, str]) -> SectionIndex:
        """The section index of this snapshot (built on first use, or by `finish`)."""
        found = self._sections
        if found is None:
            found = SectionIndex(self._section_raw_weight)
            vectors = self.vectors
            if vectors is not None and len(vectors) == len(self.records):

                def vectors_of(ids: Sequence[int]) -> np.ndarray:
                    assert vectors is not None
                    return vectors.vectors(np.asarray(ids, dtype=np.int64))

                found.build(self.records, vectors_of, concept_labels)
            else:
                found.build(self.records, None, concept_labels)
            self._sections = found
        return found

    def spans_of(self, pid: int) -> tuple[WordSpan, ...]:
        """The highlightable words of a passage (computed on first use, like its shingles)."""
        return _memo(self._word_spans, pid, lambda: word_spans(self.records[pid].text))

    def shingles_of(self, pid: int) -> frozenset[int]:
        """Word 3-shingles of a passage (computed on first use: only hits are ever compared)."""
        return _memo(self._shingles, pid, lambda: shingles(self.records[pid].text))

    def facet_columns_of(self, pid: int) -> np.ndarray:
        """The facet columns of a passage (computed on first use; see FacetColumns)."""
        return self._facets.of(pid, self.records[pid].facets)

    def facet_counts(self, pids: Sequence[int]) -> FacetCounts:
        """How many of `pids` have each facet value (see FacetColumns.count)."""
        records = self.records
        return self._facets.count(pids, lambda pid: records[pid].facets)


def _memo(cache: dict[int, T], pid: int, compute: Callable[[], T]) -> T:
    """`cache[pid]`, computed by `compute()` and stored on first use (per-passage lazy data)."""
    found = cache.get(pid)
    if found is None:
        found = cache[pid] = compute()
    return found
