"""Facet counts over candidate passages with numpy: each passage's facet values as column numbers."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Mapping, Sequence

import numpy as np
import numpy.typing as npt

from essgraph.search.records import FACET_KEYS

FacetCounts = dict[str, list[tuple[str, int]]]
"""{facet key: [(value, passages), …]}, most passages first, then by value; every key of FACET_KEYS."""


class FacetColumns:
    """The distinct (facet key, value) pairs of each passage as column numbers of one append-only
    vocabulary, so that counting the facets of a search's candidates is one `numpy.bincount` instead of a
    Counter over every pair of every candidate.

    Computed per passage on first use and shared by the snapshots of one index, like the other
    per-passage memos (passage ids are never reused and a passage's facets never change). Safe to use
    from several searches at once: the vocabulary grows under a lock, and a passage's columns are
    published only once their pairs are in it.
    """

    def __init__(self) -> None:
        self._vocab: dict[tuple[str, str], int] = {}
        self._pairs: list[tuple[str, str]] = []
        self._columns: dict[int, npt.NDArray[np.intp]] = {}
        self._lock = threading.Lock()

    def of(self, pid: int, facets: Mapping[str, Sequence[str]]) -> npt.NDArray[np.intp]:
        """The columns of passage `pid`, whose record has `facets` (computed on first use)."""
        found = self._columns.get(pid)
        if found is None:
            pairs = dict.fromkeys((key, value) for key in FACET_KEYS for value in facets.get(key, ()))
            with self._lock:
                for pair in pairs:
                    if pair not in self._vocab:
                        self._vocab[pair] = len(self._pairs)
                        self._pairs.append(pair)
                found = np.fromiter((self._vocab[p] for p in pairs), dtype=np.intp, count=len(pairs))
            self._columns[pid] = found
        return found

    def forget(self, pids: Iterable[int]) -> None:
        """Drop the columns of removed passages (their vocabulary entries stay: columns are never reused)."""
        for pid in pids:
            self._columns.pop(pid, None)

    def count(
        self, pids: Sequence[int], facets_of: Callable[[int], Mapping[str, Sequence[str]]]
    ) -> FacetCounts:
        """How many of `pids` have each facet value; `facets_of(pid)` gives a passage's facets."""
        out: FacetCounts = {key: [] for key in FACET_KEYS}
        if not pids:
            return out
        columns = np.concatenate([self.of(pid, facets_of(pid)) for pid in pids])
        counts = np.bincount(columns) if len(columns) else np.zeros(0, dtype=np.intp)
        pairs = self._pairs
        for col in np.flatnonzero(counts).tolist():
            key, value = pairs[col]
            out[key].append((value, int(counts[col])))
        for values in out.values():
            values.sort(key=lambda vc: (-vc[1], vc[0]))
        return out
